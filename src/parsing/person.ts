/**
 * What citizens type when asked for a person's name or position: "Sugeng Riyadi, lurahnya" (a
 * name and a position), "gk tau namanya" (they don't know), "pak camat" (only a position).
 * Pure functions, Indonesian and English, slang spellings included.
 */

/** Negations as typed: "tidak", "tdk", "gak", "gk", "ga", "nggak", "enggak", "tak", "blm" … */
const NOT =
  "(?:tidak|tdk|tak|gak|gk|ga|g|nggak|ngga|nggk|ngak|enggak|engga|ndak|nda|gag|kagak|belum|blm|kurang|krg)";
/** "tahu" as typed: "tahu", "tau", "tw", "thu", and "kenal", "ingat" ("I don't remember"). */
const KNOW = "(?:tahu|tau|tw|taw|thu|kenal|ingat|inget|ngerti|paham)";
/** Words that may follow: "namanya", "pak", "saya", "sih", "juga" … */
const TAIL =
  "(?:\\s+(?:namanya|nama|nya|jabatannya|jabatan|instansinya|orangnya|dia|pak|bu|kak|mas|mbak|min|saya|aku|sy|sih|juga|jg|deh|ya|persis|pasti|pastinya|jelas|siapa|kantornya))*";
const DONT_KNOW = new RegExp(
  `^(?:saya\\s+|sy\\s+|aku\\s+|maaf\\s+|wah\\s+)*(?:${NOT}\\s*${KNOW}|gatau|gatahu|gktau|gaktau|ntah|entah|entahlah|tidak diketahui|no idea|unknown|(?:i\\s+)?(?:do not|don'?t|dont)\\s+know|not sure)${TAIL}$`,
);

function plain(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/[.!?,;:()"]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * True when the answer means "I don't know" in any of its common spellings.
 *
 * @example
 * saysDontKnow("gk tau namanya"); // true
 * saysDontKnow("Ga tau pak");     // true
 * saysDontKnow("Tahu Sumedang");  // false
 */
export function saysDontKnow(text: string): boolean {
  const t = plain(text);
  return t !== "" && DONT_KNOW.test(t);
}

/** Positions, as typed (lower case; "nya" allowed after) → as written on the card. */
const POSITIONS: readonly [RegExp, string][] = [
  [/\b(?:kepala dinas|kadis)\b/, "Kepala Dinas"],
  [/\b(?:kepala bidang|kabid)\b/, "Kepala Bidang"],
  [/\b(?:kepala seksi|kasi)\b/, "Kepala Seksi"],
  [/\b(?:kepala sub ?bagian|kasubag|kasubbag)\b/, "Kepala Subbagian"],
  [/\b(?:kepala bagian|kabag)\b/, "Kepala Bagian"],
  [/\b(?:kepala sekolah|kepsek)\b/, "Kepala Sekolah"],
  [/\b(?:kepala puskesmas|kapus)\b/, "Kepala Puskesmas"],
  [/\b(?:kepala desa|kades)\b/, "Kepala Desa"],
  [/\b(?:sekretaris daerah|sekda)\b/, "Sekretaris Daerah"],
  [/\b(?:sekretaris camat|sekcam)\b/, "Sekretaris Camat"],
  [/\b(?:sekretaris desa|sekdes)\b/, "Sekretaris Desa"],
  [/\b(?:sekretaris lurah|seklur)\b/, "Sekretaris Lurah"],
  [/\bcamat(?:nya)?\b/, "Camat"],
  [/\blurah(?:nya)?\b/, "Lurah"],
  [/\bguru(?:nya)?\b/, "Guru"],
  [/\bbidan(?:nya)?\b/, "Bidan"],
  [/\bperawat(?:nya)?\b/, "Perawat"],
  [/\bdokter(?:nya)?\b/, "Dokter"],
  [/\bpenyuluh\b/, "Penyuluh"],
  [/\bsatpol pp\b/, "Anggota Satpol PP"],
  [/\bstaf(?:f)?(?:nya)?\b/, "Staf"],
];

/**
 * The first position named in a text, as written on the card ("kadis" → "Kepala Dinas"), with where
 * it was found; undefined when none.
 */
export function findPosition(text: string): { position: string; at: number } | undefined {
  const lower = text.toLowerCase();
  let best: { position: string; at: number } | undefined;
  for (const [re, position] of POSITIONS) {
    const m = re.exec(lower);
    if (m && (!best || m.index < best.at)) best = { position, at: m.index };
  }
  return best;
}

/** Words around a position that say nothing more: "nya", "pak", "dia", "sebagai", "itu" … */
const POSITION_FILLER =
  /\b(?:dia|beliau|itu|ini|tsb|tersebut|sebagai|jabatannya|jabatan|adalah|yaitu|yg|yang|pak|bu|bapak|ibu|seorang|kayaknya|sepertinya|mungkin|kalau tidak salah|kalo gak salah|nya)\b/g;

/** A part that is only a position ("lurahnya", "dia camat"): the position as on the card, as typed when it says more. */
function onlyPosition(part: string): string | undefined {
  const found = findPosition(part);
  if (!found) return undefined;
  const lower = plain(part);
  // Every word of the part must belong to the position or be filler, or the part says more than a
  // position ("kepala dinas pendidikan": kept as typed, it is still a position, not a name).
  const rest = lower
    .replace(
      /\b(?:kepala|dinas|kadis|kabid|bidang|seksi|kasi|sub|bagian|kabag|kasubag|kasubbag|sekolah|kepsek|puskesmas|kapus|desa|kades|sekretaris|daerah|sekda|camat|sekcam|sekdes|lurah|seklur|guru|bidan|perawat|dokter|penyuluh|satpol|pp|staf|staff)(?:nya)?\b/g,
      " ",
    )
    .replace(POSITION_FILLER, " ")
    .trim();
  if (rest === "") return found.position;
  // A capitalised word is a name ("Sugeng lurahnya" is not only a position).
  if (
    /(?:^|\s)\p{Lu}\p{Ll}+/u.test(
      part.replace(/^(?:Pak|Bu|Bapak|Ibu)\s+/u, "").replace(/\b(?:Kepala|Dinas|Camat|Lurah|Guru)\b/gu, ""),
    )
  )
    return undefined;
  return part.trim().replace(/^(?:dia|beliau)\s+/i, "");
}

/** What a "who is it?" answer holds. `name` null: they said they don't know, or named only a position. */
export interface PersonAnswer {
  name: string | null;
  position?: string;
}

/**
 * Reads an answer to "what is the accused's name?": splits a position out of it, and reads "don't
 * know" in its common spellings. Undefined when it is an ordinary name with nothing to split.
 *
 * @example
 * readPersonAnswer("Sugeng Riyadi, lurahnya");   // { name: "Sugeng Riyadi", position: "Lurah" }
 * readPersonAnswer("gk tau namanya");            // { name: null }
 * readPersonAnswer("gak tau namanya, pokoknya camat"); // { name: null, position: "Camat" }
 * readPersonAnswer("pak camat");                 // { name: null, position: "Camat" }
 * readPersonAnswer("Budi Santoso");              // undefined
 */
export function readPersonAnswer(text: string): PersonAnswer | undefined {
  if (saysDontKnow(text)) return { name: null };
  const parts = text
    .split(/\s*(?:[,;/]|\s-\s|\(|\)|\bsebagai\b|\bjabatannya\b|\bpokoknya\b)\s*/iu)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  let name: string | null = null;
  let position: string | undefined;
  let unknownName = false;
  for (const part of parts) {
    if (saysDontKnow(part)) {
      unknownName = true;
      continue;
    }
    const pos = position === undefined ? onlyPosition(part) : undefined;
    if (pos !== undefined) {
      position = pos;
      continue;
    }
    if (name === null) name = part;
  }
  if (position === undefined && !unknownName) return undefined;
  return position === undefined ? { name } : { name, position };
}
