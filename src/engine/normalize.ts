/**
 * Text normalization for matching what a citizen typed against button labels and keywords:
 * case-, accent-, punctuation- and space-insensitive.
 */

/**
 * Lower case, accents removed, punctuation turned into spaces, spaces collapsed.
 *
 * @example normalizeWords("  Laporan   RESMI — perlu identitas! ") === "laporan resmi perlu identitas"
 * @example normalizeWords("/Batal") === "/batal"
 */
export function normalizeWords(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}/?]+/gu, " ")
    .trim()
    .replace(/\s+/g, " ");
}

/** Normalized forms of word lists, computed once per list (the lists come from the locale and flow files). */
const normalizedLists = new WeakMap<readonly string[], ReadonlySet<string>>();

/** True when the normalized `text` equals one of the normalized `words`. */
export function matchesAny(text: string, words: readonly string[]): boolean {
  return isAmong(normalizeWords(text), words);
}

/** {@link matchesAny} for a text already passed through {@link normalizeWords}. */
export function isAmong(normalized: string, words: readonly string[]): boolean {
  if (normalized === "") return false;
  let set = normalizedLists.get(words);
  if (!set) {
    set = new Set(words.map(normalizeWords));
    normalizedLists.set(words, set);
  }
  return set.has(normalized);
}
