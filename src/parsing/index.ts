/**
 * Parsing of what citizens type: dates, the reporting deadline, phone numbers, links and agency names.
 * All functions are pure.
 *
 * @example
 * import { parseLocalDate, normalizePhone } from "./parsing/index.js";
 * parseLocalDate("kemarin", new Date("2024-11-20T03:00:00Z")); // { ok: true, date: "2024-11-19", approximate: false }
 * normalizePhone("0812 3456 7890"); // { ok: true, e164: "+6281234567890", display: "0812-3456-7890" }
 */

export {
  AGENCY_ABBREVIATIONS,
  type Agency,
  type AgencyAbbreviation,
  type AgencyKind,
  normalizeAgency,
} from "./agency.js";
export {
  addDays,
  type DateParse,
  daysBetween,
  formatLocalDate,
  jakartaToday,
  type LocalDate,
  parseLocalDate,
  weekday,
} from "./dates.js";
export { checkReportingDeadline, type DayCounting, type DeadlineCheck } from "./deadline.js";
export {
  extractLinks,
  type FoundLink,
  isOnlyLinks,
  type LinkPlatform,
  PLATFORM_DOMAINS,
  platformOf,
} from "./links.js";
export { maskPhone, normalizePhone, type PhoneParse } from "./phone.js";
export { formatLocalTime, formatShortTime, type IndonesianZone, zoneOf } from "./times.js";
