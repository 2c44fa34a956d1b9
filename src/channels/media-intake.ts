/**
 * The one media intake every channel and the simulator use: a file a citizen sent becomes evidence
 * (`media`) or a kind refusal (`media_rejected`), always the same way.
 *
 * 1. What the platform says (size, MIME type) is checked before downloading, when it says it.
 * 2. The bytes are downloaded; nothing (zero bytes) or too many are refused.
 * 3. The real type is read from the bytes (`file-type`) before the declared MIME type is trusted:
 *    an executable sent as image/jpeg is refused, a PNG sent as JPEG is kept as a PNG. Text files
 *    are recognised as text; an SVG is kept as a document (it can carry scripts, so it is never an
 *    image for evidence purposes and never shown inline).
 * 4. The original bytes are stored content-addressed with their SHA-256; the file name is kept
 *    (cleaned of control characters and line breaks; stored, never logged); the MIME type is
 *    normalised (lower case, parameters stripped).
 */
import { fileTypeFromBuffer } from "file-type";
import type { Inbound, MediaItem, MediaRejectReason } from "../engine/types.js";
import { cleanLine, cleanText } from "../parsing/text-hygiene.js";
import type { EvidenceStore } from "../reports/evidence-store.js";
import { type MediaPolicy, mimeAccepted } from "./types.js";

/** Raster image types a browser shows without running anything: the only images shown inline. */
export const SAFE_IMAGE_MIME: ReadonlySet<string> = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
]);

/** Types a browser may show inline: safe raster images and PDF. Everything else is a download. */
export function isInlineSafe(mime: string | null | undefined): boolean {
  const m = normalizeMime(mime);
  return SAFE_IMAGE_MIME.has(m) || m === "application/pdf";
}

/**
 * A MIME type as stored: lower case, parameters stripped, `application/octet-stream` when
 * missing or malformed.
 *
 * @example normalizeMime("Image/JPEG; charset=binary") === "image/jpeg"
 */
export function normalizeMime(mime: string | null | undefined): string {
  const m = (mime ?? "").split(";")[0]!.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(m) ? m : "application/octet-stream";
}

/** A file as a channel knows it before download. */
export interface IncomingFile {
  /** The kind the platform gives it (a photo, a voice note …); the real type may change it. */
  kind?: MediaItem["kind"];
  /** The MIME type the platform or the sender declares. */
  declaredMime?: string | undefined;
  /** The size the platform declares, before download. */
  declaredSize?: number | undefined;
  fileName?: string | undefined;
  caption?: string | undefined;
  /** The platform's message id the file came in (no phone number in it). */
  messageId: string;
  receivedAt: Date;
  /**
   * Asks the platform about the file before downloading it (the Cloud API's `GET /{media-id}`):
   * its type and size are checked before any byte comes. Throws when the file cannot be had.
   */
  describe?(): Promise<Omit<Downloaded, "bytes">>;
  /**
   * Downloads the bytes; throws or gives undefined when they cannot be had (expired media …). A
   * platform that tells the type, size or name only with the bytes (WhatsApp Web) returns them too.
   */
  download(): Promise<Uint8Array | Downloaded | undefined>;
}

/** Bytes with what the platform said about them at download. */
export interface Downloaded {
  bytes: Uint8Array;
  declaredMime?: string | undefined;
  declaredSize?: number | undefined;
  fileName?: string | undefined;
}

/** Containers whose specific type only the declared MIME type tells (docx is a zip, doc a CFB). */
const CONTAINERS = new Set(["application/zip", "application/x-cfb"]);

/** Looks at the first bytes of a file that `file-type` did not recognise: text of some kind, or not. */
function sniffText(bytes: Uint8Array): "svg" | "html" | "text" | undefined {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return undefined;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, lastCompleteUtf8(head)));
  } catch {
    return undefined;
  }
  const lower = text.toLowerCase();
  if (lower.includes("<svg")) return "svg";
  if (/<(?:!doctype\s+html|html|script|iframe|body|head)\b/.test(lower)) return "html";
  return "text";
}

/** The length of `head` up to its last complete UTF-8 sequence (a cut may split a character). */
function lastCompleteUtf8(head: Uint8Array): number {
  let i = head.length;
  let back = 0;
  while (i > 0 && back < 4 && (head[i - 1]! & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i > 0 && head[i - 1]! >= 0xc0) {
    const lead = head[i - 1]!;
    const need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;
    if (back < need) return i - 1;
  }
  return head.length;
}

/**
 * The real type of a file from its bytes: what `file-type` reads (a container keeps the declared
 * specific type, e.g. a .docx is a zip), else text of some kind, else `application/octet-stream`.
 */
export async function realMime(bytes: Uint8Array, declared: string): Promise<string> {
  const found = await fileTypeFromBuffer(bytes).catch(() => undefined);
  if (found) {
    const mime = normalizeMime(found.mime);
    if (CONTAINERS.has(mime) && declared.startsWith("application/") && declared !== mime) {
      // A zip or CFB declared as a specific office document: only the declared type says which.
      return /^application\/(vnd\.|msword)/.test(declared) ? declared : mime;
    }
    if (mime === "application/xml") return sniffText(bytes) === "svg" ? "image/svg+xml" : mime;
    return mime;
  }
  switch (sniffText(bytes)) {
    case "svg":
      return "image/svg+xml";
    case "html":
      return "text/html";
    case "text":
      return declared === "text/csv" ? "text/csv" : "text/plain";
    default:
      return "application/octet-stream";
  }
}

/** The evidence kind for a real type: only safe raster images are photos. */
function kindOf(mime: string, hint: MediaItem["kind"] | undefined): MediaItem["kind"] {
  if (SAFE_IMAGE_MIME.has(mime)) return "photo";
  if (mime.startsWith("video/")) return "video";
  if (mime.startsWith("audio/")) return hint === "video" ? "video" : "audio";
  return "document";
}

/** A file name safe to store and to offer as a download name: one line, no path, at most 200 characters. */
export function cleanFileName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const base = cleanLine(name).split(/[\\/]/).pop() ?? "";
  const short = [...base].slice(0, 200).join("").trim();
  return short === "" || short === "." || short === ".." ? undefined : short;
}

/** The one media intake: checks, real type, SHA-256, storage. */
export class MediaIntake {
  constructor(
    readonly policy: MediaPolicy,
    private readonly store: EvidenceStore,
  ) {}

  /** A refusal from what the platform declares (too large, a type never accepted), if any. */
  private checkDeclared(
    mime: string | undefined,
    size: number | undefined,
  ): { reason: MediaRejectReason; size?: number } | undefined {
    if (typeof size === "number" && size > this.policy.maxBytes) return { reason: "too_large", size };
    const declared = normalizeMime(mime);
    // A generic or missing type says nothing: the bytes will tell.
    if (mime !== undefined && declared !== "application/octet-stream" && !mimeAccepted(this.policy, declared))
      return { reason: "unsupported_type" };
    return undefined;
  }

  /** Takes a file: `media` with the stored item, or `media_rejected` with the reason. Never throws for bad input. */
  async take(file: IncomingFile): Promise<Inbound> {
    const limit = this.policy.maxBytes;
    let fileName = cleanFileName(file.fileName);
    const reject = (reason: MediaRejectReason, size?: number): Inbound => ({
      kind: "media_rejected",
      reason,
      ...(fileName ? { fileName } : {}),
      ...(reason === "too_large" ? { size, limit } : {}),
    });
    // What the platform says, checked before downloading anything.
    let said: Omit<Downloaded, "bytes"> = file;
    if (file.describe) {
      try {
        const described = await file.describe();
        said = {
          declaredMime: described.declaredMime ?? file.declaredMime,
          declaredSize: described.declaredSize ?? file.declaredSize,
        };
      } catch {
        return reject("download_failed");
      }
    }
    const early = this.checkDeclared(said.declaredMime, said.declaredSize);
    if (early) return reject(early.reason, early.size);
    let got: Uint8Array | Downloaded | undefined;
    try {
      got = await file.download();
    } catch {
      got = undefined;
    }
    const downloaded: Downloaded | undefined = got instanceof Uint8Array ? { bytes: got } : got;
    if (downloaded?.fileName !== undefined) fileName = cleanFileName(downloaded.fileName) ?? fileName;
    if (!downloaded?.bytes) return reject("download_failed");
    const late = this.checkDeclared(downloaded.declaredMime, downloaded.declaredSize);
    if (late) return reject(late.reason, late.size);
    const bytes = downloaded.bytes;
    const declared = normalizeMime(downloaded.declaredMime ?? said.declaredMime);
    if (bytes.byteLength === 0) return reject("empty");
    if (bytes.byteLength > limit) return reject("too_large", bytes.byteLength);
    const mime = await realMime(bytes, declared);
    if (!mimeAccepted(this.policy, mime)) return reject("unsupported_type");
    const stored = await this.store.put(bytes);
    const item: MediaItem = {
      ref: stored.storageKey,
      kind: kindOf(mime, file.kind),
      mime,
      size: stored.size,
      sha256: stored.sha256,
      receivedAt: (Number.isNaN(file.receivedAt.getTime()) ? new Date() : file.receivedAt).toISOString(),
      messageId: file.messageId,
      ...(fileName ? { fileName } : {}),
    };
    const caption = file.caption === undefined ? "" : cleanText(file.caption).trim();
    if (caption) item.caption = caption;
    return { kind: "media", items: [item] };
  }
}
