import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database } from "../db/client.js";
import {
  evidence,
  officeDestinations,
  officers,
  outbox,
  type Report,
  relays,
  reportEvents,
  reportIdentities,
  reports,
} from "../db/schema/index.js";
import { renderReportCard } from "../delivery/card.js";
import type { FlowRegistry } from "../engine/flow-schema.js";
import type { LocaleBundle } from "../engine/locale.js";
import type { Logger } from "../log.js";
import type { PlaceSearch } from "../regions/place-search.js";
import { csvLine, EXPORT_COLUMNS, exportRow } from "../reports/export.js";
import { changeStatus, OPEN_STATUSES, StatusTransitionError } from "../reports/status.js";
import { parseTrackingNumber } from "../reports/tracking-number.js";
import type { Router } from "../routing/route.js";
import { isOfficerOf } from "./invites.js";

/** Who acts in {@link OfficerCommands.act}: a chat, or the office console (channel "console"). */
export type ActingChat = Omit<OfficerChat, "channel"> & { channel: string };

/** What `/masuk` produced: a link, or a refusal because too many were asked for. */
export type ConsoleLinkResult = { kind: "link"; url: string; officeName: string } | { kind: "too_many" };

/** Where an officer command was typed. */
export interface OfficerChat {
  channel: "telegram" | "whatsapp" | "wacloud";
  chatId: string;
  chatType: "private" | "group";
  userId: string;
  now: Date;
}

/** The answer: a text from the locale files (`officer_cmd.*`), or a text to show as is, or a CSV document. */
export type OfficerReply =
  | { key: string; vars?: Record<string, string> }
  | { text: string }
  | { document: { fileName: string; bytes: Uint8Array }; key: string; vars?: Record<string, string> };

/**
 * What officers type in their chat: `/laporan` (the office's open reports with their ages),
 * `/lihat <number>`, `/ekspor` (the office's reports as CSV), `/teruskan <number> <place> [- reason]`
 * (move a report to the office of another place), `/tanya <number> <question>` and
 * `/selesaitanya <number>` (a question to the reporter, whose replies come back to this chat),
 * `/tolak <number> <reason>` (reject with the officer's own words), `/masuk` (a one-time link to the
 * office console, private chats only). A chat acts for the office whose destination it
 * is (a group) or whose officer wrote (a private chat); only registered officers of that office may
 * use them (a refusal is logged).
 */
export class OfficerCommands {
  constructor(
    private readonly deps: {
      db: Database;
      router: Router;
      places: PlaceSearch;
      registry: FlowRegistry;
      locales: LocaleBundle;
      logger: Logger;
      /** Called when a relay opens or closes for a contact (the conversation forgets its cached state). */
      onRelayChange?: (contactId: number) => void;
      /** Makes a one-time console link for an officer (`/masuk`); absent when the console is off. */
      consoleLink?: (officeCode: string, channel: string, userId: string) => Promise<ConsoleLinkResult>;
    },
  ) {}

  /** The office a chat acts for, or undefined when it is neither an office group nor an officer. */
  async officeOf(chat: OfficerChat): Promise<string | undefined> {
    const { db } = this.deps;
    if (chat.chatType === "group") {
      const [d] = await db
        .select({ office: officeDestinations.officeCode })
        .from(officeDestinations)
        .where(
          and(
            eq(officeDestinations.channel, chat.channel),
            eq(officeDestinations.address, chat.chatId),
            eq(officeDestinations.active, true),
          ),
        )
        .limit(1);
      return d?.office;
    }
    const [o] = await db
      .select({ office: officers.officeCode })
      .from(officers)
      .where(
        and(eq(officers.channel, chat.channel), eq(officers.userId, chat.userId), eq(officers.active, true)),
      )
      .limit(1);
    return o?.office;
  }

  /** Runs a command; `name` without the slash, `args` the rest of the line. */
  async run(chat: OfficerChat, name: string, args: string): Promise<OfficerReply> {
    const office = await this.officeOf(chat);
    if (!office) return { key: "officer_cmd.not_office_chat" };
    if (!(await isOfficerOf(this.deps.db, office, chat.channel, chat.userId))) {
      this.deps.logger.warn(
        { office, channel: chat.channel, command: name },
        "officer command refused: not an officer of the office",
      );
      return { key: "officer.not_officer" };
    }
    if (name === "masuk") return this.consoleLink(office, chat);
    return this.act(office, chat, name, args);
  }

  /**
   * Runs a command for `office` without the chat checks of {@link run}: for the office console, which
   * has checked the signed-in user and the report's office itself.
   */
  async act(office: string, chat: ActingChat, name: string, args: string): Promise<OfficerReply> {
    switch (name) {
      case "laporan":
        return this.list(office, chat.now);
      case "lihat":
        return this.show(office, args);
      case "ekspor":
        return this.export(office, chat.now);
      case "teruskan":
        return this.forward(office, chat, args);
      case "tanya":
        return this.ask(office, chat, args);
      case "selesaitanya":
        return this.endRelay(office, chat, args);
      case "tolak":
        return this.reject(office, chat, args);
      default:
        return { key: "officer_cmd.usage" };
    }
  }

  /** `/masuk`: a one-time link to the office console, only in a private chat. */
  private async consoleLink(office: string, chat: OfficerChat): Promise<OfficerReply> {
    if (!this.deps.consoleLink) return { key: "officer_cmd.console_off" };
    if (chat.chatType !== "private") return { key: "officer_cmd.console_private" };
    const r = await this.deps.consoleLink(office, chat.channel, chat.userId);
    if (r.kind === "too_many") return { key: "officer_cmd.console_too_many" };
    return { key: "officer_cmd.console_link", vars: { url: r.url, office: r.officeName } };
  }

  private async list(office: string, now: Date): Promise<OfficerReply> {
    const rows = await this.deps.db
      .select()
      .from(reports)
      .where(and(eq(reports.officeCode, office), inArray(reports.status, [...OPEN_STATUSES])))
      .orderBy(asc(reports.createdAt))
      .limit(50);
    if (!rows.length) return { key: "officer_cmd.none_open" };
    const lines = rows.map((r) => {
      const hours = Math.floor((now.getTime() - r.createdAt.getTime()) / 3_600_000);
      const age = hours < 48 ? `${hours} jam` : `${Math.floor(hours / 24)} hari`;
      return `• ${r.number} · ${r.status} · ${r.category} · ${age}`;
    });
    return { key: "officer_cmd.open_list", vars: { count: String(rows.length), list: lines.join("\n") } };
  }

  private async held(office: string, typed: string): Promise<Report | OfficerReply> {
    const number = parseTrackingNumber(typed.split(/\s+/)[0] ?? "");
    if (!number) return { key: "officer_cmd.usage" };
    const [r] = await this.deps.db.select().from(reports).where(eq(reports.number, number));
    if (!r || r.officeCode !== office) return { key: "officer_cmd.not_held", vars: { number } };
    return r;
  }

  private async show(office: string, args: string): Promise<OfficerReply> {
    const r = await this.held(office, args);
    if (!("id" in r)) return r;
    const { db, registry, locales } = this.deps;
    const [ev, identity] = await Promise.all([
      db.select().from(evidence).where(eq(evidence.reportId, r.id)),
      r.track === "formal"
        ? db.select().from(reportIdentities).where(eq(reportIdentities.reportId, r.id))
        : Promise.resolve([]),
    ]);
    const text = renderReportCard(
      { report: r, evidence: ev, identity: identity[0] ?? null, officeName: office, reason: "" },
      registry,
      locales,
    );
    return { text: `${text}\nStatus: ${r.status}` };
  }

  private async export(office: string, now: Date): Promise<OfficerReply> {
    const { db } = this.deps;
    const rows = await db
      .select()
      .from(reports)
      .where(eq(reports.officeCode, office))
      .orderBy(asc(reports.createdAt));
    const ev = rows.length
      ? await db
          .select()
          .from(evidence)
          .where(
            inArray(
              evidence.reportId,
              rows.map((r) => r.id),
            ),
          )
      : [];
    let csv = csvLine([...EXPORT_COLUMNS]);
    for (const r of rows) {
      const row = exportRow(
        r,
        ev.filter((e) => e.reportId === r.id),
        undefined,
      );
      csv += csvLine(EXPORT_COLUMNS.map((c) => row[c] ?? null));
    }
    return {
      document: {
        fileName: `laporan-${office}-${now.toISOString().slice(0, 10)}.csv`,
        bytes: new TextEncoder().encode(csv),
      },
      key: "officer_cmd.exported",
      vars: { count: String(rows.length) },
    };
  }

  /**
   * `/tanya <number> <question>`: the question goes to the reporter in their own channel (only the
   * office is named), the report needs information, and the reporter's replies come back here.
   */
  private async ask(office: string, chat: ActingChat, args: string): Promise<OfficerReply> {
    const [numberText, ...rest] = args.trim().split(/\s+/);
    const r = await this.held(office, numberText ?? "");
    if (!("id" in r)) return r;
    const question = rest.join(" ").trim();
    if (question.length < 3) return { key: "officer_cmd.question_missing" };
    const actor = `${chat.channel}:${chat.userId}`;
    try {
      await this.deps.db.transaction(async (tx) => {
        if (r.status !== "needs_info")
          await changeStatus(tx, r.id, {
            to: "needs_info",
            actor,
            reason: question,
            now: chat.now,
            notify: false,
          });
        await tx
          .insert(relays)
          .values({
            reportId: r.id,
            contactId: r.contactId,
            officeCode: office,
            openedBy: actor,
            openedAt: chat.now,
          })
          .onConflictDoUpdate({
            target: relays.reportId,
            set: { closedAt: null, officeCode: office, openedBy: actor, openedAt: chat.now },
          });
        await tx.insert(outbox).values({
          kind: "notify_contact",
          dedupeKey: `question:${r.id}:${chat.now.getTime()}`,
          reportId: r.id,
          channel: r.channel,
          address: String(r.contactId),
          officeCode: office,
          payload: { template: "question", question },
          nextAttemptAt: chat.now,
        });
      });
    } catch (e) {
      if (e instanceof StatusTransitionError)
        return { key: "officer.not_allowed", vars: { number: r.number, status: e.from } };
      throw e;
    }
    this.deps.onRelayChange?.(r.contactId);
    return { key: "officer_cmd.asked", vars: { number: r.number } };
  }

  /** `/tolak <number> <reason>`: rejects with the officer's own words (kept in the history; the reporter gets the general message). */
  private async reject(office: string, chat: ActingChat, args: string): Promise<OfficerReply> {
    const [numberText, ...rest] = args.trim().split(/\s+/);
    const r = await this.held(office, numberText ?? "");
    if (!("id" in r)) return r;
    const reason = rest.join(" ").trim();
    if (reason.length < 3) return { key: "officer_cmd.reason_missing" };
    try {
      await this.deps.db.transaction((tx) =>
        changeStatus(tx, r.id, {
          to: "rejected",
          actor: `${chat.channel}:${chat.userId}`,
          reason,
          detail: "other",
          now: chat.now,
        }),
      );
    } catch (e) {
      if (e instanceof StatusTransitionError)
        return { key: "officer.not_allowed", vars: { number: r.number, status: e.from } };
      throw e;
    }
    this.deps.onRelayChange?.(r.contactId);
    return { key: "officer.done_reject", vars: { number: r.number } };
  }

  /** `/selesaitanya <number>`: the reporter's messages go back to the normal conversation. */
  private async endRelay(office: string, chat: ActingChat, args: string): Promise<OfficerReply> {
    const r = await this.held(office, args);
    if (!("id" in r)) return r;
    await this.deps.db.update(relays).set({ closedAt: chat.now }).where(eq(relays.reportId, r.id));
    this.deps.onRelayChange?.(r.contactId);
    return { key: "officer_cmd.relay_closed", vars: { number: r.number } };
  }

  /** `/teruskan <number> <place> [- reason]`: the report moves to the first office with a destination for that place. */
  private async forward(office: string, chat: ActingChat, args: string): Promise<OfficerReply> {
    const [numberText, ...rest] = args.trim().split(/\s+/);
    const r = await this.held(office, numberText ?? "");
    if (!("id" in r)) return r;
    const [placeText = "", reasonText = ""] = rest.join(" ").split(/\s+-\s+/);
    const found = this.deps.places.find(placeText);
    if (found.status === "invalid" || !found.best)
      return { key: "officer_cmd.place_unknown", vars: { place: placeText } };
    if (found.ambiguous) {
      return {
        key: "officer_cmd.place_ambiguous",
        vars: { options: found.candidates.map((c) => c.regencyName ?? c.provinceName).join(", ") },
      };
    }
    const region = found.best.regencyCode ?? found.best.provinceCode;
    const { db, router } = this.deps;
    try {
      return await db.transaction(async (tx) => {
        const route = await router.forRegion(region, tx);
        const index = route.steps.findIndex(
          (s) => s.usable && s.officeCode !== office && s.officeCode !== null,
        );
        const step = route.steps[index];
        if (!step) throw new Error("no office");
        await changeStatus(tx, r.id, {
          to: "forwarded",
          actor: `${chat.channel}:${chat.userId}`,
          reason: reasonText || null,
          now: chat.now,
        });
        const stored = route.steps.map(({ officeCode, officeName, role, usable, reason }) => ({
          officeCode,
          officeName,
          role,
          usable,
          reason,
        }));
        await tx
          .update(reports)
          .set({ officeCode: step.officeCode, regionCode: route.regionCode, route: stored })
          .where(eq(reports.id, r.id));
        await tx.insert(reportEvents).values({
          reportId: r.id,
          at: chat.now,
          actor: `${chat.channel}:${chat.userId}`,
          type: "forwarded",
          reason: reasonText || null,
          details: { from: office, to: step.officeCode, place: placeText },
        });
        await tx
          .insert(outbox)
          .values(
            step.destinations.map((d) => ({
              kind: "deliver_report" as const,
              dedupeKey: `deliver:${r.id}:fwd:${chat.now.getTime()}:${d.channel}:${d.address}`,
              reportId: r.id,
              channel: d.channel,
              address: d.address,
              officeCode: step.officeCode,
              payload: { stepIndex: index },
              nextAttemptAt: chat.now,
            })),
          )
          .onConflictDoNothing();
        return { key: "officer_cmd.forwarded", vars: { number: r.number, office: step.officeName } };
      });
    } catch (e) {
      if (e instanceof StatusTransitionError)
        return { key: "officer.not_allowed", vars: { number: r.number, status: e.from } };
      throw e;
    }
  }
}
