import type { Message } from "grammy/types";
import type { Inbound, MediaItem } from "../../engine/types.js";
import type { EvidenceStore } from "../../reports/evidence-store.js";
import { type MediaPolicy, mimeAccepted } from "../types.js";

/** A file a Telegram message carries, before download. */
interface TelegramFile {
  fileId: string;
  kind: MediaItem["kind"];
  mime: string;
  size: number | undefined;
  fileName?: string;
}

/** The file in a message, if any: the largest photo size, a document, video, audio or voice note. */
export function fileOf(message: Message): TelegramFile | undefined {
  if (message.photo?.length) {
    const largest = message.photo.reduce((a, b) =>
      (b.file_size ?? b.width * b.height) > (a.file_size ?? a.width * a.height) ? b : a,
    );
    return { fileId: largest.file_id, kind: "photo", mime: "image/jpeg", size: largest.file_size };
  }
  if (message.document) {
    const d = message.document;
    const mime = d.mime_type ?? "application/octet-stream";
    const kind = mime.startsWith("image/") ? "photo" : mime.startsWith("video/") ? "video" : "document";
    return {
      fileId: d.file_id,
      kind,
      mime,
      size: d.file_size,
      ...(d.file_name ? { fileName: d.file_name } : {}),
    };
  }
  if (message.video)
    return {
      fileId: message.video.file_id,
      kind: "video",
      mime: message.video.mime_type ?? "video/mp4",
      size: message.video.file_size,
    };
  if (message.audio)
    return {
      fileId: message.audio.file_id,
      kind: "audio",
      mime: message.audio.mime_type ?? "audio/mpeg",
      size: message.audio.file_size,
    };
  if (message.voice)
    return {
      fileId: message.voice.file_id,
      kind: "audio",
      mime: message.voice.mime_type ?? "audio/ogg",
      size: message.voice.file_size,
    };
  if (message.video_note)
    return {
      fileId: message.video_note.file_id,
      kind: "video",
      mime: "video/mp4",
      size: message.video_note.file_size,
    };
  return undefined;
}

/** What is needed to turn a Telegram message into engine input. */
export interface TelegramIntake {
  policy: MediaPolicy;
  store: EvidenceStore;
  /** Downloads a file by id (getFile, then the file URL). */
  download(fileId: string): Promise<Uint8Array>;
}

/**
 * Turns a private-chat message into engine input. Files are checked against the policy before
 * download (size, type), downloaded, and stored with their SHA-256; a file that cannot be taken
 * becomes `media_rejected`, so the flow can explain and continue.
 */
export async function messageToInbound(message: Message, intake: TelegramIntake): Promise<Inbound> {
  if (message.text !== undefined) {
    const command = message.entities?.find((e) => e.type === "bot_command" && e.offset === 0);
    if (command) {
      const name = message.text.slice(1, command.length).split("@")[0]!.toLowerCase();
      return { kind: "command", name, args: message.text.slice(command.length).trim() };
    }
    return { kind: "text", text: message.text };
  }
  if (message.location)
    return { kind: "location", lat: message.location.latitude, lon: message.location.longitude };
  const file = fileOf(message);
  if (file) {
    const limit = intake.policy.maxBytes;
    if (file.size !== undefined && file.size > limit) {
      return {
        kind: "media_rejected",
        reason: "too_large",
        size: file.size,
        limit,
        ...(file.fileName ? { fileName: file.fileName } : {}),
      };
    }
    if (!mimeAccepted(intake.policy, file.mime)) {
      return {
        kind: "media_rejected",
        reason: "unsupported_type",
        ...(file.fileName ? { fileName: file.fileName } : {}),
      };
    }
    let bytes: Uint8Array;
    try {
      bytes = await intake.download(file.fileId);
    } catch {
      return {
        kind: "media_rejected",
        reason: "download_failed",
        ...(file.fileName ? { fileName: file.fileName } : {}),
      };
    }
    if (bytes.byteLength > limit)
      return { kind: "media_rejected", reason: "too_large", size: bytes.byteLength, limit };
    const stored = await intake.store.put(bytes);
    const item: MediaItem = {
      ref: stored.storageKey,
      kind: file.kind,
      mime: file.mime,
      size: stored.size,
      sha256: stored.sha256,
      receivedAt: new Date(message.date * 1000).toISOString(),
      messageId: `${message.chat.id}:${message.message_id}`,
    };
    if (file.fileName) item.fileName = file.fileName;
    if (message.caption) item.caption = message.caption;
    return { kind: "media", items: [item] };
  }
  if (message.sticker) return { kind: "unsupported", what: "sticker" };
  if (message.contact) return { kind: "unsupported", what: "contact" };
  if (message.poll) return { kind: "unsupported", what: "poll" };
  return { kind: "unsupported", what: "other" };
}
