/**
 * Broadcast failure classifiers for the two WhatsApp channels (see `failures.ts`), both on the one
 * send failure taxonomy (`src/delivery/failure.ts`): an address that can never receive unsubscribes
 * the contact, as a Telegram "bot was blocked" does.
 *
 * - WhatsApp Web: the channel's permanent send errors (not a WhatsApp number, invalid id) are `gone`.
 * - Cloud API, by Graph error code: 131026 (the number cannot receive: not on WhatsApp, or it blocked
 *   the business) and 131050 (the user stopped marketing messages) are `gone`; 131047 (outside the
 *   24-hour window) is refused without unsubscribing; 130429 and 131056 are rate limits.
 */

import {
  classifyWaCloudFailure as cloudFailure,
  SendFailure,
  classifyWhatsAppWebFailure as webFailure,
} from "../delivery/failure.js";
import { GraphApiError, GraphNetworkError, WhatsAppNotReadyError, WhatsAppSendError } from "../errors.js";
import { broadcastFailureOf, type FailureClassifier } from "./failures.js";

/** WhatsApp Web: what the WhatsApp Web transport or channel threw. */
export const classifyWhatsAppWebFailure: FailureClassifier = (e) => {
  if (e instanceof SendFailure) return e.platform === "whatsapp" ? broadcastFailureOf(e) : undefined;
  if (e instanceof WhatsAppSendError || e instanceof WhatsAppNotReadyError)
    return broadcastFailureOf(webFailure(e));
  return undefined;
};

/** Cloud API: what the Cloud API transport or Graph client threw, by Graph error code. */
export const classifyWaCloudFailure: FailureClassifier = (e) => {
  if (e instanceof SendFailure) return e.platform === "wacloud" ? broadcastFailureOf(e) : undefined;
  if (e instanceof GraphApiError || e instanceof GraphNetworkError)
    return broadcastFailureOf(cloudFailure(e));
  return undefined;
};
