/**
 * Everything the engine needs to know about the world, behind one interface so the engine stays a
 * pure function: place names, GPS points, dates, deadlines, phone numbers, links and agency names.
 *
 * The host builds the real one with {@link createLookups} (or {@link loadLookups}); unit tests pass
 * small fakes.
 */

import type { DateParse } from "../parsing/dates.js";
import type { DayCounting, DeadlineCheck } from "../parsing/deadline.js";
import type { PhoneParse } from "../parsing/phone.js";
import type { GpsLookup as RegionsGpsLookup } from "../regions/gps.js";
import type { PlaceSearchResult } from "../regions/place-search.js";
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
/** What a message is, read before the flow decides: a rules question, a whole story, or neither. */
export type TextIntent = { kind: "question"; question: string } | { kind: "story" } | { kind: "other" };

/**
 * What the engine needs from outside, declared here and filled in by the host
 * (`src/ai/lookups.ts` builds the real one).
 */
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
