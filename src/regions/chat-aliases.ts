/**
 * Chat abbreviations of regencies, derived from the official names instead of listed one by one:
 *
 * - **direction contractions**: the first syllable(s) of the name + a short direction, as regional
 *   governments and local news write them ("Lampung Selatan" → lamsel, "Tapanuli Utara" → taput,
 *   "Kutai Barat" → kubar, "Buton Tengah" → buteng, "Minahasa Tenggara" → mitra);
 * - **syllable contractions** of two-word names ("Kutai Kartanegara" → kukar, "Tulang Bawang" →
 *   tuba, "Rokan Hulu" → rohul, "Tanah Bumbu" → tanbu);
 * - **initials** of names of three words or more ("Hulu Sungai Selatan" → hss, "Timor Tengah
 *   Selatan" → tts) and "K" + initials of two-word kabupaten ("Kab. Bandung Barat" → kbb);
 * - **three-letter city codes** of kota, from the onsets of the name's syllables ("Bandung" → bdg,
 *   "Semarang" → smg, "Makassar" → mks, "Palembang" → plg), shared by a kabupaten of the same name
 *   (then the code is ambiguous and the citizen is asked);
 * - **airport codes** (src/regions/airport-codes.json, IATA codes from OpenFlights) and the few
 *   irregular city codes everybody types (sby, smd, bpp, …, in {@link IRREGULAR_CITY_CODES}).
 *
 * A derived code is dropped when it is an official name or a hand-written alias already
 * (src/regions/aliases.json wins), or an everyday word or chat abbreviation
 * (src/regions/chat-words.json: "tanda", "baba", "dgn", "sbg" …). A code derived for several
 * regencies stays, pointing at all of them, so the search offers the choice.
 */
import airportData from "./airport-codes.json" with { type: "json" };
import type { RegionCatalog } from "./catalog.js";
import chatWords from "./chat-words.json" with { type: "json" };
import { normalizeCompact, normalizeTokens } from "./normalize.js";

/** One derived abbreviation and the regencies (or province, for "cgk") it may stand for. */
export interface ChatAlias {
  /** The abbreviation as typed, normalized ("lamsel"). */
  key: string;
  /** Regency codes ("18.01"); a province code for a code that names a whole province. */
  codes: string[];
  /** How it was derived. */
  kind: "direction" | "syllables" | "initials" | "city_code" | "airport";
}

/** Short forms of the direction words that end regency names, as chats and local news write them. */
const DIRECTIONS: Readonly<Record<string, readonly string[]>> = {
  utara: ["ut", "ura", "ra", "tra"],
  selatan: ["sel"],
  timur: ["tim"],
  barat: ["bar"],
  tengah: ["teng"],
  tenggara: ["tra", "gara"],
  pusat: ["pus"],
};

/** Irregular city codes in common chat use (the onset rule does not give them). */
export const IRREGULAR_CITY_CODES: Readonly<Record<string, readonly string[]>> = {
  sby: ["35.78"],
  smd: ["64.72"],
  bpp: ["64.71"],
  jkt: ["31"],
  ygy: ["34.71"],
  pwt: ["33.02"],
  sda: ["35.15"],
  balam: ["18.71"],
  bdl: ["18.71"],
  plp: ["73.73"],
};

/** Words that are never a place code: everyday words and chat abbreviations. */
const CHAT_WORDS: ReadonlySet<string> = new Set((chatWords as { words: string[] }).words);

const VOWEL = /[aeiou]/;
const isVowel = (c: string | undefined): boolean => c !== undefined && VOWEL.test(c);

/**
 * Prefixes of a word that end at a syllable edge: the first syllable without and with its closing
 * consonant (a digraph "ng"/"ny" counts as one: "bangka" → ba, bang) and the first two syllables.
 * @example syllablePrefixes("lampung") // ["la", "lam", "lamp", "lampu"]
 */
export function syllablePrefixes(word: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < word.length && !isVowel(word[i])) i++;
  while (i < word.length && isVowel(word[i])) i++;
  if (i === 0 || i >= word.length) return out;
  out.push(word.slice(0, i));
  let j = i;
  while (j < word.length && !isVowel(word[j])) j++;
  // Closing consonants: all but the next syllable's onset.
  if (j < word.length && j - i >= 2) {
    const digraph = word.slice(i, i + 2) === "ng" || word.slice(i, i + 2) === "ny";
    out.push(word.slice(0, digraph ? i + 2 : i + 1));
    if (j - i >= 3 || (!digraph && j - i === 2)) out.push(word.slice(0, j));
  } else if (j < word.length && j - i === 1) {
    out.push(word.slice(0, i + 1));
  }
  let k = j;
  while (k < word.length && isVowel(word[k])) k++;
  if (k > j && k < word.length) out.push(word.slice(0, k));
  return [...new Set(out)].filter((p) => p.length < word.length);
}

/** The first syllable of a word without and with its closing consonant: "lampung" → la, lam. */
function short(word: string): string[] {
  return syllablePrefixes(word).slice(0, 2);
}

/**
 * Onsets of the syllables of a word, with the word's last letter when it is a consonant:
 * "bandung" → b, d, g; "surabaya" → s, r, b, y.
 */
function onsets(word: string): { onsets: string[]; final: string | undefined } {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) {
    if (!isVowel(word[i]) || (i > 0 && isVowel(word[i - 1]))) continue;
    // The consonant right before this vowel group (or the vowel itself at the start of the word).
    out.push(i === 0 ? word[0]! : word[i - 1]!);
  }
  const last = word.at(-1);
  return { onsets: out, final: last !== undefined && !isVowel(last) ? last : undefined };
}

/** Three-letter city codes of a one-word name: first three onsets; first two onsets + final consonant. */
function cityCodes(word: string): string[] {
  const { onsets: o, final } = onsets(word);
  const out: string[] = [];
  if (o.length >= 3) out.push(o.slice(0, 3).join(""));
  if (o.length >= 2 && final !== undefined) out.push(o[0]! + o[1]! + final);
  return out.filter((c) => /^[a-z]{3}$/.test(c) && !isVowel(c[1]) && !isVowel(c[2]));
}

/**
 * Every derived chat abbreviation of the catalog's regencies, with the regencies each may mean.
 * `taken`: normalized keys that already name something (official names, hand-written aliases);
 * they are never derived.
 */
export function deriveChatAliases(catalog: RegionCatalog, taken: ReadonlySet<string>): ChatAlias[] {
  const found = new Map<string, { codes: Set<string>; kind: ChatAlias["kind"] }>();
  const add = (key: string, code: string, kind: ChatAlias["kind"]) => {
    if (key.length < 3 || key.length > 9 || taken.has(key) || CHAT_WORDS.has(key)) return;
    const f = found.get(key);
    if (f) f.codes.add(code);
    else found.set(key, { codes: new Set([code]), kind });
  };

  for (const r of catalog.regencies) {
    const words = normalizeTokens(r.shortName).filter((w) => w !== "kepulauan");
    if (words.length === 0) continue;
    const last = words.at(-1)!;
    const dirs = DIRECTIONS[last];
    if (dirs && words.length >= 2) {
      const base = words.slice(0, -1);
      const [a, b] = [base[0]!, base[1]];
      const heads =
        b === undefined
          ? short(a)
          : [...short(a).map((x, i) => x + (short(b)[i] ?? "")), `${short(a).at(-1)}${b[0]}`];
      for (const h of heads) for (const d of dirs) add(h + d, r.code, "direction");
    } else if (words.length === 2) {
      const w2 = words[1]!;
      const tails = [...short(w2), ...(w2.length <= 4 ? [w2] : [])];
      for (const h of short(words[0]!)) for (const t of tails) add(h + t, r.code, "syllables");
    }
    if (words.length >= 3) add(words.map((w) => w[0]).join(""), r.code, "initials");
    if (words.length === 2 && r.kind === "kabupaten")
      add(`k${words[0]![0]}${words[1]![0]}`, r.code, "initials");
  }

  // City codes: from the names of kota, pointing at every regency of that name (Kota and Kab. Malang).
  const byName = new Map<string, string[]>();
  for (const r of catalog.regencies) {
    const key = normalizeCompact(r.shortName);
    const l = byName.get(key);
    if (l) l.push(r.code);
    else byName.set(key, [r.code]);
  }
  for (const r of catalog.regencies) {
    if (r.kind !== "kota" || r.shortName.includes(" ")) continue;
    const key = normalizeCompact(r.shortName);
    for (const c of cityCodes(key)) for (const code of byName.get(key)!) add(c, code, "city_code");
  }
  for (const [key, codes] of Object.entries(IRREGULAR_CITY_CODES))
    for (const code of codes) add(key, code, "city_code");
  for (const a of (airportData as { codes: { code: string; regencies: string[] }[] }).codes)
    for (const code of a.regencies) add(a.code.toLowerCase(), code, "airport");

  return [...found.entries()]
    .map(([key, f]) => ({ key, codes: [...f.codes].sort(), kind: f.kind }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}
