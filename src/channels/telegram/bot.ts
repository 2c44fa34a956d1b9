import { type RunnerHandle, run } from "@grammyjs/runner";
import { Api, Bot, type Context, HttpError, InlineKeyboard, InputFile } from "grammy";
import type { ConversationService } from "../../conversation/service.js";
import { type LocaleBundle, type TextKey, t } from "../../engine/locale.js";
import type { Lang } from "../../engine/types.js";
import { LaporError } from "../../errors.js";
import type { Logger } from "../../log.js";
import type { OfficerActions } from "../../officers/actions.js";
import type { OfficerCommands } from "../../officers/commands.js";
import { InviteError, type OfficerInvites } from "../../officers/invites.js";
import type { EvidenceStore } from "../../reports/evidence-store.js";
import {
  type MediaPolicy,
  OUTBOUND_CLOSED,
  type OutboundLine,
  type Reply,
  type ReplyDelivery,
} from "../types.js";
import { messageToInbound } from "./inbound.js";
import { limitApi } from "./outbound.js";
import { CHOICE_PREFIX, renderForTelegram } from "./render.js";

/** Settings and collaborators of the Telegram channel. */
export interface TelegramOptions {
  token: string;
  /** Bot API server root (a local telegram-bot-api, or a test stand-in); default api.telegram.org. */
  apiRoot?: string | undefined;
  conversation: ConversationService;
  store: EvidenceStore;
  policy: MediaPolicy;
  locales: LocaleBundle;
  logger: Logger;
  /** Officer buttons and invite codes; without them the bot serves citizens only. */
  officers?: { actions: OfficerActions; invites: OfficerInvites; commands: OfficerCommands };
  /**
   * The bot's ONE send limiter (Telegram's limits), shared with deliveries and broadcasts: every
   * message the bot sends goes through it (`./outbound.ts`), citizens' replies first.
   */
  limiter: OutboundLine;
  /** Where replies kept with their step are marked sent (and sent again after a restart). */
  replies?: ReplyDelivery;
}

/** The slash commands shown in Telegram's menu; descriptions come from the locale files. */
const COMMANDS = ["start", "lapor", "status", "batal", "bantuan", "bahasa", "langganan", "berhenti"] as const;

/**
 * The Telegram channel: a grammY bot that turns private-chat updates into {@link InboundMessage}s
 * for the conversation service and renders the replies (inline keyboards for choices, a reply
 * keyboard with the location-request button). Group chats never run the citizen flow.
 */
export class TelegramChannel {
  readonly bot: Bot;
  /**
   * The API for bulk work (deliveries to offices): same limiter, lower priority, one attempt per
   * call (the delivery worker retries), and a bounded wait for a slot.
   */
  readonly bulkApi: Api;
  private runner: RunnerHandle | undefined;

  constructor(private readonly options: TelegramOptions) {
    const client = options.apiRoot ? { apiRoot: options.apiRoot } : {};
    this.bot = new Bot(options.token, { client });
    // Replies and officer answers: never given up while Telegram is only busy.
    limitApi(this.bot.api, options.limiter, { priority: "reply", backoffMs: 200, maxBackoffMs: 2000 });
    this.bulkApi = limitApi(new Api(options.token, client), options.limiter, {
      priority: "bulk",
      maxAttempts: 1,
      maxWaitMs: 60_000,
    });
    options.replies?.register("telegram", (chatId, reply) =>
      this.send(chatId, { outputs: reply.outputs as Reply["outputs"], lang: reply.lang as Lang }),
    );
    this.bot.on("callback_query:data", (ctx) => this.onCallback(ctx));
    this.bot.on("message", (ctx) => this.onMessage(ctx));
    this.bot.catch((err) =>
      options.logger.error({ err: err.error, update: err.ctx.update.update_id }, "telegram handler failed"),
    );
  }

  /** Sets the command menu and starts long polling with @grammyjs/runner. */
  async startPolling(): Promise<void> {
    await this.bot.init();
    await this.setCommands();
    await this.bot.api.deleteWebhook();
    this.runner = run(this.bot, { runner: { fetch: { allowed_updates: ["message", "callback_query"] } } });
  }

  /** Registers the webhook (secret token required) instead of polling. */
  async startWebhook(url: string, secretToken: string): Promise<void> {
    await this.bot.init();
    await this.setCommands();
    await this.bot.api.setWebhook(url, {
      secret_token: secretToken,
      allowed_updates: ["message", "callback_query"],
    });
  }

  /** Stops polling and waits for the updates in progress. */
  async stop(): Promise<void> {
    if (this.runner?.isRunning()) await this.runner.stop();
  }

  private async setCommands(): Promise<void> {
    const { locales } = this.options;
    for (const lang of ["id", "en"] as const) {
      await this.bot.api.setMyCommands(
        COMMANDS.map((command) => ({
          command,
          description: t(locales, lang, `host.commands.${command}` as TextKey),
        })),
        lang === "en" ? { language_code: "en" } : {},
      );
    }
  }

  private langHint(ctx: Context): Lang {
    return ctx.from?.language_code?.startsWith("en") ? "en" : "id";
  }

  private async onMessage(ctx: Context): Promise<void> {
    const message = ctx.message!;
    const command = /^\/petugas(?:@\w+)?(?:\s+(\S+))?/i.exec(message.text ?? "");
    if (command && this.options.officers) return this.onInvite(ctx, command[1]);
    const typed =
      /^\/(laporan|lihat|ekspor|teruskan|tanya|selesaitanya|tolak)(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(
        message.text ?? "",
      );
    const officerCommand = typed
      ? { name: typed[1]!, args: typed[2] ?? "" }
      : this.options.officers
        ? this.promptedCommand(ctx)
        : undefined;
    if (
      officerCommand &&
      this.options.officers &&
      (await this.onOfficerCommand(ctx, officerCommand.name, officerCommand.args))
    ) {
      return;
    }
    if (ctx.chat?.type !== "private") return;
    const chatId = String(ctx.chat.id);
    const reply = await this.options.conversation.handle({
      channel: "telegram",
      chatId,
      messageId: `m:${chatId}:${message.message_id}`,
      receivedAt: new Date(message.date * 1000),
      languageHint: this.langHint(ctx),
      input: () =>
        messageToInbound(message, {
          policy: this.options.policy,
          store: this.options.store,
          download: (id) => this.download(id),
        }),
    });
    if (reply) await this.reply(chatId, reply);
  }

  /** `/petugas <code>`: a group becomes a destination of the office; a person becomes its officer. */
  private async onInvite(ctx: Context, code: string | undefined): Promise<void> {
    const { locales, officers } = this.options;
    const say = (key: string, vars?: Record<string, string>) =>
      ctx.reply(t(locales, "id", key as TextKey, vars));
    if (!code) return void (await say("officer.invite_usage"));
    try {
      const r = await officers!.invites.redeem(code, {
        channel: "telegram",
        chatType: ctx.chat?.type === "private" ? "private" : "group",
        chatId: String(ctx.chat!.id),
        userId: String(ctx.from!.id),
        displayName: [ctx.from?.first_name, ctx.from?.last_name].filter(Boolean).join(" ") || null,
        now: new Date(),
      });
      await say(r.kind === "destination" ? "officer.invite_group_ok" : "officer.invite_officer_ok", {
        office: r.officeName,
      });
    } catch (e) {
      if (e instanceof InviteError) return void (await say(`officer.invite_${e.reason}`));
      throw e;
    }
  }

  /**
   * An officer command in an office chat. Resolves false when a private chat is not an officer's,
   * so a citizen's message falls through to the citizen flow.
   */
  private async onOfficerCommand(ctx: Context, name: string, args: string): Promise<boolean> {
    const { locales, officers } = this.options;
    const chat = {
      channel: "telegram" as const,
      chatId: String(ctx.chat!.id),
      chatType: ctx.chat!.type === "private" ? ("private" as const) : ("group" as const),
      userId: String(ctx.from!.id),
      now: new Date(),
    };
    if (chat.chatType === "private" && !(await officers!.commands.officeOf(chat))) return false;
    const r = await officers!.commands.run(chat, name.toLowerCase(), args);
    if ("document" in r) {
      await ctx.replyWithDocument(new InputFile(r.document.bytes, r.document.fileName), {
        caption: t(locales, "id", r.key as TextKey, r.vars),
      });
    } else {
      await ctx.reply("text" in r ? r.text : t(locales, "id", r.key as TextKey, r.vars));
    }
    return true;
  }

  /** A button on a report card, pressed in an office chat. */
  private async onOfficerAction(ctx: Context, data: string): Promise<void> {
    const { locales, officers } = this.options;
    const result = await officers!.actions.press("telegram", String(ctx.from!.id), data, new Date());
    const text = t(locales, "id", result.key as TextKey, result.vars);
    const refused = !result.key.startsWith("officer.done_") && !result.buttons && !result.forceReply;
    await ctx
      .answerCallbackQuery(refused ? { text: text.slice(0, 190), show_alert: true } : {})
      .catch(() => {});
    if (refused) return;
    const keyboard = result.buttons?.length
      ? InlineKeyboard.from(
          result.buttons.map((b) => [
            InlineKeyboard.text(
              t(locales, "id", `officer.buttons.${b.action.replace(":", "_")}` as TextKey),
              b.data,
            ),
          ]),
        )
      : undefined;
    if (result.forceReply) {
      await ctx.reply(text, {
        reply_markup: { force_reply: true, selective: true, input_field_placeholder: "…" },
      });
      return;
    }
    await ctx.reply(text, keyboard ? { reply_markup: keyboard } : {});
  }

  /**
   * An officer's reply to the bot's "write the question" / "write the place" prompt: becomes
   * `/tanya` or `/teruskan` for the report named in the prompt. Undefined when it is not such a reply.
   */
  private promptedCommand(ctx: Context): { name: string; args: string } | undefined {
    const message = ctx.message!;
    const prompt = message.reply_to_message;
    if (!prompt?.text || prompt.from?.id !== this.bot.botInfo.id || !message.text) return undefined;
    for (const [kind, name] of [
      ["ask", "tanya"],
      ["forward", "teruskan"],
      ["reject", "tolak"],
    ] as const) {
      const template = t(this.options.locales, "id", `officer.prompt_${kind}` as TextKey, {
        number: "\u0000",
      });
      const [before = "", after = ""] = template.split("\u0000");
      if (prompt.text.startsWith(before) && prompt.text.endsWith(after)) {
        const number = prompt.text.slice(before.length, prompt.text.length - after.length);
        return { name, args: `${number} ${message.text}` };
      }
    }
    return undefined;
  }

  private async onCallback(ctx: Context): Promise<void> {
    const q = ctx.callbackQuery!;
    const data = q.data ?? "";
    if (data.startsWith("o:") && this.options.officers) return this.onOfficerAction(ctx, data);
    await ctx.answerCallbackQuery().catch(() => {});
    if (!data.startsWith(CHOICE_PREFIX) || q.message?.chat.type !== "private") return;
    const chatId = q.message.chat.id;
    // Remove the buttons that were pressed, so an old keyboard cannot be pressed twice by mistake.
    await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch(() => {});
    const reply = await this.options.conversation.handle({
      channel: "telegram",
      chatId: String(chatId),
      messageId: `c:${q.id}`,
      receivedAt: new Date(),
      languageHint: this.langHint(ctx),
      input: { kind: "choice", value: data.slice(CHOICE_PREFIX.length) },
    });
    if (reply) await this.reply(String(chatId), reply);
  }

  /** Sends a step's reply and marks it sent (see `ReplyOutbox`); a shutdown leaves it pending. */
  private async reply(chatId: string, reply: Reply): Promise<void> {
    if (this.options.replies) return this.options.replies.deliver(reply.ref, () => this.send(chatId, reply));
    await this.send(chatId, reply).catch((e: unknown) => {
      if (!(e instanceof LaporError && e.code === OUTBOUND_CLOSED)) throw e;
    });
  }

  /**
   * Sends the replies of one step, in order: all its messages are queued at once on the chat's
   * line in the limiter, so a later step's reply can never overtake them.
   */
  async send(chatId: number | string, reply: Reply): Promise<void> {
    const labels = { shareLocation: t(this.options.locales, reply.lang, "host.share_location") };
    const sends = reply.outputs
      .flatMap((output) => renderForTelegram(output, labels))
      .map((m) =>
        this.bot.api.sendMessage(chatId, m.text, m.reply_markup ? { reply_markup: m.reply_markup } : {}),
      );
    await Promise.all(sends);
  }

  /** Downloads a file through getFile and the Bot API's file URL. */
  private async download(fileId: string): Promise<Uint8Array> {
    const file = await this.bot.api.getFile(fileId);
    if (!file.file_path) throw new Error("getFile returned no file_path");
    const root = this.options.apiRoot ?? "https://api.telegram.org";
    const res = await fetch(`${root}/file/bot${this.options.token}/${file.file_path}`);
    if (!res.ok) throw new HttpError(`file download failed with ${res.status}`, new Error(res.statusText));
    return new Uint8Array(await res.arrayBuffer());
  }
}
