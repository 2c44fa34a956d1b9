import { and, asc, eq, inArray } from "drizzle-orm";
import type { Queryable } from "../db/client.js";
import { officers, type ReportStatus, reportEvents, reports } from "../db/schema/index.js";
import type { LocaleBundle } from "../engine/locale.js";
import { LANGS, type Lang } from "../engine/types.js";
import { TRANSITIONS } from "../reports/status.js";
import { CARD_ACTIONS, type OfficerAction } from "./actions.js";
import { type OfficerTextKey, officerText } from "./texts.js";

/** The status each card action leads to. */
const TARGET: Record<(typeof CARD_ACTIONS)[number], ReportStatus> = {
  ack: "acknowledged",
  ask: "needs_info",
  forward: "forwarded",
  reject: "rejected",
  close: "closed",
};

const STATUS_KEYS: Record<ReportStatus, OfficerTextKey> = {
  received: "officer.statuses.received",
  delivered: "officer.statuses.delivered",
  acknowledged: "officer.statuses.acknowledged",
  needs_info: "officer.statuses.needs_info",
  forwarded: "officer.statuses.forwarded",
  closed: "officer.statuses.closed",
  rejected: "officer.statuses.rejected",
};

/** The officers' label of a status ("Sedang ditindaklanjuti"). */
export function statusLabel(locales: LocaleBundle, lang: Lang, status: ReportStatus): string {
  return officerText(locales, lang, STATUS_KEYS[status]);
}

/** The card actions still possible for a report in `status` held by the card's office. */
export function possibleActions(status: ReportStatus): OfficerAction[] {
  return CARD_ACTIONS.filter((a) =>
    a === "ask"
      ? status === "needs_info" || TRANSITIONS[status].includes("needs_info")
      : TRANSITIONS[status].includes(TARGET[a]),
  );
}

/** Provinces on Central Indonesian Time (WITA) and Eastern Indonesian Time (WIT); the rest WIB. */
const WITA = new Set(["51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"]);
const WIT = new Set(["81", "82", "91", "92", "93", "94", "95", "96", "97"]);

/** The time zone of an office by its region code ("18.72" → WIB), with its Indonesian name. */
export function officeZone(officeCode: string): { tz: string; name: "WIB" | "WITA" | "WIT" } {
  const province = officeCode.slice(0, 2);
  if (WITA.has(province)) return { tz: "Asia/Makassar", name: "WITA" };
  if (WIT.has(province)) return { tz: "Asia/Jayapura", name: "WIT" };
  return { tz: "Asia/Jakarta", name: "WIB" };
}

/** "3 Des 2026 19.40 WIB": a moment in the office's own time zone, named. */
export function officeTime(at: Date, officeCode: string, lang: Lang): string {
  const zone = officeZone(officeCode);
  const text = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "id-ID", {
    timeZone: zone.tz,
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  })
    .format(at)
    .replace(",", "");
  return `${text} ${zone.name}`;
}

/** Where a report stands, as the office chat's card shows it after an action. */
export interface CardStatus {
  reportId: number;
  number: string;
  status: ReportStatus;
  /** The office the card was sent for. */
  officeCode: string;
  /** The status block under the card: status, who took it up and when. */
  text: string;
  /** The short line channels without edits send instead (WhatsApp). */
  line: string;
  /** The actions still possible on the card (none when the report left the office or is finished). */
  actions: OfficerAction[];
}

/**
 * The status of a report for the card an office holds: its label, who took it up and when, who
 * closed or rejected it, and the actions still possible. A report that moved to another office
 * shows as forwarded, with no actions.
 */
export async function cardStatus(
  q: Queryable,
  locales: LocaleBundle,
  lang: Lang,
  reportId: number,
  officeCode: string,
): Promise<CardStatus | undefined> {
  const [report] = await q
    .select({ number: reports.number, status: reports.status, officeCode: reports.officeCode })
    .from(reports)
    .where(eq(reports.id, reportId));
  if (!report) return undefined;
  const here = report.officeCode === officeCode;
  const status: ReportStatus = here ? report.status : "forwarded";
  const events = await q
    .select({ at: reportEvents.at, actor: reportEvents.actor, to: reportEvents.toStatus })
    .from(reportEvents)
    .where(
      and(
        eq(reportEvents.reportId, reportId),
        eq(reportEvents.type, "status"),
        inArray(reportEvents.toStatus, ["acknowledged", "closed", "rejected"]),
      ),
    )
    .orderBy(asc(reportEvents.at), asc(reportEvents.id));
  const taken = events.find((e) => e.to === "acknowledged");
  const finished = here
    ? events.find((e) => e.to === status && (status === "closed" || status === "rejected"))
    : undefined;
  const names = await officerNames(
    q,
    [taken?.actor, finished?.actor].filter((a): a is string => Boolean(a)),
  );
  const name = (actor: string) => names.get(actor) ?? officerText(locales, lang, "officer.someone");
  const label = statusLabel(locales, lang, status);
  const lines = [officerText(locales, lang, "officer.card_status", { status: label })];
  if (taken)
    lines.push(
      officerText(locales, lang, "officer.card_taken", {
        name: name(taken.actor),
        at: officeTime(taken.at, officeCode, lang),
      }),
    );
  if (finished)
    lines.push(
      officerText(locales, lang, "officer.card_finished", {
        status: label,
        name: name(finished.actor),
        at: officeTime(finished.at, officeCode, lang),
      }),
    );
  return {
    reportId,
    number: report.number,
    status,
    officeCode,
    text: lines.join("\n"),
    line: [
      officerText(locales, lang, "officer.status_line", { number: report.number, status: label }),
      ...lines.slice(1),
    ].join("\n"),
    actions: here ? possibleActions(status) : [],
  };
}

/** Officers' display names by actor (`telegram:123`). */
async function officerNames(q: Queryable, actors: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const actor of new Set(actors)) {
    const i = actor.indexOf(":");
    if (i < 0) continue;
    const [row] = await q
      .select({ name: officers.displayName })
      .from(officers)
      .where(and(eq(officers.channel, actor.slice(0, i)), eq(officers.userId, actor.slice(i + 1))))
      .limit(1);
    if (row?.name) out.set(actor, row.name);
  }
  return out;
}

/**
 * A card's text with its status block (replacing the block an earlier update added), for channels
 * that edit the card in place; at most `limit` characters (the card is shortened, not the block).
 */
export function withStatusBlock(locales: LocaleBundle, card: string, block: string, limit = 4096): string {
  let base = card;
  for (const lang of LANGS) {
    const marker = officerText(locales, lang, "officer.card_status").split("{{")[0];
    const at = marker ? base.lastIndexOf(`\n\n${marker}`) : -1;
    if (at >= 0) base = base.slice(0, at);
  }
  const room = limit - block.length - 2;
  if (base.length > room) base = `${base.slice(0, Math.max(0, room - 1))}…`;
  return `${base}\n\n${block}`;
}
