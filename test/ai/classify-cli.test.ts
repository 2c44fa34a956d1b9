/**
 * `npm run admin -- classify` as a real process: JSON lines of stories in, one JSON line out per
 * story with category, confidence and source; offline without a model, and with the model of the
 * OpenAI-compatible stand-in (falling back to offline for a line the model fails on).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAdmin } from "../support/admin-cli.js";
import { type OpenAiStub, startOpenAiStub } from "../support/openai-stub.js";

/** `admin classify` with `stdin`, on the data folder and settings in `env`. */
function classify(env: Record<string, string> & { DATA_DIR: string }, stdin: string) {
  const { DATA_DIR, ...rest } = env;
  return runAdmin(DATA_DIR, ["classify"], stdin, rest);
}

const STORIES = [
  { text: "guru PNS like dan share konten cabup X di fb" },
  { text: "mobil pelat merah angkut massa kampanye paslon 1" },
];

describe("admin classify", () => {
  let stub: OpenAiStub;
  let dataDir: string;
  beforeAll(async () => {
    stub = await startOpenAiStub();
    dataDir = mkdtempSync(join(tmpdir(), "lapor-classify-"));
  });
  afterAll(async () => {
    await stub.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("offline: one JSON line per story, bad lines get an error, order kept", async () => {
    const input = `${JSON.stringify(STORIES[0])}\nnot json\n{"nope": 1}\n${JSON.stringify(STORIES[1])}\n`;
    const r = await classify({ DATA_DIR: dataDir }, input);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ category: "medsos_interaksi", source: "offline" });
    expect(lines[0].confidence).toBeGreaterThan(0);
    expect(lines[1]).toEqual({ line: 2, error: "not valid JSON" });
    expect(lines[2].error).toContain("text");
    expect(lines[3]).toMatchObject({ category: "fasilitas_negara", source: "offline" });
  });

  it("with the model: its category and confidence; a failed call falls back to offline", async () => {
    let calls = 0;
    stub.answer((req) => {
      calls++;
      if (req.schemaName !== "classification") return { status: 400 };
      return calls === 1 ? { json: { category: "medsos_kampanye", confidence: 0.91 } } : { status: 500 };
    });
    const r = await classify(
      { DATA_DIR: dataDir, OPENAI_BASE_URL: stub.baseUrl, OPENAI_MODEL: "stub-model", AI_TIMEOUT_MS: "3000" },
      `${STORIES.map((s) => JSON.stringify(s)).join("\n")}\n`,
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ category: "medsos_kampanye", confidence: 0.91, source: "llm" });
    expect(lines[1]).toMatchObject({ category: "fasilitas_negara", source: "offline" });
    const req = stub.requestsFor("classification")[0]!;
    expect(req.model).toBe("stub-model");
    expect(req.system).toContain("medsos_interaksi");
    expect(req.userText).toBe(STORIES[0]!.text);
  });
});
