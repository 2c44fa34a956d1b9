import { stringify } from "csv-stringify/sync";
import type { Evidence, Report, ReportIdentity } from "../db/schema/index.js";

/**
 * Reports as rows of the official form's fields, for the admin export and the officers' CSV.
 * CSV follows RFC 4180 and is safe to open in a spreadsheet (formulas neutralised).
 */

/** The columns of `reports export`, in order (the fields of Formulir Model B.1). */
export const EXPORT_COLUMNS = [
  "number",
  "created_at",
  "track",
  "status",
  "category",
  "account",
  "event_date",
  "learned_date",
  "deadline",
  "late",
  "place_source",
  "place_text",
  "lat",
  "lon",
  "region_code",
  "region_name",
  "accused_name",
  "accused_position",
  "agency_raw",
  "agency_normalized",
  "asn_type",
  "witnesses",
  "evidence_files",
  "evidence_links",
  "office_code",
  "channel",
] as const;
export const IDENTITY_COLUMNS = ["reporter_name", "reporter_address", "reporter_phone"] as const;

/** A value in an export row. */
export type Cell = string | number | boolean | null | string[];
/** One report as an export row, by column name. */
export type ExportRow = Record<string, Cell>;

function describeFile(e: Evidence): string {
  const name = e.fileName ?? e.storageKey ?? `${e.kind}#${e.id}`;
  return e.sha256 ? `${name} (sha256 ${e.sha256})` : name;
}

/** A report, its evidence and (only when asked for) its reporter's identity, as an export row. */
export function exportRow(r: Report, ev: Evidence[], identity: ReportIdentity | null | undefined): ExportRow {
  const row: ExportRow = {
    number: r.number,
    created_at: r.createdAt.toISOString(),
    track: r.track,
    status: r.status,
    category: r.category,
    account: r.account,
    event_date: r.eventDate,
    learned_date: r.learnedDate,
    deadline: r.deadline?.deadline ?? null,
    late: r.deadline ? r.deadline.late : null,
    place_source: r.placeSource,
    place_text: r.placeText,
    lat: r.lat,
    lon: r.lon,
    region_code: r.regionCode,
    region_name: r.regionName,
    accused_name: r.accusedName,
    accused_position: r.accusedPosition,
    agency_raw: r.agencyRaw,
    agency_normalized: r.agencyNormalized,
    asn_type: r.asnType,
    witnesses: r.witnesses.length,
    evidence_files: ev.filter((e) => e.kind !== "link").map(describeFile),
    evidence_links: ev.filter((e) => e.kind === "link" && e.url).map((e) => e.url!),
    office_code: r.officeCode,
    channel: r.channel,
  };
  if (identity !== undefined) {
    row.reporter_name = identity?.name ?? null;
    row.reporter_address = identity?.address ?? null;
    row.reporter_phone = identity?.phone ?? null;
  }
  return row;
}

/** A cell as csv-stringify gets it: lists joined, booleans as words, numbers kept as numbers. */
function plain(value: Cell): string | number | null {
  if (value === null || typeof value === "number") return value;
  if (Array.isArray(value)) return value.join("; ");
  return String(value);
}

/**
 * One CSV line (RFC 4180, CRLF-terminated) of the given cells, written by csv-stringify. A text
 * cell that a spreadsheet would run as a formula (beginning with `=`, `+`, `-`, `@`, a tab or a
 * carriage return, or their full-width forms) is neutralised with a leading `'`; numbers (a
 * negative latitude) are left as they are.
 */
export function csvLine(cells: Cell[]): string {
  // A lone carriage return or line feed is quoted too (csv-stringify quotes only the record delimiter).
  return stringify([cells.map(plain)], {
    escape_formulas: true,
    record_delimiter: "\r\n",
    quoted_match: /[\r\n]/,
    eof: true,
  });
}
