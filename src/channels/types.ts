import type { ChannelName } from "../db/schema/index.js";
import type { Inbound, Lang, Output } from "../engine/types.js";

export type { ChannelName };

/**
 * A citizen's message as every channel hands it to the conversation service: who (channel and
 * the platform's chat id), which platform message (for de-duplication), and the engine input.
 */
export interface InboundMessage {
  channel: ChannelName;
  /** The platform's id of the private chat (Telegram chat id, WhatsApp id, simulator visitor id). */
  chatId: string;
  /** The platform's message or update id, unique within the channel. */
  messageId: string;
  receivedAt: Date;
  /**
   * The engine input, or a function producing it (e.g. downloading a file first). A function runs
   * inside the contact's queue, so a slow download never lets a later message overtake it.
   */
  input: Inbound | (() => Promise<Inbound>);
  /** The language the platform says the user's app is in, used for a first conversation. */
  languageHint?: Lang;
}

/** What a channel sends back for one inbound message, after the conversation step committed. */
export interface Reply {
  outputs: Output[];
  lang: Lang;
  /**
   * Set when the reply is kept in the database with its step (`inbound_messages.reply`) until it
   * is sent: the channel reports it sent (or impossible to send) through the reply outbox
   * (`src/delivery/outbound/replies.ts`); one never reported is sent again after a restart.
   */
  ref?: ReplyRef;
}

/** Which stored reply this is: the inbound message it answers. */
export interface ReplyRef {
  channel: ChannelName;
  messageId: string;
}

/** What the media intake of a channel decides about a file before downloading it. */
export interface MediaPolicy {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** MIME types accepted as evidence, as exact types or "image/*"-style prefixes. */
  accepted: readonly string[];
}

/** Evidence types accepted on every channel: pictures, videos, audio, PDFs, office documents, text. */
export const DEFAULT_ACCEPTED_MIME = [
  "image/*",
  "video/*",
  "audio/*",
  "application/pdf",
  "application/msword",
  "application/vnd.openxmlformats-officedocument.*",
  "application/vnd.ms-excel",
  "application/vnd.ms-powerpoint",
  "application/vnd.oasis.opendocument.*",
  "text/plain",
  "text/csv",
  "application/zip",
] as const;

/** True when `mime` is accepted by the policy. */
export function mimeAccepted(policy: MediaPolicy, mime: string): boolean {
  const m = mime.toLowerCase();
  return policy.accepted.some((a) => (a.endsWith("*") ? m.startsWith(a.slice(0, -1)) : m === a));
}

/** What the platform's answer to one send attempt means (see `src/delivery/outbound/limiter.ts`). */
export type SendVerdict =
  | { retry: false }
  /** Busy: try again after `afterMs` (the platform's `retry_after`) or a growing backoff; `scope` is what to hold. */
  | { retry: true; afterMs?: number; scope?: "chat" | "global" };

/** How one send waits and retries in the channel's limiter. */
export interface OutboundSendOptions {
  /** The chat (or any address); sends without a key only obey the global limits. */
  key?: string;
  /** A citizen's reply goes before bulk work (deliveries, broadcasts). */
  priority: "reply" | "bulk";
  /** Attempts in all (default: unlimited; a reply is never given up while the platform is busy). */
  maxAttempts?: number;
  /** Give up waiting for the first slot after this many ms. */
  maxWaitMs?: number;
  /** First backoff after a busy answer without `retry_after`, doubled each time (default 500 ms). */
  backoffMs?: number;
  /** Longest backoff (default 30 s). */
  maxBackoffMs?: number;
  /** Called before each retry (for logs and counters). */
  onRetry?: (info: { attempt: number; waitMs: number; error: unknown }) => void;
}

/** A channel's ONE way out to its platform: every send takes its turn here (the limiter implements it). */
export interface OutboundLine {
  send<T>(
    options: OutboundSendOptions,
    attempt: () => Promise<T>,
    verdict: (e: unknown) => SendVerdict,
  ): Promise<T>;
}

/** The `LaporError` code of a send stopped because the program is shutting down (the reply stays saved). */
export const OUTBOUND_CLOSED = "outbound_closed";

/** The reply outbox as a channel sees it (`src/delivery/outbound/replies.ts`). */
export interface ReplyDelivery {
  /** Runs `send` for a stored reply and marks it sent. */
  deliver(ref: ReplyRef | undefined, send: () => Promise<void>): Promise<void>;
  /** How this channel sends a stored reply again after a restart. */
  register(
    channel: ChannelName,
    send: (chatId: string, reply: { outputs: unknown[]; lang: string }) => Promise<void>,
  ): void;
}
