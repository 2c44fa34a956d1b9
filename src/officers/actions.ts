import { createHmac, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { type ReportStatus, reports } from "../db/schema/index.js";
import type { Logger } from "../log.js";
import {
  changeStatus,
  OUTCOMES,
  REJECT_REASONS,
  StatusTransitionError,
  TRANSITIONS,
} from "../reports/status.js";
import { isOfficerOf } from "./invites.js";
import type { OfficerTextKey } from "./texts.js";

/** What an officer can do from a report card. `close:<outcome>` and `reject:<reason>` carry their choice. */
export type OfficerAction =
  | "ack"
  | "ask"
  | "forward"
  | "close"
  | "reject"
  | `close:${string}`
  | `reject:${string}`;

/** The actions on a fresh report card, in the order they are shown (WhatsApp numbers them 1…5). */
export const CARD_ACTIONS = ["ack", "ask", "forward", "reject", "close"] as const;

const ACTION_PATTERN = /^(?:ack|ask|forward|close|reject)(?::[a-z_]+)?$/;

/** True when `value` is an officer action (`ack`, `close:bkn`, …). */
export function isOfficerAction(value: string): value is OfficerAction {
  return ACTION_PATTERN.test(value);
}

/** A button on a card: its action and the signed callback data. */
export interface ActionButton {
  action: OfficerAction;
  data: string;
}

/**
 * Signed callback data `o:<action>:<report id>:<office>:<signature>`, at most 64 bytes (Telegram's
 * limit). The signature (HMAC-SHA256, truncated) covers action, report and office, so a forged or
 * altered button is refused, and a button of an office that no longer holds the report is told so.
 */
export function signAction(
  secret: string,
  action: OfficerAction,
  reportId: number,
  officeCode: string,
): string {
  const body = `${action}:${reportId}:${officeCode}`;
  const sig = createHmac("sha256", secret).update(body).digest("base64url").slice(0, 12);
  return `o:${body}:${sig}`;
}

/** Reads and verifies callback data; undefined when it is not a valid signed action. */
export function verifyAction(
  secret: string,
  data: string,
): { action: OfficerAction; reportId: number; officeCode: string } | undefined {
  const m =
    /^o:((?:ack|ask|forward|close|reject)(?::[a-z_]+)?):(\d{1,15}):([0-9A-Z.]{2,8}):([A-Za-z0-9_-]{12})$/.exec(
      data,
    );
  if (!m) return undefined;
  const [, action = "", id, officeCode = "", sig = ""] = m;
  if (!isOfficerAction(action)) return undefined;
  const expected = signAction(secret, action, Number(id), officeCode).slice(-12);
  if (!timingSafeEqual(Buffer.from(sig), Buffer.from(expected))) return undefined;
  return { action, reportId: Number(id), officeCode };
}

/**
 * "That cannot be done now", worded for the report's status (`officer.not_allowed_<status>`), so
 * officers read what the report is, never a status code.
 */
export function notAllowed(
  number: string,
  from: ReportStatus,
): { key: `officer.not_allowed_${ReportStatus}`; vars: Record<string, string> } {
  return { key: `officer.not_allowed_${from}`, vars: { number } };
}

/** The answer to an officer's button press: a locale key (`officer.*`) and, for a choice, the next buttons. */
export interface ActionResult {
  key: OfficerTextKey;
  vars?: Record<string, string>;
  buttons?: ActionButton[];
  /** Ask the officer to answer by replying to this message (the question, or the place to forward to). */
  forceReply?: boolean;
}

/**
 * Officer actions on reports: checks the signature, that the report is still with that office,
 * and that the presser is an active officer of it; then changes the status (recording who and why,
 * and queuing the reporter's update). Every refusal is logged.
 */
export class OfficerActions {
  constructor(
    private readonly db: Database,
    private readonly secret: string,
    private readonly logger: Logger,
  ) {}

  /** The buttons of a fresh report card. */
  cardButtons(reportId: number, officeCode: string): ActionButton[] {
    return CARD_ACTIONS.map((action) => ({
      action,
      data: signAction(this.secret, action, reportId, officeCode),
    }));
  }

  /**
   * Signs an action for a report held by `officeCode`, for channels without buttons (WhatsApp Web):
   * the officer's numbered answer becomes the same signed data a Telegram button carries, so
   * {@link press} makes the same checks.
   */
  sign(action: OfficerAction, reportId: number, officeCode: string): string {
    return signAction(this.secret, action, reportId, officeCode);
  }

  /** Reads and verifies signed action data; undefined when forged or malformed. */
  read(data: string): { action: OfficerAction; reportId: number; officeCode: string } | undefined {
    return verifyAction(this.secret, data);
  }

  /** Handles a button press by `userId` on `channel`. */
  async press(channel: string, userId: string, data: string, now: Date): Promise<ActionResult> {
    const parsed = verifyAction(this.secret, data);
    if (!parsed) {
      this.logger.warn({ channel, user: userId }, "officer action refused: forged or malformed button");
      return { key: "officer.forged" };
    }
    const { action, reportId, officeCode } = parsed;
    const [report] = await this.db.select().from(reports).where(eq(reports.id, reportId));
    if (!report) return { key: "officer.forged" };
    if (report.officeCode !== officeCode) {
      this.logger.warn(
        { report: report.number, officeCode, holder: report.officeCode },
        "officer action refused: report moved",
      );
      return { key: "officer.moved", vars: { number: report.number } };
    }
    if (!(await isOfficerOf(this.db, officeCode, channel, userId))) {
      this.logger.warn(
        { report: report.number, officeCode, channel },
        "officer action refused: not an officer of the office",
      );
      return { key: "officer.not_officer" };
    }
    if (action === "ask" || action === "forward") {
      return { key: `officer.prompt_${action}`, vars: { number: report.number }, forceReply: true };
    }
    if (action === "reject:other") {
      // The officer's own words: asked for by a prompt, answered by replying (see `/tolak`).
      return { key: "officer.prompt_reject", vars: { number: report.number }, forceReply: true };
    }
    if (action === "close") {
      // Before taking up, say so at once (not after the outcome is chosen).
      if (!TRANSITIONS[report.status].includes("closed"))
        return report.status === "closed" || report.status === "rejected"
          ? notAllowed(report.number, report.status)
          : { key: "officer.close_needs_ack", vars: { number: report.number } };
      return {
        key: "officer.choose_outcome",
        vars: { number: report.number },
        buttons: OUTCOMES.map((o) => this.button(`close:${o}`, reportId, officeCode)),
      };
    }
    if (action === "reject") {
      return {
        key: "officer.choose_reason",
        vars: { number: report.number },
        buttons: REJECT_REASONS.map((r) => this.button(`reject:${r}`, reportId, officeCode)),
      };
    }
    const [verb, detail] = action.split(":");
    const to: ReportStatus = verb === "ack" ? "acknowledged" : verb === "close" ? "closed" : "rejected";
    try {
      await this.db.transaction((tx) =>
        changeStatus(tx, reportId, {
          to,
          actor: `${channel}:${userId}`,
          detail: detail ?? null,
          reason: detail ?? null,
          now,
        }),
      );
    } catch (e) {
      if (e instanceof StatusTransitionError) return notAllowed(report.number, e.from);
      throw e;
    }
    const done =
      verb === "ack" ? "officer.done_ack" : verb === "close" ? "officer.done_close" : "officer.done_reject";
    return { key: done, vars: { number: report.number } };
  }

  private button(action: OfficerAction, reportId: number, officeCode: string): ActionButton {
    return { action, data: signAction(this.secret, action, reportId, officeCode) };
  }
}
