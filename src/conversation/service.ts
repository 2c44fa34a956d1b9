import { createHash } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { decideOptOut } from "../broadcasts/opt-out.js";
import { closeSubscription, hasActiveSubscription, recordSubscription } from "../broadcasts/subscriptions.js";
import type { Database, Queryable } from "../db/client.js";
import type { ChannelName } from "../db/schema/index.js";
import { offices, reportEvents, reports, type StoredReply } from "../db/schema/index.js";
import { advance, DEFAULT_LANG } from "../engine/engine.js";
import type { FlowRegistry } from "../engine/flow-schema.js";
import type { EngineSettings } from "../engine/inputs/kind.js";
import { interpolate, type LocaleBundle, type TextKey, t } from "../engine/locale.js";
import type { Lookups } from "../engine/lookups.js";
import type { Effect, Inbound, Lang, Output, Session } from "../engine/types.js";
import type { Logger } from "../log.js";
import { type DayCounting, formatShortTime } from "../parsing/index.js";
import { parseTrackingNumber } from "../parsing/tracking-number.js";
import { type RouteFor, submitReport } from "../reports/submit.js";
import { Batcher } from "./batcher.js";
import { FloodGuard } from "./flood-guard.js";
import { SerialQueue } from "./serial-queue.js";
import {
  commitTurn,
  commitTurns,
  commitTurnWith,
  openTurns,
  type PendingCommit,
  type PendingOpen,
  SessionConflictError,
  type Turn,
} from "./store.js";
import type { InboundMessage, Reply } from "./types.js";

/**
 * A short, stable reference to a platform message for the logs. Message ids can embed the chat id
 * (on WhatsApp, a phone number), so logs carry a hash instead, enough to correlate lines.
 */
function logRef(messageId: string): string {
  return createHash("sha256").update(messageId).digest("base64url").slice(0, 12);
}

/** A day as YYYY-MM-DD in Western Indonesian Time (the report lists' dates). */
const JAKARTA_DATE = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" });

/** How many contacts' sessions are kept in memory between their messages. */
const TURN_CACHE_SIZE = 20_000;

/** What the conversation service needs; built once in `app.ts`. */
export interface ConversationDeps {
  db: Database;
  registry: FlowRegistry;
  locales: LocaleBundle;
  lookups: Lookups;
  settings: EngineSettings & { dayCounting: DayCounting };
  routeFor: RouteFor;
  /** Passes a reporter's message on to the office that asked them a question (see `officers/relay.ts`). */
  relay?: (
    tx: Queryable,
    reportId: number,
    input: Inbound,
    messageId: string,
    now: Date,
  ) => Promise<string | undefined>;
  logger: Logger;
  /**
   * Adds to an input before the engine reads it, inside the contact's queue (e.g. facts an LLM read
   * from a story, see `src/ai/enrich.ts`). Must not reject: on any failure it returns the input as is.
   */
  enrich?: (session: Session | null, input: Inbound) => Promise<Inbound>;
  /** Answers a question about the rules (the engine's `rules_question` effect), see `src/ai/rules-answer.ts`. */
  rules?: { answer(question: string, lang: Lang): Promise<Output> };
  /** The clock; tests pass a fake one. */
  now?: () => Date;
  /**
   * Channels whose replies are kept in the database with the step until they are sent (see
   * `inbound_messages.reply` and `src/delivery/outbound/replies.ts`). Such a channel must report
   * each reply sent (`Reply.ref`), else it is sent again after a restart.
   */
  durableReplies?: ReadonlySet<ChannelName>;
  flood?: FloodGuard;
}

/**
 * Where every citizen message goes, whatever the channel: runs one contact's messages strictly in
 * order (other contacts in parallel), slows a flood with one polite notice, asks the engine what
 * to do, and commits the step atomically: the new session together with the handled message id
 * (so a duplicate delivery is never handled twice), in one statement; or, when the step submits a
 * report, the report, its evidence, its delivery jobs and the session in one statement whose
 * commit waits for the disk. Only after the commit are the replies returned to the channel, so a
 * citizen never sees a receipt for a report that was not saved. While an office has asked the
 * contact a question, their messages go to that office instead (see `officers/relay.ts`).
 */
export class ConversationService {
  private readonly queue = new SerialQueue();
  private readonly flood: FloodGuard;
  private readonly now: () => Date;
  private closing = false;
  /** The last committed turn of recently active contacts, so their next step needs no read. */
  private readonly turns = new Map<string, Turn>();
  /** Turns of different contacts opened together (one statement per event-loop turn). */
  private readonly opens: Batcher<PendingOpen, Turn>;
  /** Ordinary steps of different contacts committed together (one statement per event-loop turn). */
  private readonly commits: Batcher<PendingCommit, boolean>;

  constructor(private readonly deps: ConversationDeps) {
    this.opens = new Batcher((items) => openTurns(deps.db, items));
    this.commits = new Batcher((items) => commitTurns(deps.db, items));
    this.flood = deps.flood ?? new FloodGuard();
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Handles one inbound message. Resolves to the replies to send, or null when the message was a
   * duplicate delivery (already handled). Never rejects for anything the citizen sent: an internal
   * failure rolls the step back and answers with an apology, so the citizen can simply try again.
   */
  handle(msg: InboundMessage): Promise<Reply | null> {
    const key = `${msg.channel}:${msg.chatId}`;
    const flood = this.flood.check(key, this.now().getTime());
    return this.queue.run(key, async () => {
      if (flood.delayMs && !this.closing) await new Promise((r) => setTimeout(r, flood.delayMs));
      // One child logger per inbound message; its bindings never include who the contact is.
      let log = this.deps.logger;
      try {
        const input = typeof msg.input === "function" ? await msg.input() : msg.input;
        log = this.deps.logger.child({ channel: msg.channel, ref: logRef(msg.messageId), input: input.kind });
        let reply: Reply | null;
        for (let attempt = 1; ; attempt++) {
          try {
            reply = await this.step(msg, input, log);
            break;
          } catch (e) {
            // The session changed underneath (another process), or this message was handled before:
            // forget what we knew, read it again and redo the step.
            this.turns.delete(`${msg.channel}:${msg.chatId}`);
            if (!(e instanceof SessionConflictError) || attempt >= 3) throw e;
            log.warn({ attempt }, "session changed by another process; retrying the step");
          }
        }
        if (reply && flood.warn)
          reply.outputs.unshift({ text: t(this.deps.locales, reply.lang, "host.flood") });
        return reply;
      } catch (e) {
        log.error(
          { err: e, channel: msg.channel, ref: logRef(msg.messageId) },
          "conversation step failed; rolled back",
        );
        const lang = msg.languageHint ?? DEFAULT_LANG;
        return { lang, outputs: [{ text: t(this.deps.locales, lang, "host.error_retry") }] };
      }
    });
  }

  /** Resolves when every queued message has been handled (for shutdown and tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Shutting down: handles what is queued without the flood delays, then resolves. */
  drain(): Promise<void> {
    this.closing = true;
    return this.queue.idle();
  }

  private async step(msg: InboundMessage, input: Inbound, log: Logger): Promise<Reply | null> {
    const { db, registry, locales, lookups, settings } = this.deps;
    const now = this.now();
    const vars: Record<string, string> = {};
    const key = `${msg.channel}:${msg.chatId}`;
    const durable = this.deps.durableReplies?.has(msg.channel) ?? false;
    /** The reply as it is kept with the step, when this channel keeps replies. */
    const keep = (
      outputs: Output[],
      lang: Lang,
      more: Record<string, string> = {},
    ): StoredReply | undefined =>
      durable ? { outputs: fill(outputs, { ...vars, ...more }), lang, at: now.toISOString() } : undefined;
    const cached = this.turns.get(key);
    // A contact seen recently: its session is known, so the step costs one statement (the commit),
    // which also detects a duplicate message or a session changed by another process.
    const turn = cached
      ? { ...cached, messageId: msg.messageId, seen: false }
      : await this.opens.submit({
          channel: msg.channel,
          chatId: msg.chatId,
          messageId: msg.messageId,
          lang: msg.languageHint ?? DEFAULT_LANG,
          now,
        });
    let result: { outputs: Output[]; lang: Lang } | null = null;
    if (!turn.seen) {
      // `/status NOMOR` answers at once; a bare `/status` lists the contact's own reports.
      const status = input.kind === "command" && input.name === "status" ? input.args.trim() : undefined;
      const relayed =
        turn.relayReportId !== null && this.deps.relay && ["text", "media", "location"].includes(input.kind)
          ? await this.relayed(turn, input, now, durable)
          : undefined;
      // "berhenti"/"stop": unsubscribes a subscriber (conversation untouched), else cancels as usual.
      const optOut = relayed
        ? undefined
        : await decideOptOut(input, locales, () => hasActiveSubscription(db, turn.contactId));
      if (relayed) {
        result = relayed;
      } else if (optOut?.action === "unsubscribe") {
        result = await this.unsubscribed(turn, optOut.effect, now, durable);
        log.info({ via: optOut.effect.via }, "unsubscribed from broadcasts");
      } else if (status !== undefined) {
        const lang = turn.session?.lang ?? turn.lang;
        const outputs = [await this.statusReply(db, turn.contactId, status, lang)];
        if (await this.commits.submit({ turn, session: null, now, reply: keep(outputs, lang) }))
          result = { outputs, lang };
      } else {
        const read = this.deps.enrich ? await this.deps.enrich(turn.session, input) : input;
        const r = advance(registry, turn.session, read, { now, lookups, locales, settings });
        const submit = r.effects.find((e) => e.kind === "submit_report");
        const answers: { at: number; output: Output }[] = [];
        const subscribe = r.effects.find((e) => e.kind === "subscribe");
        for (const effect of r.effects) {
          if (effect.kind === "status_query")
            r.outputs.push(await this.statusReply(db, turn.contactId, effect.number, r.session.lang));
          else if (effect.kind === "rules_question" && this.deps.rules)
            answers.push({
              at: effect.at ?? r.outputs.length,
              output: await this.deps.rules.answer(effect.question, effect.lang),
            });
          else if (effect.kind === "log") log[effect.level]({ step: r.session.stepId }, effect.message);
        }
        for (const a of answers.reverse()) r.outputs.splice(a.at, 0, a.output);
        // Asked for a report's number (menu "Cek status laporan", /status): the contact's own reports.
        if (registry.flows[r.session.flowId]?.steps[r.session.stepId]?.type === "report_number") {
          const yours = await this.ownReports(db, turn.contactId, r.session.lang);
          if (yours) r.outputs.push(yours);
        }
        if (submit) {
          // The report, its evidence, delivery jobs, the session and the message id: all or nothing,
          // on disk, in one statement (the route is read just before).
          const { report, jobs } = await submitReport(
            db,
            submit.answers,
            { channel: msg.channel, contactId: turn.contactId, lang: submit.lang, now },
            {
              routeFor: this.deps.routeFor,
              deadline: {
                counting: settings.dayCounting,
                check: (learned, today) =>
                  lookups.checkReportingDeadline(learned, today, settings.dayCounting),
              },
              commit: (also, number) =>
                commitTurnWith(
                  db,
                  turn,
                  r.session,
                  now,
                  also,
                  keep(r.outputs, r.session.lang, { "report.number": number }),
                ),
            },
          );
          vars["report.number"] = report.number;
          log.info(
            { report: report.number, track: report.track, office: report.officeCode, jobs },
            "report saved",
          );
        } else if (subscribe) {
          // The subscription and the session: together or not at all.
          await db.transaction(async (tx) => {
            await recordSubscription(tx, { contactId: turn.contactId, channel: msg.channel }, subscribe, now);
            await commitTurn(tx, turn, r.session, now, { reply: keep(r.outputs, r.session.lang) });
          });
          log.info({ scope: subscribe.scope, role: subscribe.role }, "subscribed to broadcasts");
        } else {
          // Not recorded: a duplicate delivery, or the session changed underneath (another process).
          const reply = keep(r.outputs, r.session.lang);
          if (!(await this.commits.submit({ turn, session: r.session, now, reply })))
            throw new SessionConflictError(turn.contactId);
        }
        result = { outputs: r.outputs, lang: r.session.lang };
        this.remember(key, { ...turn, session: r.session, version: turn.version + 1, lang: r.session.lang });
      }
    }
    if (!result) {
      log.debug("duplicate delivery ignored");
      return null;
    }
    return {
      lang: result.lang,
      outputs: fill(result.outputs, vars),
      ...(durable ? { ref: { channel: msg.channel, messageId: msg.messageId } } : {}),
    };
  }

  /**
   * Performs an `unsubscribe` effect with the message id, in one transaction; the conversation does
   * not move, so a complaint being filled in is kept (and the reply says how to cancel it).
   */
  private async unsubscribed(
    turn: Turn,
    effect: Extract<Effect, { kind: "unsubscribe" }>,
    now: Date,
    durable: boolean,
  ): Promise<{ outputs: Output[]; lang: Lang } | null> {
    const { db, locales, registry } = this.deps;
    const lang = turn.session?.lang ?? turn.lang;
    const midway =
      turn.session?.status === "active" && registry.flows[turn.session.flowId]?.resumable === true;
    return db.transaction(async (tx) => {
      await closeSubscription(tx, turn.contactId, effect.via, effect.word, now);
      const outputs: Output[] = [{ text: t(locales, lang, "broadcast.unsubscribed") }];
      if (midway) outputs.push({ text: t(locales, lang, "broadcast.unsubscribed_complaint_kept") });
      const reply = durable ? { outputs, lang, at: now.toISOString() } : undefined;
      // A duplicate delivery: roll back; the retry finds the message already handled.
      if (!(await commitTurn(tx, turn, null, now, { reply }))) throw new SessionConflictError(turn.contactId);
      return { outputs, lang };
    });
  }

  /** Passes the message to the office that asked; the conversation itself does not move. */
  private async relayed(
    turn: Turn,
    input: Inbound,
    now: Date,
    durable: boolean,
  ): Promise<{ outputs: Output[]; lang: Lang } | undefined> {
    const { db, locales } = this.deps;
    const lang = turn.session?.lang ?? turn.lang;
    return db.transaction(async (tx) => {
      const office = await this.deps.relay!(tx, turn.relayReportId!, input, turn.messageId, now);
      if (!office) return undefined;
      const outputs = [{ text: t(locales, lang, "host.relay_forwarded", { office }) }];
      const reply = durable ? { outputs, lang, at: now.toISOString() } : undefined;
      // A duplicate delivery: roll the relay back; the retry finds the message already handled.
      if (!(await commitTurn(tx, turn, null, now, { durable: true, reply })))
        throw new SessionConflictError(turn.contactId);
      return { outputs, lang };
    });
  }

  /** Forgets what is kept in memory about a contact (a relay was opened or closed for them elsewhere). */
  forgetContact(contactId: number): void {
    for (const [key, turn] of this.turns) if (turn.contactId === contactId) this.turns.delete(key);
  }

  /** Keeps the latest turn of a contact (most recently used last), forgetting the oldest beyond the limit. */
  private remember(key: string, turn: Turn): void {
    this.turns.delete(key);
    this.turns.set(key, turn);
    if (this.turns.size > TURN_CACHE_SIZE) this.turns.delete(this.turns.keys().next().value!);
  }

  /** The contact's own latest reports with their numbers and statuses, or undefined when there are none. */
  private async ownReports(tx: Queryable, contactId: number, lang: Lang): Promise<Output | undefined> {
    const { locales } = this.deps;
    const mine = await tx
      .select({ number: reports.number, status: reports.status, createdAt: reports.createdAt })
      .from(reports)
      .where(eq(reports.contactId, contactId))
      .orderBy(desc(reports.createdAt))
      .limit(10);
    if (mine.length === 0) return undefined;
    const list = mine.map((r) =>
      t(locales, lang, "host.status_yours_line", {
        number: r.number,
        date: JAKARTA_DATE.format(r.createdAt),
        status: t(locales, lang, `status.${r.status}` as TextKey),
      }),
    );
    return { text: t(locales, lang, "host.status_yours", { list: list.join("\n") }) };
  }

  /** The status of a report, only for the contact who filed it (numbers cannot be used to read others' reports). */
  private async statusReply(tx: Queryable, contactId: number, typed: string, lang: Lang): Promise<Output> {
    const { locales } = this.deps;
    if (typed === "")
      return (await this.ownReports(tx, contactId, lang)) ?? { text: t(locales, lang, "host.status_none") };
    const number = parseTrackingNumber(typed);
    const [report] = number
      ? await tx
          .select()
          .from(reports)
          .where(and(eq(reports.number, number), eq(reports.contactId, contactId)))
          .limit(1)
      : [];
    if (!report) {
      const yours = await this.ownReports(tx, contactId, lang);
      const text = t(locales, lang, "host.status_not_found", { number: typed.slice(0, 20) });
      return { text: yours ? `${text}\n\n${yours.text}` : text };
    }
    const [events, office] = await Promise.all([
      tx.select().from(reportEvents).where(eq(reportEvents.reportId, report.id)).orderBy(reportEvents.at),
      report.officeCode
        ? tx.select({ name: offices.name }).from(offices).where(eq(offices.code, report.officeCode)).limit(1)
        : Promise.resolve([]),
    ]);
    // Times in the zone of the place reported (WIB, WITA or WIT), named.
    const lines = events
      .filter((e) => e.toStatus)
      .map((e) =>
        t(locales, lang, "host.status_line", {
          date: formatShortTime(e.at, report.regionCode),
          status: t(locales, lang, `status.${e.toStatus}` as TextKey),
        }),
      );
    return {
      text: t(locales, lang, "host.status_found", {
        number: report.number,
        office: office[0]?.name ?? "Bawaslu",
        status: t(locales, lang, `status.${report.status}` as TextKey),
        history: lines.join("\n"),
      }),
    };
  }
}

/** The outputs with their `{{…}}` placeholders filled in (the report number of a receipt). */
function fill(outputs: Output[], vars: Record<string, string>): Output[] {
  return outputs.map((o) => ({
    ...o,
    text: interpolate(o.text, vars),
    ...(o.choices ? { choices: o.choices.map((c) => ({ ...c, label: interpolate(c.label, vars) })) } : {}),
  }));
}
