import type { Inbound, MediaItem } from "../../engine/types.js";
import type { EvidenceStore } from "../../reports/evidence-store.js";
import { type MediaPolicy, mimeAccepted } from "../types.js";
import type { WhatsAppMedia, WhatsAppMessage } from "./client.js";

/** Message types that carry a file to download, and the evidence kind each becomes. */
const MEDIA_TYPES: Record<string, MediaItem["kind"] | "by_mime"> = {
  image: "photo",
  video: "video",
  audio: "audio",
  ptt: "audio",
  document: "by_mime",
};

/** Message types the engine cannot read, by the name it gives them. */
const UNSUPPORTED: Record<string, string> = {
  sticker: "sticker",
  vcard: "contact",
  multi_vcard: "contact",
  poll_creation: "poll",
};

/** What is needed to turn a WhatsApp message into engine input. */
export interface WhatsAppIntake {
  policy: MediaPolicy;
  store: EvidenceStore;
}

/** True for chats the citizen flow never answers: status updates and broadcast lists. */
export function isBroadcast(message: WhatsAppMessage): boolean {
  return (
    message.isStatus === true ||
    message.broadcast === true ||
    message.from === "status@broadcast" ||
    message.from.endsWith("@broadcast")
  );
}

/** True for a group chat. */
export function isGroup(chatId: string): boolean {
  return chatId.endsWith("@g.us");
}

/** A typed slash command ("/lapor", "/status LN-…"): its name (lower case) and the rest. */
export function parseCommand(text: string): { name: string; args: string } | undefined {
  const m = /^\/([A-Za-z_]+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  return m ? { name: m[1]!.toLowerCase(), args: (m[2] ?? "").trim() } : undefined;
}

function kindOf(type: string, mime: string): MediaItem["kind"] {
  const k = MEDIA_TYPES[type];
  if (k && k !== "by_mime") return k;
  return mime.startsWith("image/") ? "photo" : mime.startsWith("video/") ? "video" : "document";
}

/**
 * Turns a private-chat message into engine input: text (a `/command` or words; links are found by
 * the flow), a shared location, a file (downloaded with `downloadMedia()`, checked against the
 * size limit and the accepted types, then stored with its SHA-256), or `unsupported`. Expired media
 * (`downloadMedia()` gives nothing or throws) becomes `media_rejected` "download_failed", so the
 * flow asks the citizen to send it again.
 */
export async function messageToInbound(message: WhatsAppMessage, intake: WhatsAppIntake): Promise<Inbound> {
  if (message.type === "location" || message.location) {
    const lat = Number(message.location?.latitude);
    const lon = Number(message.location?.longitude);
    if (Number.isFinite(lat) && Number.isFinite(lon)) return { kind: "location", lat, lon };
    return { kind: "unsupported", what: "other" };
  }
  if (message.hasMedia && message.type in MEDIA_TYPES) return mediaToInbound(message, intake);
  const unsupported = UNSUPPORTED[message.type];
  if (unsupported) return { kind: "unsupported", what: unsupported };
  if (message.type === "chat" || message.type === "text") {
    const command = parseCommand(message.body);
    if (command) return { kind: "command", ...command };
    return { kind: "text", text: message.body };
  }
  return { kind: "unsupported", what: message.type || "other" };
}

async function mediaToInbound(message: WhatsAppMessage, intake: WhatsAppIntake): Promise<Inbound> {
  let media: WhatsAppMedia | undefined;
  try {
    media = await message.downloadMedia();
  } catch {
    media = undefined;
  }
  if (!media?.data) return { kind: "media_rejected", reason: "download_failed" };
  const fileName = media.filename ? { fileName: media.filename } : {};
  const limit = intake.policy.maxBytes;
  if (typeof media.filesize === "number" && media.filesize > limit)
    return { kind: "media_rejected", reason: "too_large", size: media.filesize, limit, ...fileName };
  const mime = (media.mimetype.split(";")[0] ?? "").trim().toLowerCase() || "application/octet-stream";
  if (!mimeAccepted(intake.policy, mime))
    return { kind: "media_rejected", reason: "unsupported_type", ...fileName };
  const bytes = Buffer.from(media.data, "base64");
  if (bytes.byteLength > limit)
    return { kind: "media_rejected", reason: "too_large", size: bytes.byteLength, limit, ...fileName };
  const stored = await intake.store.put(bytes);
  const item: MediaItem = {
    ref: stored.storageKey,
    kind: kindOf(message.type, mime),
    mime,
    size: stored.size,
    sha256: stored.sha256,
    receivedAt: new Date(message.timestamp * 1000).toISOString(),
    // The message's own id, without the chat part (which is a phone number).
    messageId: message.id.id ?? message.id._serialized,
    ...fileName,
  };
  if (message.body) item.caption = message.body;
  return { kind: "media", items: [item] };
}
