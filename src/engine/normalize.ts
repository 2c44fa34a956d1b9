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

/** True when the normalized `text` equals one of the normalized `words`. */
export function matchesAny(text: string, words: readonly string[]): boolean {
  const t = normalizeWords(text);
  if (t === "") return false;
  return words.some((w) => normalizeWords(w) === t);
}
