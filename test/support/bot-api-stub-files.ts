/**
 * File storage for the Bot API stand-in: uploaded or user-sent files keep their bytes and get a
 * `file_id`, `file_unique_id` and `file_path` (served at `/file/bot<token>/<file_path>`).
 *
 * Photos become a `PhotoSize[]` like Telegram's (thumbnails at 90/320/800 px on the long side, plus
 * the original). Unlike Telegram, nothing is recompressed or resized: every size serves the original
 * bytes, and the largest size has the original dimensions (read from the PNG/JPEG/GIF/WebP header,
 * or 800x600 when the bytes are not a recognised image).
 */
import { createHash, randomBytes } from "node:crypto";

/** Kinds of stored files; decides the `file_id` prefix and the `file_path` folder. */
export type FileKind =
  | "photo"
  | "document"
  | "video"
  | "audio"
  | "voice"
  | "animation"
  | "sticker"
  | "video_note";

/** A file the stand-in knows, with its bytes. */
export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  kind: FileKind;
  bytes: Buffer;
  file_size: number;
  file_path: string;
  file_name?: string;
  mime_type?: string;
  width?: number;
  height?: number;
  /** sha1 of the bytes (hex). */
  sha1: string;
}

/** Telegram `PhotoSize`. */
export interface StubPhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size: number;
}

const PREFIX: Record<FileKind, string> = {
  photo: "AgACAgUAAxkBAAI",
  document: "BQACAgUAAxkBAAI",
  video: "BAACAgUAAxkBAAI",
  audio: "CQACAgUAAxkBAAI",
  voice: "AwACAgUAAxkBAAI",
  animation: "CgACAgUAAxkBAAI",
  sticker: "CAACAgUAAxkBAAI",
  video_note: "DQACAgUAAxkBAAI",
};

const FOLDER: Record<FileKind, [string, string]> = {
  photo: ["photos", "jpg"],
  document: ["documents", "dat"],
  video: ["videos", "mp4"],
  audio: ["music", "mp3"],
  voice: ["voice", "oga"],
  animation: ["animations", "mp4"],
  sticker: ["stickers", "webp"],
  video_note: ["video_notes", "mp4"],
};

const MIME_BY_EXT: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  pdf: "application/pdf",
  txt: "text/plain",
  csv: "text/csv",
  json: "application/json",
  zip: "application/zip",
  mp4: "video/mp4",
  mov: "video/quicktime",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** Guesses a MIME type from a file name's extension. */
export function mimeFromName(name: string | undefined): string | undefined {
  const ext = name?.split(".").pop()?.toLowerCase();
  return ext ? MIME_BY_EXT[ext] : undefined;
}

/** Reads width/height from a PNG, JPEG, GIF or WebP header; `null` if not recognised. */
export function imageSize(b: Buffer): { width: number; height: number } | null {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString("latin1", 12, 16) === "IHDR") {
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 10 && b.toString("latin1", 0, 3) === "GIF") {
    return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  }
  if (b.length >= 30 && b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP") {
    const chunk = b.toString("latin1", 12, 16);
    if (chunk === "VP8X") return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
    if (chunk === "VP8 ") return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
    if (chunk === "VP8L") {
      const bits = b.readUInt32LE(21);
      return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) {
        i++;
        continue;
      }
      const marker = b[i + 1]!;
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0xff) {
        i += marker === 0xff ? 1 : 2;
        continue;
      }
      const len = b.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5) };
      }
      i += 2 + len;
    }
  }
  return null;
}

/** In-memory file storage with content de-duplication (identical bytes share one Buffer). */
export class FileStore {
  readonly byId = new Map<string, StoredFile>();
  readonly byPath = new Map<string, StoredFile>();
  /** For every photo file_id (any size), the full `PhotoSize[]` it belongs to. */
  private readonly photoSets = new Map<string, StubPhotoSize[]>();
  private readonly blobs = new Map<string, Buffer>();
  private counter = 0;

  /** Stores bytes as a file of the given kind. */
  add(bytes: Buffer, kind: FileKind, opts: { fileName?: string; mimeType?: string } = {}): StoredFile {
    const n = ++this.counter;
    const sha1 = createHash("sha1").update(bytes).digest("hex");
    let blob = this.blobs.get(sha1);
    if (!blob) {
      blob = Buffer.from(bytes); // copy: the request buffer may be reused
      this.blobs.set(sha1, blob);
    }
    const [folder, defaultExt] = FOLDER[kind];
    const ext = /\.([A-Za-z0-9]{1,8})$/.exec(opts.fileName ?? "")?.[1]?.toLowerCase() ?? defaultExt;
    const file: StoredFile = {
      file_id: `${PREFIX[kind]}${n.toString(36).padStart(5, "0")}${randomBytes(24).toString("base64url")}`,
      file_unique_id: `AQAD${n.toString(36).padStart(6, "0")}${kind === "photo" ? "X" : "Q"}`,
      kind,
      bytes: blob,
      file_size: blob.length,
      file_path: `${folder}/file_${n - 1}.${ext}`,
      sha1,
    };
    if (opts.fileName !== undefined) file.file_name = opts.fileName;
    const mime = opts.mimeType ?? mimeFromName(opts.fileName);
    if (mime !== undefined) file.mime_type = mime;
    this.byId.set(file.file_id, file);
    this.byPath.set(file.file_path, file);
    return file;
  }

  /** Stores a photo and returns its `PhotoSize[]` (smallest first; the last one is the original). */
  addPhoto(bytes: Buffer): StubPhotoSize[] {
    const dims = imageSize(bytes) ?? { width: 800, height: 600 };
    const long = Math.max(dims.width, dims.height);
    const sizes: StubPhotoSize[] = [];
    const targets = [90, 320, 800].filter((t) => t < long);
    for (const t of [...targets, long]) {
      const scale = t / long;
      const f = this.add(bytes, "photo");
      f.width = Math.max(1, Math.round(dims.width * scale));
      f.height = Math.max(1, Math.round(dims.height * scale));
      sizes.push({
        file_id: f.file_id,
        file_unique_id: f.file_unique_id,
        width: f.width,
        height: f.height,
        file_size: f.file_size,
      });
    }
    for (const s of sizes) this.photoSets.set(s.file_id, sizes);
    return sizes;
  }

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  /** The `PhotoSize[]` a photo file_id belongs to. */
  photoSet(fileId: string): StubPhotoSize[] | undefined {
    return this.photoSets.get(fileId);
  }
}
