/**
 * One taxonomy for every failed send, whatever sent it (office deliveries, reporters' updates,
 * replies, broadcasts) and whatever it went to (Telegram, WhatsApp Cloud API, WhatsApp Web, a
 * webhook). Each platform has ONE classifier here that turns what its client threw into a
 * {@link SendFailure}; callers decide by `kind` (and the platform's `code`), never by matching
 * message text.
 *
 * ```ts
 * try {
 *   await api.sendMessage(chat, text);
 * } catch (e) {
 *   const f = classifyTelegramFailure(e);
 *   if (f.kind === "retry_after") later(f.retryAfterMs);
 * }
 * ```
 */
import { GrammyError, HttpError } from "grammy";
import {
  GraphApiError,
  GraphNetworkError,
  LaporError,
  WhatsAppNotReadyError,
  WhatsAppSendError,
} from "../errors.js";

/**
 * - `retry_after`: the platform is busy and said how long to wait (`retryAfterMs`).
 * - `retry_later`: a temporary failure (server error, network, timeout, not connected): try again
 *   with backoff.
 * - `gone`: the recipient cannot be reached, for good (blocked the bot, chat or number does not
 *   exist, endpoint removed). Deliveries move on to the next office; broadcasts unsubscribe.
 * - `refused`: the platform refused THIS message. When `bug` is true the message itself was wrong
 *   (too long, malformed): a bug in the product, never a reason to move the report elsewhere.
 *   Otherwise the platform refuses to let us reach this recipient now (e.g. WhatsApp's 24-hour
 *   window, 131047), without the recipient being gone.
 */
export type SendFailureKind = "retry_after" | "retry_later" | "gone" | "refused";

/** The platforms a send goes to. */
export type SendPlatform = "telegram" | "wacloud" | "whatsapp" | "webhook" | "web" | "internal";

/** A classified send failure, carrying the platform and its own error code. */
export class SendFailure extends LaporError {
  readonly kind: SendFailureKind;
  readonly platform: SendPlatform;
  /** The platform's code: HTTP or Bot API error code, Graph error code, WhatsApp Web error code. */
  readonly platformCode: number | string | undefined;
  /** The wait the platform asked for (`retry_after` only). */
  readonly retryAfterMs: number | undefined;
  /** For `refused`: the message itself was wrong (too long, malformed). */
  readonly bug: boolean;

  constructor(
    kind: SendFailureKind,
    platform: SendPlatform,
    message: string,
    options: { code?: number | string; retryAfterMs?: number; bug?: boolean; cause?: unknown } = {},
  ) {
    super(`send_${kind}`, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.platform = platform;
    this.platformCode = options.code;
    this.retryAfterMs = kind === "retry_after" ? (options.retryAfterMs ?? 5_000) : undefined;
    this.bug = kind === "refused" && options.bug === true;
  }

  /** Whether trying the same send again can help. */
  get retryable(): boolean {
    return this.kind === "retry_after" || this.kind === "retry_later";
  }

  /** `telegram 429`, `wacloud 131047`: for logs and `deliveries failed`. */
  get label(): string {
    return `${this.platform}${this.platformCode === undefined ? "" : ` ${this.platformCode}`}`;
  }

  /** What admins read in `deliveries failed`: what kind of failure, the platform and its code, its words. */
  describe(): string {
    const what = {
      retry_after: "rate limited",
      retry_later: "temporary failure",
      gone: "recipient cannot be reached",
      refused: this.bug ? "message refused (a bug in the product)" : "refused for this recipient now",
    }[this.kind];
    return `${what}: ${this.label}: ${this.message}`.slice(0, 1000);
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Anything not classified: a temporary failure (the message may not have gone out). */
function unknownFailure(platform: SendPlatform, e: unknown): SendFailure {
  return new SendFailure("retry_later", platform, `unexpected: ${message(e)}`.slice(0, 500), {
    code: "unexpected",
    cause: e,
  });
}

/**
 * Bot API 400 descriptions that mean the chat does not exist or cannot be written to. Telegram
 * gives no finer code than 400/403, so its documented descriptions are its codes; they are listed
 * here, once.
 */
const TELEGRAM_GONE_400 = [
  "chat not found",
  "user not found",
  "peer_id_invalid",
  "group chat was deactivated",
  "group chat was upgraded to a supergroup chat",
  "need administrator rights in the channel chat",
  "not enough rights to send",
];

/**
 * Telegram (grammY): 429 → `retry_after` with the platform's `retry_after`; 5xx and network →
 * `retry_later`; 403 (blocked, kicked, deactivated, cannot initiate) → `gone`; 400 for a chat
 * that does not exist → `gone`; any other 400 ("message is too long", bad entities) → `refused`
 * as a bug.
 */
export function classifyTelegramFailure(e: unknown): SendFailure {
  if (e instanceof SendFailure) return e;
  if (e instanceof GrammyError) {
    const code = e.error_code;
    const text = `${code} ${e.description}`;
    if (code === 429)
      return new SendFailure("retry_after", "telegram", text, {
        code,
        retryAfterMs: (e.parameters.retry_after ?? 5) * 1000,
        cause: e,
      });
    if (code >= 500) return new SendFailure("retry_later", "telegram", text, { code, cause: e });
    if (code === 403 || code === 401 || code === 404)
      return new SendFailure("gone", "telegram", text, { code, cause: e });
    const d = e.description.toLowerCase();
    if (code === 400 && TELEGRAM_GONE_400.some((g) => d.includes(g)))
      return new SendFailure("gone", "telegram", text, { code, cause: e });
    return new SendFailure("refused", "telegram", text, { code, bug: true, cause: e });
  }
  if (e instanceof HttpError)
    return new SendFailure("retry_later", "telegram", `network: ${e.message}`, { code: "network", cause: e });
  return unknownFailure("telegram", e);
}

/** Graph error codes of rate limits (throughput 130429, pair rate 131056, spam 131048, app/account limits). */
const CLOUD_RATE = new Set([4, 80007, 130429, 131048, 131056]);
/** Graph error codes of temporary trouble on Meta's side. */
const CLOUD_TEMPORARY = new Set([1, 2, 131000, 131016, 133004]);
/** Graph error codes of a recipient that cannot be reached (not on WhatsApp, blocked, not allowed, stopped marketing). */
const CLOUD_GONE = new Set([131026, 131030, 131045, 131050, 131051]);
/** Graph error codes that refuse reaching this recipient now without the recipient being gone. */
const CLOUD_RECIPIENT_NOW = new Set([131047, 131031, 470]);

/**
 * WhatsApp Cloud API, by the Graph error `code` (Meta: "handle errors by code"), whatever the HTTP
 * status: 130429/131056/131048/4/80007 → `retry_after`; 5xx, 131000, 131016, 133004 and network →
 * `retry_later`; 131026 (undeliverable), 131030, 131045, 131050, 131051 → `gone`; 131047 (outside
 * the 24-hour window) → `refused` (not a bug); other 4xx (e.g. 100 invalid parameter, 131009) →
 * `refused` as a bug.
 */
export function classifyWaCloudFailure(e: unknown): SendFailure {
  if (e instanceof SendFailure) return e;
  if (e instanceof GraphNetworkError)
    return new SendFailure("retry_later", "wacloud", e.message, { code: "network", cause: e });
  if (e instanceof GraphApiError) {
    const code = e.graphCode;
    const opts = { code: code ?? e.status, cause: e };
    if (e.status === 429 || (code !== undefined && CLOUD_RATE.has(code)))
      return new SendFailure("retry_after", "wacloud", e.message, {
        ...opts,
        retryAfterMs: e.retryAfterMs ?? 5_000,
      });
    if (code !== undefined && CLOUD_GONE.has(code))
      return new SendFailure("gone", "wacloud", e.message, opts);
    if (code !== undefined && CLOUD_RECIPIENT_NOW.has(code))
      return new SendFailure("refused", "wacloud", e.message, opts);
    if (e.status >= 500 || (code !== undefined && CLOUD_TEMPORARY.has(code)))
      return new SendFailure("retry_later", "wacloud", e.message, opts);
    if (e.status === 401) return new SendFailure("retry_later", "wacloud", e.message, opts);
    return new SendFailure("refused", "wacloud", e.message, { ...opts, bug: true });
  }
  return unknownFailure("wacloud", e);
}

/**
 * WhatsApp Web (whatsapp-web.js through the channel's paced queue): not connected in time →
 * `retry_later` in 30 s; a send error the channel marked permanent (not a WhatsApp number, invalid
 * id) → `gone`; other send errors (dead page, timeouts) → `retry_later`.
 */
export function classifyWhatsAppWebFailure(e: unknown): SendFailure {
  if (e instanceof SendFailure) return e;
  if (e instanceof WhatsAppNotReadyError)
    return new SendFailure("retry_after", "whatsapp", e.message, {
      code: e.code,
      retryAfterMs: 30_000,
      cause: e,
    });
  if (e instanceof WhatsAppSendError)
    return new SendFailure(e.permanent ? "gone" : "retry_later", "whatsapp", `whatsapp: ${e.message}`, {
      code: e.code,
      cause: e,
    });
  return unknownFailure("whatsapp", e);
}

/** A webhook's HTTP answer: 408/425/429 and 5xx are retried, other 4xx are permanent. */
export function classifyWebhookStatus(
  status: number,
  retryAfterHeader: string | null,
  text: string,
): SendFailure {
  const msg = `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ""}`;
  if ((status === 429 || status === 503) && retryAfterHeader?.trim()) {
    const seconds = Number(retryAfterHeader);
    if (Number.isFinite(seconds) && seconds >= 0)
      return new SendFailure("retry_after", "webhook", msg, { code: status, retryAfterMs: seconds * 1000 });
  }
  if (status >= 500 || status === 408 || status === 425 || status === 429)
    return new SendFailure("retry_later", "webhook", msg, { code: status });
  // 400/422: the receiver refused what we sent; 401/403/404/410: the endpoint will not take ours.
  if (status === 400 || status === 413 || status === 415 || status === 422)
    return new SendFailure("refused", "webhook", msg, { code: status, bug: true });
  return new SendFailure("gone", "webhook", msg, { code: status });
}

/** A webhook's network failure (refused connection, timeout, TLS): retried. */
export function classifyWebhookFailure(e: unknown): SendFailure {
  if (e instanceof SendFailure) return e;
  const name = e instanceof Error ? e.name : "";
  const why = name === "TimeoutError" || name === "AbortError" ? "timeout" : "network";
  return new SendFailure("retry_later", "webhook", `${why}: ${message(e)}`.slice(0, 300), {
    code: why,
    cause: e,
  });
}

/** The classifier of each platform, for code that sends on any of them (e.g. broadcasts). */
export const CLASSIFIERS: Readonly<Record<string, (e: unknown) => SendFailure>> = {
  telegram: classifyTelegramFailure,
  wacloud: classifyWaCloudFailure,
  whatsapp: classifyWhatsAppWebFailure,
  webhook: classifyWebhookFailure,
};

/** Classifies what a send on `platform` threw (an already classified failure is kept). */
export function classifySendFailure(platform: string, e: unknown): SendFailure {
  if (e instanceof SendFailure) return e;
  const c = CLASSIFIERS[platform];
  if (c) return c(e);
  if (e instanceof GrammyError || e instanceof HttpError) return classifyTelegramFailure(e);
  if (e instanceof GraphApiError || e instanceof GraphNetworkError) return classifyWaCloudFailure(e);
  return unknownFailure("internal", e);
}
