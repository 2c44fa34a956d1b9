import { SerialQueue } from "../../conversation/serial-queue.js";
import type { ConversationService } from "../../conversation/service.js";
import { type LocaleBundle, t } from "../../engine/locale.js";
import type { Lang, Output } from "../../engine/types.js";
import type { Logger } from "../../log.js";
import type { DeskButton, DeskOutput, OfficerDesk } from "../../officers/desk.js";
import type { EvidenceStore } from "../../reports/evidence-store.js";
import type { Channel } from "../channel.js";
import type { MediaPolicy, Reply } from "../types.js";
import { type CloudMessage, type GraphApiClient, GraphApiError, GraphNetworkError } from "./graph-api.js";
import { waMessageToInbound } from "./inbound.js";
import { messagesOf, type WaMessage, type WaWebhookPayload } from "./payload.js";
import {
  type CloudLabels,
  listMessage,
  listRows,
  renderForCloudApi,
  shorten,
  textMessages,
} from "./render.js";

/** Settings and collaborators of the Cloud API channel. */
export interface WaCloudChannelOptions {
  api: GraphApiClient;
  conversation: ConversationService;
  store: EvidenceStore;
  policy: MediaPolicy;
  locales: LocaleBundle;
  logger: Logger;
  /** Classifies a failed send by the platform's error code (see {@link Channel.classifyFailure}). */
  classifyFailure?: (error: unknown) => unknown;
  /** The officers' desk (card actions, invite codes, commands); without it the channel serves citizens only. */
  desk?: OfficerDesk;
}

/** How many recent message ids are remembered to drop webhook redeliveries of officer messages. */
const RECENT_IDS = 10_000;
/** How many times a reply is tried when the Graph API is rate limiting or failing. */
const REPLY_ATTEMPTS = 3;

/** The renderer's labels in a language. */
export function cloudLabels(locales: LocaleBundle, lang: Lang): CloudLabels {
  return {
    listButton: t(locales, lang, "wacloud.list_button"),
    numberedHint: t(locales, lang, "wacloud.numbered_hint"),
  };
}

/**
 * The WhatsApp Business Cloud API channel. Takes verified webhook payloads, queues each message
 * per sender (so one contact's messages are handled and answered strictly in order, other
 * contacts in parallel), and hands it to the officer handlers (signed list rows `o:…`, `/petugas
 * KODE`, officer commands) or to the conversation service; replies are rendered for the Cloud API
 * (reply buttons, lists, location requests) and sent through the Graph API. Status callbacks are
 * acknowledged and ignored.
 */
export class WaCloudChannel implements Channel<CloudMessage> {
  readonly name = "wacloud" as const;
  private readonly queue = new SerialQueue();
  private readonly recent = new Set<string>();

  constructor(private readonly options: WaCloudChannelOptions) {}

  /** Queues every message of a webhook payload; returns at once. */
  accept(payload: WaWebhookPayload): void {
    const names = new Map<string, string>();
    for (const entry of payload.entry ?? [])
      for (const change of entry.changes ?? [])
        for (const c of change.value?.contacts ?? []) if (c.profile?.name) names.set(c.wa_id, c.profile.name);
    for (const message of messagesOf(payload)) {
      if (this.recent.has(message.id)) continue;
      this.recent.add(message.id);
      if (this.recent.size > RECENT_IDS) this.recent.delete(this.recent.values().next().value!);
      void this.queue
        .run(message.from, () => this.process(message, names.get(message.from) ?? null))
        .catch((e: unknown) =>
          this.options.logger.error({ err: e, type: message.type }, "wacloud message failed"),
        );
    }
  }

  /** Resolves when every queued message has been handled and answered. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Nothing to start: messages arrive by the webhook route (see `webhook.ts`). */
  async start(): Promise<void> {}

  /** Waits for the messages in hand. */
  stop(): Promise<void> {
    return this.idle();
  }

  /** What a failed send means, by the Graph API's error code (the classifier given in the options). */
  classifyFailure(error: unknown): unknown {
    return this.options.classifyFailure?.(error);
  }

  /** The Cloud API messages of one step's outputs (reply buttons, lists, location requests). */
  render(outputs: readonly Output[], lang: Lang): CloudMessage[] {
    const labels = cloudLabels(this.options.locales, lang);
    return outputs.flatMap((output) => renderForCloudApi(output, labels));
  }

  private async process(message: WaMessage, displayName: string | null): Promise<void> {
    if (this.options.desk && (await this.officerMessage(message, displayName))) return;
    const { conversation, policy, store, api } = this.options;
    const reply = await conversation.handle({
      channel: "wacloud",
      chatId: message.from,
      messageId: message.id,
      receivedAt: new Date(Number(message.timestamp) * 1000 || Date.now()),
      input: () =>
        waMessageToInbound(message, {
          policy,
          store,
          mediaInfo: (id) => api.getMedia(id),
          download: (url) => api.downloadMedia(url),
        }),
    });
    if (reply) await this.send(message.from, reply);
  }

  /** Sends the replies of one step, in order. */
  async send(to: string, reply: Reply): Promise<void> {
    for (const m of this.render(reply.outputs, reply.lang)) await this.sendOne(to, m);
  }

  /** Sends one reply; a rate limit, server error or network failure is tried again (3 tries in all). */
  private async sendOne(to: string, message: CloudMessage): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.api.sendMessage(to, message);
        return;
      } catch (e) {
        const transient =
          e instanceof GraphNetworkError ||
          (e instanceof GraphApiError && (e.status === 429 || e.status >= 500));
        if (!transient || attempt >= REPLY_ATTEMPTS) {
          this.options.logger.error({ err: (e as Error).message, type: message.type }, "wacloud send failed");
          throw e;
        }
        const wait = Math.min(
          e instanceof GraphApiError ? (e.retryAfterMs ?? 500 * attempt) : 500 * attempt,
          10_000,
        );
        this.options.logger.warn(
          { err: (e as Error).message, attempt, waitMs: wait },
          "wacloud send retried",
        );
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  // ---- Officers: a thin adapter over the officers' desk (src/officers/desk.ts). ----

  /**
   * An officer's message: a pressed card row, an invite code, a command, or the answer to a
   * prompt. Resolves false when it is none of these (or the sender is not an officer), so the
   * message goes to the citizen flow.
   */
  private async officerMessage(message: WaMessage, displayName: string | null): Promise<boolean> {
    const from = message.from;
    const pressed = message.interactive?.list_reply?.id ?? message.interactive?.button_reply?.id;
    const out = await this.options.desk!.handle({
      channel: "wacloud",
      chatId: from,
      chatType: "private",
      userId: from,
      displayName,
      messageId: message.id,
      text: message.type === "text" ? (message.text?.body ?? "") : undefined,
      pressed: pressed?.startsWith("o:") ? pressed : undefined,
      menus: "buttons",
      now: new Date(),
    });
    if (!out) return false;
    for (const o of out) await this.renderDesk(from, o);
    return true;
  }

  /** Renders one answer of the desk: texts, list messages for choices, documents. */
  private async renderDesk(to: string, o: DeskOutput): Promise<void> {
    const { api, locales } = this.options;
    const list = async (text: string, buttons: DeskButton[], lang: Lang) => {
      const rows = listRows(buttons.map((b) => ({ value: b.data, label: b.label })));
      for (const m of listMessage(text, t(locales, lang, "wacloud.officer_list_button"), rows))
        await this.sendOne(to, m);
    };
    switch (o.kind) {
      case "unknown_number":
        return;
      case "document": {
        const id = await api.uploadMedia(o.bytes, o.mime, o.fileName);
        await this.sendOne(to, {
          type: "document",
          document: { id, filename: o.fileName, caption: shorten(o.caption, 1024) },
        });
        return;
      }
      case "card":
        // No edits on WhatsApp: a short status line, with the actions still possible.
        if (o.buttons.length) return list(o.status.line, o.buttons, o.lang);
        for (const m of textMessages(o.status.line)) await this.sendOne(to, m);
        return;
      case "text":
        if (o.buttons?.length) return list(o.text, o.buttons, o.lang ?? "id");
        for (const m of textMessages(o.text)) await this.sendOne(to, m);
        return;
      case "refusal":
        for (const m of textMessages(o.text)) await this.sendOne(to, m);
        return;
    }
  }
}
