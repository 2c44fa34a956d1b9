/**
 * Golden transcripts of the flows (goflow style): each `test/flows/golden/*.yaml` is one
 * conversation, replayed turn by turn through the real engine, the real flow files and the real
 * lookups (region catalog, place search, GPS boundaries from ../shared/regions, parsers).
 *
 * A scenario file:
 * ```yaml
 * description: what the conversation shows
 * start: "2024-11-20T10:00:00+07:00"   # the fake clock; each turn adds one minute
 * settings: { dayCounting: working }   # optional overrides of the engine settings
 * turns:
 *   - in: { kind: text, text: halo }   # the Inbound
 *     advance: 5h                      # optional: time passing before this turn (m, h, d)
 *     out: [...]                       # expected outputs
 *     at: complaint/category           # expected flow/step after the turn (" (done)" when ended)
 *     effects: [...]                   # expected effects other than log lines (omitted when none)
 * ```
 *
 * To write a new scenario, give only the `in` (and `advance`) of each turn, then run
 *
 *     UPDATE_GOLDEN=1 npx vitest run test/flows/golden.test.ts
 *
 * which replays every file and rewrites its `out`, `at` and `effects` from what the engine now
 * does. Read the diff before committing: it is the review of the change in the conversation.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { advance, type EngineContext } from "../../src/engine/engine.js";
import { type FlowRegistry, loadFlows } from "../../src/engine/flow-schema.js";
import { type LocaleBundle, loadLocales } from "../../src/engine/locale.js";
import { type Lookups, loadLookups } from "../../src/engine/lookups.js";
import type { Effect, Inbound, Output, Session } from "../../src/engine/types.js";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const goldenDir = join(here, "golden");
const update = process.env.UPDATE_GOLDEN === "1";

interface Turn {
  in: Inbound;
  advance?: string;
  out?: Output[];
  at?: string;
  effects?: Effect[];
}

interface Scenario {
  description: string;
  start: string;
  settings?: Partial<EngineContext["settings"]>;
  turns: Turn[];
}

const DEFAULT_SETTINGS: EngineContext["settings"] = {
  sessionTtlMs: 72 * 3_600_000,
  resumeAfterMs: 2 * 3_600_000,
  dayCounting: "calendar",
  maxFileBytes: 20 * 1024 * 1024,
};

/** "90m", "5h", "4d" → milliseconds. */
function duration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(m|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`bad duration "${text}" (use e.g. 90m, 5h, 4d)`);
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "m" | "h" | "d"];
}

function where(s: Session): string {
  return `${s.flowId}/${s.stepId}${s.status === "active" ? "" : ` (${s.status})`}`;
}

let registry: FlowRegistry;
let locales: LocaleBundle;
let lookups: Lookups;

beforeAll(async () => {
  registry = await loadFlows(join(repo, "flows"));
  locales = loadLocales(join(repo, "flows", "locales"));
  lookups = await loadLookups({ boundariesPath: resolve(repo, "../shared/regions/kab_kota.topojson") });
});

const files = readdirSync(goldenDir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

describe("golden transcripts", () => {
  it("has scenarios", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const path = join(goldenDir, file);
    let scenario: Scenario;
    try {
      scenario = parse(readFileSync(path, "utf8")) as Scenario;
    } catch (e) {
      throw new Error(`${path}: ${(e as Error).message}`);
    }

    it(`${file}: ${scenario.description}`, () => {
      const settings = { ...DEFAULT_SETTINGS, ...scenario.settings };
      let clock = Date.parse(scenario.start);
      let session: Session | null = null;
      const actual: Turn[] = [];
      for (const [i, turn] of scenario.turns.entries()) {
        clock += 60_000 + (turn.advance ? duration(turn.advance) : 0);
        const result = advance(registry, session, turn.in, {
          now: new Date(clock),
          lookups,
          locales,
          settings,
        });
        // The session must survive a trip through jsonb, and every message gets an answer.
        expect(JSON.parse(JSON.stringify(result.session)), `${file} turn ${i + 1}: session is JSON`).toEqual(
          result.session,
        );
        expect(result.outputs.length, `${file} turn ${i + 1}: a reply`).toBeGreaterThan(0);
        session = result.session;
        const effects = result.effects.filter((e) => e.kind !== "log");
        const got: Turn = { in: turn.in };
        if (turn.advance) got.advance = turn.advance;
        got.out = JSON.parse(JSON.stringify(result.outputs));
        got.at = where(result.session);
        if (effects.length > 0) got.effects = JSON.parse(JSON.stringify(effects));
        actual.push(got);
        if (!update) {
          const label = `${file} turn ${i + 1} (${JSON.stringify(turn.in)})`;
          expect(got.out, `${label}: outputs`).toEqual(turn.out);
          expect(got.at, `${label}: step`).toEqual(turn.at);
          expect(got.effects ?? [], `${label}: effects`).toEqual(turn.effects ?? []);
        }
      }
      if (update) {
        const rewritten: Scenario = {
          description: scenario.description,
          start: scenario.start,
          turns: actual,
        };
        if (scenario.settings) rewritten.settings = scenario.settings;
        writeFileSync(path, stringify(rewritten, { lineWidth: 0, blockQuote: "literal" }));
      }
    });
  }
});
