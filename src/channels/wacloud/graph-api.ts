import { GraphApiError, GraphNetworkError } from "../../errors.js";

/** Where and as whom the Graph API is called. */
export interface GraphApiSettings {
  /** API root, e.g. https://graph.facebook.com (a local stand-in in tests). */
  root: string;
  /** Graph API version path segment, e.g. "v21.0". */
  version: string;
  /** System-user or business access token (sent as a Bearer token, never logged). */
  token: string;
  /** The WhatsApp Business phone number id that sends the messages. */
  phoneNumberId: string;
}

/** What `GET /{media-id}` answers about an inbound file. */
export interface MediaInfo {
  url: string;
  mime_type: string;
  sha256?: string;
  file_size?: number;
  id: string;
}

// The error classes live with the program's error taxonomy, so delivery and broadcasts classify
// them without importing the channel.
export { GraphApiError, GraphNetworkError } from "../../errors.js";

/** A Cloud API message body without the envelope fields (`messaging_product`, `to`). */
export type CloudMessage = Record<string, unknown> & { type: string };

/**
 * A small typed client of the WhatsApp Cloud API endpoints the channel uses: send a message,
 * upload media, look up an inbound media id, download its bytes. Built on `fetch`; errors become
 * {@link GraphApiError} with the Graph error code, or {@link GraphNetworkError}.
 */
export class GraphApiClient {
  constructor(private readonly settings: GraphApiSettings) {}

  private url(path: string): string {
    return `${this.settings.root.replace(/\/+$/, "")}/${this.settings.version}/${path}`;
  }

  private async call(url: string, init: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          authorization: `Bearer ${this.settings.token}`,
        },
      });
    } catch (e) {
      throw new GraphNetworkError(`network: ${(e as Error).message}`, { cause: e });
    }
    if (res.ok) return res;
    const retryAfter = Number(res.headers.get("retry-after"));
    const body = (await res.json().catch(() => ({}))) as {
      error?: { message?: string; code?: number; error_subcode?: number };
    };
    throw new GraphApiError(
      res.status,
      body.error?.code,
      body.error?.error_subcode,
      `Graph API ${res.status}${body.error?.code ? ` code ${body.error.code}` : ""}: ${body.error?.message ?? res.statusText}`,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
    );
  }

  /** Sends one message to `to` (a wa_id); resolves to the new message's wamid. */
  async sendMessage(to: string, message: CloudMessage): Promise<string> {
    const res = await this.call(this.url(`${this.settings.phoneNumberId}/messages`), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messaging_product: "whatsapp", recipient_type: "individual", to, ...message }),
    });
    const body = (await res.json()) as { messages?: { id: string }[] };
    return body.messages?.[0]?.id ?? "";
  }

  /** Uploads a file (multipart `POST /{phone-number-id}/media`); resolves to its media id. */
  async uploadMedia(bytes: Uint8Array, mime: string, fileName: string): Promise<string> {
    const form = new FormData();
    form.append("messaging_product", "whatsapp");
    form.append("type", mime);
    form.append("file", new Blob([bytes], { type: mime }), fileName);
    const res = await this.call(this.url(`${this.settings.phoneNumberId}/media`), {
      method: "POST",
      body: form,
    });
    return ((await res.json()) as { id: string }).id;
  }

  /** `GET /{media-id}`: the short-lived URL, type, size and hash of an inbound file. */
  async getMedia(mediaId: string): Promise<MediaInfo> {
    const res = await this.call(this.url(encodeURIComponent(mediaId)), { method: "GET" });
    return (await res.json()) as MediaInfo;
  }

  /** Downloads the bytes behind a media URL (the token is required there too). */
  async downloadMedia(url: string): Promise<Uint8Array> {
    const res = await this.call(url, { method: "GET" });
    return new Uint8Array(await res.arrayBuffer());
  }
}
