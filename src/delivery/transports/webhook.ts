import { createHmac } from "node:crypto";
import { classifyWebhookFailure, classifyWebhookStatus, type SendFailure } from "../failure.js";
import type {
  DeliveryContext,
  DeliveryTransport,
  OutgoingFile,
  ReportDocument,
  TextLimits,
} from "../transport.js";

/** The headers a receiver reads (see README, "Webhook destinations"). */
export const WEBHOOK_HEADERS = {
  signature: "x-lapornetral-signature",
  timestamp: "x-lapornetral-timestamp",
  delivery: "x-lapornetral-delivery",
  event: "x-lapornetral-event",
} as const;

/** What the transport needs. */
export interface WebhookTransportOptions {
  /** The secret for a destination URL (its own, or the default from the settings); undefined when none. */
  secretFor(url: string): string | undefined;
  timeoutMs?: number;
  now?: () => Date;
  /** For tests: the fetch to use. */
  fetch?: typeof fetch;
}

/**
 * The secret for each webhook URL: its own from `WEBHOOK_SECRETS` (a JSON object by URL), else
 * `WEBHOOK_SECRET`; undefined when neither is set (the destination is then unusable).
 */
export function webhookSecrets(config: {
  WEBHOOK_SECRET?: string | undefined;
  WEBHOOK_SECRETS?: string | undefined;
}): (url: string) => string | undefined {
  const own = config.WEBHOOK_SECRETS ? (JSON.parse(config.WEBHOOK_SECRETS) as Record<string, string>) : {};
  return (url) => own[url] ?? config.WEBHOOK_SECRET;
}

/**
 * Signs a body as the transport does: hex HMAC-SHA256 of `<timestamp>.<body>` with the secret,
 * sent as `X-LaporNetral-Signature: sha256=<hex>` beside `X-LaporNetral-Timestamp` (Unix seconds).
 * A receiver recomputes it and compares in constant time, and refuses old timestamps.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * Whether a URL may receive reports: HTTPS, or plain HTTP only to this machine (127.0.0.1, ::1,
 * localhost) for a receiver on the same host.
 */
export function isUsableWebhookUrl(address: string): boolean {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return false;
  }
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && ["127.0.0.1", "[::1]", "localhost"].includes(url.hostname);
}

/**
 * Delivers to an office's own system (e.g. a case-management system) by HTTPS POST of JSON, signed
 * with HMAC-SHA256. A report goes as one document (`event: "report"`: the CSV export's fields, the
 * evidence as links with SHA-256); other messages (reminders, digests, a reporter's answer) as
 * `event: "message"` with the text. 5xx, 408, 429 and timeouts are retried (honouring
 * `Retry-After`); other 4xx are permanent. `X-LaporNetral-Delivery` is the same on every retry of
 * a part, so a receiver can ignore a repeat.
 */
export class WebhookTransport implements DeliveryTransport {
  readonly limits: TextLimits = { text: 100_000, textWithButtons: 100_000, caption: 10_000 };

  constructor(private readonly options: WebhookTransportOptions) {}

  classify(e: unknown): SendFailure {
    return classifyWebhookFailure(e);
  }

  /** Whether this destination can receive at all: a usable URL and a secret to sign with. */
  usable(address: string): boolean {
    return isUsableWebhookUrl(address) && Boolean(this.options.secretFor(address));
  }

  async sendReport(address: string, report: ReportDocument, context: DeliveryContext): Promise<void> {
    await this.post(address, context, {
      event: "report",
      report_number: context.reportNumber ?? null,
      ...report,
    });
  }

  async sendText(address: string, text: string, context: DeliveryContext): Promise<void> {
    await this.post(address, context, {
      event: "message",
      kind: context.kind,
      report_number: context.reportNumber ?? null,
      text,
    });
  }

  async sendFiles(address: string, files: OutgoingFile[], context: DeliveryContext): Promise<void> {
    await this.post(address, context, {
      event: "files",
      kind: context.kind,
      report_number: context.reportNumber ?? null,
      files: files.map((f) => ({
        file_name: f.fileName,
        mime: f.mime,
        size: f.bytes.byteLength,
        caption: f.caption,
      })),
    });
  }

  async sendLocation(address: string, lat: number, lon: number, context: DeliveryContext): Promise<void> {
    await this.post(address, context, {
      event: "location",
      kind: context.kind,
      report_number: context.reportNumber ?? null,
      lat,
      lon,
    });
  }

  private async post(
    address: string,
    context: DeliveryContext,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const secret = this.options.secretFor(address);
    if (!isUsableWebhookUrl(address))
      throw classifyWebhookStatus(404, null, "not an https:// URL (plain http only to this machine)");
    if (!secret)
      throw classifyWebhookStatus(401, null, "no secret to sign with: set WEBHOOK_SECRET or WEBHOOK_SECRETS");
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor((this.options.now?.() ?? new Date()).getTime() / 1000));
    const doFetch = this.options.fetch ?? fetch;
    let res: Response;
    try {
      res = await doFetch(address, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "user-agent": "LaporNetral-webhook/1",
          [WEBHOOK_HEADERS.signature]: signWebhook(secret, timestamp, body),
          [WEBHOOK_HEADERS.timestamp]: timestamp,
          [WEBHOOK_HEADERS.delivery]: `${context.jobId}-${context.part}`,
          [WEBHOOK_HEADERS.event]: String(payload.event),
        },
        body,
        redirect: "error",
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (e) {
      throw classifyWebhookFailure(e);
    }
    if (res.ok) {
      await res.body?.cancel().catch(() => {});
      return;
    }
    const text = await res.text().catch(() => "");
    throw classifyWebhookStatus(res.status, res.headers.get("retry-after"), text);
  }
}
