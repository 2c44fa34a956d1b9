/**
 * The shapes of the WhatsApp Cloud API webhook (`object: "whatsapp_business_account"`), as far as
 * the channel reads them: `entry[].changes[].value` with `messages`, `contacts` and `statuses`.
 */

/** A file attached to an inbound message (image, document, video, audio, sticker). */
export interface WaMediaRef {
  id: string;
  mime_type?: string;
  sha256?: string;
  caption?: string;
  filename?: string;
}

/** One inbound message. Only the fields the channel uses are typed. */
export interface WaMessage {
  from: string;
  id: string;
  timestamp: string;
  type: string;
  text?: { body: string };
  interactive?: {
    type: "button_reply" | "list_reply" | string;
    button_reply?: { id: string; title: string };
    list_reply?: { id: string; title: string; description?: string };
  };
  /** A quick-reply button of a template message. */
  button?: { payload?: string; text?: string };
  image?: WaMediaRef;
  document?: WaMediaRef;
  video?: WaMediaRef;
  audio?: WaMediaRef & { voice?: boolean };
  sticker?: WaMediaRef;
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  context?: { from?: string; id?: string };
}

/** The `value` of one change of field `messages`. */
export interface WaChangeValue {
  messaging_product?: string;
  metadata?: { display_phone_number?: string; phone_number_id?: string };
  contacts?: { wa_id: string; profile?: { name?: string } }[];
  messages?: WaMessage[];
  statuses?: { id: string; status: string; recipient_id?: string; timestamp?: string }[];
}

/** A whole webhook POST body. */
export interface WaWebhookPayload {
  object?: string;
  entry?: { id?: string; changes?: { field?: string; value?: WaChangeValue }[] }[];
}

/** Every inbound message of a payload, in the order Meta listed them. */
export function messagesOf(payload: WaWebhookPayload): WaMessage[] {
  const out: WaMessage[] = [];
  for (const entry of payload.entry ?? []) {
    for (const change of entry.changes ?? []) {
      for (const m of change.value?.messages ?? []) {
        if (m && typeof m.from === "string" && typeof m.id === "string") out.push(m);
      }
    }
  }
  return out;
}
