/**
 * WhatsApp failures during a broadcast: an address that can never receive unsubscribes the contact
 * (like a Telegram "bot was blocked"); a temporary problem or a closed 24-hour window does not.
 */
import { describe, expect, it } from "vitest";
import { classifyBroadcastFailure } from "../../src/broadcasts/failures.js";
import {
  classifyWaCloudFailure,
  classifyWhatsAppWebFailure,
} from "../../src/broadcasts/whatsapp-failures.js";
import { GraphApiError } from "../../src/channels/wacloud/graph-api.js";
import { WhatsAppSendError } from "../../src/channels/whatsapp/errors.js";
import {
  classifyWaCloudFailure as classifyGraphError,
  classifyWhatsAppWebFailure as classifyWebError,
  type SendFailure,
} from "../../src/delivery/failure.js";

const extra = [classifyWhatsAppWebFailure, classifyWaCloudFailure];

/** What the WhatsApp Web transport throws for a failed send (src/delivery/transports/whatsapp.ts). */
function webFailure(cause: Error, permanent: boolean): SendFailure {
  return classifyWebError(new WhatsAppSendError(cause.message, permanent, { cause }));
}

describe("WhatsApp broadcast failures", () => {
  it("WhatsApp Web: not a WhatsApp number unsubscribes; a dead page is retried", () => {
    const gone = classifyBroadcastFailure(
      webFailure(new WhatsAppSendError("not a valid WhatsApp user", true), true),
      extra,
    );
    expect(gone).toMatchObject({ errorClass: "chat_not_found", retryable: false, unsubscribe: true });
    const dead = classifyBroadcastFailure(
      webFailure(new Error("Execution context was destroyed"), false),
      extra,
    );
    expect(dead).toMatchObject({ retryable: true, unsubscribe: false });
  });

  it("Cloud API: 131026 and 131050 unsubscribe; 131047 (24-hour window) and 429 do not", () => {
    const graph = (status: number, code: number) =>
      classifyGraphError(new GraphApiError(status, code, undefined, `(#${code}) test`));
    expect(classifyBroadcastFailure(graph(400, 131026), extra)).toMatchObject({
      errorClass: "chat_not_found",
      unsubscribe: true,
    });
    expect(classifyBroadcastFailure(graph(400, 131050), extra)).toMatchObject({
      errorClass: "blocked",
      unsubscribe: true,
    });
    expect(classifyBroadcastFailure(graph(400, 131047), extra)).toMatchObject({
      retryable: false,
      unsubscribe: false,
    });
    expect(classifyBroadcastFailure(graph(429, 130429), extra)).toMatchObject({
      retryable: true,
      unsubscribe: false,
    });
  });
});
