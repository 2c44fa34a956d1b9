/**
 * Text normalization shared by the place search ({@link ./place-search.ts}): the same functions
 * normalize the official region names when the index is built and the citizen's text at query time,
 * so both sides always agree on spelling, spacing and abbreviations.
 */

/** The kind of region an administrative prefix ("kab.", "kota", "kec.", "desa", "provinsi") announced. */
export type PlaceKindHint = "kabupaten" | "kota" | "kecamatan" | "desa" | "provinsi";

/** One word of a parsed query, with the role the parser gave it. */
export interface QueryToken {
  /** The normalized word ("solok", "kab", "di"). */
  text: string;
  /**
   * `name`: may be part of a place name; `keyword`: an administrative prefix such as "kab" (it still
   * may be part of a name: "kota" in "Lima Puluh Kota", "Kota Baru"); `stopword`: filler such as "di".
   */
  role: "name" | "keyword" | "stopword";
  /** For keywords: the kind of region announced. */
  hint?: PlaceKindHint;
  /** How much the word counts when measuring which part of the query a match explains (0 for fillers). */
  weight: number;
}

/** Abbreviations rewritten on both sides (names and queries) so "Tj. Pinang" equals "Tanjung Pinang". */
const REWRITES: ReadonlyMap<string, string> = new Map([
  ["tj", "tanjung"],
  ["tg", "tanjung"],
  ["kep", "kepulauan"],
  ["kp", "kampung"],
  ["pdg", "padang"],
  ["sei", "sungai"],
]);

/** Single-word administrative prefixes and the kind they announce. */
const KEYWORDS: ReadonlyMap<string, PlaceKindHint> = new Map([
  ["kab", "kabupaten"],
  ["kabupaten", "kabupaten"],
  ["kabupatn", "kabupaten"],
  ["kabupeten", "kabupaten"],
  ["kot", "kota"],
  ["kota", "kota"],
  ["kotamadya", "kota"],
  ["kodya", "kota"],
  ["kec", "kecamatan"],
  ["kecamatan", "kecamatan"],
  ["kecamatn", "kecamatan"],
  ["distrik", "kecamatan"],
  ["kel", "desa"],
  ["kelurahan", "desa"],
  ["desa", "desa"],
  ["ds", "desa"],
  ["nagari", "desa"],
  ["gampong", "desa"],
  ["kampung", "desa"],
  ["prov", "provinsi"],
  ["provinsi", "provinsi"],
  ["propinsi", "provinsi"],
  ["prop", "provinsi"],
]);

/** Words that follow "kota"/"kabupaten" in "Kota Administrasi", "Kota Adm.": absorbed into the keyword. */
const KEYWORD_TAILS: ReadonlySet<string> = new Set(["adm", "administrasi", "admin"]);

/**
 * Filler words a citizen adds around a place ("di daerah", "wilayah", "dekat"). They do not count
 * against a match, and a name span may not start or end with one unless it matches a name exactly.
 */
const STOPWORDS: ReadonlySet<string> = new Set([
  "di",
  "ke",
  "dari",
  "daerah",
  "wilayah",
  "kawasan",
  "area",
  "sekitar",
  "dekat",
  "dan",
  "atau",
  "yang",
  "ini",
  "itu",
  "tempat",
  "lokasi",
  "kejadian",
  "terjadi",
  "tkp",
  "saya",
  "kami",
  "tinggal",
  "alamat",
  "jl",
  "jln",
  "jalan",
  "rt",
  "rw",
  "no",
  "dusun",
  "dsn",
  "indonesia",
  "ri",
  "ada",
  "pns",
  "asn",
  "kantor",
  "kampanye",
  "pak",
  "bu",
  "ibu",
  "bapak",
  "camat",
  "lurah",
  "kades",
  "kepala",
  "sekolah",
  "puskesmas",
  "masjid",
  "hari",
  "tanggal",
  "kemarin",
  "tadi",
  "pagi",
  "siang",
  "sore",
  "malam",
  "sekitarnya",
  "seputar",
  // Landmarks and positions around a place ("depan pasar X", "SDN 2 X", "samping terminal X"): the
  // place is the name after them. A name that contains one still matches exactly ("Pasar Minggu").
  "pasar",
  "terminal",
  "pelabuhan",
  "stasiun",
  "bandara",
  "musholla",
  "mushola",
  "musala",
  "langgar",
  "gereja",
  "vihara",
  "klenteng",
  "pura",
  "sd",
  "sdn",
  "smp",
  "smpn",
  "sma",
  "sman",
  "smk",
  "smkn",
  "mts",
  "mtsn",
  "madrasah",
  "pesantren",
  "ponpes",
  "kampus",
  "universitas",
  "rsud",
  "klinik",
  "polsek",
  "polres",
  "koramil",
  "kodim",
  "aula",
  "gedung",
  "gor",
  "lapangan",
  "alun",
  "taman",
  "tugu",
  "perempatan",
  "pertigaan",
  "bundaran",
  "jembatan",
  "samping",
  "sebelah",
  "seberang",
  "depan",
  "belakang",
  "deket",
  "dkt",
  "dpn",
  "gang",
  "gg",
  "perumahan",
  "perum",
  "komplek",
  "kompleks",
  "toko",
  "warung",
  "rumah",
  "negeri",
  "the",
  "in",
  "at",
  "of",
  "city",
  "regency",
  "province",
]);

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NOT_PRINTABLE_ASCII = /[^ -~]/;

/** Apostrophes and look-alikes: removed inside words ("Ma'rang" → "marang") instead of splitting them. */
function isApostrophe(c: number): boolean {
  return c === 39 || c === 96 || c === 180 || c === 0x2018 || c === 0x2019 || c === 0x02bc;
}

/**
 * Lowercases, strips diacritics, apostrophes ("Ma'rang" → "marang"), punctuation and emoji
 * (everything but `a-z0-9` separates words), collapses spaces and expands the abbreviations that
 * appear in official names and typed text alike ("tj" → "tanjung", "kep" → "kepulauan").
 * Administrative prefixes are kept: see {@link parsePlaceQuery} and {@link stripAdminPrefix}.
 */
export function normalizeText(text: string): string {
  return normalizeTokens(text).join(" ");
}

/** {@link normalizeText}, split into words. */
export function normalizeTokens(text: string): string[] {
  const out: string[] = [];
  scan(text, (w) => out.push(w));
  return out;
}

const SIMPLE_LOWER = /^[a-z0-9 ]*$/;
const REWRITE_WORD = /(?:^| )(?:tj|tg|kep|kp|pdg|sei)(?: |$)/;

/** The space-insensitive key of a text: `compactKey(normalizeTokens(text))`, without the array. */
export function normalizeCompact(text: string): string {
  const lower = text.toLowerCase();
  // Fast path for the common plain name ("Sidomulyo", "Metro Pusat").
  if (SIMPLE_LOWER.test(lower) && !REWRITE_WORD.test(lower)) return lower.replaceAll(" ", "");
  let out = "";
  scan(text, (w) => {
    out += w;
  });
  return out;
}

/** Calls `emit` with each normalized, rewritten word of the text. */
function scan(text: string, emit: (word: string) => void): void {
  let s = text;
  if (NOT_PRINTABLE_ASCII.test(s)) s = s.normalize("NFKD").replace(COMBINING_MARKS, "");
  s = s.toLowerCase();
  let word = "";
  let start = -1;
  const n = s.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) start = i;
      continue;
    }
    if (isApostrophe(c) && start >= 0) {
      // Drop the apostrophe, keep the word going.
      word += s.slice(start, i);
      start = i + 1;
      continue;
    }
    if (start >= 0 || word !== "") {
      const w = start >= 0 ? word + s.slice(start, i) : word;
      if (w !== "") emit(w.length <= 3 ? (REWRITES.get(w) ?? w) : w);
      word = "";
      start = -1;
    }
  }
}

/** The space-insensitive key of a list of words: "pekan baru" and "pekanbaru" both give "pekanbaru". */
export function compactKey(tokens: readonly string[]): string {
  return tokens.join("");
}

/** True when the word is an administrative prefix such as "kab", "kota", "kec", "desa", "provinsi". */
export function keywordHint(word: string): PlaceKindHint | undefined {
  return KEYWORDS.get(word);
}

/** True when the word is filler ("di", "daerah", "wilayah") that does not name a place. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** Weight of a name word when measuring coverage: short words ("x", "5") count less. */
function nameWeight(word: string): number {
  return word.length >= 4 ? 1 : word.length / 4;
}

/** True right after "kec."/"desa": the next word is a name even if it is usually filler ("kec. taman"). */
function afterLowPrefix(out: readonly QueryToken[]): boolean {
  const last = out.at(-1);
  return last?.role === "keyword" && (last.hint === "kecamatan" || last.hint === "desa");
}

/**
 * Normalizes a typed place and labels each word: administrative prefixes become `keyword` tokens
 * carrying their {@link PlaceKindHint} ("kota adm." is one keyword), fillers become `stopword`
 * tokens, everything else `name` tokens.
 *
 * @example parsePlaceQuery("Kec. Arosuka, Kab. Solok") // kec(keyword) arosuka kab(keyword) solok
 */
export function parsePlaceQuery(text: string): QueryToken[] {
  const words = normalizeTokens(text);
  const out: QueryToken[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const hint = KEYWORDS.get(w);
    if (hint !== undefined) {
      out.push({ text: w, role: "keyword", hint, weight: 0 });
      // "kota administrasi", "kab. adm." — the tail belongs to the keyword.
      if (
        (hint === "kota" || hint === "kabupaten") &&
        i + 1 < words.length &&
        KEYWORD_TAILS.has(words[i + 1]!)
      ) {
        out.push({ text: words[i + 1]!, role: "keyword", hint, weight: 0 });
        i++;
      }
    } else if (STOPWORDS.has(w) && !afterLowPrefix(out)) {
      out.push({ text: w, role: "stopword", weight: 0 });
    } else {
      out.push({ text: w, role: "name", weight: nameWeight(w) });
    }
  }
  return out;
}

/**
 * Strips leading administrative prefixes from a name and reports the last one seen:
 * "Kota Adm. Jakarta Timur" → `{ hint: "kota", rest: "jakarta timur" }`,
 * "Kec. Metro Pusat" → `{ hint: "kecamatan", rest: "metro pusat" }`. The rest is normalized.
 * A prefix is only stripped when a name remains after it ("kota" alone stays "kota").
 */
export function stripAdminPrefix(name: string): { hint: PlaceKindHint | undefined; rest: string } {
  const tokens = normalizeTokens(name);
  let hint: PlaceKindHint | undefined;
  let i = 0;
  while (i < tokens.length - 1) {
    const h = KEYWORDS.get(tokens[i]!);
    if (h !== undefined) {
      hint = h;
      i++;
    } else if (hint !== undefined && KEYWORD_TAILS.has(tokens[i]!)) {
      i++;
    } else {
      break;
    }
  }
  return { hint, rest: tokens.slice(i).join(" ") };
}
