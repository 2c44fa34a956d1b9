/**
 * Story mode when the offline classifier is unsure: the category question offers the two or three
 * categories it hesitates between as buttons (best first) plus "none of these", instead of one
 * guess; a button answers the step, "none of these" shows the full list.
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { classifyStory } from "../../src/ai/classifier.js";
import { loadLookups } from "../../src/ai/lookups.js";
import { advance, type EngineContext } from "../../src/engine/engine.js";
import { type FlowRegistry, loadFlows } from "../../src/engine/flow-schema.js";
import { loadLocales } from "../../src/engine/locale.js";
import type { Inbound, Output, Session } from "../../src/engine/types.js";

const repo = resolve(fileURLToPath(import.meta.url), "../../..");
const now = new Date("2024-11-20T10:00:00+07:00");
const STORY = "camat pakai mobil dinas ke acara deklarasi calon bupati kemarin";

let registry: FlowRegistry;
let ctx: EngineContext;

beforeAll(async () => {
  registry = await loadFlows(join(repo, "flows"));
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

/** Answers the conversation until the category step asks; returns the session and that question. */
function untilCategory(): { session: Session; ask: Output } {
  let r = advance(registry, null, { kind: "text", text: STORY }, ctx);
  for (let i = 0; i < 10; i++) {
    if (r.session.stepId === "category") return { session: r.session, ask: r.outputs.at(-1)! };
    const last = r.outputs.at(-1);
    const choice = last?.choices?.[0];
    const input: Inbound = choice ? { kind: "choice", value: choice.value } : { kind: "text", text: "ya" };
    r = advance(registry, r.session, input, ctx);
  }
  throw new Error("the category step was never asked");
}

describe("story mode, unsure category", () => {
  it("the classifier hesitates on this story", () => {
    const c = classifyStory(STORY);
    expect(c.alternatives.length).toBeGreaterThanOrEqual(2);
  });

  it("offers the categories it hesitates between as buttons, and a button answers the step", () => {
    const { session, ask } = untilCategory();
    const alternatives = classifyStory(STORY).alternatives.map((a) => a.category);
    const values = ask.choices!.map((c) => c.value);
    expect(values.slice(0, -1).sort()).toEqual([...alternatives].sort());
    expect(ask.choices!.at(-1)!.label).toBe("Bukan salah satunya, tampilkan semua pilihan");
    expect(ask.text).toContain("belum yakin");
    // The labels are the flow's own labels, not ids.
    expect(ask.choices!.map((c) => c.label)).not.toContain(alternatives[0]);
    const r = advance(registry, session, { kind: "choice", value: alternatives[1]! }, ctx);
    expect(r.session.answers.category).toBe(alternatives[1]);
    expect(r.session.stepId).not.toBe("category");
  });

  it("'none of these' asks the full category question", () => {
    const { session, ask } = untilCategory();
    const none = ask.choices!.at(-1)!.value;
    const r = advance(registry, session, { kind: "choice", value: none }, ctx);
    expect(r.session.stepId).toBe("category");
    expect(r.session.answers.category).toBeUndefined();
    expect(r.outputs.at(-1)!.choices!.length).toBe(14);
  });
});
