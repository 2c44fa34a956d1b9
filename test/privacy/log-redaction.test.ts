/**
 * Logs keep the promise of `.env.example`: no reporter's identity, on the error paths too. A failed
 * conversation step and a failed report save (the database refuses the statement, whose values
 * hold the whole session and the identity), a failed delivery and a failed LLM call are each
 * driven for real, the pino output captured, and searched for the identity.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { LlmClient } from "../../src/ai/llm.js";
import { type App, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { Inbound } from "../../src/engine/types.js";
import { createLogger, scrubText } from "../../src/log.js";

/** What must never be in a log line: the reporter's and a witness's identity from the transcript. */
const IDENTITY = [
  "Rina Wulandari",
  "Ahmad Yani",
  "821-1111-2222",
  "82111112222",
  "Siti Aminah",
  "81234567890",
];

const golden = parse(
  readFileSync(join(import.meta.dirname, "../flows/golden/formal-complete-witnesses.yaml"), "utf8"),
) as { turns: { in: Inbound }[] };
// Its file is a stand-in reference with no bytes behind it; the links are evidence enough.
const inputs = golden.turns.map((t) => t.in).filter((i) => i.kind !== "media");

describe("no identity in logs on the error paths", () => {
  let app: App;
  let dataDir: string;
  const lines: string[] = [];
  const logged = () => lines.join("");
  const leaks = () => IDENTITY.filter((s) => logged().includes(s));
  let n = 0;
  const send = (input: Inbound) =>
    app.conversation.handle({
      channel: "web",
      chatId: "visitor-redaction",
      messageId: `m${n++}`,
      receivedAt: new Date(),
      input,
    });
  const exec = (q: string) => app.services.database.db.execute(sql.raw(q));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "lapor-redact-"));
    app = await startApp(
      loadConfig({ DATA_DIR: dataDir, PORT: "0", WEB_SIMULATOR: "false" }),
      createLogger({ level: "debug", destination: { write: (l: string) => void lines.push(l) } }),
      { workerIntervalMs: 0, now: () => new Date("2024-11-20T12:30:00Z") },
    );
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a failed report save logs the failure without the identity", async () => {
    await exec("alter table report_identities add constraint no_identity check (false) not valid");
    let last = "";
    for (const input of inputs) last = (await send(input))?.outputs.map((o) => o.text).join("\n") ?? "";
    expect(last).toContain("belum tersimpan");
    expect(logged()).toContain("conversation step failed");
    expect(logged()).toContain("params: [redacted]");
    expect(leaks()).toEqual([]);
  });

  it("a failed conversation step logs the failure without the session's answers", async () => {
    await exec("alter table report_identities drop constraint no_identity");
    await exec("alter table sessions add constraint no_session check (false) not valid");
    const before = lines.length;
    const r = await send({ kind: "text", text: "halo" });
    expect(r?.outputs[0]?.text).toContain("belum tersimpan");
    expect(lines.slice(before).join("")).toContain("conversation step failed");
    expect(leaks()).toEqual([]);
    await exec("alter table sessions drop constraint no_session");
  });

  it("a failed delivery logs the failure without the card's identity", async () => {
    const r = await send({ kind: "choice", value: "submit" });
    expect(r?.outputs.map((o) => o.text).join("\n")).toMatch(/LN-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    await exec("alter table outbox add constraint no_progress check (progress = 0) not valid");
    const before = lines.length;
    await app.worker.drain();
    const failed = lines.slice(before).join("");
    expect(failed).toMatch(/send failed, will retry/);
    expect(failed).toContain("params: [redacted]");
    expect(leaks()).toEqual([]);
    await exec("alter table outbox drop constraint no_progress");
  });

  it("a failed LLM call whose server echoes the prompt logs nothing of it", async () => {
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ error: { message: `Invalid prompt: ${body}`, type: "invalid_request_error" } }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const llm = new LlmClient(
      { baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "x", model: "m", timeoutMs: 5000 },
      createLogger({ destination: { write: (l: string) => void lines.push(l) } }),
    );
    const before = lines.length;
    await expect(
      llm.json({
        purpose: "story_facts",
        name: "facts",
        schema: z.object({ place: z.string() }),
        system: "Read the story.",
        user: [{ text: "Pelapor Rina Wulandari, Jl. Ahmad Yani, 0821-1111-2222" }],
      }),
    ).rejects.toThrow();
    server.close();
    expect(lines.slice(before).join("")).toContain("LLM call failed");
    expect(leaks()).toEqual([]);
  });

  it("scrubs drizzle's params and PostgreSQL's row values from any text", () => {
    expect(scrubText("Failed query: update s set a=$1\nparams: Rina,0812")).toBe(
      "Failed query: update s set a=$1\nparams: [redacted]",
    );
    expect(scrubText("Key (phone)=(0812 3456) already exists.")).toBe(
      "Key (phone)=([redacted]) already exists.",
    );
    expect(scrubText("Failing row contains (1, Rina (x), 0812).")).toBe("Failing row contains ([redacted]).");
  });
});
