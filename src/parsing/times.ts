/**
 * Times of day as people in Indonesia read them: in the time zone of the place (WIB, UTC+7, for
 * Sumatra, Java, West and Central Kalimantan; WITA, UTC+8, for Bali, Nusa Tenggara, South, East and
 * North Kalimantan and Sulawesi; WIT, UTC+9, for Maluku and Papua), always with the zone named.
 * None of them has daylight saving time, so a fixed offset is exact.
 */
import { formatLocalDate, type LocalDate } from "./dates.js";

/** One of Indonesia's three time zones. */
export interface IndonesianZone {
  /** "WIB", "WITA" or "WIT". */
  name: "WIB" | "WITA" | "WIT";
  /** Hours ahead of UTC. */
  offsetHours: 7 | 8 | 9;
}

const WIB: IndonesianZone = { name: "WIB", offsetHours: 7 };
const WITA: IndonesianZone = { name: "WITA", offsetHours: 8 };
const WIT: IndonesianZone = { name: "WIT", offsetHours: 9 };

/** Province codes (Kemendagri) on WITA and WIT; every other province is on WIB. */
const WITA_PROVINCES = new Set(["51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"]);
const WIT_PROVINCES = new Set(["81", "82", "91", "92", "93", "94", "95", "96"]);

/**
 * The time zone of a region or office code ("18.72", "51", "73.71.01"); WIB for anything else
 * (Bawaslu RI, an unknown code, none).
 *
 * @example
 * zoneOf("51.71"); // { name: "WITA", offsetHours: 8 } (Kota Denpasar)
 * zoneOf("18.72"); // { name: "WIB", offsetHours: 7 }
 */
export function zoneOf(code: string | null | undefined): IndonesianZone {
  const province = /^(\d{2})(?:\.|$)/.exec(code ?? "")?.[1];
  if (province && WITA_PROVINCES.has(province)) return WITA;
  if (province && WIT_PROVINCES.has(province)) return WIT;
  return WIB;
}

/** The calendar date and "HH:MM" of an instant in a zone. */
function local(at: Date, zone: IndonesianZone): { date: LocalDate; time: string } {
  const shifted = new Date(at.getTime() + zone.offsetHours * 3_600_000);
  const iso = shifted.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/**
 * An instant for people, in the zone of `code`, with the zone named.
 *
 * @example
 * formatLocalTime(new Date("2026-12-03T17:51:00Z"), "18.72", "id"); // "Jumat, 4 Desember 2026 00:51 WIB"
 * formatLocalTime(new Date("2026-12-03T17:51:00Z"), "51.71", "id"); // "Jumat, 4 Desember 2026 01:51 WITA"
 */
export function formatLocalTime(at: Date, code: string | null | undefined, lang: "id" | "en"): string {
  const zone = zoneOf(code);
  const { date, time } = local(at, zone);
  return `${formatLocalDate(date, lang)} ${time} ${zone.name}`;
}

/**
 * A short form for lists: "4 Des 2026 00:51 WIB" is too long in a history line, so the date is
 * "04/12/2026" (day first, as Indonesians write it).
 *
 * @example formatShortTime(new Date("2026-12-03T17:51:00Z"), "18.72"); // "04/12/2026 00:51 WIB"
 */
export function formatShortTime(at: Date, code: string | null | undefined): string {
  const zone = zoneOf(code);
  const { date, time } = local(at, zone);
  const [y, m, d] = date.split("-");
  return `${d}/${m}/${y} ${time} ${zone.name}`;
}
