/**
 * A WhatsApp user talking to the app through its Cloud API webhook: builds inbound messages shaped
 * exactly like Meta's webhook (`object: "whatsapp_business_account"`, `entry[].changes[].value`
 * with `messaging_product`, `metadata.phone_number_id`, `contacts[].wa_id/profile` and
 * `messages[]`), signs the raw body with the app secret (`X-Hub-Signature-256`) and POSTs it.
 * Files are registered on the Graph API stand-in first, so the app fetches them by media id.
 */
import { randomBytes } from "node:crypto";
import { hubSignature } from "../../src/channels/wacloud/signature.js";
import type { GraphApiStub, SentCloudMessage } from "./graph-api-stub.js";

/** Where the webhook is and how it is signed. */
export interface WebhookTarget {
  url: string;
  appSecret: string;
  stub: GraphApiStub;
}

/** A whole webhook body carrying `messages` from one user (or `statuses`). */
export function webhookPayload(
  phoneNumberId: string,
  value: { waId?: string; name?: string; messages?: unknown[]; statuses?: unknown[] },
): Record<string, unknown> {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: phoneNumberId },
              ...(value.waId
                ? { contacts: [{ profile: { name: value.name ?? "" }, wa_id: value.waId }] }
                : {}),
              ...(value.messages ? { messages: value.messages } : {}),
              ...(value.statuses ? { statuses: value.statuses } : {}),
            },
          },
        ],
      },
    ],
  };
}

/** POSTs a raw body with a signature header (or none); resolves to the HTTP status. */
export async function postWebhook(url: string, raw: string, signature: string | undefined): Promise<number> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(signature ? { "x-hub-signature-256": signature } : {}),
    },
    body: raw,
  });
  await res.text();
  return res.status;
}

/** A scripted WhatsApp user. Every method POSTs one signed webhook and resolves to its wamid. */
export class WaUser {
  constructor(
    readonly waId: string,
    readonly name: string,
    private readonly target: WebhookTarget,
  ) {}

  /** POSTs one message object (the fields after from/id/timestamp); resolves to its wamid. */
  async send(
    message: Record<string, unknown>,
    wamid = `wamid.${randomBytes(15).toString("base64url")}`,
  ): Promise<string> {
    const full = { from: this.waId, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), ...message };
    const raw = JSON.stringify(
      webhookPayload(this.target.stub.phoneNumberId, { waId: this.waId, name: this.name, messages: [full] }),
    );
    const status = await postWebhook(this.target.url, raw, hubSignature(raw, this.target.appSecret));
    if (status !== 200) throw new Error(`webhook answered ${status}`);
    return wamid;
  }

  text(body: string): Promise<string> {
    return this.send({ type: "text", text: { body } });
  }

  /** Presses a reply button of a message the app sent (by its title), or by id. */
  pressButton(m: SentCloudMessage, id: string): Promise<string> {
    const buttons = (
      (m.payload.interactive as { action?: { buttons?: { reply: { id: string; title: string } }[] } })?.action
        ?.buttons ?? []
    ).map((b) => b.reply);
    const b = buttons.find((x) => x.id === id);
    if (!b)
      throw new Error(
        `no button ${id} on "${m.text.slice(0, 60)}"; buttons: ${buttons.map((x) => x.id).join(", ")}`,
      );
    return this.send({
      type: "interactive",
      context: { from: "15550783881", id: m.id },
      interactive: { type: "button_reply", button_reply: { id: b.id, title: b.title } },
    });
  }

  /** Chooses a row of a list message the app sent. */
  chooseRow(m: SentCloudMessage, id: string): Promise<string> {
    const sections =
      (
        m.payload.interactive as {
          action?: { sections?: { rows: { id: string; title: string; description?: string }[] }[] };
        }
      )?.action?.sections ?? [];
    const row = sections.flatMap((s) => s.rows).find((r) => r.id === id);
    if (!row) throw new Error(`no row ${id} on "${m.text.slice(0, 60)}"`);
    return this.send({
      type: "interactive",
      context: { from: "15550783881", id: m.id },
      interactive: {
        type: "list_reply",
        list_reply: {
          id: row.id,
          title: row.title,
          ...(row.description ? { description: row.description } : {}),
        },
      },
    });
  }

  location(latitude: number, longitude: number): Promise<string> {
    return this.send({ type: "location", location: { latitude, longitude } });
  }

  image(bytes: Buffer, mime: string, caption?: string): Promise<string> {
    const id = this.target.stub.addInboundMedia(bytes, mime);
    return this.send({
      type: "image",
      image: { id, mime_type: mime, sha256: "ignored", ...(caption ? { caption } : {}) },
    });
  }

  document(bytes: Buffer, mime: string, filename: string): Promise<string> {
    const id = this.target.stub.addInboundMedia(bytes, mime);
    return this.send({ type: "document", document: { id, mime_type: mime, sha256: "ignored", filename } });
  }
}
