/**
 * Story mode with an LLM answer, through the host hook, as a unit: the real `enrich` hook
 * (src/ai/enrich.ts) asks the OpenAI-compatible stand-in, then the pure engine prefills from its
 * facts, which win over the offline reading field by field (a fact that does not fit its step,
 * like an unknown place, leaves the offline one).
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categoryList } from "../../src/ai/categories.js";
import { createStoryEnricher } from "../../src/ai/enrich.js";
import { StoryExtractor } from "../../src/ai/extract.js";
import { LlmClient } from "../../src/ai/llm.js";
import { loadLookups } from "../../src/ai/lookups.js";
import { loadPrompts } from "../../src/ai/prompts.js";
import { advance, type EngineContext } from "../../src/engine/engine.js";
import { type FlowRegistry, loadFlows } from "../../src/engine/flow-schema.js";
import { loadLocales } from "../../src/engine/locale.js";
import type { Inbound, Session } from "../../src/engine/types.js";
import { createLogger } from "../../src/log.js";
import { type OpenAiStub, startOpenAiStub } from "../support/openai-stub.js";

const repo = resolve(fileURLToPath(import.meta.url), "../../..");
const now = new Date("2024-11-20T10:00:00+07:00");
const STORY =
  "Pak Budi, Camat di Kota Metro, kemarin posting ajakan pilih paslon 2 di FB dan pakai mobil dinas ke acara kampanye.";

describe("story mode with an LLM answer via the enrich hook", () => {
  let stub: OpenAiStub;
  let registry: FlowRegistry;
  let ctx: EngineContext;
  let enrich: (s: Session | null, i: Inbound) => Promise<Inbound>;

  beforeAll(async () => {
    stub = await startOpenAiStub();
    registry = await loadFlows(join(repo, "flows"));
    const prompts = loadPrompts(join(repo, "flows/prompts"));
    const logger = createLogger({ level: "silent" });
    const llm = new LlmClient({ baseURL: stub.baseUrl, model: "stub-model", timeoutMs: 3000 }, logger);
    enrich = createStoryEnricher(
      registry,
      new StoryExtractor(llm, prompts.extract, categoryList(registry)),
      logger,
      () => now,
    );
    ctx = {
      now,
      lookups: await loadLookups(),
      locales: loadLocales(join(repo, "flows/locales")),
      settings: {
        sessionTtlMs: 72 * 3_600_000,
        resumeAfterMs: 2 * 3_600_000,
        dayCounting: "calendar",
        maxFileBytes: 20 << 20,
      },
    };
  });
  afterAll(() => stub.close());

  it("the model's facts win where they fit; the offline reading fills the rest", async () => {
    stub.answer(() => ({
      json: {
        category: "fasilitas_negara",
        place: "Atlantis",
        event_date: "2024-11-18",
        accused_name: "Budi Hartono",
        accused_position: null,
        agency: null,
        links: [],
      },
    }));
    const input = await enrich(null, { kind: "text", text: STORY });
    expect(input).toMatchObject({
      kind: "text",
      extracted: { category: "fasilitas_negara", place: "Atlantis" },
    });
    expect(stub.requests.at(-1)!.system).toContain("today is 2024-11-20");

    let r = advance(registry, null, input, ctx);
    expect(r.session.flowId).toBe("complaint");
    expect(r.session.prefill).toMatchObject({
      category: "fasilitas_negara", // the model's, not the offline "medsos_kampanye"
      event_date: "2024-11-18", // the model's, not the offline "kemarin" (2024-11-19)
      accused_name: "Budi Hartono",
      accused_position: "Camat", // offline: the model said nothing
      place: { regencyName: "Kota Metro" }, // offline: the model's "Atlantis" is no place
    });
    expect(r.session.prefill).toHaveProperty("account", STORY); // the story is the account
    r = advance(registry, r.session, { kind: "choice", value: "tip" }, ctx);
    expect(r.outputs[0]!.text).toContain("Menggunakan fasilitas negara");
    r = advance(registry, r.session, { kind: "choice", value: "yes" }, ctx);
    expect(r.session.answers.account).toBe(STORY);
    expect(r.session.stepId).toBe("event_date");
    expect(r.outputs[0]!.text).toContain("18 November 2024");
  });

  it("asks the model only for a story where story mode is on", async () => {
    const before = stub.requests.length;
    const waiting = advance(registry, null, { kind: "command", name: "lapor", args: "" }, ctx).session;
    const atAccount = advance(
      registry,
      advance(registry, waiting, { kind: "choice", value: "tip" }, ctx).session,
      { kind: "choice", value: "lainnya" },
      ctx,
    ).session;
    expect(atAccount.stepId).toBe("account");
    const same = await enrich(atAccount, { kind: "text", text: STORY });
    expect(same).not.toHaveProperty("extracted");
    expect(await enrich(null, { kind: "text", text: "halo" })).not.toHaveProperty("extracted");
    expect(stub.requests.length).toBe(before);
  });
});
