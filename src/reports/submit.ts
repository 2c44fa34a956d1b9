import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../db/client.js";
import { JsonRows } from "../db/json-rows.js";
import {
  type ChannelName,
  evidence,
  type NewReport,
  outbox,
  reportEvents,
  reportIdentities,
  reports,
  type Track,
} from "../db/schema/index.js";
import type { Answers, Lang } from "../engine/types.js";
import { type DayCounting, type DeadlineCheck, jakartaToday } from "../parsing/index.js";
import { newTrackingNumber } from "../parsing/tracking-number.js";
import type { Route } from "../routing/route.js";
import { type ComplaintAnswers, parseComplaintAnswers } from "./answers.js";

/** Who filed a report and how: the conversation it came from. */
export interface SubmissionSource {
  channel: ChannelName;
  contactId: number;
  lang: Lang;
  now: Date;
}

/** Decides the route of a region; the {@link Router} does this, tests may pass their own. */
export type RouteFor = (regionCode: string | null, q: Queryable) => Promise<Route>;

/** The 7-day rule as configured: how days are counted (with the holidays), and the check itself. */
export interface DeadlineRule {
  counting: DayCounting;
  check(learned: string, today: string): DeadlineCheck;
}

/** The saved report and the delivery jobs queued for it. */
export interface Submission {
  report: SavedReport;
  jobs: number;
}

/** What the statement that saves a report returns of it. */
export interface SavedReport {
  id: number;
  number: string;
  track: Track;
  officeCode: string | null;
}

/**
 * Runs the statement that saves a report: the given CTEs (which read from `m`, the recorded
 * conversation step, see `conversation/store.ts`) and the final select, as one durable statement.
 * `number` is the tracking number the report gets, so the receipt saved with the step can carry it.
 */
export type CommitWith = (also: { ctes: SQL; select: SQL }, number: string) => Promise<SavedReport[]>;

const ASN_TYPES: Record<string, "pns" | "pppk" | "unknown"> = { pns: "pns", pppk: "pppk" };

/** The columns of a report row from validated answers (identity is not among them). */
export function reportRow(
  a: ComplaintAnswers,
  source: SubmissionSource,
  rule: DeadlineRule,
): Omit<NewReport, "number"> {
  const dayCounting = rule.counting;
  const deadline =
    a.track === "formal" && a.learned_date
      ? {
          ...rule.check(a.learned_date, jakartaToday(source.now)),
          counting: dayCounting,
        }
      : null;
  return {
    track: a.track,
    category: a.category,
    account: a.account,
    eventDate: a.event_date ?? null,
    learnedDate: a.learned_date ?? null,
    deadline: deadline && {
      deadline: deadline.deadline,
      daysUsed: deadline.daysUsed,
      late: deadline.late,
      counting: dayCounting,
    },
    placeSource: a.place?.source ?? null,
    placeText: a.place?.raw ?? null,
    lat: a.place?.lat ?? null,
    lon: a.place?.lon ?? null,
    regionCode: a.place?.regencyCode ?? a.place?.provinceCode ?? null,
    regionName: a.place?.regencyName ?? a.place?.provinceName ?? null,
    provinceCode: a.place?.provinceCode ?? null,
    accusedName: a.accused_name ?? null,
    accusedPosition: a.accused_position ?? null,
    agencyRaw: a.accused_agency?.raw ?? null,
    agencyNormalized: a.accused_agency?.normalized ?? null,
    asnType: a.asn_type ? (ASN_TYPES[a.asn_type] ?? "unknown") : null,
    witnesses: [
      ...(a.witness1_name ? [{ name: a.witness1_name, phone: a.witness1_phone?.e164 ?? null }] : []),
      ...(a.witness2_name ? [{ name: a.witness2_name, phone: a.witness2_phone?.e164 ?? null }] : []),
    ],
    noEvidence: a.evidence?.none ?? true,
    channel: source.channel,
    contactId: source.contactId,
    lang: source.lang,
    createdAt: source.now,
  };
}

const REPORT = new JsonRows(reports, [
  "number",
  "track",
  "category",
  "account",
  "eventDate",
  "learnedDate",
  "deadline",
  "placeSource",
  "placeText",
  "lat",
  "lon",
  "regionCode",
  "regionName",
  "provinceCode",
  "accusedName",
  "accusedPosition",
  "agencyRaw",
  "agencyNormalized",
  "asnType",
  "witnesses",
  "noEvidence",
  "channel",
  "contactId",
  "lang",
  "officeCode",
  "route",
  "createdAt",
]);
const IDENTITY = new JsonRows(reportIdentities, ["name", "address", "phone", "consent", "consentedAt"]);
const EVIDENCE = new JsonRows(evidence, [
  "kind",
  "sha256",
  "mime",
  "size",
  "fileName",
  "caption",
  "storageKey",
  "url",
  "platform",
  "channel",
  "platformMessageId",
  "receivedAt",
]);
const EVENT = new JsonRows(reportEvents, ["at", "actor", "type", "toStatus", "reason", "details"]);
/** `dedupeKey` holds the key's tail; the statement puts `deliver:<report id>:` in front. */
const JOB = new JsonRows(outbox, [
  "kind",
  "dedupeKey",
  "channel",
  "address",
  "officeCode",
  "payload",
  "nextAttemptAt",
]);

/** The statement's column reads, written once. */
const FIELDS = {
  report: REPORT.fields("x"),
  identity: IDENTITY.fields("x"),
  evidence: EVIDENCE.fields("x"),
  event: EVENT.fields("x"),
  job: JOB.fields("x", { dedupeKey: "concat('deliver:', r.id, ':', x.dedupe_key)" }),
};

/** A database error as either driver reports it (drizzle wraps it, keeping the driver's as `cause`). */
interface DriverError {
  code?: string;
  constraint_name?: string;
  constraint?: string;
  cause?: unknown;
}

/** PostgreSQL's unique_violation on the tracking number (a collision of random numbers: try another). */
function isNumberTaken(e: unknown): boolean {
  for (let x = e as DriverError | undefined; x; x = x.cause as DriverError | undefined) {
    if (x.code === "23505" && /number/.test(x.constraint_name ?? x.constraint ?? "")) return true;
  }
  return false;
}

/**
 * Saves a confirmed complaint together with the conversation step that confirmed it, in ONE
 * statement (`commit`): the report with a fresh tracking number, the reporter's identity (formal
 * track only), every evidence file and link, the routing decision with its reasons, the first
 * history event, and one delivery job per destination of the first usable office. Only the route
 * is read before, in its own round trip. When the statement commits (on disk), nothing of it can
 * be lost; when it fails, nothing of it was written.
 */
export async function submitReport(
  q: Queryable,
  answers: Answers,
  source: SubmissionSource,
  options: {
    routeFor: RouteFor;
    deadline: DeadlineRule;
    commit: CommitWith;
    /** Draws a tracking number (tests pass their own to force a collision). */
    newNumber?: () => string;
  },
): Promise<Submission> {
  const a = parseComplaintAnswers(answers);
  const row = reportRow(a, source, options.deadline);
  const route = await options.routeFor(row.regionCode ?? null, q);
  const first = route.usable[0]!;
  const stored = route.steps.map(({ officeCode, officeName, role, usable, reason }) => ({
    officeCode,
    officeName,
    role,
    usable,
    reason,
  }));
  const stepIndex = route.steps.indexOf(first);
  const files = a.evidence?.items ?? [];
  const links = a.evidence?.links ?? [];
  const identities =
    a.track === "formal"
      ? [
          {
            name: a.reporter_name!,
            address: a.reporter_address!,
            phone: a.reporter_phone!.e164,
            consent: true,
            consentedAt: source.now,
          },
        ]
      : [];
  const items = [
    ...files.map((f) => ({
      kind: f.kind,
      sha256: f.sha256,
      mime: f.mime,
      size: f.size,
      fileName: f.fileName ?? null,
      caption: f.caption ?? null,
      storageKey: f.ref,
      channel: source.channel,
      platformMessageId: f.messageId ?? null,
      receivedAt: f.receivedAt ? new Date(f.receivedAt) : source.now,
    })),
    ...links.map((l) => ({
      kind: "link" as const,
      url: l.url,
      platform: l.platform,
      channel: source.channel,
      receivedAt: source.now,
    })),
  ];
  const event = {
    at: source.now,
    actor: `${source.channel}:contact`,
    type: "received",
    toStatus: "received" as const,
    reason: first.reason,
    details: { route: stored },
  };
  const jobs = first.destinations.map((d) => ({
    kind: "deliver_report" as const,
    dedupeKey: `${stepIndex}:${d.channel}:${d.address}`,
    channel: d.channel,
    address: d.address,
    officeCode: first.officeCode,
    payload: { stepIndex },
    nextAttemptAt: source.now,
  }));

  for (let attempt = 1; ; attempt++) {
    const number = (options.newNumber ?? newTrackingNumber)();
    const report = { ...row, number, officeCode: first.officeCode, route: stored };
    try {
      const [saved] = await options.commit(
        {
          ctes: sql`r as (
            insert into ${REPORT.table} (${REPORT.columns})
            select ${FIELDS.report} from ${REPORT.records([report], "x")} where exists (select 1 from m)
            returning id, number, track, office_code),
          ri as (
            insert into ${IDENTITY.table} (report_id, ${IDENTITY.columns})
            select r.id, ${FIELDS.identity} from r, ${IDENTITY.records(identities, "x")} returning 1),
          ev as (
            insert into ${EVIDENCE.table} (report_id, ${EVIDENCE.columns})
            select r.id, ${FIELDS.evidence} from r, ${EVIDENCE.records(items, "x")} returning 1),
          re as (
            insert into ${EVENT.table} (report_id, ${EVENT.columns})
            select r.id, ${FIELDS.event} from r, ${EVENT.records([event], "x")} returning 1),
          ob as (
            insert into ${JOB.table} (report_id, ${JOB.columns})
            select r.id, ${FIELDS.job}
            from r, ${JOB.records(jobs, "x")} returning 1)`,
          select: sql`select r.id, r.number, r.track, r.office_code as "officeCode" from r`,
        },
        number,
      );
      return { report: { ...saved!, id: Number(saved!.id) }, jobs: jobs.length };
    } catch (e) {
      if (!isNumberTaken(e) || attempt >= 5) throw e;
    }
  }
}
