/**
 * Small fakes for the engine's unit tests: lookups that know three places and read ISO dates,
 * default settings, and a helper to run a conversation.
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { advance, type EngineContext } from "../../src/engine/engine.js";
import { type Flow, type FlowRegistry, FlowSchema } from "../../src/engine/flow-schema.js";
import { loadLocales } from "../../src/engine/locale.js";
import type { Lookups, PlaceCandidate } from "../../src/engine/lookups.js";
import type { Inbound, Output, Session, StepResult } from "../../src/engine/types.js";

const repo = resolve(fileURLToPath(import.meta.url), "../../..");

/** The real shared texts (they are data, and the tests read their keys). */
export const locales = loadLocales(join(repo, "flows", "locales"));

const metro: PlaceCandidate = {
  regencyCode: "18.72",
  regencyName: "Kota Metro",
  provinceCode: "18",
  provinceName: "Lampung",
  matchedLevel: "regency",
  matchedCode: "18.72",
  matchedName: "Kota Metro",
  score: 1,
};
const kabSolok: PlaceCandidate = {
  ...metro,
  regencyCode: "13.02",
  regencyName: "Kabupaten Solok",
  provinceCode: "13",
  provinceName: "Sumatera Barat",
  matchedCode: "13.02",
  matchedName: "Kabupaten Solok",
};
const kotaSolok: PlaceCandidate = {
  ...kabSolok,
  regencyCode: "13.72",
  regencyName: "Kota Solok",
  matchedCode: "13.72",
  matchedName: "Kota Solok",
};

/** Lookups that know "metro" (match), "solok" (ambiguous), GPS near Metro, and ISO dates. */
export const fakeLookups: Lookups = {
  findPlace(text) {
    const q = text.trim().toLowerCase();
    const base = { query: text, ambiguous: false, suggestions: [] as string[] };
    if (q === "") return { ...base, status: "invalid", best: null, candidates: [], error: "empty" };
    if (q.includes("metro")) return { ...base, status: "match", best: metro, candidates: [metro] };
    if (q === "solok")
      return {
        ...base,
        status: "ambiguous",
        ambiguous: true,
        best: kabSolok,
        candidates: [kabSolok, kotaSolok],
      };
    if (q === "kota solok") return { ...base, status: "match", best: kotaSolok, candidates: [kotaSolok] };
    return {
      ...base,
      status: "no_match",
      best: null,
      candidates: [],
      suggestions: q.startsWith("met") ? ["Kota Metro"] : [],
    };
  },
  locate(lat, lon) {
    // Like the real locator: a point that is not on Earth is invalid.
    if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) return { status: "invalid", reason: "out of range" };
    if (lat === 0 && lon === 0) return { status: "unavailable", reason: "no boundaries" };
    if (lat > 1) return { status: "outside" };
    return {
      status: "inside",
      regencyCode: "18.72",
      regencyName: "Kota Metro",
      provinceCode: "18",
      provinceName: "Lampung",
      distanceKm: 0,
    };
  },
  parseDate(text, now) {
    const t = text.trim().toLowerCase();
    const today = now.toISOString().slice(0, 10);
    if (t === "") return { ok: false, reason: "empty" };
    if (t === "hari ini") return { ok: true, date: today, approximate: false };
    if (t === "kemarin")
      return {
        ok: true,
        date: new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10),
        approximate: false,
      };
    if (t === "besok") return { ok: false, reason: "future" };
    if (t === "31/02") return { ok: false, reason: "invalid_date" };
    if (/^\d{4}-\d{2}-\d{2}$/.test(t))
      return t > today ? { ok: false, reason: "future" } : { ok: true, date: t, approximate: false };
    return { ok: false, reason: "unparseable" };
  },
  today: (now) => now.toISOString().slice(0, 10),
  formatDate: (date) => date,
  checkReportingDeadline(learned, today) {
    const days = Math.round((Date.parse(today) - Date.parse(learned)) / 86_400_000);
    const deadline = new Date(Date.parse(learned) + 7 * 86_400_000).toISOString().slice(0, 10);
    return { deadline, daysUsed: days, daysLeft: Math.max(0, 7 - days), late: days > 7 };
  },
  normalizePhone(text) {
    const digits = text.replace(/\D/g, "");
    return digits.startsWith("08") && digits.length >= 10
      ? { ok: true, e164: `+62${digits.slice(1)}`, display: digits }
      : { ok: false, reason: "invalid" };
  },
  extractLinks: (text) =>
    [...text.matchAll(/https?:\/\/\S+/g)].map((m) => ({ url: m[0], platform: "other" })),
  normalizeAgency: (text) => ({ raw: text.trim(), normalized: text.trim().toUpperCase(), kind: "other" }),
};

/** Engine settings of the tests: 72 h expiry, resume question after 2 h. */
export const settings: EngineContext["settings"] = {
  sessionTtlMs: 72 * 3_600_000,
  resumeAfterMs: 2 * 3_600_000,
  dayCounting: "calendar",
  maxFileBytes: 20 * 1024 * 1024,
};

/** A registry from flow objects (validated like files); the first flow is the main one. */
export function registryOf(...flows: unknown[]): FlowRegistry {
  const parsed: Record<string, Flow> = {};
  for (const f of flows) {
    const flow = FlowSchema.parse(f);
    parsed[flow.id] = flow;
  }
  return { flows: parsed, mainFlowId: Object.keys(parsed)[0]! };
}

/** A text in both languages (the tests read the Indonesian one). */
export function tx(id: string, en = `${id} (en)`): { id: string; en: string } {
  return { id, en };
}

/** Runs inputs one after another, one minute apart, returning every result. */
export class Conversation {
  session: Session | null = null;
  clock: number;
  constructor(
    readonly registry: FlowRegistry,
    start = "2024-11-20T03:00:00Z",
    readonly lookups: Lookups = fakeLookups,
  ) {
    this.clock = Date.parse(start);
  }

  send(input: Inbound | string, afterMs = 60_000): StepResult {
    this.clock += afterMs;
    const inbound: Inbound = typeof input === "string" ? { kind: "text", text: input } : input;
    const r = advance(this.registry, this.session, inbound, {
      now: new Date(this.clock),
      lookups: this.lookups,
      locales,
      settings,
    });
    this.session = r.session;
    return r;
  }

  /** The texts of a result's outputs. */
  static texts(r: StepResult): string[] {
    return r.outputs.map((o: Output) => o.text);
  }
}
