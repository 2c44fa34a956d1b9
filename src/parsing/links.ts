/**
 * Links to posts in what citizens send: "https://www.facebook.com/...", or bare domains like
 * "fb.com/...", "tiktok.com/@x/video/1", "youtu.be/...", "wa.me/...". Each link is tagged with
 * its platform so evidence can be described ("tautan TikTok").
 */

/**
 * The platforms the bot names; everything else is "other".
 *
 * @example
 * const p: LinkPlatform = platformOf("https://youtu.be/abc"); // "youtube"
 */
export type LinkPlatform =
  | "facebook"
  | "instagram"
  | "tiktok"
  | "x"
  | "youtube"
  | "whatsapp"
  | "telegram"
  | "threads"
  | "other";

/**
 * A link found in a message: `url` always has a scheme (bare domains get "https://").
 *
 * @example
 * const link: FoundLink = { url: "https://fb.com/budi/posts/1", platform: "facebook" };
 */
export interface FoundLink {
  url: string;
  platform: LinkPlatform;
}

/**
 * Host suffixes of each platform (a host matches itself and its subdomains).
 *
 * @example
 * PLATFORM_DOMAINS.x; // ["x.com", "twitter.com", "t.co"]
 */
export const PLATFORM_DOMAINS: Readonly<Record<Exclude<LinkPlatform, "other">, readonly string[]>> = {
  facebook: ["facebook.com", "fb.com", "fb.watch", "fb.me", "fb.gg", "facebook.me"],
  instagram: ["instagram.com", "instagr.am", "ig.me"],
  tiktok: ["tiktok.com"],
  x: ["x.com", "twitter.com", "t.co"],
  youtube: ["youtube.com", "youtu.be", "youtube-nocookie.com"],
  whatsapp: ["wa.me", "whatsapp.com", "wa.link"],
  telegram: ["t.me", "telegram.me", "telegram.org", "telegram.dog"],
  threads: ["threads.net", "threads.com"],
};

/** Top-level domains accepted for links typed without "http" (to avoid "S.Pd." or "12.11.2024"). */
// biome-ignore format: a list
const BARE_TLDS = [
  "com", "net", "org", "id", "me", "be", "tv", "io", "co", "info", "app", "ly", "gl", "link", "news",
  "site", "xyz", "biz", "am", "watch", "gg", "dog", "my", "sg",
];

const SCHEME_URL = String.raw`https?:\/\/(?:(?!https?:\/\/)[^\s<>"'\u201c\u201d\u2018\u2019])+`;
const BARE_URL = String.raw`(?<![\w@.\/-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:${BARE_TLDS.join("|")})(?![\w-]|\.[a-z0-9])(?:[\/?#][^\s<>"'\u201c\u201d\u2018\u2019]*)?`;
const LINK_RE = new RegExp(`${SCHEME_URL}|${BARE_URL}`, "gi");

const TRAILING_PUNCTUATION = new Set([".", ",", ";", ":", "!", "?", "'", '"', "*", "\u2026", "\u00bb"]);
const CLOSERS: Readonly<Record<string, string>> = { ")": "(", "]": "[", "}": "{", ">": "<" };

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

/** Drops sentence punctuation and unbalanced closing brackets from the end of a match. */
function trimTrailing(url: string): string {
  let u = url;
  for (;;) {
    const last = u.at(-1);
    if (last === undefined) return u;
    const opener = CLOSERS[last];
    if (TRAILING_PUNCTUATION.has(last) || (opener !== undefined && count(u, last) > count(u, opener))) {
      u = u.slice(0, -1);
    } else {
      return u;
    }
  }
}

function withScheme(raw: string): string {
  const m = /^(https?:\/\/)?([^/?#]+)(.*)$/i.exec(raw);
  if (!m) return raw;
  const scheme = (m[1] ?? "https://").toLowerCase();
  return `${scheme}${m[2]!.toLowerCase()}${m[3] ?? ""}`;
}

function hostOf(url: string): string {
  const m = /^https?:\/\/(?:[^@/?#]*@)?([^/?#:]+)/i.exec(url);
  return (m?.[1] ?? "").toLowerCase();
}

/**
 * The platform of a URL by its host: "x" covers twitter.com, "youtube" covers youtu.be, etc.
 *
 * @example
 * platformOf("https://vt.tiktok.com/ZS123/"); // "tiktok"
 */
export function platformOf(url: string): LinkPlatform {
  const host = hostOf(url.includes("://") ? url : `https://${url}`);
  for (const [platform, domains] of Object.entries(PLATFORM_DOMAINS)) {
    if (domains.some((d) => host === d || host.endsWith(`.${d}`))) return platform as LinkPlatform;
  }
  return "other";
}

function findLinks(text: string): Array<{ url: string; start: number; end: number }> {
  const found: Array<{ url: string; start: number; end: number }> = [];
  for (const m of text.matchAll(LINK_RE)) {
    const trimmed = trimTrailing(m[0]);
    if (trimmed === "" || /^https?:\/\/$/i.test(trimmed)) continue;
    found.push({ url: withScheme(trimmed), start: m.index, end: m.index + trimmed.length });
  }
  return found;
}

function dedupeKey(url: string): string {
  return url
    .replace(/^https?:\/\//i, "")
    .replace(/^www\./, "")
    .replace(/\/+$/, "");
}

/**
 * Every link in a message, in order of appearance and without duplicates (http/https, "www." and a
 * trailing slash do not make a link different). Finds "http(s)://…" URLs and bare domains with a
 * known top-level domain ("fb.com/…", "tiktok.com/@x/video/1"); trailing punctuation and unbalanced
 * brackets are trimmed; e-mail addresses are not links.
 *
 * @example
 * extractLinks("lihat fb.com/budi/posts/1, dan https://youtu.be/abc.");
 * // [{ url: "https://fb.com/budi/posts/1", platform: "facebook" },
 * //  { url: "https://youtu.be/abc", platform: "youtube" }]
 */
export function extractLinks(text: string): FoundLink[] {
  const seen = new Set<string>();
  const links: FoundLink[] = [];
  for (const { url } of findLinks(text)) {
    const key = dedupeKey(url);
    if (seen.has(key)) continue;
    seen.add(key);
    links.push({ url, platform: platformOf(url) });
  }
  return links;
}

/**
 * True when a message has at least one link and nothing else but spaces, punctuation and bullets.
 *
 * @example
 * isOnlyLinks("https://x.com/a/status/1\nhttps://x.com/a/status/2"); // true
 * isOnlyLinks("ini linknya https://x.com/a/status/1");               // false
 */
export function isOnlyLinks(text: string): boolean {
  const links = findLinks(text);
  if (links.length === 0) return false;
  let rest = "";
  let cursor = 0;
  for (const { start, end } of links) {
    rest += text.slice(cursor, start);
    cursor = end;
  }
  rest += text.slice(cursor);
  return /^[\s\p{P}\p{S}\d]*$/u.test(rest);
}
