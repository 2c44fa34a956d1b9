/**
 * Why a broadcast send failed, and what to do about it: retry (rate limit, server error, network),
 * give up, or give up AND unsubscribe the contact (they blocked the bot, the account is gone, the
 * chat does not exist).
 *
 * Channels extend the classification by passing their own classifiers (tried first, in order); a
 * classifier returns undefined for errors it does not know. A WhatsApp channel would add e.g.
 *
 * ```ts
 * const whatsapp: FailureClassifier = (e) =>
 *   e instanceof WhatsAppSendError && e.code === "not_on_whatsapp"
 *     ? { errorClass: "chat_not_found", retryable: false, unsubscribe: true, message: e.message }
 *     : undefined;
 * new BroadcastDispatcher({ …, classifiers: [whatsapp] });
 * ```
 *
 * A sender may also throw {@link BroadcastSendError} with the failure already classified.
 */
import { GrammyError, HttpError } from "grammy";
import { DeliveryError } from "../delivery/errors.js";
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

const GONE =
  /bot was blocked by the user|user is deactivated|bot was kicked|bot can't initiate conversation|chat not found|have no rights to send/i;

/** Telegram Bot API errors (grammY), by code and description. */
export const classifyTelegramFailure: FailureClassifier = (e) => {
  if (e instanceof GrammyError) {
    const message = `${e.error_code} ${e.description}`;
    if (e.error_code === 429)
      return {
        errorClass: "rate_limited",
        retryable: true,
        unsubscribe: false,
        retryAfterMs: (e.parameters.retry_after ?? 1) * 1000,
        message,
      };
    if (e.error_code === 403 && GONE.test(e.description))
      return { errorClass: "blocked", retryable: false, unsubscribe: true, message };
    if (e.error_code === 400 && /chat not found/i.test(e.description))
      return { errorClass: "chat_not_found", retryable: false, unsubscribe: true, message };
    if (e.error_code >= 500) return { errorClass: "server", retryable: true, unsubscribe: false, message };
    return { errorClass: "bad_request", retryable: false, unsubscribe: false, message };
  }
  if (e instanceof HttpError)
    return { errorClass: "network", retryable: true, unsubscribe: false, message: `network: ${e.message}` };
  return undefined;
};

/** Errors of the delivery transports (`DeliveryError`: retryable or not, maybe with a wait). */
export const classifyDeliveryFailure: FailureClassifier = (e) => {
  if (!(e instanceof DeliveryError)) return undefined;
  if (e.retryAfterMs !== undefined)
    return {
      errorClass: "rate_limited",
      retryable: true,
      unsubscribe: false,
      retryAfterMs: e.retryAfterMs,
      message: e.message,
    };
  return e.retryable
    ? { errorClass: "server", retryable: true, unsubscribe: false, message: e.message }
    : { errorClass: "bad_request", retryable: false, unsubscribe: false, message: e.message };
};

/**
 * Classifies an error: `extra` classifiers first, then {@link BroadcastSendError}, Telegram and
 * delivery-transport errors. Anything else is `unknown` and not retried (the message may have
 * gone out: at most once).
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
  return (
    classifyTelegramFailure(error) ??
    classifyDeliveryFailure(error) ?? {
      errorClass: "unknown",
      retryable: false,
      unsubscribe: false,
      message: `unexpected: ${(error as Error)?.message ?? String(error)}`.slice(0, 300),
    }
  );
}
