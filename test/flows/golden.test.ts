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
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { advance } from "../../src/engine/engine.js";
import type { FlowRegistry } from "../../src/engine/flow-schema.js";
import type { LocaleBundle } from "../../src/engine/locale.js";
import type { Lookups } from "../../src/engine/lookups.js";
import type { Session } from "../../src/engine/types.js";
import {
  DEFAULT_SETTINGS,
  duration,
  GOLDEN_DIR,
  type GoldenScenario,
  type GoldenTurn,
  goldenFiles,
  loadGoldenWorld,
} from "../support/golden.js";

const update = process.env.UPDATE_GOLDEN === "1";

function where(s: Session): string {
  return `${s.flowId}/${s.stepId}${s.status === "active" ? "" : ` (${s.status})`}`;
}

let registry: FlowRegistry;
let locales: LocaleBundle;
let lookups: Lookups;

beforeAll(async () => {
  ({ registry, locales, lookups } = await loadGoldenWorld());
});

const files = goldenFiles();

describe("golden transcripts", () => {
  it("has scenarios", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const path = join(GOLDEN_DIR, file);
    let scenario: GoldenScenario;
    try {
      scenario = parse(readFileSync(path, "utf8")) as GoldenScenario;
    } catch (e) {
      throw new Error(`${path}: ${(e as Error).message}`);
    }

    it(`${file}: ${scenario.description}`, () => {
      const settings = { ...DEFAULT_SETTINGS, ...scenario.settings };
      let clock = Date.parse(scenario.start);
      let session: Session | null = null;
      const actual: GoldenTurn[] = [];
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
        const got: GoldenTurn = { in: turn.in };
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
        const rewritten: GoldenScenario = {
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
