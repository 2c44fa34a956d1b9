/**
 * One failure taxonomy: each platform's errors are classified by code (never by matching the
 * message), into retry after N s / retry later / gone / refused, with the platform and its code.
 */
import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { broadcastFailureOf, classifyBroadcastFailure } from "../../src/broadcasts/failures.js";
import { GraphApiError, GraphNetworkError } from "../../src/channels/wacloud/graph-api.js";
import { WhatsAppNotReadyError, WhatsAppSendError } from "../../src/channels/whatsapp/errors.js";
import {
  classifyTelegramFailure,
  classifyWaCloudFailure,
  classifyWebhookStatus,
  classifyWhatsAppWebFailure,
} from "../../src/delivery/failure.js";

const grammy = (code: number, description: string, parameters: Record<string, number> = {}) =>
  new GrammyError(
    `Call to 'sendMessage' failed! (${code}: ${description})`,
    { ok: false, error_code: code, description, parameters },
    "sendMessage",
    {},
  );
const graph = (status: number, code: number | undefined, retryAfterMs?: number) =>
  new GraphApiError(status, code, undefined, `(#${code}) test`, retryAfterMs);

describe("send failure taxonomy", () => {
  it("Telegram: 429 waits retry_after, 5xx and network retry, 403 and chat not found are gone, too long is a bug", () => {
    const limited = classifyTelegramFailure(
      grammy(429, "Too Many Requests: retry after 40", { retry_after: 40 }),
    );
    expect([limited.kind, limited.retryAfterMs, limited.platform, limited.platformCode]).toEqual([
      "retry_after",
      40_000,
      "telegram",
      429,
    ]);
    expect(classifyTelegramFailure(grammy(502, "Bad Gateway")).kind).toBe("retry_later");
    expect(
      classifyTelegramFailure(new HttpError("Network request failed", new Error("ECONNRESET"))).kind,
    ).toBe("retry_later");
    expect(classifyTelegramFailure(grammy(403, "Forbidden: bot was blocked by the user")).kind).toBe("gone");
    expect(classifyTelegramFailure(grammy(400, "Bad Request: chat not found")).kind).toBe("gone");
    const long = classifyTelegramFailure(grammy(400, "Bad Request: message is too long"));
    expect([long.kind, long.bug, long.retryable]).toEqual(["refused", true, false]);
  });

  it("Cloud API by error code whatever the HTTP status", () => {
    expect(classifyWaCloudFailure(graph(400, 130429, 3000))).toMatchObject({
      kind: "retry_after",
      retryAfterMs: 3000,
    });
    expect(classifyWaCloudFailure(graph(400, 131056)).kind).toBe("retry_after");
    expect(classifyWaCloudFailure(graph(400, 131026))).toMatchObject({ kind: "gone", platformCode: 131026 });
    expect(classifyWaCloudFailure(graph(400, 131047))).toMatchObject({ kind: "refused", bug: false });
    expect(classifyWaCloudFailure(graph(503, undefined)).kind).toBe("retry_later");
    expect(classifyWaCloudFailure(graph(500, 131000)).kind).toBe("retry_later");
    expect(classifyWaCloudFailure(new GraphNetworkError("ECONNREFUSED")).kind).toBe("retry_later");
    expect(classifyWaCloudFailure(graph(400, 100))).toMatchObject({ kind: "refused", bug: true });
  });

  it("WhatsApp Web: the channel's permanent errors are gone, others retried, not connected waits", () => {
    expect(classifyWhatsAppWebFailure(new WhatsAppSendError("invalid wid", true)).kind).toBe("gone");
    expect(classifyWhatsAppWebFailure(new WhatsAppSendError("Target closed", false)).kind).toBe(
      "retry_later",
    );
    expect(classifyWhatsAppWebFailure(new WhatsAppNotReadyError(60_000))).toMatchObject({
      kind: "retry_after",
      retryAfterMs: 30_000,
    });
  });

  it("webhooks: 5xx, 408 and 429 retried (Retry-After honoured), other 4xx permanent", () => {
    expect(classifyWebhookStatus(503, null, "").kind).toBe("retry_later");
    expect(classifyWebhookStatus(429, "7", "")).toMatchObject({ kind: "retry_after", retryAfterMs: 7000 });
    expect(classifyWebhookStatus(408, null, "").kind).toBe("retry_later");
    expect(classifyWebhookStatus(410, null, "").kind).toBe("gone");
    expect(classifyWebhookStatus(422, null, "").kind).toBe("refused");
  });

  it("broadcasts record the same classification: gone unsubscribes, a rate limit waits", () => {
    expect(
      broadcastFailureOf(classifyTelegramFailure(grammy(403, "Forbidden: bot was blocked by the user"))),
    ).toMatchObject({
      errorClass: "blocked",
      unsubscribe: true,
    });
    expect(classifyBroadcastFailure(graph(400, 130429, 2000))).toMatchObject({
      errorClass: "rate_limited",
      retryable: true,
      retryAfterMs: 2000,
    });
    expect(classifyBroadcastFailure(new Error("something odd"))).toMatchObject({
      errorClass: "unknown",
      retryable: false,
    });
  });
});
