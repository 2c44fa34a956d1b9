/**
 * Everything the engine needs to know about the world, behind one interface so the engine stays a
 * pure function: place names, GPS points, dates, deadlines, phone numbers, links and agency names.
 *
 * The host builds the real one with {@link createLookups} (or {@link loadLookups}); unit tests pass
 * small fakes.
 */

import type { TextIntent } from "../ai/intent.js";
import { readIntent } from "../ai/intent.js";
import { readStoryOffline } from "../ai/story.js";
import { normalizeAgency } from "../parsing/agency.js";
import type { DateParse } from "../parsing/dates.js";
import { formatLocalDate, jakartaToday, parseLocalDate } from "../parsing/dates.js";
import type { DayCounting, DeadlineCheck } from "../parsing/deadline.js";
import { checkReportingDeadline } from "../parsing/deadline.js";
import { extractLinks } from "../parsing/links.js";
import type { PhoneParse } from "../parsing/phone.js";
import { normalizePhone } from "../parsing/phone.js";
import { loadRegionCatalog, type RegionCatalog } from "../regions/catalog.js";
import type { GpsLookup as RegionsGpsLookup } from "../regions/gps.js";
import { GpsLocator } from "../regions/gps.js";
import type { PlaceSearchResult } from "../regions/place-search.js";
import { PlaceSearch } from "../regions/place-search.js";
import type { Lang, StoryFacts } from "./types.js";

/** A typed date (from `src/parsing/dates.ts`). */
export type { DateParse } from "../parsing/dates.js";
/** Calendar or working days, and the 7-day rule's verdict (from `src/parsing/deadline.ts`). */
export type { DayCounting, DeadlineCheck } from "../parsing/deadline.js";
/** A typed phone number (from `src/parsing/phone.ts`). */
export type { PhoneParse } from "../parsing/phone.js";
/** One place a typed name may mean (from `src/regions/place-search.ts`). */
export type { PlaceCandidate, PlaceSearchResult } from "../regions/place-search.js";

/**
 * Where a GPS point lies. Like `GpsLocator.locate` of `src/regions/gps.ts`, with the province added
 * so a location answer can be stored without a second look-up.
 */
export type GpsLookup =
  | (Extract<RegionsGpsLookup, { status: "inside" | "nearby" }> & {
      provinceCode: string;
      provinceName: string;
    })
  | Exclude<RegionsGpsLookup, { status: "inside" | "nearby" }>;

/** A link found in a message (same shape as `FoundLink` of `src/parsing/links.ts`). */
export interface ExtractedLink {
  url: string;
  platform: string;
}

/** An agency name as typed and normalized (same shape as `Agency` of `src/parsing/agency.ts`). */
export interface AgencyNormalized {
  raw: string;
  normalized: string;
  kind: string;
}

/** The engine's window on the world. Every method is synchronous and free of side effects. */
export interface Lookups {
  /** Searches a typed kabupaten/kota/kecamatan/desa name. */
  findPlace(text: string): PlaceSearchResult;
  /** The regency a GPS point lies in. */
  locate(lat: number, lon: number): GpsLookup;
  /** Reads a typed date ("kemarin", "12/10", "12 Oktober 2024") relative to `now`. */
  parseDate(text: string, now: Date): DateParse;
  /** Today's date in Asia/Jakarta, YYYY-MM-DD. */
  today(now: Date): string;
  /** A date for people: "12 Oktober 2024" / "12 October 2024". */
  formatDate(date: string, lang: Lang): string;
  /** The 7-day rule for a formal report, counted from the day the reporter learned of the event. */
  checkReportingDeadline(learned: string, today: string, counting: DayCounting): DeadlineCheck;
  /** Reads an Indonesian phone number. */
  normalizePhone(text: string): PhoneParse;
  /** Every link in a text, with the platform it points to. */
  extractLinks(text: string): ExtractedLink[];
  /** Normalizes an agency name ("dinas pendidikan kota metro" → "Dinas Pendidikan Kota Metro"). */
  normalizeAgency(text: string): AgencyNormalized;
  /**
   * Story mode: facts read offline from a citizen's story (category, place, date, accused, agency,
   * links), raw, checked by the engine. Absent: no story mode facts beyond the account.
   */
  readStory?(text: string, now: Date): StoryFacts;
  /** Whether a free text is a question about the rules, a story, or neither. Absent: neither. */
  readIntent?(text: string): TextIntent;
}

/** What {@link createLookups} wires together. Build each once at start-up. */
export interface LookupDeps {
  catalog: RegionCatalog;
  places: PlaceSearch;
  gps: GpsLocator;
  /** Public holidays (YYYY-MM-DD) skipped when the 7-day rule counts working days. */
  holidays?: ReadonlySet<string>;
}

/**
 * The real lookups: region catalog, place search, GPS boundaries and the parsers of `src/parsing/`.
 *
 * @example
 * const catalog = await loadRegionCatalog();
 * const lookups = createLookups({ catalog, places: PlaceSearch.build(catalog), gps: await GpsLocator.load(path) });
 */
export function createLookups(deps: LookupDeps): Lookups {
  const { catalog, places, gps } = deps;
  return {
    findPlace: (text) => places.find(text),
    locate(lat, lon) {
      const r = gps.locate(lat, lon);
      if (r.status !== "inside" && r.status !== "nearby") return r;
      const province = catalog.provinceOf(r.regencyCode);
      if (!province) return { status: "unavailable", reason: `no province for regency ${r.regencyCode}` };
      return { ...r, provinceCode: province.code, provinceName: province.name };
    },
    parseDate: (text, now) => parseLocalDate(text, now),
    today: (now) => jakartaToday(now),
    formatDate: (date, lang) => formatLocalDate(date, lang),
    checkReportingDeadline: (learned, today, counting) =>
      checkReportingDeadline(
        learned,
        today,
        counting,
        deps.holidays ? { holidays: deps.holidays } : undefined,
      ),
    normalizePhone: (text) => normalizePhone(text),
    extractLinks: (text) => extractLinks(text),
    normalizeAgency: (text) => normalizeAgency(text),
    readStory: (text) => readStoryOffline(text),
    readIntent: (text) => readIntent(text),
  };
}

/**
 * Loads the region catalog, builds the place search, reads the GPS boundaries (or marks GPS
 * unavailable when `boundariesPath` is not given) and returns {@link createLookups} of them.
 *
 * @example const lookups = await loadLookups({ boundariesPath: "../shared/regions/kab_kota.topojson" });
 */
export async function loadLookups(
  options: { boundariesPath?: string; holidays?: ReadonlySet<string> } = {},
): Promise<Lookups> {
  const catalog = await loadRegionCatalog();
  const places = PlaceSearch.build(catalog);
  const gps = options.boundariesPath
    ? await GpsLocator.load(options.boundariesPath)
    : GpsLocator.unavailable("no boundary file configured");
  return createLookups({ catalog, places, gps, ...(options.holidays ? { holidays: options.holidays } : {}) });
}
