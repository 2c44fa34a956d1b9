/**
 * Everything the engine needs to know about the world, behind one interface so the engine stays a
 * pure function: place names, GPS points, dates, deadlines, phone numbers, links and agency names.
 *
 * The host builds the real one with {@link createLookups}; unit tests pass small fakes.
 */
import type { Lang } from "./types.js";

/** One place a typed name may mean (same shape as `src/regions/place-search.ts`). */
export interface PlaceCandidate {
  regencyCode: string | null;
  regencyName: string | null;
  provinceCode: string;
  provinceName: string;
  matchedLevel: string;
  matchedCode: string;
  matchedName: string;
  score: number;
}

/** The result of searching a typed place name (same shape as `src/regions/place-search.ts`). */
export interface PlaceSearchResult {
  query: string;
  status: "match" | "ambiguous" | "no_match" | "invalid";
  best: PlaceCandidate | null;
  candidates: PlaceCandidate[];
  ambiguous: boolean;
  suggestions: string[];
  error?: string;
}

/**
 * Where a GPS point lies. Like `GpsLocator.locate` of `src/regions/gps.ts`, with the province added
 * so a location answer can be stored without a second look-up.
 */
export type GpsLookup =
  | {
      status: "inside" | "nearby";
      regencyCode: string;
      regencyName: string;
      provinceCode: string;
      provinceName: string;
      distanceKm: number;
    }
  | { status: "outside" }
  | { status: "unavailable"; reason: string }
  | { status: "invalid"; reason: string };

/** A typed date, read in Asia/Jakarta time (same shape as `parseLocalDate` of `src/parsing/dates.ts`). */
export type DateParse =
  | { ok: true; date: string; approximate: boolean }
  | { ok: false; reason: "empty" | "unparseable" | "future" | "invalid_date" | "too_old" };

/** How days are counted for the 7-day rule (configurable per election). */
export type DayCounting = "calendar" | "working";

/** The 7-day rule applied to a learned date (same shape as `src/parsing/deadline.ts`). */
export interface DeadlineCheck {
  /** Last day a formal report is accepted, YYYY-MM-DD. */
  deadline: string;
  daysUsed: number;
  daysLeft: number;
  late: boolean;
}

/** A typed phone number (same shape as `src/parsing/phone.ts`). */
export type PhoneParse = { ok: true; e164: string; display: string } | { ok: false; reason: string };

/** A link found in a message (same shape as `src/parsing/links.ts`). */
export interface ExtractedLink {
  url: string;
  platform: string;
}

/** An agency name as typed and normalized (same shape as `src/parsing/agency.ts`). */
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
}
