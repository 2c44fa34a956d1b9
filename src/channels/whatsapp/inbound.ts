import type { Inbound, MediaItem } from "../../engine/types.js";
import type { EvidenceStore } from "../../reports/evidence-store.js";
import { cleanInbound } from "../clean-inbound.js";
import { MediaIntake } from "../media-intake.js";
import type { MediaPolicy } from "../types.js";
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

/**
 * Turns a private-chat message into engine input, its texts cleaned ({@link cleanInbound}): text
 * (a `/command` or words; links are found by the flow), a shared location, a file (downloaded with
 * `downloadMedia()` and taken by the one media intake: size, real type from the bytes, SHA-256,
 * storage), or `unsupported`. Expired media (`downloadMedia()` gives nothing or throws) becomes
 * `media_rejected` "download_failed", so the flow asks the citizen to send it again.
 */
export async function messageToInbound(message: WhatsAppMessage, intake: WhatsAppIntake): Promise<Inbound> {
  return cleanInbound(await readMessage(message, intake));
}

async function readMessage(message: WhatsAppMessage, intake: WhatsAppIntake): Promise<Inbound> {
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
  const kind = MEDIA_TYPES[message.type];
  return new MediaIntake(intake.policy, intake.store).take({
    ...(kind && kind !== "by_mime" ? { kind } : {}),
    caption: message.body || undefined,
    // The message's own id, without the chat part (which is a phone number).
    messageId: message.id.id ?? message.id._serialized,
    receivedAt: new Date(message.timestamp * 1000),
    // downloadMedia() tells the name, type and size only with the bytes.
    download: async () => {
      const media: WhatsAppMedia | undefined = await message.downloadMedia();
      if (!media?.data) return undefined;
      return {
        bytes: Buffer.from(media.data, "base64"),
        declaredMime: media.mimetype,
        declaredSize: typeof media.filesize === "number" ? media.filesize : undefined,
        fileName: media.filename ?? undefined,
      };
    },
  });
}
