/**
 * What every golden-transcript test shares (test/flows/golden*.test.ts): the scenario files in
 * `test/flows/golden/`, their shape, the engine settings they run with, and the real flows,
 * locales and lookups they are replayed through. See test/flows/golden.test.ts for the format.
 */
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadLookups } from "../../src/ai/lookups.js";
import { boundariesFile } from "../../src/config.js";
import type { EngineContext } from "../../src/engine/engine.js";
import { type FlowRegistry, loadFlows } from "../../src/engine/flow-schema.js";
import { type LocaleBundle, loadLocales } from "../../src/engine/locale.js";
import type { Lookups } from "../../src/engine/lookups.js";
import type { Effect, Inbound, Output } from "../../src/engine/types.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The folder of the scenario files. */
export const GOLDEN_DIR = join(repo, "test/flows/golden");

/** One turn of a scenario: the input, time passing before it, and what the engine must answer. */
export interface GoldenTurn {
  in: Inbound;
  advance?: string;
  out?: Output[];
  at?: string;
  effects?: Effect[];
}

/** One scenario file. */
export interface GoldenScenario {
  description: string;
  start: string;
  settings?: Partial<EngineContext["settings"]>;
  turns: GoldenTurn[];
}

/** The engine settings a scenario runs with unless it overrides some. */
export const DEFAULT_SETTINGS: EngineContext["settings"] = {
  sessionTtlMs: 72 * 3_600_000,
  resumeAfterMs: 2 * 3_600_000,
  dayCounting: "calendar",
  maxFileBytes: 20 * 1024 * 1024,
};

/** "90m", "5h", "4d" → milliseconds. */
export function duration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(m|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`bad duration "${text}" (use e.g. 90m, 5h, 4d)`);
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "m" | "h" | "d"];
}

/** The scenario file names, sorted. */
export function goldenFiles(): string[] {
  return readdirSync(GOLDEN_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
}

/** The real flows, locales and lookups (regions, GPS boundaries from ../shared/regions, parsers). */
export async function loadGoldenWorld(): Promise<{
  registry: FlowRegistry;
  locales: LocaleBundle;
  lookups: Lookups;
}> {
  const [registry, lookups] = await Promise.all([
    loadFlows(join(repo, "flows")),
    loadLookups({ boundariesPath: boundariesFile() }),
  ]);
  return { registry, locales: loadLocales(join(repo, "flows", "locales")), lookups };
}
