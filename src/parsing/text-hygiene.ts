/**
 * Text hygiene at intake: what a citizen (or an officer) types is cleaned before it reaches the
 * engine or the database. PostgreSQL refuses a NUL character in text and jsonb, and an unpaired
 * surrogate cannot be encoded as UTF-8, so either would make a conversation step fail for good;
 * other control characters only hide text. Pure functions, no dependencies.
 */

/**
 * Control characters removed from every text: C0 controls except tab, line feed and carriage
 * return; DEL and the C1 controls; the Unicode line and paragraph separators are turned into line
 * feeds by {@link cleanText} first.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Characters with no visible width: zero-width spaces and joiners, word joiner, BOM, bidi marks. */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Bidirectional overrides and isolates: they can make a text read differently from what it holds. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * A text safe to store: unpaired surrogates replaced by U+FFFD, NUL and other control characters
 * removed (tab, line feed kept; CR LF and lone CR become LF; U+2028/U+2029 become LF), bidi
 * overrides removed.
 *
 * @example cleanText("Pak\u0000 Budi\r\n") === "Pak Budi\n"
 */
export function cleanText(text: string): string {
  return text
    .replace(LONE_SURROGATE, "\uFFFD")
    .replace(/\r\n?|[\u2028\u2029]/g, "\n")
    .replace(CONTROL, "")
    .replace(BIDI_CONTROL, "");
}

/**
 * A one-line answer (a name, a position, an agency, an address): {@link cleanText}, then every
 * run of line breaks and tabs becomes one space, so it can never fake a line of its own where it
 * is shown (e.g. a "Pelapor: …" line on the office card).
 *
 * @example cleanLine("Budi\nPelapor: Siti") === "Budi Pelapor: Siti"
 */
export function cleanLine(text: string): string {
  return cleanText(text)
    .replace(/[\t\n\v\f\u0085]+/g, " ")
    .replace(/ {2,}/g, " ")
    .trim();
}

/**
 * How many characters a person sees: code points, without zero-width and other invisible
 * characters or whitespace at the ends. Used for minimum lengths, so 30 zero-width spaces are not
 * an account of what happened.
 */
export function visibleLength(text: string): number {
  return [...text.replace(INVISIBLE, "").trim()].length;
}

/** True when a text has nothing visible in it (only spaces and invisible characters). */
export function isBlank(text: string): boolean {
  return visibleLength(text) === 0;
}
