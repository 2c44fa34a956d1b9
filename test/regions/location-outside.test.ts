/**
 * The location question with the real place search: a typed foreign place gets the "outside
 * Indonesia" message and the question again (nothing is stored), a chat abbreviation is confirmed,
 * an ambiguous short name is offered as a choice.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadLookups } from "../../src/ai/lookups.js";
import type { Lookups } from "../../src/engine/lookups.js";
import { Conversation, registryOf, tx } from "../engine/fakes.js";

const registry = registryOf({
  id: "t",
  main: true,
  start: "s",
  steps: {
    s: { type: "location", store: "v", text: tx("Di mana kejadiannya?") },
    end: { type: "end", status: "done", text: tx("Selesai.") },
  },
});

let lookups: Lookups;

beforeAll(async () => {
  lookups = await loadLookups();
});

describe("location step with the real place search", () => {
  it("a foreign place is answered as outside Indonesia and asked again", () => {
    const c = new Conversation(registry, undefined, lookups);
    c.send("halo");
    const r = c.send("Johor Bahru, Malaysia");
    expect(r.outputs[0]?.text).toMatch(/di luar Indonesia/);
    expect(c.session?.answers.v).toBeUndefined();
    expect(c.session?.stepId).toBe("s");
  });

  it("a chat abbreviation is confirmed, an ambiguous short name offered as a choice", () => {
    const c = new Conversation(registry, undefined, lookups);
    c.send("halo");
    expect(c.send("lamteng").outputs[0]?.text).toContain("Kabupaten Lampung Tengah");
    const d = new Conversation(registry, undefined, lookups);
    d.send("halo");
    const labels = d.send("bekasi").outputs[0]?.choices?.map((x) => x.label) ?? [];
    expect(labels.some((l) => l.startsWith("Kabupaten Bekasi"))).toBe(true);
    expect(labels.some((l) => l.startsWith("Kota Bekasi"))).toBe(true);
  });
});
