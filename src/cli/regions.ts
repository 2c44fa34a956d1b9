import type { Command } from "commander";
import { InputError } from "../errors.js";
import type { GpsLookup } from "../regions/gps.js";
import type { PlaceSearchResult } from "../regions/place-search.js";
import type { RegionLoader } from "./context.js";
import { jsonLines, output } from "./output.js";

/** The batch/JSON form of a text lookup: best regency's code and name (null when none), ambiguity, other candidates. */
export function placeResultJson(r: PlaceSearchResult) {
  const best = r.best;
  return {
    q: r.query,
    status: r.status,
    code: best ? (best.regencyCode ?? best.provinceCode) : null,
    name: best ? (best.regencyName ?? best.provinceName) : null,
    level: best ? (best.regencyCode ? "regency" : "province") : null,
    matched: best?.matchedName ?? null,
    score: best ? Number(best.score.toFixed(3)) : null,
    ambiguous: r.ambiguous,
    candidates: r.candidates.slice(best ? 1 : 0).map((c) => ({
      code: c.regencyCode ?? c.provinceCode,
      name: c.regencyName ?? c.provinceName,
      matched: c.matchedName,
      score: Number(c.score.toFixed(3)),
    })),
    suggestions: r.suggestions,
    ...(r.error ? { error: r.error } : {}),
    ...(r.outside ? { outside: r.outside } : {}),
  };
}

/** The batch/JSON form of a GPS lookup. */
export function gpsResultJson(lat: number, lon: number, r: GpsLookup) {
  const found = r.status === "inside" || r.status === "nearby";
  return {
    lat,
    lon,
    status: r.status,
    code: found ? r.regencyCode : null,
    name: found ? r.regencyName : null,
    distanceKm: found ? Number(r.distanceKm.toFixed(2)) : null,
    ambiguous: false,
    candidates: [],
    ...("reason" in r ? { error: r.reason } : {}),
  };
}

/** Parses a coordinate typed on the command line; throws {@link InputError} naming it. */
export function parseCoordinate(name: "lat" | "lon", value: unknown): number {
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(n))
    throw new InputError(name, `${name} must be a number, got ${JSON.stringify(value)}`);
  return n;
}

function describePlace(r: ReturnType<typeof placeResultJson>): string[] {
  if (r.status === "invalid") return [`invalid: ${r.error}`];
  if (!r.code) return [`no match for ${JSON.stringify(r.q)}`, `closest: ${r.suggestions.join(", ") || "-"}`];
  return [
    `${r.name} (${r.code})${r.ambiguous ? "  [ambiguous: ask the citizen to choose]" : ""}`,
    `  matched ${r.matched}, confidence ${r.score}`,
    ...r.candidates.map((c) => `  or ${c.name} (${c.code}) via ${c.matched}, ${c.score}`),
  ];
}

/** `regions find` and `regions locate`. */
export function registerRegionCommands(program: Command, regions: RegionLoader): void {
  const cmd = program.command("regions").description("look up regions by name or GPS point");
  cmd
    .command("find")
    .description('find the kabupaten/kota a typed place name means, e.g. regions find "kab solok"')
    .argument("[text...]", "place name as a citizen would type it")
    .option("--batch", 'read JSON lines {"q": "..."} from stdin, write one JSON line per input')
    .option("--json", "print JSON")
    .action(async (words: string[], o: { batch?: boolean; json?: boolean }) => {
      const { places } = await regions.places();
      if (o.batch) {
        const empty = { code: null, name: null, ambiguous: false, candidates: [] };
        return jsonLines((input) => {
          const q = (input as { q?: unknown })?.q;
          if (typeof q !== "string") throw new InputError("q", 'each line needs {"q": "<place text>"}');
          return placeResultJson(places.find(q));
        }, empty);
      }
      if (words.length === 0) throw new InputError("text", "give a place name, or use --batch");
      output(placeResultJson(places.find(words.join(" "))), o.json, describePlace);
    });
  cmd
    .command("locate")
    .description("find the kabupaten/kota a GPS point lies in, e.g. regions locate -5.1131 105.3067")
    .argument("[lat]", "latitude, e.g. -5.1131")
    .argument("[lon]", "longitude, e.g. 105.3067")
    .option("--batch", 'read JSON lines {"lat": .., "lon": ..} from stdin, write one JSON line per input')
    .option("--json", "print JSON")
    .action(
      async (lat: string | undefined, lon: string | undefined, o: { batch?: boolean; json?: boolean }) => {
        const gps = await regions.gps();
        if (o.batch) {
          const empty = { code: null, name: null, ambiguous: false, candidates: [] };
          return jsonLines((input) => {
            const p = input as { lat?: unknown; lon?: unknown };
            const la = parseCoordinate("lat", p?.lat);
            const lo = parseCoordinate("lon", p?.lon);
            return gpsResultJson(la, lo, gps.locate(la, lo));
          }, empty);
        }
        const la = parseCoordinate("lat", lat);
        const lo = parseCoordinate("lon", lon);
        output(gpsResultJson(la, lo, gps.locate(la, lo)), o.json, (r) =>
          r.code
            ? `${r.name} (${r.code})${r.status === "nearby" ? `, ${r.distanceKm} km off its coast/border` : ""}`
            : `${r.status}${r.error ? `: ${r.error}` : ""}`,
        );
      },
    );
}
