import { SerialQueue } from "../../conversation/serial-queue.js";
import type { ConversationService } from "../../conversation/service.js";
import { type LocaleBundle, type TextKey, t } from "../../engine/locale.js";
import type { Lang } from "../../engine/types.js";
import type { Logger } from "../../log.js";
import type { OfficerActions } from "../../officers/actions.js";
import type { OfficerChat, OfficerCommands } from "../../officers/commands.js";
import { InviteError, type OfficerInvites } from "../../officers/invites.js";
import type { EvidenceStore } from "../../reports/evidence-store.js";
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
  /** Officer actions, invite codes and commands; without them the channel serves citizens only. */
  officers?: { actions: OfficerActions; invites: OfficerInvites; commands: OfficerCommands };
}

/** How many recent message ids are remembered to drop webhook redeliveries of officer messages. */
const RECENT_IDS = 10_000;
/** How many times a reply is tried when the Graph API is rate limiting or failing. */
const REPLY_ATTEMPTS = 3;
/** How long an officer's "write the question / place / reason" prompt waits for the answer. */
const PROMPT_TTL_MS = 30 * 60_000;

const OFFICER_COMMAND =
  /^\/(laporan|lihat|ekspor|teruskan|tanya|selesaitanya|tolak|masuk)(?:\s+([\s\S]*))?$/i;
const PROMPT_COMMANDS: Record<string, string> = {
  "officer.prompt_ask": "tanya",
  "officer.prompt_forward": "teruskan",
  "officer.prompt_reject": "tolak",
};

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
export class WaCloudChannel {
  private readonly queue = new SerialQueue();
  private readonly recent = new Set<string>();
  /** Officers asked to type a question, a place or a reason: their next text answers it. */
  private readonly prompts = new Map<string, { command: string; number: string; until: number }>();

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

  private async process(message: WaMessage, displayName: string | null): Promise<void> {
    if (this.options.officers && (await this.officerMessage(message, displayName))) return;
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
    const labels = cloudLabels(this.options.locales, reply.lang);
    for (const output of reply.outputs) {
      for (const m of renderForCloudApi(output, labels)) await this.sendOne(to, m);
    }
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

  private say(key: string, vars?: Record<string, string>): string {
    return t(this.options.locales, "id", key as TextKey, vars);
  }

  /**
   * An officer's message: a pressed card row, an invite code, a command, or the answer to a
   * prompt. Resolves false when it is none of these (or the sender is not an officer), so the
   * message goes to the citizen flow.
   */
  private async officerMessage(message: WaMessage, displayName: string | null): Promise<boolean> {
    const officers = this.options.officers!;
    const from = message.from;
    const pressed = message.interactive?.list_reply?.id ?? message.interactive?.button_reply?.id;
    if (pressed?.startsWith("o:")) {
      await this.officerAction(from, pressed);
      return true;
    }
    const text = message.type === "text" ? (message.text?.body ?? "").trim() : "";
    const invite = /^\/petugas(?:\s+(\S+))?/i.exec(text);
    if (invite) {
      await this.invite(from, invite[1], displayName);
      return true;
    }
    const typed = OFFICER_COMMAND.exec(text);
    let command = typed ? { name: typed[1]!.toLowerCase(), args: (typed[2] ?? "").trim() } : undefined;
    const prompt = this.prompts.get(from);
    if (prompt && prompt.until < Date.now()) this.prompts.delete(from);
    else if (!command && prompt && text && !text.startsWith("/"))
      command = { name: prompt.command, args: `${prompt.number} ${text}` };
    if (!command) return false;
    const chat: OfficerChat = {
      channel: "wacloud",
      chatId: from,
      chatType: "private",
      userId: from,
      now: new Date(),
    };
    if (!(await officers.commands.officeOf(chat))) return false;
    this.prompts.delete(from);
    const r = await officers.commands.run(chat, command.name, command.args);
    if ("document" in r) {
      const { api } = this.options;
      const id = await api.uploadMedia(r.document.bytes, "text/csv", r.document.fileName);
      await this.sendOne(from, {
        type: "document",
        document: { id, filename: r.document.fileName, caption: shorten(this.say(r.key, r.vars), 1024) },
      });
    } else {
      for (const m of textMessages("text" in r ? r.text : this.say(r.key, r.vars)))
        await this.sendOne(from, m);
    }
    return true;
  }

  /** A row of a report card's action list (or of a follow-up list) was chosen. */
  private async officerAction(from: string, data: string): Promise<void> {
    const { officers, locales } = this.options;
    const result = await officers!.actions.press("wacloud", from, data, new Date());
    const text = this.say(result.key, result.vars);
    if (result.forceReply && result.vars?.number) {
      const command = PROMPT_COMMANDS[result.key];
      if (command)
        this.prompts.set(from, { command, number: result.vars.number, until: Date.now() + PROMPT_TTL_MS });
    }
    if (result.buttons?.length) {
      const rows = listRows(
        result.buttons.map((b) => ({
          value: b.data,
          label: t(locales, "id", `officer.buttons.${b.action.replace(":", "_")}` as TextKey),
        })),
      );
      for (const m of listMessage(text, t(locales, "id", "wacloud.officer_list_button"), rows))
        await this.sendOne(from, m);
      return;
    }
    for (const m of textMessages(text)) await this.sendOne(from, m);
  }

  /** `/petugas <code>` in a private chat: the sender becomes an officer of the invite's office. */
  private async invite(from: string, code: string | undefined, displayName: string | null): Promise<void> {
    const say = async (key: string, vars?: Record<string, string>) => {
      for (const m of textMessages(this.say(key, vars))) await this.sendOne(from, m);
    };
    if (!code) return say("officer.invite_usage");
    try {
      const r = await this.options.officers!.invites.redeem(code, {
        channel: "wacloud",
        chatType: "private",
        chatId: from,
        userId: from,
        displayName,
        now: new Date(),
      });
      await say(r.kind === "destination" ? "officer.invite_group_ok" : "officer.invite_officer_ok", {
        office: r.officeName,
      });
    } catch (e) {
      if (e instanceof InviteError) return say(`officer.invite_${e.reason}`);
      throw e;
    }
  }
}
