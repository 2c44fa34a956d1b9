import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { advance } from "../../src/engine/engine.js";
import { type FlowRegistry, loadFlows } from "../../src/engine/flow-schema.js";
import type { Inbound, Session, StepResult } from "../../src/engine/types.js";
import { fakeLookups, locales, settings } from "./fakes.js";

const repo = resolve(fileURLToPath(import.meta.url), "../../..");
let registry: FlowRegistry;
beforeAll(async () => {
  registry = await loadFlows(join(repo, "flows"));
});

/** A small seeded PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEXTS = [
  "halo",
  "ya",
  "tidak",
  "tidak tahu",
  "selesai",
  "kembali",
  "batal",
  "ulang",
  "bantuan",
  "bahasa",
  "english",
  "menu",
  "2",
  "99",
  "",
  "   ",
  "metro",
  "solok",
  "kemarin",
  "2024-11-01",
  "besok",
  "0812 3456 7890",
  "https://fb.com/x/1",
  "Pak camat memasang baliho calon di depan kantor kecamatan.",
  "/lapor",
  "/start",
  "lanjut",
  "kirim",
  "ubah",
  "💥🙂",
  "x".repeat(5000),
];

function randomInput(r: () => number, last: StepResult | undefined): Inbound {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const choices = last?.outputs.flatMap((o) => o.choices ?? []) ?? [];
  const roll = r();
  if (roll < 0.35 && choices.length > 0) return { kind: "choice", value: pick(choices).value };
  if (roll < 0.7) return { kind: "text", text: pick(TEXTS) };
  if (roll < 0.75) return { kind: "choice", value: pick(["yes", "no", "none", "done", "edit", "x"]) };
  if (roll < 0.8) return { kind: "location", lat: pick([-5.1, 1.35, 0, Number.NaN]), lon: 105.3 };
  if (roll < 0.86) {
    const sha = String(Math.floor(r() * 5));
    return {
      kind: "media",
      items: [{ ref: `r${sha}`, kind: "photo", mime: "image/jpeg", size: 10, sha256: sha }],
    };
  }
  if (roll < 0.9)
    return {
      kind: "media_rejected",
      reason: pick(["too_large", "unsupported_type", "download_failed"] as const),
    };
  if (roll < 0.94) return { kind: "unsupported", what: pick(["sticker", "voice", "poll", "dice"]) };
  return {
    kind: "command",
    name: pick(["start", "lapor", "batal", "bantuan", "bahasa", "kembali", "zzz"]),
    args: pick(["", "en", "id"]),
  };
}

describe("the engine on random input", () => {
  it("always answers, never throws, and keeps a valid JSON session", () => {
    for (let seed = 1; seed <= 150; seed++) {
      const r = rng(seed);
      let session: Session | null = null;
      let last: StepResult | undefined;
      let clock = Date.parse("2024-11-20T03:00:00Z");
      for (let turn = 0; turn < 60; turn++) {
        const input = randomInput(r, last);
        clock += r() < 0.05 ? 5 * 3_600_000 : r() < 0.02 ? 4 * 86_400_000 : 60_000;
        const where = `seed ${seed} turn ${turn} ${JSON.stringify(input).slice(0, 80)}`;
        last = advance(registry, session, input, {
          now: new Date(clock),
          lookups: fakeLookups,
          locales,
          settings,
        });
        session = last.session;
        expect(last.outputs.length, where).toBeGreaterThan(0);
        expect(
          last.outputs.every((o) => o.text.trim().length > 0 && !o.text.includes("[")),
          where,
        ).toBe(true);
        expect(registry.flows[session.flowId]?.steps[session.stepId], where).toBeDefined();
        expect(JSON.parse(JSON.stringify(session)), where).toEqual(session);
      }
    }
  });
});
