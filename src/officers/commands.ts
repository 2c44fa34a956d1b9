import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database } from "../db/client.js";
import {
  evidence,
  officeDestinations,
  officers,
  offices,
  type Report,
  type ReportStatus,
  relays,
  reportIdentities,
  reports,
} from "../db/schema/index.js";
import { choiceLabel, renderReportCard } from "../delivery/card.js";
import { queueCard, queueQuestion } from "../delivery/jobs/index.js";
import type { FlowRegistry } from "../engine/flow-schema.js";
import { type LocaleBundle, type TextKey, t } from "../engine/locale.js";
import type { Logger } from "../log.js";
import { formatShortTime } from "../parsing/index.js";
import { parseTrackingNumber } from "../parsing/tracking-number.js";
import type { PlaceSearch } from "../regions/place-search.js";
import { type Cell, csvLine, exportRow } from "../reports/export.js";
import { moveReport } from "../reports/lifecycle.js";
import { changeStatus, OPEN_STATUSES, StatusTransitionError } from "../reports/status.js";
import type { Router } from "../routing/route.js";
import { notAllowed } from "./actions.js";
import { isOfficerOf } from "./invites.js";
import type { OfficerTextKey } from "./texts.js";

/**
 * The columns of the officers' CSV (`/ekspor`), in order: Indonesian headings from the locale files
 * (`export_columns.*`), labels as officers read them, and each code in its own `kode_*` column for
 * machines. Times in the office's zone.
 */
export const OFFICER_EXPORT_COLUMNS = [
  "number",
  "received_at",
  "track",
  "track_code",
  "status",
  "status_code",
  "category",
  "category_code",
  "account",
  "event_date",
  "learned_date",
  "deadline",
  "late",
  "place",
  "place_text",
  "region_code",
  "lat",
  "lon",
  "accused_name",
  "accused_position",
  "agency",
  "agency_raw",
  "asn_type",
  "asn_type_code",
  "witnesses",
  "evidence_files",
  "evidence_links",
  "office",
  "office_code",
  "channel",
] as const;
type OfficerExportColumn = (typeof OFFICER_EXPORT_COLUMNS)[number];

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
  | { key: OfficerTextKey; vars?: Record<string, string> }
  | { text: string }
  | {
      document: { fileName: string; bytes: Uint8Array; mime: string };
      key: OfficerTextKey;
      vars?: Record<string, string>;
    };

/** The officer commands' names, typed after a slash (`/laporan`); each has a handler in {@link OfficerCommands}. */
export const OFFICER_COMMAND_NAMES = [
  "laporan",
  "lihat",
  "ekspor",
  "teruskan",
  "tanya",
  "selesaitanya",
  "tolak",
  "masuk",
] as const;
/** An officer command's name. */
export type OfficerCommandName = (typeof OFFICER_COMMAND_NAMES)[number];

/** True when `name` is an officer command. */
export function isOfficerCommand(name: string): name is OfficerCommandName {
  return (OFFICER_COMMAND_NAMES as readonly string[]).includes(name);
}

type CommandHandler = (office: string, chat: ActingChat, args: string) => Promise<OfficerReply>;

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

  /**
   * The officer commands, by name (without the slash): the one grammar every channel reads
   * ({@link OFFICER_COMMAND_NAMES}, see `grammar.ts`). A new command is an entry here and its
   * texts in the locale files.
   */
  private readonly handlers: Record<OfficerCommandName, CommandHandler> = {
    laporan: (office, chat) => this.list(office, chat.now),
    lihat: (office, _chat, args) => this.show(office, args),
    ekspor: (office, chat) => this.export(office, chat.now),
    teruskan: (office, chat, args) => this.forward(office, chat, args),
    tanya: (office, chat, args) => this.ask(office, chat, args),
    selesaitanya: (office, chat, args) => this.endRelay(office, chat, args),
    tolak: (office, chat, args) => this.reject(office, chat, args),
    masuk: (office, chat) => this.consoleLink(office, chat),
  };

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
    const handler = isOfficerCommand(name) ? this.handlers[name] : undefined;
    return handler ? handler(office, chat, args) : { key: "officer_cmd.usage" };
  }

  /**
   * Runs a command for `office` without the chat checks of {@link run}: for the office console, which
   * has checked the signed-in user and the report's office itself.
   */
  async act(office: string, chat: ActingChat, name: string, args: string): Promise<OfficerReply> {
    const handler = isOfficerCommand(name) && name !== "masuk" ? this.handlers[name] : undefined;
    return handler ? handler(office, chat, args) : { key: "officer_cmd.usage" };
  }

  /** `/masuk`: a one-time link to the office console, only in a private chat. */
  private async consoleLink(office: string, chat: ActingChat): Promise<OfficerReply> {
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
      const age =
        hours < 48
          ? this.say("officer_cmd.age_hours", { n: String(hours) })
          : this.say("officer_cmd.age_days", { n: String(Math.floor(hours / 24)) });
      return this.say("officer_cmd.list_line", {
        number: r.number,
        status: this.statusLabel(r.status),
        category: this.categoryLabel(r.category),
        age,
      });
    });
    return { key: "officer_cmd.open_list", vars: { count: String(rows.length), list: lines.join("\n") } };
  }

  /** An officers' text (Indonesian: the office chats are in Indonesian). */
  private say(key: TextKey, vars?: Record<string, string>): string {
    return t(this.deps.locales, "id", key, vars);
  }

  /** A status as officers read it ("menunggu jawaban pelapor"), never its code. */
  private statusLabel(status: ReportStatus): string {
    return this.say(`officer_status.${status}` as TextKey);
  }

  /** A category's label from the complaint flow ("Like/komen/share/follow akun paslon"). */
  private categoryLabel(category: string | null): string {
    return (
      choiceLabel(this.deps.registry, "complaint", "category", category, "id") ?? this.say("card.unknown")
    );
  }

  /** An office's name ("Bawaslu Kota Metro") by its code. */
  private async officeName(code: string): Promise<string> {
    const [o] = await this.deps.db.select({ name: offices.name }).from(offices).where(eq(offices.code, code));
    return o?.name ?? code;
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
      {
        report: r,
        evidence: ev,
        identity: identity[0] ?? null,
        officeName: await this.officeName(office),
        reason: "",
      },
      registry,
      locales,
    );
    return {
      text: `${text}\n${this.say("officer_cmd.status_line", { status: this.statusLabel(r.status) })}`,
    };
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
    const officeName = await this.officeName(office);
    let csv = csvLine(OFFICER_EXPORT_COLUMNS.map((c) => this.say(`export_columns.${c}` as TextKey)));
    for (const r of rows) {
      // The shared export row (its cell hygiene included), relabelled for people.
      const row = exportRow(
        r,
        ev.filter((e) => e.reportId === r.id),
        undefined,
      );
      const cells: Record<OfficerExportColumn, Cell> = {
        number: row.number ?? null,
        received_at: formatShortTime(r.createdAt, office),
        track: this.say(`card.tracks.${r.track}` as TextKey),
        track_code: row.track ?? null,
        status: this.statusLabel(r.status),
        status_code: row.status ?? null,
        category: this.categoryLabel(r.category),
        category_code: row.category ?? null,
        account: row.account ?? null,
        event_date: row.event_date ?? null,
        learned_date: row.learned_date ?? null,
        deadline: row.deadline ?? null,
        late: r.deadline ? this.say(r.deadline.late ? "labels.yes_short" : "labels.no_short") : null,
        place: row.region_name ?? null,
        place_text: row.place_text ?? null,
        region_code: row.region_code ?? null,
        lat: row.lat ?? null,
        lon: row.lon ?? null,
        accused_name: row.accused_name ?? null,
        accused_position: row.accused_position ?? null,
        agency: row.agency_normalized ?? null,
        agency_raw: row.agency_raw ?? null,
        asn_type: r.asnType ? this.say(`card.asn.${r.asnType}` as TextKey) : null,
        asn_type_code: row.asn_type ?? null,
        witnesses: row.witnesses ?? null,
        evidence_files: row.evidence_files ?? null,
        evidence_links: row.evidence_links ?? null,
        office: officeName,
        office_code: row.office_code ?? null,
        channel: row.channel ?? null,
      };
      csv += csvLine(OFFICER_EXPORT_COLUMNS.map((c) => cells[c]));
    }
    return {
      document: {
        fileName: `laporan-${office}-${now.toISOString().slice(0, 10)}.csv`,
        mime: "text/csv",
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
        await queueQuestion(tx, r, office, question, chat.now);
      });
    } catch (e) {
      if (e instanceof StatusTransitionError) return notAllowed(r.number, e.from);
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
      if (e instanceof StatusTransitionError) return notAllowed(r.number, e.from);
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

  /**
   * `/teruskan <number> <place> [- reason]`: the report moves to the office a new report from that
   * place would reach (the routing chain: its kabupaten/kota, else the province, else Bawaslu RI,
   * skipping offices that cannot receive). Always answers: when that office is this one, or no
   * office of the chain can receive, the officer is told why and the report stays.
   */
  private async forward(office: string, chat: ActingChat, args: string): Promise<OfficerReply> {
    const [numberText, ...rest] = args.trim().split(/\s+/);
    const r = await this.held(office, numberText ?? "");
    if (!("id" in r)) return r;
    const [placeText = "", reasonText = ""] = rest.join(" ").split(/\s+-\s+/);
    if (!placeText.trim()) return { key: "officer_cmd.forward_place_missing" };
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
    const placeName = found.best.regencyName ?? found.best.provinceName;
    const { db, router } = this.deps;
    const actor = `${chat.channel}:${chat.userId}`;
    try {
      return await db.transaction(async (tx): Promise<OfficerReply> => {
        const route = await router.forRegion(region, tx);
        const index = route.steps.findIndex((s) => s.usable && s.officeCode !== null);
        const step = route.steps[index];
        if (!step?.officeCode)
          return { key: "officer_cmd.forward_no_office", vars: { number: r.number, place: placeName } };
        if (step.officeCode === office)
          return {
            key: "officer_cmd.forward_same_office",
            vars: { number: r.number, place: placeName, office: step.officeName },
          };
        await moveReport(tx, r.id, {
          kind: "forwarded",
          toOffice: step.officeCode,
          actor,
          reason: reasonText || null,
          now: chat.now,
          route: {
            regionCode: route.regionCode,
            steps: route.steps.map(({ officeCode, officeName, role, usable, reason }) => ({
              officeCode,
              officeName,
              role,
              usable,
              reason,
            })),
          },
          details: { place: placeText },
        });
        await queueCard(tx, {
          reportId: r.id,
          officeCode: step.officeCode,
          destinations: step.destinations,
          stepIndex: index,
          key: `fwd:${chat.now.getTime()}`,
          now: chat.now,
        });
        return { key: "officer_cmd.forwarded", vars: { number: r.number, office: step.officeName } };
      });
    } catch (e) {
      if (e instanceof StatusTransitionError) return notAllowed(r.number, e.from);
      throw e;
    }
  }
}
