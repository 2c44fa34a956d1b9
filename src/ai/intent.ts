/**
 * What a free text typed where a button was expected is: a question about the rules ("apakah ASN
 * boleh like postingan paslon?"), a story of a violation (a long message telling what happened),
 * or neither. Pure and offline; the engine reaches it through `lookups.readIntent`.
 */

/** What a free text is. `question` carries the question ("" when the citizen only asked to ask). */
import type { TextIntent } from "../engine/lookups.js";
import { normalizeWords } from "../engine/normalize.js";
import { words } from "./text.js";

export type { TextIntent };

/** Words that open a question (after informal spellings are written out). */
const QUESTION_OPENERS = new Set([
  "apakah",
  "apa",
  "bolehkah",
  "boleh",
  "bagaimana",
  "kenapa",
  "mengapa",
  "siapa",
  "berapa",
  "kalau",
  "bisakah",
  "bisa",
  "benarkah",
  "betulkah",
  "emangnya",
  "memang",
  "tanya",
  "mau",
  "is",
  "can",
  "may",
  "what",
  "how",
  "are",
  "who",
]);

/** Words that show a question is about the neutrality rules or reporting. */
const RULES_WORDS = new Set([
  "boleh",
  "bolehkah",
  "dilarang",
  "larangan",
  "melanggar",
  "pelanggaran",
  "aturan",
  "aturannya",
  "sanksi",
  "sanksinya",
  "netral",
  "netralitas",
  "hukum",
  "hukumannya",
  "dipecat",
  "lapor",
  "melapor",
  "laporan",
  "allowed",
  "rules",
  "rule",
  "asn",
  "bawaslu",
  "kampanye",
  "calon",
  "partai",
]);

/** Just asking to ask ("tanya", "mau tanya aturan"). */
const ASK_ONLY = new Set([
  "tanya",
  "pertanyaan",
  "mau tanya",
  "tanya aturan",
  "ask",
  "question",
  "saya mau tanya",
]);

/** Minimum size of a story: a few words are an answer, not a story. */
const STORY_MIN_CHARS = 40;
const STORY_MIN_WORDS = 8;

/**
 * Reads a free text.
 *
 * @example readIntent("apakah ASN boleh like postingan paslon?") → { kind: "question", question: "apakah ASN boleh like postingan paslon?" }
 * @example readIntent("Pak Kasi di kecamatan posting ajakan pilih paslon 2 di FB kemarin") → { kind: "story" }
 */
export function readIntent(text: string): TextIntent {
  const trimmed = text.trim();
  const plain = normalizeWords(trimmed).replace(/\?/g, "").trim();
  if (ASK_ONLY.has(plain)) return { kind: "question", question: "" };
  const ws = words(trimmed);
  const opens = QUESTION_OPENERS.has(ws[0] ?? "");
  const asks = trimmed.includes("?") || opens;
  const topical = ws.some((w) => RULES_WORDS.has(w));
  if (asks && topical && trimmed.length <= 400) {
    // A story that merely ends with "gimana ini?" is still a story when it is long.
    if (!(trimmed.length > 160 && !opens)) return { kind: "question", question: trimmed };
  }
  if (trimmed.length >= STORY_MIN_CHARS && ws.length >= STORY_MIN_WORDS) return { kind: "story" };
  return { kind: "other" };
}
