import { open } from "node:fs/promises";
import type { Command } from "commander";
import { and, asc, desc, eq, gt, gte, inArray, type SQL, sql } from "drizzle-orm";
import { recordAudit } from "../audit.js";
import type { Database } from "../db/client.js";
import {
  type Evidence,
  evidence,
  outbox,
  REPORT_STATUSES,
  type Report,
  type ReportIdentity,
  type ReportStatus,
  reportEvents,
  reportIdentities,
  reports,
} from "../db/schema/index.js";
import { InputError, NotFoundError } from "../errors.js";
import { parseTrackingNumber } from "../parsing/tracking-number.js";
import { csvLine, EXPORT_COLUMNS, exportRow, IDENTITY_COLUMNS } from "../reports/export.js";
import type { AdminServices } from "./context.js";
import { output, table, write } from "./output.js";

const ACTOR = "admin-cli";
/** Reports read per query by `reports export`, so a large export never sits in memory at once. */
const EXPORT_BATCH = 500;
const IDENTITY_NOTE =
  "identity is sensitive personal data (UU 27/2022): shown only with --with-identity, and every view is written to the audit log";

// ---------------------------------------------------------------------------------------------
// Shared helpers (also used by deliveries.ts)
// ---------------------------------------------------------------------------------------------

/** A positive whole number given on the command line. */
export function positiveInt(field: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0)
    throw new InputError(field, `${field} must be a positive whole number, got ${JSON.stringify(value)}`);
  return n;
}

const JAKARTA = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Asia/Jakarta",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/** "2024-11-20 19:30" in Asia/Jakarta (WIB). */
export function jakartaTime(d: Date | null | undefined): string {
  return d ? JAKARTA.format(d) : "";
}

/** The start (00:00 WIB) of a "YYYY-MM-DD" date; InputError when it is not a real date. */
export function parseSince(value: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const d = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00+07:00`) : undefined;
  const real =
    m &&
    d &&
    !Number.isNaN(d.getTime()) &&
    new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`).getUTCDate() === +m[3]!;
  if (!real) throw new InputError("since", `--since must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return d!;
}

function statusOf(value: string): ReportStatus {
  if (!(REPORT_STATUSES as readonly string[]).includes(value))
    throw new InputError(
      "status",
      `unknown status ${JSON.stringify(value)}; status must be one of ${REPORT_STATUSES.join(", ")}`,
    );
  return value as ReportStatus;
}

async function officeFilter(s: AdminServices, office: string | undefined): Promise<string | undefined> {
  return office === undefined ? undefined : (await s.directory.resolve(office)).code;
}

async function findReport(db: Database, text: string): Promise<Report> {
  const number = parseTrackingNumber(text);
  if (!number) throw new NotFoundError("report", text);
  const [r] = await db.select().from(reports).where(eq(reports.number, number));
  if (!r) throw new NotFoundError("report", number);
  return r;
}

// Written out in full: inside a subquery drizzle would leave the columns unqualified.
const evidenceCount = sql<number>`(select count(*) from "evidence" where "evidence"."report_id" = "reports"."id")::int`;

/** Where the export goes: a file or stdout, written chunk by chunk with backpressure. */
interface Sink {
  write(chunk: string): Promise<void>;
  close(): Promise<void>;
}

async function openSink(file: string | undefined): Promise<Sink> {
  if (!file) {
    return {
      write,
      close: async () => {},
    };
  }
  const fh = await open(file, "w").catch((e: NodeJS.ErrnoException) => {
    throw new InputError("output", `cannot write ${file}: ${e.code ?? e.message}`);
  });
  return {
    write: async (chunk) => {
      await fh.write(chunk);
    },
    close: () => fh.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

interface ListOptions {
  office?: string;
  status?: string;
  since?: string;
  limit?: string;
  json?: boolean;
}

interface ExportOptions {
  format?: string;
  office?: string;
  status?: string;
  since?: string;
  output?: string;
  withIdentity?: boolean;
  json?: boolean;
}

/** `reports list | show | export`. */
export function registerReportCommands(program: Command, services: () => Promise<AdminServices>): void {
  const cmd = program.command("reports").description("citizens' reports: list, show one, export");

  cmd
    .command("list")
    .description("list reports, newest first (times in Asia/Jakarta)")
    .option("--office <code>", "only reports held by this office (code or name), e.g. 18.72")
    .option("--status <status>", `one of ${REPORT_STATUSES.join(", ")}`)
    .option("--since <date>", "only reports filed on or after this date (YYYY-MM-DD, WIB)")
    .option("--limit <n>", "at most this many reports", "50")
    .option("--json", "print JSON")
    .action(async (o: ListOptions) => {
      const status = o.status === undefined ? undefined : statusOf(o.status);
      const since = o.since === undefined ? undefined : parseSince(o.since);
      const limit = positiveInt("limit", o.limit ?? "50");
      const s = await services();
      const office = await officeFilter(s, o.office);
      const where = and(
        office ? eq(reports.officeCode, office) : undefined,
        status ? eq(reports.status, status) : undefined,
        since ? gte(reports.createdAt, since) : undefined,
      );
      const rows = await s.database.db
        .select({
          number: reports.number,
          createdAt: reports.createdAt,
          track: reports.track,
          status: reports.status,
          category: reports.category,
          regionName: reports.regionName,
          officeCode: reports.officeCode,
          evidenceCount,
        })
        .from(reports)
        .where(where)
        .orderBy(desc(reports.createdAt), desc(reports.id))
        .limit(limit);
      const list = rows.map((r) => ({ ...r, createdLocal: jakartaTime(r.createdAt) }));
      output(list, o.json, (l) => [
        ...table([
          ["number", "created (WIB)", "track", "status", "category", "region", "office", "evidence"],
          ...l.map((r) => [
            r.number,
            r.createdLocal,
            r.track,
            r.status,
            r.category,
            r.regionName ?? "-",
            r.officeCode ?? "-",
            r.evidenceCount,
          ]),
        ]),
        `${l.length} reports${l.length === limit ? ` (limit ${limit}; use --limit for more)` : ""}`,
      ]);
    });

  cmd
    .command("show")
    .description(`everything about one report: fields, evidence, history, deliveries. ${IDENTITY_NOTE}`)
    .argument("<number>", 'tracking number in any case or spacing, e.g. "ln 7k3m 9qx2"')
    .option("--with-identity", "also show the reporter's name, address and phone (audited)")
    .option("--json", "print JSON")
    .action(async (text: string, o: { withIdentity?: boolean; json?: boolean }) => {
      const { database } = await services();
      const db = database.db;
      const report = await findReport(db, text);
      const [ev, events, jobs] = await Promise.all([
        db.select().from(evidence).where(eq(evidence.reportId, report.id)).orderBy(asc(evidence.id)),
        db
          .select()
          .from(reportEvents)
          .where(eq(reportEvents.reportId, report.id))
          .orderBy(asc(reportEvents.at), asc(reportEvents.id)),
        db.select().from(outbox).where(eq(outbox.reportId, report.id)).orderBy(asc(outbox.id)),
      ]);
      let identity: ReportIdentity | null | undefined;
      if (o.withIdentity) {
        // The audit entry commits before the identity is read and printed.
        identity = await db.transaction(async (tx) => {
          await recordAudit(tx, {
            actor: ACTOR,
            action: "report.identity_viewed",
            entity: "report",
            entityKey: report.number,
            details: { command: "reports show", track: report.track },
          });
          const [row] = await tx
            .select()
            .from(reportIdentities)
            .where(eq(reportIdentities.reportId, report.id));
          return row ?? null;
        });
      }
      const data = {
        report,
        evidence: ev,
        events,
        jobs,
        ...(identity !== undefined ? { identity } : {}),
      };
      output(data, o.json, (d) => {
        const r = d.report;
        const field = (label: string, value: unknown) =>
          `  ${`${label}:`.padEnd(19)}${value === null || value === undefined || value === "" ? "-" : String(value)}`;
        const lines = [
          `${r.number} (${r.track}, ${r.status})`,
          field("created (WIB)", jakartaTime(r.createdAt)),
          field("updated (WIB)", jakartaTime(r.updatedAt)),
          field("channel", `${r.channel} (contact #${r.contactId}, lang ${r.lang})`),
          field("category", r.category),
          field("account", r.account.replace(/\n/g, "\n                     ")),
          field("event date", r.eventDate),
          field("learned date", r.learnedDate),
          field(
            "7-day deadline",
            r.deadline &&
              `${r.deadline.deadline} (${r.deadline.daysUsed} days used, ${r.deadline.counting}${r.deadline.late ? ", LATE" : ""})`,
          ),
          field("place", r.placeSource && `${r.placeText ?? ""} [${r.placeSource}]`),
          field("coordinates", r.lat !== null && r.lon !== null ? `${r.lat}, ${r.lon}` : null),
          field(
            "region",
            r.regionCode && `${r.regionName ?? ""} (${r.regionCode}, province ${r.provinceCode ?? "-"})`,
          ),
          field("accused", r.accusedName),
          field("position", r.accusedPosition),
          field(
            "agency",
            r.agencyRaw &&
              (r.agencyNormalized && r.agencyNormalized !== r.agencyRaw
                ? `${r.agencyRaw} → ${r.agencyNormalized}`
                : r.agencyRaw),
          ),
          field("ASN type", r.asnType),
          field("witnesses", r.witnesses.map((w) => `${w.name}${w.phone ? ` ${w.phone}` : ""}`).join("; ")),
          field("no evidence", r.noEvidence ? "yes" : "no"),
          field("office", r.officeCode),
          "  route:",
          ...r.route.map(
            (step, i) =>
              `    ${i + 1}. ${step.usable ? "→" : "×"} ${step.officeName}${step.officeCode ? ` (${step.officeCode})` : ""}: ${step.reason}`,
          ),
        ];
        if (d.identity !== undefined) {
          lines.push(
            d.identity
              ? `  identity (audited): ${d.identity.name}, ${d.identity.address}, ${d.identity.phone} (consent ${d.identity.consent ? "given" : "not given"} ${jakartaTime(d.identity.consentedAt)})`
              : "  identity: none (tip reports carry no identity)",
          );
        } else if (r.track === "formal") {
          lines.push("  identity: hidden (use --with-identity; the view is written to the audit log)");
        }
        lines.push(`  evidence (${d.evidence.length}):`);
        for (const e of d.evidence) {
          lines.push(
            e.kind === "link"
              ? `    link  ${e.url}${e.platform ? ` (${e.platform})` : ""}  received ${jakartaTime(e.receivedAt)}`
              : `    ${e.kind}  ${e.fileName ?? "-"}  ${e.mime ?? "-"}  ${e.size ?? "?"} bytes  sha256 ${e.sha256 ?? "-"}  ${e.storageKey ?? "-"}  received ${jakartaTime(e.receivedAt)}`,
          );
        }
        lines.push(`  history (${d.events.length}):`);
        for (const e of d.events) {
          const move = e.fromStatus || e.toStatus ? ` ${e.fromStatus ?? "∅"}→${e.toStatus ?? "∅"}` : "";
          lines.push(
            `    ${jakartaTime(e.at)}  ${e.actor}  ${e.type}${move}${e.reason ? `  ${e.reason}` : ""}`,
          );
        }
        lines.push(`  deliveries (${d.jobs.length}):`);
        for (const j of d.jobs) {
          lines.push(
            `    #${j.id}  ${j.channel}:${j.address}  office ${j.officeCode ?? "-"}  ${j.status}  attempts ${j.attempts}  progress ${j.progress}${j.lastError ? `  last error: ${j.lastError}` : ""}`,
          );
        }
        return lines;
      });
    });

  cmd
    .command("export")
    .description(
      `export reports in filing order, one row per report with the columns of the official form: ${EXPORT_COLUMNS.join(", ")}. ${IDENTITY_NOTE}`,
    )
    .option("--format <format>", "csv (RFC 4180, the default) or json")
    .option("--office <code>", "only reports held by this office (code or name)")
    .option("--status <status>", `one of ${REPORT_STATUSES.join(", ")}`)
    .option("--since <date>", "only reports filed on or after this date (YYYY-MM-DD, WIB)")
    .option("--output <file>", "write to this file instead of stdout")
    .option("--with-identity", `add ${IDENTITY_COLUMNS.join(", ")} (audited, one entry per export)`)
    .option(
      "--json",
      "same as --format json when writing to stdout; with --output, print the summary as JSON",
    )
    .action(async (o: ExportOptions) => {
      const format = o.format ?? (o.json && !o.output ? "json" : "csv");
      if (format !== "csv" && format !== "json")
        throw new InputError("format", `--format must be csv or json, got ${JSON.stringify(o.format)}`);
      const status = o.status === undefined ? undefined : statusOf(o.status);
      const since = o.since === undefined ? undefined : parseSince(o.since);
      const s = await services();
      const db = s.database.db;
      const office = await officeFilter(s, o.office);
      const filters: (SQL | undefined)[] = [
        office ? eq(reports.officeCode, office) : undefined,
        status ? eq(reports.status, status) : undefined,
        since ? gte(reports.createdAt, since) : undefined,
      ];
      const [{ total } = { total: 0 }] = await db
        .select({ total: sql<number>`count(*)::int` })
        .from(reports)
        .where(and(...filters));
      if (o.withIdentity) {
        await recordAudit(db, {
          actor: ACTOR,
          action: "report.identity_viewed",
          entity: "report",
          entityKey: "*",
          details: {
            command: "reports export",
            format,
            reports: total,
            filters: { office: office ?? null, status: status ?? null, since: o.since ?? null },
            output: o.output ? "file" : "stdout",
          },
        });
      }

      const columns: string[] = [...EXPORT_COLUMNS, ...(o.withIdentity ? IDENTITY_COLUMNS : [])];
      const sink = await openSink(o.output);
      let count = 0;
      try {
        await sink.write(format === "csv" ? csvLine(columns) : "[");
        let lastId = 0;
        for (;;) {
          const batch = await db
            .select()
            .from(reports)
            .where(and(...filters, gt(reports.id, lastId)))
            .orderBy(asc(reports.id))
            .limit(EXPORT_BATCH);
          if (!batch.length) break;
          lastId = batch[batch.length - 1]!.id;
          const ids = batch.map((r) => r.id);
          const [ev, ids2] = await Promise.all([
            db.select().from(evidence).where(inArray(evidence.reportId, ids)).orderBy(asc(evidence.id)),
            o.withIdentity
              ? db.select().from(reportIdentities).where(inArray(reportIdentities.reportId, ids))
              : Promise.resolve([]),
          ]);
          const evBy = new Map<number, Evidence[]>();
          for (const e of ev) evBy.set(e.reportId, [...(evBy.get(e.reportId) ?? []), e]);
          const idBy = new Map(ids2.map((i) => [i.reportId, i]));
          let chunk = "";
          for (const r of batch) {
            const row = exportRow(
              r,
              evBy.get(r.id) ?? [],
              o.withIdentity ? (idBy.get(r.id) ?? null) : undefined,
            );
            chunk +=
              format === "csv"
                ? csvLine(columns.map((c) => row[c] ?? null))
                : `${count ? "," : ""}\n${JSON.stringify(row)}`;
            count++;
          }
          await sink.write(chunk);
        }
        if (format === "json") await sink.write(count ? "\n]\n" : "]\n");
      } finally {
        await sink.close();
      }
      if (o.output) {
        output(
          { file: o.output, format, reports: count, withIdentity: !!o.withIdentity },
          o.json,
          (x) => `exported ${x.reports} reports to ${x.file} (${x.format})`,
        );
      }
    });
}
