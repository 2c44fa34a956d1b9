import qrcodeTerminal from "qrcode-terminal";
import { SerialQueue } from "../../conversation/serial-queue.js";
import type { ConversationService } from "../../conversation/service.js";
import { type LocaleBundle, t } from "../../engine/locale.js";
import type { Lang, Output } from "../../engine/types.js";
import type { Logger } from "../../log.js";
import type { DeskOutput, OfficerDesk } from "../../officers/desk.js";
import type { EvidenceStore } from "../../reports/evidence-store.js";
import type { Channel } from "../channel.js";
import type { MediaPolicy, Reply } from "../types.js";
import type { WhatsAppClientFactory, WhatsAppContent, WhatsAppMessage } from "./client.js";
import { WhatsAppConnection, type WhatsAppStatus } from "./connection.js";
import { errorText } from "./errors.js";
import { isBroadcast, isGroup, messageToInbound } from "./inbound.js";
import { type SendPriority, WhatsAppOutbox } from "./outbox.js";
import { Pacer, type PacingSettings } from "./pacing.js";
import { numberedMenu, renderReplyForWhatsApp, type WhatsAppLabels } from "./render.js";
import { WhatsAppWatchdog } from "./watchdog.js";

/** How many recent message ids are remembered to drop a repeated `message` event at once. */
const SEEN_IDS = 5_000;

/** Settings and collaborators of the WhatsApp Web channel. */
export interface WhatsAppChannelOptions {
  factory: WhatsAppClientFactory;
  conversation: ConversationService;
  store: EvidenceStore;
  policy: MediaPolicy;
  locales: LocaleBundle;
  logger: Logger;
  pacing: PacingSettings;
  /** Watchdog poll interval (ms). */
  watchdogIntervalMs: number;
  /** Pair by an 8-character code for this phone number (digits) instead of the QR. */
  pairingPhone?: string | undefined;
  /** Classifies a failed send (see {@link Channel.classifyFailure}). */
  classifyFailure?: (error: unknown) => unknown;
  /** The officers' desk (numbered card actions, invites, commands); without it citizens only. */
  desk?: OfficerDesk;
  /** Where the QR and pairing code are printed (default: standard output). */
  terminal?: (text: string) => void;
  /** How long a bulk message waits for a connection before the delivery worker is told to retry (ms). */
  bulkMaxWaitMs?: number;
  /** First pause before starting again when the client fails to start (ms). */
  restartBackoffMs?: number;
}

/**
 * The WhatsApp Web channel (whatsapp-web.js behind {@link WhatsAppClientFactory}): private-chat
 * messages go to the conversation service as channel "whatsapp", replies are rendered as text
 * with numbered menus and go out through the paced {@link WhatsAppOutbox}; group messages only
 * reach the officers' desk; status broadcasts and the bot's own messages are ignored (it listens
 * on `message`, never `message_create`). `@lid` senders are mapped to their phone-number id where
 * WhatsApp tells it, so one person has one contact. The QR is printed in the terminal and kept
 * for the admin page; a {@link WhatsAppWatchdog} restarts a dead client.
 */
export class WhatsAppChannel implements Channel<string> {
  readonly name = "whatsapp" as const;
  readonly outbox: WhatsAppOutbox;
  readonly connection: WhatsAppConnection;
  readonly watchdog: WhatsAppWatchdog;
  private readonly chats = new SerialQueue();
  private readonly seen = new Set<string>();
  private readonly lidToPhone = new Map<string, string>();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: WhatsAppChannelOptions) {
    const { logger } = options;
    const terminal = options.terminal ?? ((text: string) => void process.stdout.write(`${text}\n`));
    this.outbox = new WhatsAppOutbox({
      send: (chatId, content, sendOptions) =>
        this.connection.client.sendMessage(chatId, content, sendOptions),
      pacer: new Pacer(options.pacing),
      onDead: (reason) => this.watchdog.trip(reason),
      logger,
    });
    this.connection = new WhatsAppConnection({
      factory: options.factory,
      logger,
      pairingPhone: options.pairingPhone,
      ...(options.restartBackoffMs !== undefined ? { retryBackoffMs: options.restartBackoffMs } : {}),
      hooks: {
        onMessage: (m) => this.track(this.onMessage(m)),
        onReady: (ready) => this.outbox.setReady(ready),
        onClient: (client) => this.watchdog.watch(client),
        onQr: (qr) =>
          qrcodeTerminal.generate(qr, { small: true }, (art) =>
            terminal(`Scan this QR with WhatsApp (Linked devices) to pair LaporNetral:\n${art}`),
          ),
        onPairingCode: (code) =>
          terminal(`WhatsApp pairing code: ${code} (WhatsApp → Linked devices → Link with phone number)`),
      },
    });
    this.watchdog = new WhatsAppWatchdog(this.connection, { intervalMs: options.watchdogIntervalMs }, logger);
  }

  /**
   * Starts the watchdog and the client; resolves once the client started (it may still wait to be
   * paired), or failed and is being retried in the background.
   */
  async start(): Promise<void> {
    this.watchdog.start();
    await this.connection.start();
  }

  /**
   * Stops: waits for the messages in hand, gives queued sends a few seconds to go while the client
   * is connected, then closes the client.
   */
  async stop(): Promise<void> {
    this.watchdog.stop();
    await Promise.allSettled([...this.inFlight]);
    const deadline = Date.now() + 5_000;
    while (this.outbox.size() > 0 && this.outbox.isReady() && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    this.outbox.close();
    await this.connection.stop();
  }

  /** The connection state, QR and pairing code (for the admin page). */
  status(): WhatsAppStatus {
    return this.connection.snapshot();
  }

  /** What a failed send means (the classifier given in the options). */
  classifyFailure(error: unknown): unknown {
    return this.options.classifyFailure?.(error);
  }

  /** The texts of one step's outputs: choices as numbered menus, joined where they fit. */
  render(outputs: readonly Output[], lang: Lang): string[] {
    return renderReplyForWhatsApp(outputs, this.labels(lang));
  }

  /** Sends the replies of one step to a chat (at reply priority), in order. */
  send(chatId: string, reply: Reply): Promise<undefined>;
  /** Queues a message to a chat (the delivery transport uses priority "bulk"). */
  send(
    chatId: string,
    content: WhatsAppContent,
    priority: SendPriority,
    options?: { quotedMessageId?: string; maxWaitMs?: number },
  ): Promise<string>;
  send(
    chatId: string,
    content: WhatsAppContent | Reply,
    priority: SendPriority = "reply",
    options: { quotedMessageId?: string; maxWaitMs?: number } = {},
  ): Promise<string | undefined> {
    if ("outputs" in content) {
      const texts = this.render(content.outputs, content.lang);
      const sent = texts.map((text) => this.send(chatId, { kind: "text", text }, "reply"));
      return Promise.all(sent).then(() => undefined);
    }
    const maxWaitMs = options.maxWaitMs ?? (priority === "bulk" ? this.options.bulkMaxWaitMs : undefined);
    return this.outbox.enqueue(chatId, content, {
      priority,
      ...(options.quotedMessageId ? { quotedMessageId: options.quotedMessageId } : {}),
      ...(maxWaitMs !== undefined ? { maxWaitMs } : {}),
    });
  }

  /** The labels the renderer adds, in a language. */
  labels(lang: Lang): WhatsAppLabels {
    const { locales } = this.options;
    return {
      choiceHint: t(locales, lang, "whatsapp.choice_hint"),
      locationHint: t(locales, lang, "whatsapp.location_hint"),
    };
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async onMessage(message: WhatsAppMessage): Promise<void> {
    if (message.fromMe || isBroadcast(message)) return;
    const id = message.id._serialized;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    if (this.seen.size > SEEN_IDS) this.seen.delete(this.seen.values().next().value!);
    // One chat's messages strictly in order (the @lid lookup must not let a later message overtake).
    await this.chats
      .run(message.from, () => this.handle(message))
      .catch((e: unknown) => this.options.logger.error({ err: errorText(e) }, "whatsapp message failed"));
  }

  private async handle(message: WhatsAppMessage): Promise<void> {
    const group = isGroup(message.from);
    const sender = await this.personId(group ? (message.author ?? "") : message.from);
    if (!sender) return;
    const { desk, conversation } = this.options;
    if (desk && (message.type === "chat" || message.type === "text")) {
      if (await this.toDesk(message, group, sender)) return;
    }
    if (group) return; // groups never run the citizen flow
    const reply = await conversation.handle({
      channel: "whatsapp",
      chatId: sender,
      messageId: message.id._serialized,
      receivedAt: new Date(message.timestamp * 1000),
      input: () => messageToInbound(message, { policy: this.options.policy, store: this.options.store }),
    });
    if (reply) this.sendReply(message.from, reply);
  }

  /** Queues the replies of one step, as one message where it fits (not awaited: the next message need not wait). */
  private sendReply(chatId: string, reply: Reply): void {
    for (const text of renderReplyForWhatsApp(reply.outputs, this.labels(reply.lang))) {
      this.send(chatId, { kind: "text", text }, "reply").catch((e: unknown) =>
        this.options.logger.warn({ err: errorText(e) }, "whatsapp reply not sent"),
      );
    }
  }

  // ---- Officers: a thin adapter over the officers' desk (src/officers/desk.ts). ----

  /**
   * A message for the officers' desk: `/petugas KODE`, a command, a number answering a card or
   * menu (quoted or typed with the report number), a reply to a prompt. Resolves false when it is
   * none of these.
   */
  private async toDesk(message: WhatsAppMessage, group: boolean, sender: string): Promise<boolean> {
    const quoted = message.hasQuotedMsg ? await message.getQuotedMessage().catch(() => undefined) : undefined;
    const out = await this.options.desk!.handle({
      channel: "whatsapp",
      chatId: group ? message.from : sender,
      chatType: group ? "group" : "private",
      userId: sender,
      messageId: message.id._serialized,
      text: message.body,
      quoted: quoted?.fromMe ? quoted.body : undefined,
      menus: "numbered",
      now: new Date(),
    });
    if (!out) return false;
    for (const o of out) {
      const content = this.renderDesk(o);
      if (!content) continue;
      this.send(message.from, content, "reply").catch((e: unknown) =>
        this.options.logger.warn({ err: errorText(e) }, "whatsapp officer reply not sent"),
      );
    }
    return true;
  }

  /** One answer of the desk as WhatsApp content: choices become a numbered menu. */
  private renderDesk(o: DeskOutput): WhatsAppContent | undefined {
    const { locales } = this.options;
    switch (o.kind) {
      case "document":
        return {
          kind: "media",
          media: {
            mimetype: o.mime,
            data: Buffer.from(o.bytes).toString("base64"),
            filename: o.fileName,
            filesize: o.bytes.byteLength,
          },
          caption: o.caption,
        };
      case "unknown_number":
        return {
          kind: "text",
          text: t(locales, o.lang, "whatsapp.officer_number_unknown", { max: String(o.max) }),
        };
      case "card":
        // No edits on WhatsApp: a short status line instead.
        return { kind: "text", text: o.status.line };
      case "refusal":
        return { kind: "text", text: o.text };
      case "text":
        return {
          kind: "text",
          text: o.buttons?.length
            ? numberedMenu(
                o.text,
                o.buttons.map((b) => b.label),
                t(locales, o.lang ?? "id", "whatsapp.officer_menu_hint"),
              )
            : o.text,
        };
    }
  }

  /**
   * One stable id per person: a `@lid` id is mapped to the phone-number id (`…@c.us`) when
   * WhatsApp tells it (remembered), else kept as it is.
   */
  private async personId(id: string): Promise<string> {
    if (!id.endsWith("@lid")) return id;
    const known = this.lidToPhone.get(id);
    if (known) return known;
    try {
      const [pair] = await this.connection.client.getContactLidAndPhone([id]);
      if (pair?.pn) {
        this.lidToPhone.set(id, pair.pn);
        return pair.pn;
      }
    } catch (e) {
      this.options.logger.debug({ err: errorText(e) }, "whatsapp lid lookup failed");
    }
    return id;
  }
}
