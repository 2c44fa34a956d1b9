/**
 * The engine's lookups as the program fills them in: region catalog, place search, GPS boundaries,
 * the parsers of `src/parsing/` and the offline story and intent readers.
 */

import type { Lookups } from "../engine/lookups.js";
import { normalizeAgency } from "../parsing/agency.js";
import { formatLocalDate, jakartaToday, parseLocalDate } from "../parsing/dates.js";
import { checkReportingDeadline } from "../parsing/deadline.js";
import { extractLinks } from "../parsing/links.js";
import { normalizePhone } from "../parsing/phone.js";
import { loadRegionCatalog, type RegionCatalog } from "../regions/catalog.js";
import { GpsLocator } from "../regions/gps.js";
import { PlaceSearch } from "../regions/place-search.js";
import { readIntent } from "./intent.js";
import { readStoryOffline } from "./story.js";

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
