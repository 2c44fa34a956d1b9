import type { Queryable } from "../db/client.js";
import {
  type ChannelName,
  evidence,
  type NewReport,
  outbox,
  type Report,
  reportEvents,
  reportIdentities,
  reports,
} from "../db/schema/index.js";
import type { Answers, Lang } from "../engine/types.js";
import { type DayCounting, type DeadlineCheck, jakartaToday } from "../parsing/index.js";
import type { Route } from "../routing/route.js";
import { type ComplaintAnswers, parseComplaintAnswers } from "./answers.js";
import { newTrackingNumber } from "./tracking-number.js";

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
  report: Report;
  jobs: number;
}

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

/**
 * Saves a confirmed complaint inside the caller's transaction: the report with a fresh tracking
 * number, the reporter's identity (formal track only), every evidence file and link, the routing
 * decision with its reasons, the first history event, and one delivery job per destination of
 * the first usable office. When the transaction commits, nothing of it can be lost.
 */
export async function submitReport(
  tx: Queryable,
  answers: Answers,
  source: SubmissionSource,
  options: { routeFor: RouteFor; deadline: DeadlineRule },
): Promise<Submission> {
  const a = parseComplaintAnswers(answers);
  const row = reportRow(a, source, options.deadline);
  const route = await options.routeFor(row.regionCode ?? null, tx);
  const first = route.usable[0]!;
  const stored = route.steps.map(({ officeCode, officeName, role, usable, reason }) => ({
    officeCode,
    officeName,
    role,
    usable,
    reason,
  }));

  let report: Report | undefined;
  for (let attempt = 0; !report; attempt++) {
    const [r] = await tx
      .insert(reports)
      .values({ ...row, number: newTrackingNumber(), officeCode: first.officeCode, route: stored })
      .onConflictDoNothing({ target: reports.number })
      .returning();
    report = r;
    if (attempt > 5) throw new Error("could not allocate a tracking number");
  }

  // Everything below depends only on the report's id: sent together, in one round trip.
  const reportId = report.id;
  const files = a.evidence?.items ?? [];
  const links = a.evidence?.links ?? [];
  const stepIndex = route.steps.indexOf(first);
  await Promise.all([
    a.track === "formal"
      ? tx.insert(reportIdentities).values({
          reportId,
          name: a.reporter_name!,
          address: a.reporter_address!,
          phone: a.reporter_phone!.e164,
          consent: true,
          consentedAt: source.now,
        })
      : undefined,
    files.length + links.length
      ? tx.insert(evidence).values([
          ...files.map((f) => ({
            reportId,
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
            reportId,
            kind: "link" as const,
            url: l.url,
            platform: l.platform,
            channel: source.channel,
            receivedAt: source.now,
          })),
        ])
      : undefined,
    tx.insert(reportEvents).values({
      reportId,
      at: source.now,
      actor: `${source.channel}:contact`,
      type: "received",
      toStatus: "received",
      reason: first.reason,
      details: { route: stored },
    }),
    tx.insert(outbox).values(
      first.destinations.map((d) => ({
        kind: "deliver_report" as const,
        dedupeKey: `deliver:${reportId}:${stepIndex}:${d.channel}:${d.address}`,
        reportId,
        channel: d.channel,
        address: d.address,
        officeCode: first.officeCode,
        payload: { stepIndex },
        nextAttemptAt: source.now,
      })),
    ),
  ]);
  return { report, jobs: first.destinations.length };
}
