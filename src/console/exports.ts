import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import PDFDocument from "pdfkit";
import type { Evidence, Report, ReportIdentity } from "../db/schema/index.js";
import type { ConsoleLang, ConsoleTexts } from "./texts.js";

/** One report as a row of the console's exports (labels in the user's language, codes in their own columns). */
export interface ExportRecord {
  number: string;
  created_at: string;
  track: string;
  status: string;
  category: string;
  account: string;
  event_date: string | null;
  learned_date: string | null;
  region_code: string | null;
  region_name: string | null;
  accused_name: string | null;
  accused_position: string | null;
  agency: string | null;
  channel: string;
  office_code: string | null;
  evidence: number;
  status_code: string;
  category_code: string;
  track_code: string;
}

export const EXPORT_FIELDS = [
  "number",
  "created_at",
  "track",
  "status",
  "category",
  "account",
  "event_date",
  "learned_date",
  "region_code",
  "region_name",
  "accused_name",
  "accused_position",
  "agency",
  "channel",
  "office_code",
  "evidence",
] as const;
const CODE_FIELDS = ["status_code", "category_code", "track_code"] as const;

/**
 * A cell that a spreadsheet would read as a formula (starts with =, +, -, @, a tab or a carriage
 * return) gets a leading apostrophe, so an exported account like "=HYPERLINK(…)" stays text.
 */
export function neutralise(value: string | number | null): string | number | null {
  return typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function header(texts: ConsoleTexts, lang: ConsoleLang): string[] {
  return [...EXPORT_FIELDS.map((f) => texts(lang, `columns.${f}`)), ...CODE_FIELDS];
}

/** The rows as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheets read the accents). */
export function toCsv(rows: ExportRecord[], texts: ConsoleTexts, lang: ConsoleLang): string {
  const fields = [...EXPORT_FIELDS, ...CODE_FIELDS];
  return `\uFEFF${stringify([header(texts, lang), ...rows.map((r) => fields.map((f) => neutralise(r[f])))], { record_delimiter: "\r\n" })}`;
}

/** A small table (statistics) as CSV, neutralised the same way. */
export function tableCsv(head: string[], rows: (string | number | null)[][]): string {
  return `\uFEFF${stringify([head, ...rows.map((r) => r.map(neutralise))], { record_delimiter: "\r\n" })}`;
}

/** The rows as an XLSX workbook (one sheet, header row frozen and bold). */
export async function toXlsx(rows: ExportRecord[], texts: ConsoleTexts, lang: ConsoleLang): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "LaporNetral";
  const ws = wb.addWorksheet(texts(lang, "list.title"), { views: [{ state: "frozen", ySplit: 1 }] });
  const fields = [...EXPORT_FIELDS, ...CODE_FIELDS];
  ws.addRow(header(texts, lang)).font = { bold: true };
  for (const r of rows) ws.addRow(fields.map((f) => neutralise(r[f])));
  ws.columns.forEach((c, i) => {
    c.width = fields[i] === "account" ? 60 : 18;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Located reports as a GeoJSON FeatureCollection (no reporter data). */
export function toGeoJson(
  rows: {
    number: string;
    status: string;
    category: string;
    region_code: string | null;
    lat: number;
    lon: number;
    created_at: string;
  }[],
): string {
  return JSON.stringify({
    type: "FeatureCollection",
    features: rows.map(({ lat, lon, ...properties }) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates: [lon, lat] },
      properties,
    })),
  });
}

/** What the B.1 form is filled from. */
export interface B1Input {
  report: Report;
  identity: ReportIdentity | null;
  evidence: Evidence[];
  officeName: string;
  categoryLabel: string;
  asnLabel: string;
  formatDate: (d: string | null) => string;
  today: string;
  place: string;
}

/**
 * Formulir Model B.1 (laporan dugaan pelanggaran) as a PDF filled from a formal report, ready to
 * print and sign: the reporter, the accused, the event, witnesses, evidence (with SHA-256), and the
 * two signature blocks.
 */
export function b1Pdf(input: B1Input, texts: ConsoleTexts, lang: ConsoleLang): Promise<Buffer> {
  const { report: r, identity } = input;
  const tx = (k: string, v?: Record<string, string>) => texts(lang, k, v);
  const doc = new PDFDocument({ size: "A4", margin: 56, info: { Title: `${tx("b1.title")} ${r.number}` } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  const unknown = "-";
  doc.font("Helvetica-Bold").fontSize(14).text(tx("b1.title"), { align: "center" });
  doc.fontSize(12).text(tx("b1.subtitle"), { align: "center" });
  doc
    .font("Helvetica")
    .fontSize(10)
    .moveDown(0.5)
    .text(`${tx("report.number")}: ${r.number}`, { align: "center" });
  doc.moveDown().text(tx("b1.office", { office: input.officeName }));
  const section = (title: string) =>
    doc.moveDown(0.8).font("Helvetica-Bold").fontSize(11).text(title).font("Helvetica").fontSize(10);
  const field = (label: string, value: string | null | undefined) =>
    doc.text(`${label}: `, { continued: true }).text(value?.trim() ? value : unknown);
  section(tx("b1.reporter"));
  field(tx("report.name"), identity?.name);
  field(tx("report.address"), identity?.address);
  field(tx("report.phone"), identity?.phone);
  section(tx("b1.accused"));
  field(tx("report.name"), r.accusedName);
  field(tx("report.position"), r.accusedPosition);
  field(tx("report.agency"), r.agencyNormalized ?? r.agencyRaw);
  field(tx("report.asn_type"), input.asnLabel);
  section(tx("b1.event"));
  field(tx("report.category"), input.categoryLabel);
  field(tx("report.place"), input.place);
  field(tx("report.event_date"), input.formatDate(r.eventDate));
  field(tx("report.learned_date"), input.formatDate(r.learnedDate));
  doc
    .moveDown(0.3)
    .font("Helvetica-Bold")
    .text(`${tx("b1.account")}:`)
    .font("Helvetica")
    .text(r.account);
  section(tx("b1.witnesses"));
  if (!r.witnesses.length) doc.text(tx("report.no_witnesses"));
  for (const [i, w] of r.witnesses.entries()) doc.text(`${i + 1}. ${w.name}${w.phone ? `, ${w.phone}` : ""}`);
  section(tx("b1.evidence"));
  if (!input.evidence.length) doc.text(r.noEvidence ? tx("report.declared_none") : tx("report.no_evidence"));
  input.evidence.forEach((e, i) => {
    const what = e.kind === "link" ? (e.url ?? "") : `${e.kind} ${e.mime ?? ""}`.trim();
    doc.text(`${i + 1}. ${what}${e.caption ? ` (${e.caption})` : ""}`);
    if (e.sha256) doc.fontSize(8).text(`   SHA-256 ${e.sha256}`).fontSize(10);
  });
  doc.moveDown(1.5).text(tx("b1.place_date", { place: input.place, date: input.today }), { align: "right" });
  const y = doc.y + 10;
  doc.text(tx("b1.receiver"), 56, y).text(tx("b1.signature"), 350, y);
  doc
    .text("(________________________)", 56, y + 70)
    .text(`(${identity?.name ?? "________________________"})`, 350, y + 70);
  doc.end();
  return done;
}
