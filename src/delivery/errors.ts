import { GrammyError, HttpError } from "grammy";
import { LaporError } from "../errors.js";

/**
 * A delivery attempt failed. `retryable` says whether trying again can help (rate limits, server
 * errors, network); `retryAfterMs` is the wait the platform asked for, when it said one.
 */
export class DeliveryError extends LaporError {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(retryable ? "delivery_retryable" : "delivery_permanent", message, options);
  }
}

/** Classifies what a transport threw: Bot API errors by code, network failures as retryable. */
export function classifyDeliveryError(e: unknown): DeliveryError {
  if (e instanceof DeliveryError) return e;
  if (e instanceof GrammyError) {
    const retryAfter = e.parameters.retry_after;
    if (e.error_code === 429)
      return new DeliveryError(e.description, true, (retryAfter ?? 5) * 1000, { cause: e });
    if (e.error_code >= 500) return new DeliveryError(e.description, true, undefined, { cause: e });
    return new DeliveryError(`${e.error_code} ${e.description}`, false, undefined, { cause: e });
  }
  if (e instanceof HttpError)
    return new DeliveryError(`network: ${e.message}`, true, undefined, { cause: e });
  return new DeliveryError(`unexpected: ${(e as Error)?.message ?? String(e)}`, true, undefined, {
    cause: e,
  });
}
