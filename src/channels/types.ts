import type { ChannelName } from "../db/schema/index.js";
import type { Inbound, Lang, Output } from "../engine/types.js";

export type { ChannelName };

/**
 * A citizen's message as every channel hands it to the conversation service: who (channel and
 * the platform's chat id), which platform message (for de-duplication), and the engine input.
 */
export interface InboundMessage {
  channel: ChannelName;
  /** The platform's id of the private chat (Telegram chat id, WhatsApp id, simulator visitor id). */
  chatId: string;
  /** The platform's message or update id, unique within the channel. */
  messageId: string;
  receivedAt: Date;
  /**
   * The engine input, or a function producing it (e.g. downloading a file first). A function runs
   * inside the contact's queue, so a slow download never lets a later message overtake it.
   */
  input: Inbound | (() => Promise<Inbound>);
  /** The language the platform says the user's app is in, used for a first conversation. */
  languageHint?: Lang;
}

/** What a channel sends back for one inbound message, after the conversation step committed. */
export interface Reply {
  outputs: Output[];
  lang: Lang;
}

/** What the media intake of a channel decides about a file before downloading it. */
export interface MediaPolicy {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** MIME types accepted as evidence, as exact types or "image/*"-style prefixes. */
  accepted: readonly string[];
}

/** Evidence types accepted on every channel: pictures, videos, audio, PDFs, office documents, text. */
export const DEFAULT_ACCEPTED_MIME = [
  "image/*",
  "video/*",
  "audio/*",
  "application/pdf",
  "application/msword",
  "application/vnd.openxmlformats-officedocument.*",
  "application/vnd.ms-excel",
  "application/vnd.ms-powerpoint",
  "application/vnd.oasis.opendocument.*",
  "text/plain",
  "text/csv",
  "application/zip",
] as const;

/** True when `mime` is accepted by the policy. */
export function mimeAccepted(policy: MediaPolicy, mime: string): boolean {
  const m = mime.toLowerCase();
  return policy.accepted.some((a) => (a.endsWith("*") ? m.startsWith(a.slice(0, -1)) : m === a));
}
