import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { reports } from "../../db/schema/index.js";
import { type LocaleBundle, type TextKey, t } from "../../engine/locale.js";
import { CARD_ACTIONS, type OfficerAction, type OfficerActions } from "../../officers/actions.js";
import type { OfficerChat, OfficerCommands } from "../../officers/commands.js";
import { InviteError, type OfficerInvites } from "../../officers/invites.js";
import { OUTCOMES, REJECT_REASONS } from "../../reports/status.js";
import { numberedMenu } from "./render.js";

/** The tracking number in a text. */
const TRACKING_NUMBER = /LN-[0-9A-Z]{4}-[0-9A-Z]{4}/i;
/** The typed officer commands (as on Telegram). */
const COMMAND = /^\/(laporan|lihat|ekspor|teruskan|tanya|selesaitanya|tolak|masuk)(?:\s+([\s\S]*))?$/i;
/** A numbered answer: "1", or "1 LN-XXXX-XXXX" for a card's action on that report. */
const NUMBERED = /^(\d{1,2})(?:[.)]?\s+(LN-[0-9A-Z]{4}-[0-9A-Z]{4}))?\s*$/i;
/** How long a follow-up menu ("choose the reason") may be answered with a bare number. */
const MENU_TTL_MS = 30 * 60_000;

/** An officer's message on WhatsApp, as the channel read it. */
export interface OfficerMessage {
  chatId: string;
  chatType: "private" | "group";
  /** The sender's stable WhatsApp id. */
  userId: string;
  displayName?: string | null;
  text: string;
  /** The bot's message the officer replied to (quoted), if any. */
  quoted?: string | undefined;
  now: Date;
}

/** What the desk answers: texts, or a document with a caption. */
export type OfficerOutgoing =
  | { kind: "text"; text: string }
  | { kind: "document"; bytes: Uint8Array; fileName: string; mimetype: string; caption: string };

/** A numbered menu an officer may answer: which report and which actions, in order. */
interface Menu {
  number: string;
  actions: readonly OfficerAction[];
  at: number;
}

/**
 * Officers on WhatsApp Web, where there are no buttons: the report card's actions are numbered
 * (see the WhatsApp delivery transport) and an officer answers by replying to (quoting) the card
 * with the number, or by typing e.g. "1 LN-XXXX-XXXX"; follow-up choices (reject reason, close
 * outcome) are numbered too; replies to the bot's prompts become `/tanya`, `/teruskan`, `/tolak`;
 * `/petugas KODE` and the typed commands work as on Telegram. Every check is the one Telegram
 * gets: the number becomes the same signed action and goes through {@link OfficerActions.press},
 * commands through {@link OfficerCommands.run}.
 */
export class WhatsAppOfficerDesk {
  private readonly menus = new Map<string, Menu>();

  constructor(
    private readonly deps: {
      db: Database;
      actions: OfficerActions;
      invites: OfficerInvites;
      commands: OfficerCommands;
      locales: LocaleBundle;
    },
  ) {}

  /**
   * Handles a message if it is one for the officers' desk; undefined when it is not (in a private
   * chat the citizen flow then takes it; in a group it is ignored).
   */
  async handle(m: OfficerMessage): Promise<OfficerOutgoing[] | undefined> {
    const text = m.text.trim();
    const invite = /^\/petugas(?:\s+(\S+))?\s*$/i.exec(text);
    if (invite) return this.invite(m, invite[1]);
    const chat: OfficerChat = {
      channel: "whatsapp",
      chatId: m.chatId,
      chatType: m.chatType,
      userId: m.userId,
      now: m.now,
    };
    const typed = COMMAND.exec(text);
    const numbered = NUMBERED.exec(text);
    // Most messages are a citizen's answers: no database question unless it can be an officer's.
    if (!typed && !numbered && m.quoted === undefined) return undefined;
    const office = await this.deps.commands.officeOf(chat);
    if (typed) {
      // In a private chat, a citizen who types /laporan gets the citizen flow.
      if (m.chatType === "private" && !office) return undefined;
      return this.command(chat, typed[1]!.toLowerCase(), typed[2] ?? "");
    }
    if (!office) return undefined;
    if (m.quoted !== undefined) {
      const prompted = this.prompted(m.quoted, text);
      if (prompted) return this.command(chat, prompted.name, prompted.args);
    }
    if (!numbered) return undefined;
    const menu = numbered[2]
      ? { number: numbered[2].toUpperCase(), actions: CARD_ACTIONS, at: m.now.getTime() }
      : m.quoted !== undefined
        ? this.menuOf(m.quoted, m.now)
        : this.rememberedMenu(m);
    if (!menu) return undefined;
    const action = menu.actions[Number(numbered[1]) - 1];
    if (!action) {
      return [
        {
          kind: "text",
          text: this.say("whatsapp.officer_number_unknown", { max: String(menu.actions.length) }),
        },
      ];
    }
    return this.press(m, chat, office, menu.number, action);
  }

  private async press(
    m: OfficerMessage,
    chat: OfficerChat,
    office: string,
    number: string,
    action: OfficerAction,
  ): Promise<OfficerOutgoing[]> {
    const [report] = await this.deps.db
      .select({ id: reports.id })
      .from(reports)
      .where(eq(reports.number, number))
      .limit(1);
    if (!report) return [{ kind: "text", text: this.say("officer_cmd.not_held", { number }) }];
    const data = this.deps.actions.sign(action, report.id, office);
    const result = await this.deps.actions.press("whatsapp", chat.userId, data, m.now);
    const text = this.say(result.key, result.vars);
    if (!result.buttons?.length) return [{ kind: "text", text }];
    const actions = result.buttons.map((b) => b.action);
    this.menus.set(this.menuKey(m), { number, actions, at: m.now.getTime() });
    const labels = actions.map((a) => this.say(`officer.buttons.${a.replace(":", "_")}`));
    return [{ kind: "text", text: numberedMenu(text, labels, this.say("whatsapp.officer_menu_hint")) }];
  }

  private async command(chat: OfficerChat, name: string, args: string): Promise<OfficerOutgoing[]> {
    const r = await this.deps.commands.run(chat, name, args);
    if ("document" in r) {
      return [
        {
          kind: "document",
          bytes: r.document.bytes,
          fileName: r.document.fileName,
          mimetype: "text/csv",
          caption: this.say(r.key, r.vars),
        },
      ];
    }
    return [{ kind: "text", text: "text" in r ? r.text : this.say(r.key, r.vars) }];
  }

  private async invite(m: OfficerMessage, code: string | undefined): Promise<OfficerOutgoing[]> {
    if (!code) return [{ kind: "text", text: this.say("officer.invite_usage") }];
    try {
      const r = await this.deps.invites.redeem(code, {
        channel: "whatsapp",
        chatType: m.chatType,
        chatId: m.chatId,
        userId: m.userId,
        displayName: m.displayName ?? null,
        now: m.now,
      });
      const key = r.kind === "destination" ? "officer.invite_group_ok" : "officer.invite_officer_ok";
      return [{ kind: "text", text: this.say(key, { office: r.officeName }) }];
    } catch (e) {
      if (e instanceof InviteError) return [{ kind: "text", text: this.say(`officer.invite_${e.reason}`) }];
      throw e;
    }
  }

  /** A reply to the bot's "write the question / place / reason" prompt, as the command it stands for. */
  private prompted(quoted: string, text: string): { name: string; args: string } | undefined {
    for (const [kind, name] of [
      ["ask", "tanya"],
      ["forward", "teruskan"],
      ["reject", "tolak"],
    ] as const) {
      const number = this.numberIn(quoted, `officer.prompt_${kind}`, true);
      if (number) return { name, args: `${number} ${text}` };
    }
    return undefined;
  }

  /** The menu a quoted bot message showed: a close-outcome or reject-reason menu, else a card's actions. */
  private menuOf(quoted: string, now: Date): Menu | undefined {
    const at = now.getTime();
    const outcome = this.numberIn(quoted, "officer.choose_outcome");
    if (outcome) return { number: outcome, actions: OUTCOMES.map((o) => `close:${o}` as const), at };
    const reason = this.numberIn(quoted, "officer.choose_reason");
    if (reason) return { number: reason, actions: REJECT_REASONS.map((r) => `reject:${r}` as const), at };
    const number = TRACKING_NUMBER.exec(quoted)?.[0]?.toUpperCase();
    return number ? { number, actions: CARD_ACTIONS, at } : undefined;
  }

  /** The follow-up menu this officer was shown last in this chat, when still fresh. */
  private rememberedMenu(m: OfficerMessage): Menu | undefined {
    const menu = this.menus.get(this.menuKey(m));
    return menu && m.now.getTime() - menu.at < MENU_TTL_MS ? menu : undefined;
  }

  private menuKey(m: OfficerMessage): string {
    return `${m.chatId}|${m.userId}`;
  }

  /**
   * The report number in `text` when it is the locale text `key` (its first paragraph when the
   * text continues with a menu; the whole text when `whole`).
   */
  private numberIn(text: string, key: string, whole = false): string | undefined {
    const template = t(this.deps.locales, "id", key as TextKey, { number: "\u0000" });
    const [before = "", after = ""] = template.split("\u0000");
    const head = whole ? text : (text.split("\n\n")[0] ?? "");
    if (!head.startsWith(before) || !head.endsWith(after)) return undefined;
    const number = head.slice(before.length, head.length - after.length);
    return TRACKING_NUMBER.test(number) ? number.toUpperCase() : undefined;
  }

  private say(key: string, vars?: Record<string, string>): string {
    return t(this.deps.locales, "id", key as TextKey, vars);
  }
}
