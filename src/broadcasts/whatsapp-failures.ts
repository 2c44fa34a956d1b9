/**
 * Broadcast failure classifiers for the two WhatsApp channels (see `failures.ts`): an address that
 * can never receive unsubscribes the contact, as a Telegram "bot was blocked" does.
 *
 * - WhatsApp Web: the transport's permanent errors (not a WhatsApp number, invalid id, no chat).
 * - Cloud API: Graph error 131026 (the number cannot receive: not on WhatsApp, or it blocked the
 *   business) and 131050 (the user stopped marketing messages from the business). Other permanent
 *   errors, such as 131047 (outside the 24-hour window), fail the send without unsubscribing.
 */
import { GraphApiError } from "../channels/wacloud/graph-api.js";
import { errorText, isPermanentSendError } from "../channels/whatsapp/errors.js";
import { DeliveryError } from "../delivery/errors.js";
import type { FailureClassifier } from "./failures.js";

/** Graph API error codes that mean the person cannot, or does not want to, receive anything. */
const CLOUD_GONE = new Set([131026, 131050]);

/** WhatsApp Web: a permanent send error unsubscribes the contact. */
export const classifyWhatsAppWebFailure: FailureClassifier = (e) => {
  if (!(e instanceof DeliveryError) || e.retryable || !e.message.startsWith("whatsapp:")) return undefined;
  if (!isPermanentSendError(e.cause ?? e)) return undefined;
  return { errorClass: "chat_not_found", retryable: false, unsubscribe: true, message: errorText(e) };
};

/** Cloud API: recipients that cannot receive unsubscribe; other Graph errors are left to the defaults. */
export const classifyWaCloudFailure: FailureClassifier = (e) => {
  const graph = e instanceof DeliveryError ? e.cause : e;
  if (!(graph instanceof GraphApiError) || !CLOUD_GONE.has(graph.graphCode ?? 0)) return undefined;
  return {
    errorClass: graph.graphCode === 131050 ? "blocked" : "chat_not_found",
    retryable: false,
    unsubscribe: true,
    message: graph.message,
  };
};
