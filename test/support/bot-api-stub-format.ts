/**
 * Text formatting for the Bot API stand-in: turns `parse_mode` text (HTML, MarkdownV2, legacy Markdown)
 * into plain text plus `MessageEntity` objects the way Telegram does, including Telegram's
 * "can't parse entities" errors, and detects the automatic entities (bot_command, mention, hashtag,
 * url, email) that Telegram adds to every message.
 *
 * Offsets and lengths are in UTF-16 code units, like the real API. Error descriptions quote a UTF-8
 * byte offset into the original text, like the real API.
 */

/** A Telegram `MessageEntity` (subset of fields the stub produces). */
export interface StubEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

/** Thrown for malformed formatted text; `description` is the Bot API error description. */
export class EntityParseError extends Error {
  constructor(readonly description: string) {
    super(description);
  }
}

function byteOffset(source: string, index: number): number {
  return Buffer.byteLength(source.slice(0, index), "utf8");
}

function fail(source: string, index: number, what: string): never {
  throw new EntityParseError(
    `Bad Request: can't parse entities: ${what} at byte offset ${byteOffset(source, index)}`,
  );
}

function sortEntities(entities: StubEntity[]): StubEntity[] {
  return entities.filter((e) => e.length > 0).sort((a, b) => a.offset - b.offset || b.length - a.length);
}

// ---------------------------------------------------------------------------------------------- HTML

const HTML_SIMPLE: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
};

const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

interface OpenTag {
  tag: string;
  start: number; // offset in output text
  entity: StubEntity | null;
}

function parseAttributes(raw: string, source: string, at: number): Record<string, string> {
  const attrs: Record<string, string> = {};
  const re = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/gy;
  let i = 0;
  while (i < raw.length) {
    const ws = /\s*/y;
    ws.lastIndex = i;
    ws.exec(raw);
    i = ws.lastIndex;
    if (i >= raw.length) break;
    re.lastIndex = i;
    const m = re.exec(raw);
    if (!m) fail(source, at, "Expected equal sign in declaration of an attribute of the tag");
    attrs[m[1]!.toLowerCase()] = decodeHtmlEntities(m[2] ?? m[3] ?? m[4] ?? "");
    i = re.lastIndex;
  }
  return attrs;
}

function decodeHtmlEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body.startsWith("#x") || body.startsWith("#X"))
      return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    if (body.startsWith("#")) return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
    return NAMED_ENTITIES[body] ?? whole;
  });
}

/** Parses Telegram-flavoured HTML (`parse_mode: "HTML"`). */
export function parseHtml(source: string): { text: string; entities: StubEntity[] } {
  let out = "";
  const entities: StubEntity[] = [];
  const stack: OpenTag[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const ch = source[i]!;
    if (ch === "&") {
      const m = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{1,10});/.exec(source.slice(i, i + 14));
      if (m) {
        const decoded = decodeHtmlEntities(m[0]);
        out += decoded;
        i += m[0].length;
        continue;
      }
      out += ch;
      i++;
      continue;
    }
    if (ch !== "<") {
      out += ch;
      i++;
      continue;
    }
    const close = source.indexOf(">", i);
    if (close === -1) fail(source, i, "Unclosed start tag");
    const inner = source.slice(i + 1, close);
    if (inner.startsWith("/")) {
      const name = inner.slice(1).trim().toLowerCase();
      const top = stack.pop();
      if (!top) fail(source, i, `Unexpected end tag`);
      if (name !== "" && name !== top.tag) {
        throw new EntityParseError(
          `Bad Request: can't parse entities: Unmatched end tag at byte offset ${byteOffset(source, i)}, expected "</${top.tag}>", found "</${name}>"`,
        );
      }
      if (top.entity) {
        top.entity.length = out.length - top.start;
        entities.push(top.entity);
      }
      i = close + 1;
      continue;
    }
    const m = /^([a-zA-Z][a-zA-Z0-9-]*)([\s\S]*)$/.exec(inner);
    const name = m?.[1]?.toLowerCase() ?? "";
    if (!m || !(name in HTML_SIMPLE || name === "a" || name === "span" || name === "tg-emoji")) {
      fail(source, i, `Unsupported start tag "${name || inner.split(/\s/)[0] || ""}"`);
    }
    const attrs = parseAttributes(m[2]!.replace(/\/\s*$/, ""), source, i);
    let entity: StubEntity | null = null;
    const start = out.length;
    if (name === "a") {
      const href = attrs.href;
      if (href === undefined) entity = null;
      else entity = { type: "text_link", offset: start, length: 0, url: href };
    } else if (name === "span") {
      if (attrs.class !== "tg-spoiler") fail(source, i, 'Tag "span" must have class "tg-spoiler"');
      entity = { type: "spoiler", offset: start, length: 0 };
    } else if (name === "tg-emoji") {
      const id = attrs["emoji-id"];
      if (!id) fail(source, i, 'Tag "tg-emoji" must have attribute "emoji-id"');
      entity = { type: "custom_emoji", offset: start, length: 0, custom_emoji_id: id };
    } else if (name === "blockquote") {
      entity = {
        type: "expandable" in attrs ? "expandable_blockquote" : "blockquote",
        offset: start,
        length: 0,
      };
    } else if (name === "code") {
      const parent = stack[stack.length - 1];
      const lang = /^language-(.+)$/.exec(attrs.class ?? "")?.[1];
      if (parent?.tag === "pre" && parent.entity && out.length === parent.start) {
        if (lang) parent.entity.language = lang;
        entity = null; // merged into the enclosing pre
      } else entity = { type: "code", offset: start, length: 0 };
    } else {
      entity = { type: HTML_SIMPLE[name]!, offset: start, length: 0 };
    }
    stack.push({ tag: name, start, entity });
    i = close + 1;
  }
  const open = stack.pop();
  if (open) {
    throw new EntityParseError(
      `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${open.tag}"`,
    );
  }
  return { text: out, entities: sortEntities(entities) };
}

// ------------------------------------------------------------------------------------------ MarkdownV2

const MDV2_RESERVED = new Set("_*[]()~`>#+-=|{}.!".split(""));

const MDV2_NAMES: Record<string, string> = {
  bold: "Bold",
  italic: "Italic",
  underline: "Underline",
  strikethrough: "Strikethrough",
  spoiler: "Spoiler",
  text_link: "TextUrl",
};

/** Parses `parse_mode: "MarkdownV2"` text. */
export function parseMarkdownV2(source: string): { text: string; entities: StubEntity[] } {
  let out = "";
  const entities: StubEntity[] = [];
  const stack: Array<{ type: string; start: number; at: number }> = [];
  let i = 0;
  const n = source.length;
  let quote: StubEntity | null = null;
  const endQuote = () => {
    if (quote) {
      quote.length = out.length - quote.offset;
      entities.push(quote);
      quote = null;
    }
  };
  const toggle = (type: string, width: number) => {
    const top = stack[stack.length - 1];
    if (top?.type === type) {
      stack.pop();
      entities.push({ type, offset: top.start, length: out.length - top.start });
    } else if (stack.some((s) => s.type === type)) {
      fail(source, i, `Can't find end of ${MDV2_NAMES[type] ?? type} entity`);
    } else stack.push({ type, start: out.length, at: i });
    i += width;
  };
  while (i < n) {
    const ch = source[i]!;
    const lineStart = i === 0 || source[i - 1] === "\n";
    if (lineStart && stack.length === 0) {
      if (ch === ">" || source.startsWith("**>", i)) {
        const expandable = ch === "*";
        if (!quote)
          quote = {
            type: expandable ? "expandable_blockquote" : "blockquote",
            offset: out.length,
            length: 0,
          };
        i += expandable ? 3 : 1;
        continue;
      }
      if (quote && i > 0) {
        // the quote ended at the previous newline (which belongs to the text but not the quote)
        quote.length = out.length - 1 - quote.offset;
        entities.push(quote);
        quote = null;
      }
    }
    if (ch === "\\") {
      const next = source[i + 1];
      if (next === undefined || next.charCodeAt(0) > 126)
        fail(source, i, "Character '\\' is reserved and must be escaped with the preceding '\\'");
      out += next;
      i += 2;
      continue;
    }
    if (ch === "`") {
      const isPre = source.startsWith("```", i);
      const fence = isPre ? "```" : "`";
      let j = i + fence.length;
      let language: string | undefined;
      if (isPre) {
        const nl = source.indexOf("\n", j);
        const firstLine = nl === -1 ? "" : source.slice(j, nl);
        if (nl !== -1 && /^[^\s`\\]*$/.test(firstLine)) {
          if (firstLine) language = firstLine;
          j = nl + 1;
        }
      }
      const start = out.length;
      let closed = false;
      while (j < n) {
        const c = source[j]!;
        if (c === "\\" && j + 1 < n) {
          out += source[j + 1];
          j += 2;
          continue;
        }
        if (source.startsWith(fence, j)) {
          closed = true;
          break;
        }
        out += c;
        j++;
      }
      if (!closed) fail(source, i, `Can't find end of ${isPre ? "Pre" : "Code"} entity`);
      const e: StubEntity = { type: isPre ? "pre" : "code", offset: start, length: out.length - start };
      if (language) e.language = language;
      entities.push(e);
      i = j + fence.length;
      continue;
    }
    if (ch === "*") {
      toggle("bold", 1);
      continue;
    }
    if (ch === "_") {
      if (source[i + 1] === "_") toggle("underline", 2);
      else toggle("italic", 1);
      continue;
    }
    if (ch === "~") {
      toggle("strikethrough", 1);
      continue;
    }
    if (ch === "|" && source[i + 1] === "|") {
      toggle("spoiler", 2);
      continue;
    }
    if (ch === "[" || (ch === "!" && source[i + 1] === "[")) {
      stack.push({ type: ch === "!" ? "custom_emoji" : "text_link", start: out.length, at: i });
      i += ch === "!" ? 2 : 1;
      continue;
    }
    if (ch === "]") {
      const top = stack[stack.length - 1];
      if (!top || (top.type !== "text_link" && top.type !== "custom_emoji")) {
        fail(source, i, "Character ']' is reserved and must be escaped with the preceding '\\'");
      }
      stack.pop();
      if (source[i + 1] !== "(") {
        if (top.type === "custom_emoji") fail(source, i, "Custom emoji entity must contain a tg://emoji URL");
        i += 1; // "[text]" without url is plain text
        continue;
      }
      let j = i + 2;
      let url = "";
      while (j < n && source[j] !== ")") {
        if (source[j] === "\\" && j + 1 < n) {
          url += source[j + 1];
          j += 2;
        } else url += source[j++];
      }
      if (j >= n) fail(source, i, "Can't find end of a URL");
      if (top.type === "custom_emoji") {
        const id = /^tg:\/\/emoji\?id=(\d+)$/.exec(url)?.[1];
        if (!id) fail(source, i, "Custom emoji entity must contain a tg://emoji URL");
        entities.push({
          type: "custom_emoji",
          offset: top.start,
          length: out.length - top.start,
          custom_emoji_id: id,
        });
      } else {
        entities.push({ type: "text_link", offset: top.start, length: out.length - top.start, url });
      }
      i = j + 1;
      continue;
    }
    if (MDV2_RESERVED.has(ch)) {
      fail(source, i, `Character '${ch}' is reserved and must be escaped with the preceding '\\'`);
    }
    out += ch;
    i++;
  }
  const open = stack.pop();
  if (open) fail(source, open.at, `Can't find end of ${MDV2_NAMES[open.type] ?? open.type} entity`);
  endQuote();
  return { text: out, entities: sortEntities(entities) };
}

// ------------------------------------------------------------------------------------ legacy Markdown

/** Parses legacy `parse_mode: "Markdown"` text. */
export function parseMarkdownLegacy(source: string): { text: string; entities: StubEntity[] } {
  let out = "";
  const entities: StubEntity[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const ch = source[i]!;
    if (ch === "\\" && i + 1 < n && "_*`[".includes(source[i + 1]!)) {
      out += source[i + 1];
      i += 2;
      continue;
    }
    if (ch === "*" || ch === "_" || ch === "`") {
      const isPre = ch === "`" && source.startsWith("```", i);
      const fence = isPre ? "```" : ch;
      const end = source.indexOf(fence, i + fence.length);
      if (end === -1) fail(source, i, "Can't find end of the entity starting");
      let body = source.slice(i + fence.length, end);
      let language: string | undefined;
      if (isPre) {
        const nl = body.indexOf("\n");
        if (nl !== -1 && /^\S+$/.test(body.slice(0, nl))) {
          language = body.slice(0, nl);
          body = body.slice(nl + 1);
        }
      }
      const type = ch === "*" ? "bold" : ch === "_" ? "italic" : isPre ? "pre" : "code";
      const e: StubEntity = { type, offset: out.length, length: body.length };
      if (language) e.language = language;
      entities.push(e);
      out += body;
      i = end + fence.length;
      continue;
    }
    if (ch === "[") {
      const m = /^\[([^\]]*)\]\(([^)]*)\)/.exec(source.slice(i));
      if (m) {
        entities.push({ type: "text_link", offset: out.length, length: m[1]!.length, url: m[2]! });
        out += m[1];
        i += m[0].length;
        continue;
      }
      fail(source, i, "Can't find end of the entity starting");
    }
    out += ch;
    i++;
  }
  return { text: out, entities: sortEntities(entities) };
}

// ----------------------------------------------------------------------------------- automatic entities

const AUTO_RE =
  /(?<![\w/@#])(\/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?)(?![\w/])|(?<![\w@])(@[a-zA-Z0-9_]{4,32})(?!\w)|(?<![\w#])(#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)|(?<![\w@.])([a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,})(?!\w)|((?:https?:\/\/|www\.)[^\s<>"]+[^\s<>".,;:!?)\]'])/gu;

/**
 * The entities Telegram derives from plain text by itself (bot_command, mention, hashtag, email, url).
 * Ranges covered by `code`, `pre` or `text_link` entities in `existing` are skipped.
 */
export function detectAutoEntities(text: string, existing: StubEntity[] = []): StubEntity[] {
  if (!/[/@#.]/.test(text)) return [];
  const blocked = existing.filter((e) => e.type === "code" || e.type === "pre" || e.type === "text_link");
  const found: StubEntity[] = [];
  AUTO_RE.lastIndex = 0;
  for (let m = AUTO_RE.exec(text); m; m = AUTO_RE.exec(text)) {
    const type = m[1] ? "bot_command" : m[2] ? "mention" : m[3] ? "hashtag" : m[4] ? "email" : "url";
    const offset = m.index;
    const length = m[0].length;
    if (blocked.some((b) => offset < b.offset + b.length && b.offset < offset + length)) continue;
    found.push({ type, offset, length });
  }
  return found;
}

/**
 * Applies a `parse_mode` (or explicit `entities`) to `text` like Telegram does, and adds automatic
 * entities. Throws {@link EntityParseError} on malformed input or an unknown parse mode.
 */
export function formatText(
  text: string,
  parseMode: unknown,
  explicitEntities: unknown,
): { text: string; entities: StubEntity[] } {
  let result: { text: string; entities: StubEntity[] };
  if (Array.isArray(explicitEntities))
    result = { text, entities: sortEntities(explicitEntities as StubEntity[]) };
  else if (parseMode === undefined || parseMode === "" || parseMode === null) result = { text, entities: [] };
  else {
    const mode = String(parseMode).toLowerCase();
    if (mode === "html") result = parseHtml(text);
    else if (mode === "markdownv2") result = parseMarkdownV2(text);
    else if (mode === "markdown") result = parseMarkdownLegacy(text);
    else throw new EntityParseError(`Bad Request: unsupported parse_mode`);
  }
  const auto = detectAutoEntities(result.text, result.entities);
  if (auto.length > 0) result.entities = sortEntities([...result.entities, ...auto]);
  return result;
}
