import type { Evidence, Report, ReportIdentity } from "../db/schema/index.js";

/**
 * Reports as rows of the official form's fields, for the admin export and the officers' CSV.
 * CSV follows RFC 4180.
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

/** One CSV field per RFC 4180: quoted when it holds a comma, a quote or a line break. */
export function csvField(value: Cell): string {
  const s =
    value === null
      ? ""
      : Array.isArray(value)
        ? value.join("; ")
        : typeof value === "string"
          ? value
          : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (CRLF-terminated) of the given cells. */
export function csvLine(cells: Cell[]): string {
  return `${cells.map(csvField).join(",")}\r\n`;
}
