/**
 * What a channel's way out to its platform looks like: the limiter every send goes through
 * (`./limiter.ts`) and the reply outbox (`./replies.ts`). Channels implement and use these.
 */
import type { ChannelName } from "../../db/schema/index.js";

/** Which stored reply this is: the inbound message it answers. */
export interface ReplyRef {
  channel: ChannelName;
  messageId: string;
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
