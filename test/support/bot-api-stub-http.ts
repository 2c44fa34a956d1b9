/**
 * Request decoding for the Bot API stand-in: query strings, `application/json`,
 * `application/x-www-form-urlencoded` and `multipart/form-data` bodies (hand-parsed, tolerant of the
 * compact header style grammY writes: `content-disposition:form-data;name="x";filename=y`), and the
 * coercion of string values into the types the Bot API expects (numbers, booleans, JSON-serialized
 * objects such as `reply_markup` or `media`).
 */

/** One decoded parameter set of a Bot API call. */
export type Params = Record<string, unknown>;

/** A file part of a multipart request. */
export interface UploadedPart {
  /** Form field name (for grammY uploads a random id referenced as `attach://<name>`). */
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** Decoded request: parameters plus uploaded file parts by field name. */
export interface DecodedRequest {
  params: Params;
  uploads: Map<string, UploadedPart>;
}

/** Fields the Bot API documents as "JSON-serialized" when sent as strings. */
const JSON_FIELDS = new Set([
  "reply_markup",
  "media",
  "entities",
  "caption_entities",
  "allowed_updates",
  "commands",
  "scope",
  "link_preview_options",
  "reply_parameters",
  "results",
  "menu_button",
  "message_ids",
  "reaction",
  "explanation_entities",
  "options",
  "prices",
  "shipping_options",
]);

const INT_FIELDS = new Set([
  "chat_id",
  "from_chat_id",
  "message_id",
  "message_thread_id",
  "reply_to_message_id",
  "offset",
  "limit",
  "timeout",
  "duration",
  "width",
  "height",
  "cache_time",
  "live_period",
  "heading",
  "proximity_alert_radius",
  "user_id",
  "max_connections",
  "length",
  "video_start_timestamp",
]);

const FLOAT_FIELDS = new Set(["latitude", "longitude", "horizontal_accuracy"]);

const BOOL_FIELDS = new Set([
  "disable_notification",
  "protect_content",
  "allow_paid_broadcast",
  "allow_sending_without_reply",
  "show_alert",
  "drop_pending_updates",
  "has_spoiler",
  "disable_web_page_preview",
  "supports_streaming",
  "disable_content_type_detection",
  "show_caption_above_media",
  "remove_caption",
  "is_personal",
]);

/** Converts string values to the types the Bot API would read them as. Mutates and returns `params`. */
export function coerceParams(params: Params): Params {
  for (const key of Object.keys(params)) {
    const v = params[key];
    if (typeof v !== "string") continue;
    if (JSON_FIELDS.has(key)) {
      const t = v.trimStart();
      if (t.startsWith("{") || t.startsWith("[")) {
        try {
          params[key] = JSON.parse(v);
        } catch {
          // left as string; the method handler reports the parse error
        }
      }
    } else if (INT_FIELDS.has(key)) {
      if (/^-?\d{1,16}$/.test(v)) params[key] = Number(v);
    } else if (FLOAT_FIELDS.has(key)) {
      if (v.trim() !== "" && Number.isFinite(Number(v))) params[key] = Number(v);
    } else if (BOOL_FIELDS.has(key)) {
      if (v === "true" || v === "1") params[key] = true;
      else if (v === "false" || v === "0") params[key] = false;
    }
  }
  return params;
}

function paramsFromSearch(search: URLSearchParams, into: Params): void {
  for (const [k, v] of search) into[k] = v;
}

const HEADER_END = Buffer.from("\r\n\r\n");

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/\\(.)/g, "$1");
  return t;
}

function splitHeaderParams(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  let cur = "";
  let inQuote = false;
  const parts: string[] = [];
  for (const ch of value) {
    if (ch === '"') inQuote = !inQuote;
    if (ch === ";" && !inQuote) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  for (const part of parts.slice(1)) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    let val = unquote(part.slice(eq + 1));
    if (key.endsWith("*")) {
      const m = /^[^']*'[^']*'(.*)$/.exec(val);
      if (m) val = decodeURIComponent(m[1]!);
      out[key.slice(0, -1)] = val;
    } else if (!(key in out)) out[key] = val;
  }
  return out;
}

/** Parses a `multipart/form-data` body. Throws on malformed input. */
export function parseMultipart(body: Buffer, boundary: string): UploadedPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const partSep = Buffer.from(`\r\n--${boundary}`);
  const parts: UploadedPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos === -1) throw new Error("multipart boundary not found");
  pos += delimiter.length;
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing "--"
    // skip transport padding and the CRLF after the delimiter
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const headerEnd = body.indexOf(HEADER_END, pos);
    if (headerEnd === -1) throw new Error("multipart part headers not terminated");
    const headers: Record<string, string> = {};
    for (const line of body.subarray(pos, headerEnd).toString("utf8").split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const dataStart = headerEnd + HEADER_END.length;
    const next = body.indexOf(partSep, dataStart);
    if (next === -1) throw new Error("multipart closing boundary not found");
    const disposition = splitHeaderParams(headers["content-disposition"] ?? "");
    const name = disposition.name;
    if (name !== undefined) {
      const part: UploadedPart = { name, data: body.subarray(dataStart, next) };
      if (disposition.filename !== undefined) part.filename = disposition.filename;
      if (headers["content-type"]) part.contentType = headers["content-type"];
      parts.push(part);
    }
    pos = next + partSep.length;
    if (pos >= body.length) break;
  }
  return parts;
}

/** Thrown when a body cannot be decoded; `description` is sent as a 400 Bad Request. */
export class DecodeError extends Error {}

/**
 * Decodes the parameters of one Bot API call from its query string and body.
 * Body parameters override query parameters with the same name.
 */
export function decodeRequest(contentType: string | undefined, search: string, body: Buffer): DecodedRequest {
  const params: Params = {};
  const uploads = new Map<string, UploadedPart>();
  if (search.length > 1) paramsFromSearch(new URLSearchParams(search), params);
  if (body.length > 0) {
    const ct = (contentType ?? "").toLowerCase();
    if (ct.startsWith("application/json") || (ct === "" && (body[0] === 0x7b || body[0] === 0x5b))) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {
        throw new DecodeError("Bad Request: can't parse JSON encoded request parameters");
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new DecodeError("Bad Request: JSON request parameters must be an object");
      }
      Object.assign(params, parsed);
    } else if (ct.startsWith("application/x-www-form-urlencoded")) {
      paramsFromSearch(new URLSearchParams(body.toString("utf8")), params);
    } else if (ct.startsWith("multipart/form-data")) {
      const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
      const b = boundary?.[1] ?? boundary?.[2];
      if (!b) throw new DecodeError("Bad Request: multipart boundary is missing");
      let parts: UploadedPart[];
      try {
        parts = parseMultipart(body, b);
      } catch (e) {
        throw new DecodeError(`Bad Request: can't parse multipart/form-data: ${(e as Error).message}`);
      }
      for (const part of parts) {
        if (part.filename !== undefined) uploads.set(part.name, part);
        else params[part.name] = part.data.toString("utf8");
      }
    } else {
      throw new DecodeError(`Bad Request: unsupported content type "${contentType ?? ""}"`);
    }
  }
  return { params: coerceParams(params), uploads };
}
