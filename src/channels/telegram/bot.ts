import { type RunnerHandle, run } from "@grammyjs/runner";
import { Api, Bot, type Context, HttpError, InlineKeyboard, InputFile } from "grammy";
import type { InlineKeyboardMarkup, Message } from "grammy/types";
import type { ConversationService } from "../../conversation/service.js";
import { type LocaleBundle, t } from "../../engine/locale.js";
import type { Lang, Output } from "../../engine/types.js";
import { LaporError } from "../../errors.js";
import type { Logger } from "../../log.js";
import { withStatusBlock } from "../../officers/card-status.js";
import type { DeskButton, DeskOutput, OfficerDesk } from "../../officers/desk.js";
import type { EvidenceStore } from "../../reports/evidence-store.js";
import type { Channel } from "../channel.js";
import {
  type MediaPolicy,
  OUTBOUND_CLOSED,
  type OutboundLine,
  type Reply,
  type ReplyDelivery,
} from "../types.js";
import { messageToInbound } from "./inbound.js";
import { limitApi } from "./outbound.js";
import { CHOICE_PREFIX, renderForTelegram, type TelegramMessage } from "./render.js";

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
  /** Receive updates by this webhook (its route is served by the web server) instead of long polling. */
  webhook?: { url: string; secretToken: string } | undefined;
  /** Classifies a failed send by the platform's error code (see {@link Channel.classifyFailure}). */
  classifyFailure?: (error: unknown) => unknown;
  /** The officers' desk (card buttons, invite codes, commands); without it the bot serves citizens only. */
  desk?: OfficerDesk;
  /**
   * The bot's ONE send limiter (Telegram's limits), shared with deliveries and broadcasts: every
   * message the bot sends goes through it (`./outbound.ts`), citizens' replies first.
   */
  limiter: OutboundLine;
  /** Where replies kept with their step are marked sent (and sent again after a restart). */
  replies?: ReplyDelivery;
}

/** Callback data of a report card's own buttons (not of a follow-up menu). */
const CARD_DATA = /^o:(?:ack|ask|forward|reject|close):\d/;

/** The card a desk answer refers to: its message id and its text (to edit it). */
function readCardRef(ref: string): { id: number; text: string } | undefined {
  try {
    const v = JSON.parse(ref) as { id?: unknown; text?: unknown };
    return typeof v.id === "number" && typeof v.text === "string" ? { id: v.id, text: v.text } : undefined;
  } catch {
    return undefined;
  }
}

/** The slash commands shown in Telegram's menu; descriptions come from the locale files. */
const COMMANDS = ["start", "lapor", "status", "batal", "bantuan", "bahasa", "langganan", "berhenti"] as const;

/**
 * The Telegram channel: a grammY bot that turns private-chat updates into {@link InboundMessage}s
 * for the conversation service and renders the replies (inline keyboards for choices, a reply
 * keyboard with the location-request button). Group chats never run the citizen flow.
 */
export class TelegramChannel implements Channel<TelegramMessage> {
  readonly name = "telegram" as const;
  readonly bot: Bot;
  /**
   * The API for bulk work (deliveries to offices): same limiter, lower priority, one attempt per
   * call (the delivery worker retries), and a bounded wait for a slot.
   */
  readonly bulkApi: Api;
  private runner: RunnerHandle | undefined;
  /** Per chat: the intake of its latest update (see {@link inOrder}). */
  private readonly intake = new Map<string, Promise<void>>();

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

  /** Starts receiving: a webhook when `webhook` is set (the route is served by the web server), else long polling. */
  async start(): Promise<void> {
    const { webhook } = this.options;
    if (webhook) await this.startWebhook(webhook.url, webhook.secretToken);
    else await this.startPolling();
  }

  /** What a failed send means, by the Bot API's error code (the classifier given in the options). */
  classifyFailure(error: unknown): unknown {
    return this.options.classifyFailure?.(error);
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
          description: t(locales, lang, `host.commands.${command}`),
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
    const chatId = String(ctx.chat!.id);
    // Deciding where a message goes (the desk reads the database) must not let a later message of
    // the same chat reach the conversation first: updates of one chat are taken in, in order.
    const step = await this.inOrder(chatId, async () => {
      if (this.options.desk && (await this.toDesk(ctx))) return undefined;
      if (ctx.chat?.type !== "private") return undefined;
      return {
        reply: this.options.conversation.handle({
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
        }),
      };
    });
    const reply = await step?.reply;
    if (reply) await this.reply(chatId, reply);
  }

  /**
   * Runs `take` after the previous update of the same chat was taken in (handed to the desk or
   * queued in the conversation), so one chat's updates keep their order whatever each awaits.
   */
  private inOrder<T>(chatId: string, take: () => Promise<T>): Promise<T> {
    const before = this.intake.get(chatId) ?? Promise.resolve();
    const run = before.then(take, take);
    const settled = run.then(
      () => {},
      () => {},
    );
    this.intake.set(chatId, settled);
    void settled.then(() => {
      if (this.intake.get(chatId) === settled) this.intake.delete(chatId);
    });
    return run;
  }

  // ---- Officers: a thin adapter over the officers' desk (src/officers/desk.ts). ----

  /**
   * A message or button press for the officers' desk: `/petugas KODE`, an officer command, a
   * reply to the bot's prompt, a card's button. Resolves false when it is none of these (a
   * citizen's message, which then goes to the citizen flow in a private chat).
   */
  private async toDesk(ctx: Context): Promise<boolean> {
    const chat = ctx.chat!;
    const from = ctx.from!;
    const message = ctx.message;
    const query = ctx.callbackQuery;
    if (message && typeof message.text !== "string") return false;
    const replied = message?.reply_to_message;
    const out = await this.options.desk!.handle({
      channel: "telegram",
      chatId: String(chat.id),
      chatType: chat.type === "private" ? "private" : "group",
      userId: String(from.id),
      displayName: [from.first_name, from.last_name].filter(Boolean).join(" ") || null,
      messageId: query ? `c:${query.id}` : `m:${chat.id}:${message!.message_id}`,
      text: message?.text,
      pressed: query?.data,
      quoted: replied?.from?.id === this.bot.botInfo.id ? replied.text : undefined,
      cardRef: query ? this.cardOf(query.message) : undefined,
      menus: "buttons",
      now: new Date(),
    });
    if (!out) return false;
    let alert: string | undefined;
    for (const o of out) {
      if (o.kind === "refusal" && query) alert = o.text;
      else await this.renderDesk(ctx, o);
    }
    if (query)
      await ctx
        .answerCallbackQuery(alert ? { text: alert.slice(0, 190), show_alert: true } : {})
        .catch(() => {});
    return true;
  }

  /** Renders one answer of the desk in the chat it came from. */
  private async renderDesk(ctx: Context, o: DeskOutput): Promise<void> {
    const chatId = ctx.chat!.id;
    const keyboard = (buttons: DeskButton[] | undefined) =>
      InlineKeyboard.from((buttons ?? []).map((b) => [InlineKeyboard.text(b.label, b.data)]));
    switch (o.kind) {
      case "refusal":
      case "unknown_number":
        if (o.kind === "refusal") await ctx.reply(o.text);
        return;
      case "document":
        await ctx.replyWithDocument(new InputFile(o.bytes, o.fileName), { caption: o.caption });
        return;
      case "text": {
        if (o.prompt) {
          await ctx.reply(o.text, {
            reply_markup: { force_reply: true, selective: true, input_field_placeholder: "…" },
          });
          return;
        }
        const card = o.cardRef ? readCardRef(o.cardRef) : undefined;
        await ctx.reply(o.text, {
          ...(o.buttons?.length ? { reply_markup: keyboard(o.buttons) } : {}),
          ...(card ? { reply_parameters: { message_id: card.id, allow_sending_without_reply: true } } : {}),
        });
        return;
      }
      case "card": {
        // The card in the office chat shows the new status and only the actions still possible.
        const card = o.cardRef ? readCardRef(o.cardRef) : undefined;
        if (!card) return;
        await this.bot.api
          .editMessageText(chatId, card.id, withStatusBlock(this.options.locales, card.text, o.status.text), {
            link_preview_options: { is_disabled: true },
            reply_markup: keyboard(o.buttons),
          })
          .catch((e: unknown) =>
            this.options.logger.warn({ err: (e as Error).message }, "telegram card not updated"),
          );
        return;
      }
    }
  }

  /**
   * The report card a pressed button belongs to: the pressed message when it is a card (it has a
   * card action), else the card it replies to (an outcome or reason menu is sent as a reply to it).
   */
  private cardOf(message: Message | undefined): string | undefined {
    if (!message) return undefined;
    const isCard = (m: { reply_markup?: InlineKeyboardMarkup; text?: string }) =>
      (m.reply_markup?.inline_keyboard ?? [])
        .flat()
        .some((b) => "callback_data" in b && CARD_DATA.test(b.callback_data));
    if (isCard(message) && message.text)
      return JSON.stringify({ id: message.message_id, text: message.text });
    const card = message.reply_to_message;
    if (card?.from?.id === this.bot.botInfo.id && card.text)
      return JSON.stringify({ id: card.message_id, text: card.text });
    return undefined;
  }

  private async onCallback(ctx: Context): Promise<void> {
    const q = ctx.callbackQuery!;
    const data = q.data ?? "";
    if (data.startsWith("o:") && this.options.desk) return void (await this.toDesk(ctx));
    if (!data.startsWith(CHOICE_PREFIX) || q.message?.chat.type !== "private") {
      await ctx.answerCallbackQuery().catch(() => {});
      return;
    }
    const chatId = String(q.message.chat.id);
    // Taken in order with the chat's messages (a button pressed, then a text typed at once).
    const reply = await this.inOrder(chatId, async () => ({
      reply: this.options.conversation.handle({
        channel: "telegram",
        chatId,
        messageId: `c:${q.id}`,
        receivedAt: new Date(),
        languageHint: this.langHint(ctx),
        input: { kind: "choice", value: data.slice(CHOICE_PREFIX.length) },
      }),
    })).then((s) => s.reply);
    await ctx.answerCallbackQuery().catch(() => {});
    // Remove the buttons that were pressed, so an old keyboard cannot be pressed twice by mistake.
    await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch(() => {});
    if (reply) await this.reply(chatId, reply);
  }

  /** The Bot API messages of one step's outputs (inline keyboards, the location-request keyboard). */
  render(outputs: readonly Output[], lang: Lang): TelegramMessage[] {
    const labels = { shareLocation: t(this.options.locales, lang, "host.share_location") };
    return outputs.flatMap((output) => renderForTelegram(output, labels));
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
    const sends = this.render(reply.outputs, reply.lang).map((m) =>
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
