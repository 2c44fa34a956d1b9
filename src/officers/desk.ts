import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { officeDestinations, officers, reports } from "../db/schema/index.js";
import type { LocaleBundle } from "../engine/locale.js";
import type { Lang } from "../engine/types.js";
import type { Logger } from "../log.js";
import { OUTCOMES, REJECT_REASONS } from "../reports/status.js";
import {
  type ActionResult,
  CARD_ACTIONS,
  isOfficerAction,
  type OfficerAction,
  type OfficerActions,
} from "./actions.js";
import { type CardStatus, cardStatus } from "./card-status.js";
import type { OfficerChat, OfficerCommands, OfficerReply } from "./commands.js";
import { PROMPT_COMMANDS, type PromptKind, parseOfficerText, TRACKING_NUMBER } from "./grammar.js";
import { InviteError, type OfficerInvites } from "./invites.js";
import { type DeskSeat, DeskState, type Pending } from "./state.js";
import { buttonKey, OFFICER_TEXT_KEYS, type OfficerTextKey, officerText } from "./texts.js";

/** The channels officers work on. */
export type DeskChannel = OfficerChat["channel"];

/** How long a prompt ("write the question") or a numbered menu waits for its answer. */
const PENDING_TTL_MS = 30 * 60_000;

/** What an officer sent, as a channel read it. */
export interface DeskMessage {
  channel: DeskChannel;
  chatId: string;
  chatType: "private" | "group";
  /** The sender's stable platform id. */
  userId: string;
  displayName?: string | null;
  /** The platform's message or callback id; each is handled once, across restarts. */
  messageId?: string | undefined;
  /** What the officer typed. */
  text?: string | undefined;
  /** The signed data of a pressed button or list row (`o:…`). */
  pressed?: string | undefined;
  /** The bot's message this one replies to (quotes), if any. */
  quoted?: string | undefined;
  /**
   * The channel's reference to the report card this press or reply belongs to, when it knows it
   * (Telegram: the card's message), so the card can be updated after the action.
   */
  cardRef?: string | undefined;
  /** How the channel shows choices: buttons, or a numbered menu answered with a number. */
  menus: "buttons" | "numbered";
  now: Date;
}

/** A choice the channel shows as a button, a list row, or a numbered line. */
export interface DeskButton {
  action: OfficerAction;
  label: string;
  /** The signed action (`o:…`), sent back when pressed. */
  data: string;
}

/** What the desk answers; each channel renders it with what it has. */
export type DeskOutput =
  /** A message; `buttons` a choice to make, `prompt` when the officer should answer by replying. */
  | {
      kind: "text";
      text: string;
      buttons?: DeskButton[];
      /** The language of the chat (for the channel's own words around the buttons). */
      lang?: Lang;
      prompt?: boolean;
      /** The channel's reference to the card this message follows up (send it as a reply to it). */
      cardRef?: string | undefined;
    }
  /** A refused press or command (Telegram shows it as an alert on the button). */
  | { kind: "refusal"; text: string }
  | { kind: "document"; caption: string; bytes: Uint8Array; fileName: string; mime: string }
  /** A number that is not on the menu (channels with numbered menus). */
  | { kind: "unknown_number"; max: number; lang: Lang }
  /**
   * The report's new status for its card: channels that can edit messages update the card
   * (`cardRef`), the others send `status.line` and the actions still possible.
   */
  | { kind: "card"; status: CardStatus; buttons: DeskButton[]; cardRef?: string | undefined; lang: Lang };

/** Answers that refuse an action (every "not allowed in this status" text among them). */
const REFUSALS = new Set<OfficerTextKey>([
  "officer.forged",
  "officer.moved",
  "officer.not_officer",
  "officer.close_needs_ack",
  ...OFFICER_TEXT_KEYS.filter((k) => k.startsWith("officer.not_allowed_")),
]);
/** The prompts an action asks, and what their answer becomes. */
const PROMPTS: Partial<Record<OfficerTextKey, PromptKind>> = {
  "officer.prompt_ask": "ask",
  "officer.prompt_forward": "forward",
  "officer.prompt_reject": "reject",
};
/** Command answers after which the report's status changed (its card is updated). */
const CHANGED = new Set<OfficerTextKey>([
  "officer_cmd.asked",
  "officer_cmd.forwarded",
  "officer.done_reject",
]);

/**
 * The officers' desk, one for every channel: reads what an officer sent (a pressed button or list
 * row, `/petugas KODE`, a typed command, the answer to a prompt, a number answering a menu) with
 * one grammar (`grammar.ts`), turns every button and number into the same signed action
 * ({@link OfficerActions.press}, with all its checks) and every command into
 * {@link OfficerCommands.run}, and answers with abstract {@link DeskOutput}s that each channel
 * renders: buttons on Telegram and the Cloud API, numbered menus on WhatsApp Web. What an officer
 * was asked last and which messages were handled are kept in the database ({@link DeskState}).
 * Texts are in the officer's or office chat's language (Indonesian unless set otherwise).
 */
export class OfficerDesk {
  readonly state: DeskState;

  constructor(
    private readonly deps: {
      db: Database;
      actions: OfficerActions;
      invites: OfficerInvites;
      commands: OfficerCommands;
      locales: LocaleBundle;
      logger: Logger;
    },
  ) {
    this.state = new DeskState(deps.db);
  }

  /**
   * Handles a message if it is one for the desk; undefined when it is not (in a private chat the
   * citizen flow then takes it; in a group it is ignored). An empty list: handled before, or
   * nothing to say.
   */
  async handle(m: DeskMessage): Promise<DeskOutput[] | undefined> {
    const seat: DeskSeat = { channel: m.channel, chatId: m.chatId, userId: m.userId };
    if (m.pressed !== undefined) {
      if (!m.pressed.startsWith("o:")) return undefined;
      if (!(await this.claim(m))) return [];
      const { lang } = await this.chatOf(m);
      return this.press(m, m.pressed, lang, m.cardRef);
    }
    const text = (m.text ?? "").trim();
    const parsed = parseOfficerText(text);
    if (parsed?.kind === "invite") {
      if (!(await this.claim(m))) return [];
      return this.invite(m, parsed.code);
    }
    if (parsed?.kind === "command") {
      const where = await this.chatOf(m);
      // In a private chat, a citizen who types /laporan gets the citizen flow.
      if (m.chatType === "private" && !where.office) return undefined;
      if (!(await this.claim(m))) return [];
      await this.state.forget(seat);
      return this.command(m, parsed.name, parsed.args, where.lang);
    }
    // A reply to a prompt, a number answering a menu, or (in a private chat) a pending prompt's answer.
    const prompted = m.quoted !== undefined ? this.promptIn(m.quoted) : undefined;
    const numbered = parsed?.kind === "number" && m.menus === "numbered" ? parsed : undefined;
    if (!prompted && !numbered && (m.chatType !== "private" || !text || text.startsWith("/")))
      return undefined;
    const pending = await this.state.pending(seat, m.now);
    if (!prompted && !numbered && pending?.kind !== "prompt") return undefined;
    const where = await this.chatOf(m);
    if (!where.office) return undefined;
    if (!(await this.claim(m))) return [];
    if (prompted || (!numbered && pending?.kind === "prompt")) {
      const number = prompted?.number ?? pending!.reportNumber;
      const name = prompted
        ? PROMPT_COMMANDS[prompted.kind]
        : pending!.kind === "prompt"
          ? pending!.command
          : "";
      const cardRef = pending?.reportNumber === number ? pending.cardRef : undefined;
      await this.state.forget(seat);
      return this.command(m, name, `${number} ${text}`, where.lang, { office: where.office, cardRef });
    }
    const menu = numbered!.report
      ? { reportNumber: numbered!.report, actions: [...CARD_ACTIONS] as string[] }
      : m.quoted !== undefined
        ? this.menuIn(m.quoted)
        : pending?.kind === "menu"
          ? pending
          : undefined;
    if (!menu) return undefined;
    const action = menu.actions[numbered!.choice - 1];
    if (!action) return [{ kind: "unknown_number", max: menu.actions.length, lang: where.lang }];
    const [report] = await this.deps.db
      .select({ id: reports.id })
      .from(reports)
      .where(eq(reports.number, menu.reportNumber))
      .limit(1);
    if (!report)
      return [
        { kind: "text", text: this.say(where.lang, "officer_cmd.not_held", { number: menu.reportNumber }) },
      ];
    if (!isOfficerAction(action))
      return [{ kind: "unknown_number", max: menu.actions.length, lang: where.lang }];
    const data = this.deps.actions.sign(action, report.id, where.office);
    return this.press(m, data, where.lang, undefined);
  }

  /** A button, list row or numbered action: the signed action, checked and carried out. */
  private async press(
    m: DeskMessage,
    data: string,
    lang: Lang,
    cardRef: string | undefined,
  ): Promise<DeskOutput[]> {
    const seat: DeskSeat = { channel: m.channel, chatId: m.chatId, userId: m.userId };
    const result = await this.deps.actions.press(m.channel, m.userId, data, m.now);
    const text = this.say(lang, result.key, result.vars);
    if (REFUSALS.has(result.key)) return [{ kind: "refusal", text }];
    const number = result.vars?.number;
    const prompt = PROMPTS[result.key];
    if (result.forceReply && prompt && number) {
      await this.state.remember(
        seat,
        { kind: "prompt", reportNumber: number, command: PROMPT_COMMANDS[prompt], cardRef },
        new Date(m.now.getTime() + PENDING_TTL_MS),
      );
      return [{ kind: "text", text, prompt: true, cardRef }];
    }
    if (result.buttons?.length) {
      if (m.menus === "numbered" && number)
        await this.state.remember(
          seat,
          { kind: "menu", reportNumber: number, actions: result.buttons.map((b) => b.action), cardRef },
          new Date(m.now.getTime() + PENDING_TTL_MS),
        );
      return [{ kind: "text", text, buttons: this.label(lang, result.buttons), lang, cardRef }];
    }
    const signed = this.deps.actions.read(data);
    const card = signed ? await this.card(lang, signed.reportId, signed.officeCode, cardRef) : undefined;
    return [{ kind: "text", text }, ...(card ? [card] : [])];
  }

  private async command(
    m: DeskMessage,
    name: string,
    args: string,
    lang: Lang,
    after?: { office: string; cardRef: string | undefined },
  ): Promise<DeskOutput[]> {
    const chat: OfficerChat = {
      channel: m.channel,
      chatId: m.chatId,
      chatType: m.chatType,
      userId: m.userId,
      now: m.now,
    };
    const r = await this.deps.commands.run(chat, name, args);
    const out = this.reply(lang, r);
    if (after && "key" in r && !("document" in r) && CHANGED.has(r.key)) {
      const number = TRACKING_NUMBER.exec(args)?.[0]?.toUpperCase();
      const [report] = number
        ? await this.deps.db.select({ id: reports.id }).from(reports).where(eq(reports.number, number))
        : [];
      const card = report ? await this.card(lang, report.id, after.office, after.cardRef) : undefined;
      if (card) out.push(card);
    }
    return out;
  }

  private reply(lang: Lang, r: OfficerReply): DeskOutput[] {
    if ("document" in r) {
      return [
        {
          kind: "document",
          caption: this.say(lang, r.key, r.vars),
          bytes: r.document.bytes,
          fileName: r.document.fileName,
          mime: r.document.mime,
        },
      ];
    }
    if ("text" in r) return [{ kind: "text", text: r.text }];
    if (REFUSALS.has(r.key)) return [{ kind: "refusal", text: this.say(lang, r.key, r.vars) }];
    return [{ kind: "text", text: this.say(lang, r.key, r.vars) }];
  }

  /** `/petugas <code>`: a group becomes a destination of the office; a person becomes its officer. */
  private async invite(m: DeskMessage, code: string | undefined): Promise<DeskOutput[]> {
    const lang: Lang = "id";
    if (!code) return [{ kind: "text", text: this.say(lang, "officer.invite_usage") }];
    try {
      const r = await this.deps.invites.redeem(code, {
        channel: m.channel,
        chatType: m.chatType,
        chatId: m.chatId,
        userId: m.userId,
        displayName: m.displayName ?? null,
        now: m.now,
      });
      const key = r.kind === "destination" ? "officer.invite_group_ok" : "officer.invite_officer_ok";
      return [{ kind: "text", text: this.say(lang, key, { office: r.officeName }) }];
    } catch (e) {
      if (e instanceof InviteError)
        return [{ kind: "text", text: this.say(lang, `officer.invite_${e.reason}`) }];
      throw e;
    }
  }

  /** The card's new status, with its remaining actions signed for the card's office. */
  private async card(
    lang: Lang,
    reportId: number,
    officeCode: string,
    cardRef: string | undefined,
  ): Promise<DeskOutput | undefined> {
    const status = await cardStatus(this.deps.db, this.deps.locales, lang, reportId, officeCode);
    if (!status) return undefined;
    const buttons = this.label(
      lang,
      status.actions.map((action) => ({
        action,
        data: this.deps.actions.sign(action, reportId, officeCode),
      })),
    );
    return { kind: "card", status, buttons, cardRef, lang };
  }

  private label(lang: Lang, buttons: ActionResult["buttons"] & object): DeskButton[] {
    return buttons.map((b) => ({ ...b, label: this.say(lang, buttonKey(b.action)) }));
  }

  /** The office a chat acts for (a group that is a destination, or an officer's private chat) and its language. */
  private async chatOf(m: DeskMessage): Promise<{ office: string | undefined; lang: Lang }> {
    const { db } = this.deps;
    if (m.chatType === "group") {
      const [d] = await db
        .select({ office: officeDestinations.officeCode, lang: officeDestinations.lang })
        .from(officeDestinations)
        .where(
          and(
            eq(officeDestinations.channel, m.channel),
            eq(officeDestinations.address, m.chatId),
            eq(officeDestinations.active, true),
          ),
        )
        .limit(1);
      return { office: d?.office, lang: d?.lang ?? "id" };
    }
    const [o] = await db
      .select({ office: officers.officeCode, lang: officers.lang })
      .from(officers)
      .where(and(eq(officers.channel, m.channel), eq(officers.userId, m.userId), eq(officers.active, true)))
      .limit(1);
    return { office: o?.office, lang: o?.lang ?? "id" };
  }

  /** Claims the message for handling; false when it was handled before (a redelivery). */
  private async claim(m: DeskMessage): Promise<boolean> {
    if (!m.messageId) return true;
    const first = await this.state.claim(m.channel, m.messageId, m.now);
    if (!first) this.deps.logger.info({ channel: m.channel }, "officer message already handled; ignored");
    return first;
  }

  /** The prompt a quoted bot message is, with its report number. */
  private promptIn(quoted: string): { kind: PromptKind; number: string } | undefined {
    for (const kind of PROMPT_KINDS) {
      const number = this.numberIn(quoted, PROMPT_KEY[kind], true);
      if (number) return { kind, number };
    }
    return undefined;
  }

  /** The menu a quoted bot message showed: a close-outcome or reject-reason menu, else a card's actions. */
  private menuIn(quoted: string): Pick<Pending & { kind: "menu" }, "reportNumber" | "actions"> | undefined {
    const outcome = this.numberIn(quoted, "officer.choose_outcome");
    if (outcome) return { reportNumber: outcome, actions: OUTCOMES.map((o) => `close:${o}`) };
    const reason = this.numberIn(quoted, "officer.choose_reason");
    if (reason) return { reportNumber: reason, actions: REJECT_REASONS.map((r) => `reject:${r}`) };
    const number = TRACKING_NUMBER.exec(quoted)?.[0]?.toUpperCase();
    return number ? { reportNumber: number, actions: [...CARD_ACTIONS] } : undefined;
  }

  /**
   * The report number in `text` when it is the desk's text `key` in any language (its first
   * paragraph when the text continues with a menu; the whole text when `whole`).
   */
  private numberIn(text: string, key: OfficerTextKey, whole = false): string | undefined {
    const head = whole ? text : (text.split("\n\n")[0] ?? "");
    for (const lang of ["id", "en"] as const) {
      const template = officerText(this.deps.locales, lang, key, { number: "\u0000" });
      const [before = "", after = ""] = template.split("\u0000");
      if (!head.startsWith(before) || !head.endsWith(after)) continue;
      const number = head.slice(before.length, head.length - after.length);
      if (WHOLE_NUMBER.test(number)) return number.toUpperCase();
    }
    return undefined;
  }

  private say(lang: Lang, key: OfficerTextKey, vars?: Record<string, string>): string {
    return officerText(this.deps.locales, lang, key, vars);
  }
}

const PROMPT_KINDS: readonly PromptKind[] = ["ask", "forward", "reject"];
const WHOLE_NUMBER = /^LN-[0-9A-Z]{4}-[0-9A-Z]{4}$/i;

const PROMPT_KEY: Record<PromptKind, OfficerTextKey> = {
  ask: "officer.prompt_ask",
  forward: "officer.prompt_forward",
  reject: "officer.prompt_reject",
};
