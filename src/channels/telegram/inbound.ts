import type { Message } from "grammy/types";
import type { Inbound, MediaItem } from "../../engine/types.js";
import type { EvidenceStore } from "../../reports/evidence-store.js";
import { cleanInbound } from "../clean-inbound.js";
import { MediaIntake } from "../media-intake.js";
import type { MediaPolicy } from "../types.js";

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
 * Turns a private-chat message into engine input, its texts cleaned ({@link cleanInbound}). A file
 * goes through the one media intake (size and declared type before download, real type from the
 * bytes, SHA-256, storage); a file that cannot be taken becomes `media_rejected`, so the flow can
 * explain and continue.
 */
export async function messageToInbound(message: Message, intake: TelegramIntake): Promise<Inbound> {
  return cleanInbound(await readMessage(message, intake));
}

async function readMessage(message: Message, intake: TelegramIntake): Promise<Inbound> {
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
    return new MediaIntake(intake.policy, intake.store).take({
      kind: file.kind,
      declaredMime: file.mime,
      declaredSize: file.size,
      fileName: file.fileName,
      caption: message.caption,
      messageId: `${message.chat.id}:${message.message_id}`,
      receivedAt: new Date(message.date * 1000),
      download: () => intake.download(file.fileId),
    });
  }
  if (message.sticker) return { kind: "unsupported", what: "sticker" };
  if (message.contact) return { kind: "unsupported", what: "contact" };
  if (message.poll) return { kind: "unsupported", what: "poll" };
  return { kind: "unsupported", what: "other" };
}
