/**
 * Why a broadcast send failed, and what to do about it: retry (rate limit, server error, network),
 * give up, or give up AND unsubscribe the contact (they blocked the bot, the account is gone, the
 * chat does not exist).
 *
 * Every error is classified by the one send failure taxonomy (`SendFailure`, `src/delivery/failure.ts`)
 * and mapped to what a broadcast records ({@link broadcastFailureOf}). Extra classifiers may still
 * be passed (tried first); a classifier returns undefined for errors it does not know.
 *
 * A sender may also throw {@link BroadcastSendError} with the failure already classified.
 */
import { classifySendFailure, type SendFailure } from "../delivery/failure.js";
import { LaporError } from "../errors.js";

/** The kinds of failure, as recorded in `broadcast_deliveries.error_class`. */
export type FailureClass =
  | "blocked"
  | "chat_not_found"
  | "rate_limited"
  | "server"
  | "network"
  | "bad_request"
  | "unknown";

/** A classified failure. */
export interface BroadcastFailure {
  errorClass: FailureClass;
  /** Whether trying again can help. */
  retryable: boolean;
  /** Whether the contact is gone for good: the subscription is closed (`opted_out_via = blocked`). */
  unsubscribe: boolean;
  /** The wait the platform asked for (rate limits). */
  retryAfterMs?: number;
  /** The platform's words, for admins (never contains the chat id). */
  message: string;
}

/** Knows some errors; undefined for the others. */
export type FailureClassifier = (error: unknown) => BroadcastFailure | undefined;

/** A send failed with a known class (thrown by senders that classify their own errors). */
export class BroadcastSendError extends LaporError {
  constructor(readonly failure: BroadcastFailure) {
    super(`broadcast_${failure.errorClass}`, failure.message);
  }
}

/**
 * A {@link SendFailure} as a broadcast records it: `gone` unsubscribes the contact (blocked, chat
 * or number gone), `retry_after` is a rate limit, `retry_later` a server or network problem,
 * `refused` a bad request (not retried, not unsubscribed). A failure nobody could classify is
 * `unknown` and not retried (the message may have gone out: at most once).
 */
export function broadcastFailureOf(f: SendFailure): BroadcastFailure {
  const message = f.message.slice(0, 300);
  switch (f.kind) {
    case "retry_after":
      return {
        errorClass: "rate_limited",
        retryable: true,
        unsubscribe: false,
        retryAfterMs: f.retryAfterMs!,
        message,
      };
    case "retry_later":
      if (f.platformCode === "unexpected")
        return { errorClass: "unknown", retryable: false, unsubscribe: false, message };
      return {
        errorClass: f.platformCode === "network" || f.platformCode === "timeout" ? "network" : "server",
        retryable: true,
        unsubscribe: false,
        message,
      };
    case "gone": {
      const blocked =
        (f.platform === "telegram" && f.platformCode === 403) ||
        (f.platform === "wacloud" && f.platformCode === 131050);
      return {
        errorClass: blocked ? "blocked" : "chat_not_found",
        retryable: false,
        unsubscribe: true,
        message,
      };
    }
    case "refused":
      return { errorClass: "bad_request", retryable: false, unsubscribe: false, message };
  }
}

/**
 * Classifies an error: `extra` classifiers first, then {@link BroadcastSendError}, then the send
 * failure taxonomy (`src/delivery/failure.ts`: Telegram, Cloud API and WhatsApp Web errors by code).
 */
export function classifyBroadcastFailure(
  error: unknown,
  extra: readonly FailureClassifier[] = [],
): BroadcastFailure {
  for (const c of extra) {
    const f = c(error);
    if (f) return f;
  }
  if (error instanceof BroadcastSendError) return error.failure;
  return broadcastFailureOf(classifySendFailure("", error));
}
