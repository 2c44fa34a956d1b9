/**
 * Place search: turns what a citizen typed ("kab solok", "metro lampung", "pekan baru", "Kec. Arosuka",
 * "balikpapn") into the kabupaten/kota it names, with a confidence and the alternatives when the
 * text is ambiguous ("solok": Kabupaten Solok or Kota Solok?).
 *
 * How it works: every province, regency, district, village and alias (src/regions/aliases.json) is
 * indexed once by its space-insensitive normalized name ({@link compactKey}), plus partial keys (runs
 * of words of regency/district names: "tapanuli" → Tapanuli Utara/Selatan/Tengah) and a SymSpell-style
 * deletion index for typos on everything except villages. A query is cut into word spans; each span
 * is looked up, each hit is scored by level (regency > district > village), match quality, the
 * administrative prefix typed before it ("kota", "kec.") and by how much of the query it and the
 * consistent hits around it explain ("kec. A kab. B", "metro lampung").
 *
 * Also indexed: chat abbreviations derived from the official names (src/regions/chat-aliases.ts:
 * "lamteng", "mks", "UPG", "kab HSS"), matched exactly and a little below an official name. Before
 * any village, the words are checked against foreign countries and cities (foreign-places.json):
 * those are answered `outside` unless a regency or province is named too. An everyday word that
 * also names a village or kecamatan (everyday-words.json: "rumah", "kebun") alone scores below a
 * match, and is never read as a typo of a place.
 */
import { distance } from "fastest-levenshtein";
import aliasData from "./aliases.json" with { type: "json" };
import type { RegionCatalog } from "./catalog.js";
import { type ChatAlias, deriveChatAliases } from "./chat-aliases.js";
import everydayData from "./everyday-words.json" with { type: "json" };
import foreignData from "./foreign-places.json" with { type: "json" };
import {
  compactKey,
  normalizeCompact,
  normalizeTokens,
  type PlaceKindHint,
  parsePlaceQuery,
  type QueryToken,
} from "./normalize.js";

/** One region a query may mean, reduced to the regency (kabupaten/kota) that is responsible for it. */
export interface PlaceCandidate {
  /** The regency implied; null when only a province matched ("lampung"). */
  regencyCode: string | null;
  /** Official regency name ("Kota Metro"); null when only a province matched. */
  regencyName: string | null;
  /** Province of the match ("18"). */
  provinceCode: string;
  /** Province name ("Lampung"). */
  provinceName: string;
  /** Which kind of name matched the text. */
  matchedLevel: "province" | "regency" | "district" | "village" | "alias";
  /** Code of the matched region (for aliases: the code the alias stands for). */
  matchedCode: string;
  /** Human display: "Kota Metro", "Kec. Metro Pusat, Kota Metro", "Desa Sidomulyo, Kec. X, Kab. Y". */
  matchedName: string;
  /** Confidence 0..1: 1 for an exact regency name, lower for typos, partial names, villages. */
  score: number;
}

/** Outcome of {@link PlaceSearch.find}. */
export interface PlaceSearchResult {
  /** The text as given. */
  query: string;
  /**
   * `match`: the best candidate is clearly ahead; `ambiguous`: several regencies are close and the
   * citizen must choose; `no_match`: nothing plausible (see `suggestions`); `invalid`: unusable text;
   * `outside`: a place outside Indonesia ("Johor Bahru", "di taiwan"; see `outside`).
   */
  status: "match" | "ambiguous" | "no_match" | "invalid" | "outside";
  /** The top candidate; null on no_match / invalid. */
  best: PlaceCandidate | null;
  /** Ranked best first, at most one per regency (province-only candidates count as their own group). */
  candidates: PlaceCandidate[];
  /** True when the citizen must choose (status `ambiguous`). */
  ambiguous: boolean;
  /** On no_match: closest names (mostly regency names), never empty when the text had letters. */
  suggestions: string[];
  /** On invalid: a short English reason. */
  error?: string;
  /** On outside: the foreign place named ("Kuala Lumpur") and its country in Indonesian ("Malaysia"). */
  outside?: { name: string; country: string };
}

/** A place outside Indonesia (src/regions/foreign-places.json). */
interface ForeignPlace {
  name: string;
  country: string;
  kind: "country" | "city";
}

interface AliasEntry {
  name: string;
  code: string;
  note: string;
}

// Entry kinds.
const K_PROVINCE = 0;
const K_REGENCY = 1;
const K_DISTRICT = 2;
const K_VILLAGE = 3;
const K_ALIAS_REGENCY = 4;
const K_ALIAS_PROVINCE = 5;

/** Level weights: regency beats district beats village when names tie. */
const LEVEL_WEIGHT = [0.97, 1, 0.85, 0.75, 1, 0.97];
/** Quality of a regency name without its leading "Kepulauan"/"Pulau" ("mentawai"). */
const VARIANT_Q = 0.97;
/** Factor for an interpretation that splits an exactly matched multi-word name in two. */
const CUT_PENALTY = 0.85;
/** Least coverage credited to a match whose kind the citizen announced with a prefix. */
const CONFIRMED_COVERAGE = 0.6;
/** Quality of a derived chat abbreviation (src/regions/chat-aliases.ts): below an official name. */
const DERIVED_Q = 0.93;
/** Factor for an everyday word ("rumah", "kantor", "pasar") read as the village or kecamatan it also names. */
const EVERYDAY_FACTOR = 0.6;
/** Everyday words that are also the name of some village or kecamatan. */
const EVERYDAY: ReadonlySet<string> = new Set((everydayData as { words: string[] }).words);
/** Scores below this are not a match. */
const MIN_SCORE = 0.55;
/** A second regency within this distance of the best makes the result ambiguous. */
const MARGIN = 0.12;
/** Candidates further than this below the best are not listed. */
const LIST_WINDOW = 0.4;
const MAX_TOKENS = 30;
const MAX_SPAN = 6;
const MAX_TEXT = 200;
/** Partial keys shared by more entries than this are too generic to be useful ("baru", "jaya"). */
const MAX_PARTIAL_POSTINGS = 40;
const DEFAULT_LIMIT = 8;

/** Words that alone never identify a region as part of a longer name. */
const GENERIC_WORDS = new Set([
  "utara",
  "selatan",
  "barat",
  "timur",
  "tengah",
  "daya",
  "laut",
  "darat",
  "baru",
  "lama",
  "raya",
  "jaya",
  "hulu",
  "hilir",
  "ilir",
  "ulu",
  "besar",
  "kecil",
  "induk",
  "pesisir",
  "bagian",
  "kota",
  "kepulauan",
  "pulau",
  "dan",
  "sungai",
  "tanjung",
  "muara",
  "air",
  "batu",
  "gunung",
  "bukit",
  "kampung",
  "desa",
  "daerah",
  "khusus",
  "ibukota",
  "istimewa",
  "i",
  "ii",
  "iii",
  "iv",
  "v",
]);

/** Hint factors: how well a kind of entry fits the administrative prefix typed before it. */
function hintFactor(hint: PlaceKindHint, kind: number, isKota: boolean): number {
  switch (hint) {
    case "kabupaten":
      if (kind === K_REGENCY) return isKota ? 0.8 : 1;
      if (kind === K_ALIAS_REGENCY) return isKota ? 0.9 : 1;
      if (kind === K_DISTRICT) return 0.9;
      if (kind === K_VILLAGE) return 0.85;
      return 0.75;
    case "kota":
      if (kind === K_REGENCY) return isKota ? 1 : 0.8;
      if (kind === K_ALIAS_REGENCY) return isKota ? 1 : 0.95;
      if (kind === K_DISTRICT) return 0.95;
      if (kind === K_VILLAGE) return 0.9;
      return 0.75;
    case "kecamatan":
      if (kind === K_DISTRICT) return 1.1;
      if (kind === K_ALIAS_REGENCY) return 1;
      if (kind === K_VILLAGE) return 0.95;
      if (kind === K_REGENCY) return 0.85;
      return 0.7;
    case "desa":
      if (kind === K_VILLAGE) return 1.1;
      if (kind === K_DISTRICT || kind === K_ALIAS_REGENCY) return 0.95;
      if (kind === K_REGENCY) return 0.85;
      return 0.7;
    case "provinsi":
      if (kind === K_PROVINCE || kind === K_ALIAS_PROVINCE) return 1.03;
      if (kind === K_REGENCY || kind === K_ALIAS_REGENCY) return 0.8;
      if (kind === K_DISTRICT) return 0.75;
      return 0.7;
  }
}

/** Quality of a typo match at edit distance `d` between strings of which the longer has `len` chars. */
function fuzzyQuality(d: number, len: number): number {
  return Math.max(0.5, 1 - 0.06 * d - (0.5 * d) / len);
}

/** Quality of a partial name: the typed key covers `keyLen` of the name's `nameLen` characters. */
function partialQuality(keyLen: number, nameLen: number): number {
  return Math.min(0.9, 0.55 + (0.35 * keyLen) / nameLen);
}

/** Bit mask of the words [i, j). */
function spanMask(i: number, j: number): number {
  return ((1 << (j - i)) - 1) << i;
}

/** Largest edit distance tolerated for a key of this length. */
function maxEdits(len: number): number {
  if (len < 5) return 0;
  if (len <= 8) return 1;
  return 2;
}

/**
 * Calls `emit` with the FNV-1a hash of every string obtained by deleting up to `depth` (≤ 2)
 * characters from `s`, without building the strings. Equal strings give equal hashes; hash
 * collisions only add candidates that the caller verifies with a real edit distance.
 */
function forEachDeleteHash(s: string, depth: number, emit: (hash: number) => void): void {
  const n = s.length;
  const hash = (skip1: number, skip2: number): number => {
    let h = 0x811c9dc5;
    for (let k = 0; k < n; k++) {
      if (k === skip1 || k === skip2) continue;
      h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
    }
    return h >>> 0;
  };
  emit(hash(-1, -1));
  if (depth < 1) return;
  for (let i = 0; i < n; i++) {
    // Deleting either of two equal neighbours gives the same string: skip the duplicate.
    if (i > 0 && s.charCodeAt(i) === s.charCodeAt(i - 1)) continue;
    emit(hash(i, -1));
    if (depth < 2) continue;
    for (let j = i + 1; j < n; j++) {
      if (j > i + 1 && s.charCodeAt(j) === s.charCodeAt(j - 1)) continue;
      emit(hash(i, j));
    }
  }
}

/** 32-bit hash → list of ints, in an open-addressing table sized once (no strings, no Map). */
class HashPostings {
  private readonly mask: number;
  private readonly slotHash: Uint32Array;
  private readonly slotHead: Int32Array;
  private readonly val: Int32Array;
  private readonly nxt: Int32Array;
  private n = 0;

  /** `capacity`: the most postings that will be added. */
  constructor(capacity: number) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.mask = size - 1;
    this.slotHash = new Uint32Array(size);
    this.slotHead = new Int32Array(size).fill(-1);
    this.val = new Int32Array(capacity);
    this.nxt = new Int32Array(capacity);
  }

  private slot(hash: number): number {
    let i = (hash ^ (hash >>> 16)) & this.mask;
    while (this.slotHead[i] !== -1 && this.slotHash[i] !== hash) i = (i + 1) & this.mask;
    return i;
  }

  add(hash: number, value: number): void {
    if (this.n >= this.val.length) return;
    const i = this.slot(hash);
    const p = this.n++;
    this.val[p] = value;
    this.nxt[p] = this.slotHead[i]!;
    this.slotHash[i] = hash;
    this.slotHead[i] = p;
  }

  /** First posting of the hash, or -1; walk with {@link next}. */
  first(hash: number): number {
    return this.slotHead[this.slot(hash)]!;
  }

  next(p: number): number {
    return this.nxt[p]!;
  }

  value(p: number): number {
    return this.val[p]!;
  }
}

/**
 * String → list of (value, quality) postings, stored as linked lists in typed arrays: one Map entry
 * per distinct key and no per-key arrays, so building 100,000 keys is fast and light on the GC.
 */
class Postings {
  private readonly head = new Map<string, number>();
  private val: Int32Array;
  private qual: Float32Array;
  private nxt: Int32Array;
  private n = 0;

  constructor(capacity = 1024) {
    this.val = new Int32Array(capacity);
    this.qual = new Float32Array(capacity);
    this.nxt = new Int32Array(capacity);
  }

  /** Adds a posting; a value already listed under the key keeps the higher quality. */
  add(key: string, value: number, quality = 1): void {
    const h = this.head.get(key);
    if (h !== undefined) {
      for (let x = h; x >= 0; x = this.nxt[x]!) {
        if (this.val[x] === value) {
          if (quality > this.qual[x]!) this.qual[x] = quality;
          return;
        }
      }
    }
    if (this.n === this.val.length) this.grow();
    const i = this.n++;
    this.val[i] = value;
    this.qual[i] = quality;
    if (h === undefined) {
      this.nxt[i] = -1;
      this.head.set(key, i);
    } else {
      // Insert after the head: no second Map write.
      this.nxt[i] = this.nxt[h]!;
      this.nxt[h] = i;
    }
  }

  /** Like {@link add} for a value known not to be listed under the key yet. */
  addNew(key: string, value: number): void {
    const h = this.head.get(key);
    if (this.n === this.val.length) this.grow();
    const i = this.n++;
    this.val[i] = value;
    this.qual[i] = 1;
    if (h === undefined) {
      this.nxt[i] = -1;
      this.head.set(key, i);
    } else {
      this.nxt[i] = this.nxt[h]!;
      this.nxt[h] = i;
    }
  }

  private grow(): void {
    const size = this.n * 2;
    const v = new Int32Array(size);
    v.set(this.val);
    this.val = v;
    const q = new Float32Array(size);
    q.set(this.qual);
    this.qual = q;
    const x = new Int32Array(size);
    x.set(this.nxt);
    this.nxt = x;
  }

  has(key: string): boolean {
    return this.head.has(key);
  }

  /** First posting of the key, or -1; walk with {@link next}. */
  first(key: string): number {
    return this.head.get(key) ?? -1;
  }

  next(i: number): number {
    return this.nxt[i]!;
  }

  value(i: number): number {
    return this.val[i]!;
  }

  quality(i: number): number {
    return this.qual[i]!;
  }

  /** Number of postings of a key, counting at most `cap + 1`. */
  count(key: string, cap: number): number {
    let c = 0;
    for (let i = this.first(key); i >= 0 && c <= cap; i = this.nxt[i]!) c++;
    return c;
  }
}

interface Match {
  start: number;
  end: number;
  mask: number;
  entry: number;
  /** Match quality: 1 exact, lower for variants, partial names and typos. */
  q: number;
  /** levelWeight × quality × hint factor, capped at 1. */
  s0: number;
  /** A prefix typed before it agrees with its kind ("kab solok", "kec. gunung talang"). */
  confirmed: boolean;
}

interface Scored {
  match: Match;
  score: number;
  group: string;
  specificity: number;
}

interface SuggestTarget {
  key: string;
  display: string;
}

interface Alias {
  name: string;
  code: string;
  reg: number;
  prov: number;
}

/** A hand-written alias (aliases.json) or a derived chat abbreviation, one per code. */
interface AliasSource {
  name: string;
  code: string;
  derived: boolean;
}

const GLUED_PREFIXES = [
  "kabupaten",
  "kecamatan",
  "kelurahan",
  "provinsi",
  "kota",
  "kab",
  "kec",
  "desa",
  "kel",
  "prov",
];
/** Typo index keys are cut to this many characters (SymSpell prefix trick); matches are verified in full. */
const FUZZY_PREFIX = 9;

/**
 * Finds the kabupaten/kota a typed place names. Build it once with {@link PlaceSearch.build} and
 * call {@link PlaceSearch.find} per message; `find` never throws.
 */
export class PlaceSearch {
  // Entries are numbered: provinces, regencies, districts, villages, aliases (in catalog order).
  private readonly r0: number;
  private readonly d0: number;
  private readonly v0: number;
  private readonly a0: number;
  private readonly eKind: Uint8Array;
  private readonly eReg: Int32Array;
  private readonly eProv: Int32Array;
  private readonly eDist: Int32Array;
  private readonly aliases: Alias[] = [];

  private readonly exact = new Postings(1 << 17);
  private readonly variant = new Postings();
  private readonly partial = new Postings();
  /** Typo-searchable keys: names of everything but villages, regency/province partial keys. */
  private readonly fuzzyKeys: string[] = [];
  private deletes: HashPostings = new HashPostings(0);
  private readonly suggestTargets: SuggestTarget[] = [];
  private fuzzyStamp: Int32Array = new Int32Array(0);
  private stamp = 0;

  private readonly aliasSources: AliasSource[];
  /** Derived chat abbreviations (for tests and the admin command line). */
  readonly chatAliases: readonly ChatAlias[];
  /** Foreign countries and cities by compact key. */
  private readonly foreign = new Map<string, ForeignPlace>();
  /** Longest foreign name, in words. */
  private foreignSpan = 1;

  private constructor(private readonly catalog: RegionCatalog) {
    this.r0 = catalog.provinces.length;
    this.d0 = this.r0 + catalog.regencies.length;
    this.v0 = this.d0 + catalog.districts.length;
    this.a0 = this.v0 + catalog.villages.length;
    const taken = new Set<string>();
    for (const p of catalog.provinces) taken.add(normalizeCompact(p.name));
    for (const r of catalog.regencies) taken.add(normalizeCompact(r.shortName));
    for (const a of aliasData as AliasEntry[]) taken.add(normalizeCompact(a.name));
    this.chatAliases = deriveChatAliases(catalog, taken);
    this.aliasSources = (aliasData as AliasEntry[]).map((a) => ({
      name: a.name,
      code: a.code,
      derived: false,
    }));
    for (const a of this.chatAliases) {
      taken.add(a.key);
      for (const code of a.codes) this.aliasSources.push({ name: a.key, code, derived: true });
    }
    for (const f of (foreignData as { places: ForeignPlace[] }).places) {
      const words = normalizeTokens(f.name);
      const key = words.join("");
      if (key.length < 3 || taken.has(key)) continue;
      if (!this.foreign.has(key)) this.foreign.set(key, f);
      this.foreignSpan = Math.max(this.foreignSpan, words.length);
    }
    const total = this.a0 + this.aliasSources.length;
    this.eKind = new Uint8Array(total);
    this.eReg = new Int32Array(total).fill(-1);
    this.eProv = new Int32Array(total).fill(-1);
    this.eDist = new Int32Array(total).fill(-1);
  }

  /**
   * Builds the indexes for a catalog (about 150 ms for the full 91,000 names on one core). Reuse the
   * instance: it is immutable apart from scratch buffers and cheap to query.
   */
  static build(catalog: RegionCatalog): PlaceSearch {
    const s = new PlaceSearch(catalog);
    s.index();
    return s;
  }

  private index(): void {
    const c = this.catalog;
    const regIndex = new Map<string, number>();
    const provIndex = new Map<string, number>();
    const distIndex = new Map<string, number>();
    const fuzzyDepth = new Map<string, number>();
    const addFuzzy = (key: string, depth: number) => {
      if (key.length < 5) return;
      const d = fuzzyDepth.get(key);
      if (d === undefined || d < depth) fuzzyDepth.set(key, depth);
    };
    /** Partial keys: every run of words of the name except the whole name and generic-only runs. */
    const addPartials = (tokens: string[], entry: number, fuzzy: boolean) => {
      const nameLen = compactKey(tokens).length;
      for (let i = 0; i < tokens.length; i++) {
        for (let j = i + 1; j <= tokens.length; j++) {
          if (i === 0 && j === tokens.length) continue;
          let generic = true;
          for (let k = i; k < j; k++) if (!GENERIC_WORDS.has(tokens[k]!)) generic = false;
          if (generic) continue;
          const key = compactKey(tokens.slice(i, j));
          const q = partialQuality(key.length, nameLen);
          this.partial.add(key, entry, q);
          if (fuzzy) addFuzzy(key, 2);
        }
      }
    };

    c.provinces.forEach((p, i) => {
      provIndex.set(p.code, i);
      const e = i;
      this.eKind[e] = K_PROVINCE;
      this.eProv[e] = i;
      const tokens = normalizeTokens(p.name);
      const key = compactKey(tokens);
      this.exact.add(key, e);
      addFuzzy(key, 2);
      addPartials(tokens, e, true);
      this.suggestTargets.push({ key, display: p.name });
    });
    c.regencies.forEach((r, i) => {
      regIndex.set(r.code, i);
      const e = this.r0 + i;
      this.eKind[e] = K_REGENCY;
      this.eReg[e] = i;
      this.eProv[e] = provIndex.get(r.provinceCode) ?? -1;
      const tokens = normalizeTokens(r.shortName);
      const key = compactKey(tokens);
      this.exact.add(key, e);
      addFuzzy(key, 2);
      addPartials(tokens, e, true);
      if ((tokens[0] === "kepulauan" || tokens[0] === "pulau") && tokens.length > 1) {
        const v = compactKey(tokens.slice(1));
        this.variant.add(v, e, VARIANT_Q);
        addFuzzy(v, 2);
      }
      this.suggestTargets.push({ key, display: r.name });
    });
    c.districts.forEach((d, i) => {
      distIndex.set(d.code, i);
      const e = this.d0 + i;
      const reg = regIndex.get(d.regencyCode);
      if (reg === undefined) return;
      this.eKind[e] = K_DISTRICT;
      this.eReg[e] = reg;
      this.eProv[e] = this.eProv[this.r0 + reg]!;
      this.eDist[e] = i;
      const tokens = normalizeTokens(d.name);
      const key = compactKey(tokens);
      this.exact.add(key, e);
      addFuzzy(key, 1);
      if (tokens.length > 1) addPartials(tokens, e, false);
    });
    let lastDistCode = "";
    let dist = -1;
    let reg = -1;
    let prov = -1;
    const villages = c.villages;
    for (let k = 0; k < villages.length; k++) {
      const v = villages[k]!;
      if (v.districtCode !== lastDistCode) {
        lastDistCode = v.districtCode;
        dist = distIndex.get(v.districtCode) ?? -1;
        reg = regIndex.get(v.regencyCode) ?? -1;
        prov = reg >= 0 ? this.eProv[this.r0 + reg]! : -1;
      }
      if (reg < 0) continue;
      const e = this.v0 + k;
      this.eKind[e] = K_VILLAGE;
      this.eReg[e] = reg;
      this.eProv[e] = prov;
      this.eDist[e] = dist;
      this.exact.addNew(normalizeCompact(v.name), e);
    }
    this.aliasSources.forEach((a, i) => {
      const e = this.a0 + i;
      const r = regIndex.get(a.code);
      const p = r !== undefined ? this.eProv[this.r0 + r]! : provIndex.get(a.code);
      this.aliases.push({
        name: a.derived ? a.name.toUpperCase() : a.name,
        code: a.code,
        reg: r ?? -1,
        prov: p ?? -1,
      });
      if (p === undefined) return; // an alias for a code this catalog does not have
      this.eKind[e] = r !== undefined ? K_ALIAS_REGENCY : K_ALIAS_PROVINCE;
      this.eReg[e] = r ?? -1;
      this.eProv[e] = p;
      const key = normalizeCompact(a.name);
      // A derived abbreviation is matched only exactly, and below an official name.
      if (a.derived) {
        this.exact.add(key, e, DERIVED_Q);
        return;
      }
      this.exact.add(key, e);
      addFuzzy(key, 2);
      this.suggestTargets.push({
        key,
        display: r !== undefined ? c.regencies[r]!.name : c.provinces[p]!.name,
      });
    });

    let capacity = 0;
    for (const [key, depth] of fuzzyDepth) {
      const n = Math.min(key.length, FUZZY_PREFIX);
      capacity += 1 + n + (depth === 2 ? (n * (n - 1)) / 2 : 0);
    }
    const deletes = new HashPostings(capacity);
    for (const [key, depth] of fuzzyDepth) {
      const f = this.fuzzyKeys.length;
      this.fuzzyKeys.push(key);
      forEachDeleteHash(key.slice(0, FUZZY_PREFIX), depth, (h) => deletes.add(h, f));
    }
    this.deletes = deletes;
    this.fuzzyStamp = new Int32Array(this.fuzzyKeys.length);
  }

  private code(e: number): string {
    const c = this.catalog;
    if (e < this.r0) return c.provinces[e]!.code;
    if (e < this.d0) return c.regencies[e - this.r0]!.code;
    if (e < this.v0) return c.districts[e - this.d0]!.code;
    if (e < this.a0) return c.villages[e - this.v0]!.code;
    return this.aliases[e - this.a0]!.code;
  }

  private name(e: number): string {
    const c = this.catalog;
    if (e < this.r0) return c.provinces[e]!.name;
    if (e < this.d0) return c.regencies[e - this.r0]!.name;
    if (e < this.v0) return c.districts[e - this.d0]!.name;
    if (e < this.a0) return c.villages[e - this.v0]!.name;
    return this.aliases[e - this.a0]!.name;
  }

  /**
   * Finds the regency a typed place names. Never throws: unusable text gives status `invalid`
   * with an `error`, unknown text `no_match` with `suggestions`.
   */
  find(text: string, options?: { limit?: number }): PlaceSearchResult {
    const query = typeof text === "string" ? text : String(text);
    try {
      return this.findInner(query, options);
    } catch (err) {
      return {
        query,
        status: "invalid",
        best: null,
        candidates: [],
        ambiguous: false,
        suggestions: [],
        error: `internal error: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }

  private invalid(query: string, error: string): PlaceSearchResult {
    return { query, status: "invalid", best: null, candidates: [], ambiguous: false, suggestions: [], error };
  }

  private findInner(query: string, options?: { limit?: number }): PlaceSearchResult {
    const limit = Math.max(1, Math.min(50, Math.floor(options?.limit ?? DEFAULT_LIMIT) || DEFAULT_LIMIT));
    const trimmed = query.trim();
    if (trimmed === "") return this.invalid(query, "empty text");
    if (trimmed.length > MAX_TEXT)
      return this.invalid(query, `text too long (more than ${MAX_TEXT} characters)`);
    let tokens = this.splitGlued(parsePlaceQuery(trimmed));
    if (!tokens.some((t) => /[a-z]/.test(t.text))) return this.invalid(query, "no letters in the text");
    if (tokens.length > MAX_TOKENS) tokens = tokens.slice(0, MAX_TOKENS);

    const { matches, exactSpans } = this.collectMatches(tokens);
    const scored = this.score(tokens, matches, exactSpans);
    const foreign = this.findForeign(tokens, exactSpans);
    if (foreign) {
      // A regency or province named in other words of the text wins ("TKW asal Cilacap di Malaysia"
      // is still read as Cilacap); villages and kecamatan that share a foreign name do not.
      const indonesian = scored.some((x) => {
        const k = this.eKind[x.match.entry]!;
        return (
          k !== K_VILLAGE &&
          k !== K_DISTRICT &&
          x.match.q >= DERIVED_Q &&
          x.score >= MIN_SCORE &&
          (x.match.mask & foreign.mask) === 0
        );
      });
      if (!indonesian) {
        return {
          query,
          status: "outside",
          best: null,
          candidates: [],
          ambiguous: false,
          suggestions: [],
          outside: { name: foreign.place.name, country: foreign.place.country },
        };
      }
    }

    // Best per group (regency, or province for province-only matches).
    const byGroup = new Map<string, Scored>();
    for (const s of scored) {
      const prev = byGroup.get(s.group);
      if (
        prev === undefined ||
        s.score > prev.score + 1e-9 ||
        (Math.abs(s.score - prev.score) <= 1e-9 && s.specificity > prev.specificity)
      ) {
        byGroup.set(s.group, s);
      }
    }
    const ranked = [...byGroup.values()].sort((a, b) => b.score - a.score || b.specificity - a.specificity);
    const top = ranked[0];
    if (top === undefined || top.score < MIN_SCORE) {
      const hints = ranked.slice(0, 3).map((s) => this.groupDisplay(s));
      return {
        query,
        status: "no_match",
        best: null,
        candidates: [],
        ambiguous: false,
        suggestions: this.suggest(tokens, hints),
      };
    }
    const listed = ranked.filter((s) => s.score >= Math.max(MIN_SCORE * 0.8, top.score - LIST_WINDOW));
    const candidates = listed.slice(0, limit).map((s) => this.toCandidate(s));
    const second = ranked[1];
    const ambiguous = second !== undefined && second.score >= MIN_SCORE && second.score >= top.score - MARGIN;
    return {
      query,
      status: ambiguous ? "ambiguous" : "match",
      best: candidates[0]!,
      candidates,
      ambiguous,
      suggestions: [],
    };
  }

  /**
   * The longest foreign country or city named in the words, unless an Indonesian prefix announces
   * it ("desa jepang") or it is part of a longer Indonesian name matched exactly.
   */
  private findForeign(
    tokens: QueryToken[],
    exactSpans: number[],
  ): { place: ForeignPlace; mask: number } | undefined {
    let best: { place: ForeignPlace; mask: number; len: number } | undefined;
    for (let i = 0; i < tokens.length; i++) {
      const before = tokens[i - 1];
      if (before?.role === "keyword" && before.hint !== "provinsi") continue;
      let key = "";
      for (let j = i + 1; j <= Math.min(tokens.length, i + this.foreignSpan); j++) {
        key += tokens[j - 1]!.text;
        const place = this.foreign.get(key);
        if (place === undefined || (best && best.len >= j - i)) continue;
        const mask = spanMask(i, j);
        if (exactSpans.some((e) => e !== mask && (e & mask) === mask)) continue;
        best = { place, mask, len: j - i };
      }
    }
    return best && { place: best.place, mask: best.mask };
  }

  /** "kabsolok" → "kab" + "solok" when the glued word is not a name itself. */
  private splitGlued(tokens: QueryToken[]): QueryToken[] {
    let out: QueryToken[] | undefined;
    tokens.forEach((t, i) => {
      if (t.role === "name" && t.text.length >= 6 && !this.isKnownKey(t.text)) {
        for (const p of GLUED_PREFIXES) {
          const rest = t.text.slice(p.length);
          if (t.text.startsWith(p) && rest.length >= 3 && this.isKnownKey(rest)) {
            const parsed = parsePlaceQuery(`${p} ${rest}`);
            out ??= tokens.slice(0, i);
            out.push(...parsed);
            return;
          }
        }
      }
      out?.push(t);
    });
    return out ?? tokens;
  }

  private isKnownKey(key: string): boolean {
    return this.exact.has(key) || this.variant.has(key) || this.partial.has(key);
  }

  /**
   * Looks every span of words up in the indexes. Returns the matches and the masks of multi-word
   * spans that matched a regency/province/alias/district name exactly (interpretations that cut
   * through one of these are penalized: "banjar baru" is Kota Banjarbaru, not Desa Baru in Banjar).
   */
  private collectMatches(tokens: QueryToken[]): { matches: Match[]; exactSpans: number[] } {
    const n = tokens.length;
    const matches: Match[] = [];
    const exactSpans: number[] = [];
    // Words covered by an exact regency/province/alias name, and by an exact district/village name.
    let strongMask = 0;
    // Multi-word spans that matched some name exactly: no typo search strictly inside them.
    const anyExact: number[] = [];
    const spanHint = (i: number, j: number): PlaceKindHint | undefined => {
      const before = tokens[i - 1];
      if (before?.role === "keyword") return before.hint;
      const after = tokens[j];
      if (
        after?.role === "keyword" &&
        (after.hint === "kota" || after.hint === "kabupaten") &&
        (j + 1 === n || tokens[j + 1]!.role !== "name")
      ) {
        return after.hint;
      }
      return undefined;
    };
    const add = (i: number, j: number, entry: number, q: number, hint: PlaceKindHint | undefined) => {
      const kind = this.eKind[entry]!;
      let s0 = LEVEL_WEIGHT[kind]! * q;
      let confirmed = false;
      if (hint !== undefined) {
        const reg = this.eReg[entry]!;
        const isKota = reg >= 0 && this.catalog.regencies[reg]!.kind === "kota";
        const f = hintFactor(hint, kind, isKota);
        s0 *= f;
        confirmed = f >= 1;
      }
      matches.push({ start: i, end: j, mask: spanMask(i, j), entry, q, s0: Math.min(1, s0), confirmed });
    };

    const fuzzySpans: [number, number, string, boolean][] = [];
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j <= Math.min(n, i + MAX_SPAN); j++) {
        let hasName = false;
        for (let k = i; k < j; k++) if (tokens[k]!.role === "name") hasName = true;
        if (!hasName) continue;
        const parts: string[] = [];
        for (let k = i; k < j; k++) parts.push(tokens[k]!.text);
        const key = compactKey(parts);
        const hint = spanHint(i, j);
        let strong = false;
        let low = false;
        for (let x = this.exact.first(key); x >= 0; x = this.exact.next(x)) {
          const e = this.exact.value(x);
          add(i, j, e, this.exact.quality(x), hint);
          const k = this.eKind[e]!;
          if (k !== K_DISTRICT && k !== K_VILLAGE) strong = true;
          else low = true;
        }
        for (let x = this.variant.first(key); x >= 0; x = this.variant.next(x)) {
          strong = true;
          add(i, j, this.variant.value(x), this.variant.quality(x), hint);
        }
        const pa = this.partial.first(key);
        if (pa >= 0) {
          // A partial key that is also a full name, or is shared by many names, only counts for
          // regencies and provinces ("padang" is Kota Padang, not every "Padang X" kecamatan).
          const onlyHigh =
            this.exact.has(key) ||
            this.variant.has(key) ||
            this.partial.count(key, MAX_PARTIAL_POSTINGS) > MAX_PARTIAL_POSTINGS;
          for (let x = pa; x >= 0; x = this.partial.next(x)) {
            const e = this.partial.value(x);
            const k = this.eKind[e]!;
            if (onlyHigh && k !== K_REGENCY && k !== K_PROVINCE) continue;
            add(i, j, e, this.partial.quality(x), hint);
          }
        }
        const mask = spanMask(i, j);
        const edgeOk = tokens[i]!.role === "name" && tokens[j - 1]!.role === "name";
        if (strong) strongMask |= mask;
        // Names that begin or end with a prefix word ("Kota Padang", a kecamatan) do not count:
        // there the prefix reading ("kota padang" = Kota Padang) is the natural one.
        if ((strong || low) && j - i >= 2 && edgeOk) exactSpans.push(mask);
        if ((strong || low) && j - i >= 2) anyExact.push(mask);
        // An everyday word is not a typo of a place ("kamar" is not Kampar).
        if (!strong && edgeOk && j - i <= 3 && key.length >= 5 && !(j - i === 1 && EVERYDAY.has(key)))
          fuzzySpans.push([i, j, key, low]);
      }
    }

    // Typo search, only for words no name matched exactly. A span that itself matched a district or
    // village exactly may still be a one-letter typo of a regency ("makasar": Kec. Makasar or Makassar?).
    for (const [i, j, key, lowExact] of fuzzySpans) {
      const mask = spanMask(i, j);
      if ((mask & ~strongMask) === 0) continue;
      if (anyExact.some((e) => e !== mask && (mask & e) === mask)) continue;
      const maxD = lowExact ? Math.min(1, maxEdits(key.length)) : maxEdits(key.length);
      if (maxD === 0) continue;
      this.stamp++;
      const hint = spanHint(i, j);
      forEachDeleteHash(key.slice(0, FUZZY_PREFIX), 2, (h) => {
        for (let x = this.deletes.first(h); x >= 0; x = this.deletes.next(x)) {
          const fid = this.deletes.value(x);
          if (this.fuzzyStamp[fid] === this.stamp) continue;
          this.fuzzyStamp[fid] = this.stamp;
          const fkey = this.fuzzyKeys[fid]!;
          const allowed = Math.min(maxD, maxEdits(fkey.length));
          if (Math.abs(fkey.length - key.length) > allowed) continue;
          const dist = distance(key, fkey);
          if (dist === 0 || dist > allowed) continue;
          const q = fuzzyQuality(dist, Math.max(key.length, fkey.length));
          for (let y = this.exact.first(fkey); y >= 0; y = this.exact.next(y)) {
            const e = this.exact.value(y);
            const k = this.eKind[e]!;
            if (k === K_VILLAGE || (lowExact && k === K_DISTRICT)) continue;
            if (e >= this.a0 && this.aliasSources[e - this.a0]!.derived) continue;
            add(i, j, e, q, hint);
          }
          for (let y = this.variant.first(fkey); y >= 0; y = this.variant.next(y)) {
            add(i, j, this.variant.value(y), q * this.variant.quality(y), hint);
          }
          for (let y = this.partial.first(fkey); y >= 0; y = this.partial.next(y)) {
            const e = this.partial.value(y);
            const k = this.eKind[e]!;
            if (k === K_REGENCY || k === K_PROVINCE) add(i, j, e, q * this.partial.quality(y), hint);
          }
        }
      });
    }
    return { matches, exactSpans };
  }

  /** Scores each match with the consistent matches around it (its province, regency, district). */
  private score(tokens: QueryToken[], matches: Match[], exactSpans: number[]): Scored[] {
    let total = 0;
    for (const t of tokens) total += t.weight;
    const covered = (mask: number): number => {
      let w = 0;
      for (let i = 0; i < tokens.length; i++) if (mask & (1 << i)) w += tokens[i]!.weight;
      return w;
    };
    /** True when the span covers part, but not all, of an exactly matched multi-word name. */
    const cuts = (mask: number): boolean => {
      for (const e of exactSpans) {
        const common = mask & e;
        if (common !== 0 && common !== e) return true;
      }
      return false;
    };

    // Lookup tables for consistent supporting matches.
    const byProv = new Map<number, Match[]>();
    const byReg = new Map<number, Match[]>();
    const lowerByReg = new Map<number, Match[]>();
    const byDist = new Map<number, Match[]>();
    const put = (map: Map<number, Match[]>, key: number, m: Match) => {
      const l = map.get(key);
      if (l === undefined) map.set(key, [m]);
      else l.push(m);
    };
    for (const m of matches) {
      const k = this.eKind[m.entry]!;
      if (k === K_PROVINCE || k === K_ALIAS_PROVINCE) put(byProv, this.eProv[m.entry]!, m);
      else if (k === K_REGENCY || k === K_ALIAS_REGENCY) put(byReg, this.eReg[m.entry]!, m);
      else {
        put(lowerByReg, this.eReg[m.entry]!, m);
        if (k === K_DISTRICT) put(byDist, this.eDist[m.entry]!, m);
      }
    }

    const out: Scored[] = [];
    const supports: Match[] = [];
    for (const m of matches) {
      const kind = this.eKind[m.entry]!;
      const reg = this.eReg[m.entry]!;
      let s = m.s0;
      let mask = m.mask;
      let weight = covered(m.mask);
      let cut = cuts(m.mask);
      if (kind !== K_PROVINCE && kind !== K_ALIAS_PROVINCE) {
        supports.length = 0;
        const prov = byProv.get(this.eProv[m.entry]!);
        if (prov) supports.push(...prov);
        const regs = byReg.get(reg);
        if (regs) supports.push(...regs);
        if (kind === K_VILLAGE) {
          const ds = byDist.get(this.eDist[m.entry]!);
          if (ds) supports.push(...ds);
        } else if (kind !== K_DISTRICT) {
          const lows = lowerByReg.get(reg);
          if (lows) supports.push(...lows);
        }
        if (supports.length > 0) {
          supports.sort((a, b) => (b.end - b.start) * b.q - (a.end - a.start) * a.q || b.s0 - a.s0);
          for (const sp of supports) {
            if ((sp.mask & mask) !== 0) continue;
            mask |= sp.mask;
            // A weak supporting name (partial, typo) explains its words only partly.
            weight += covered(sp.mask) * sp.q;
            if (cuts(sp.mask)) cut = true;
            const sk = this.eKind[sp.entry]!;
            // The citizen also named the regency (or the district): as sure as that name.
            const higher =
              ((kind === K_DISTRICT || kind === K_VILLAGE) && (sk === K_REGENCY || sk === K_ALIAS_REGENCY)) ||
              (kind === K_VILLAGE && sk === K_DISTRICT);
            if (higher && sp.s0 > s) s = sp.s0;
          }
        }
      }
      // A name announced by a matching prefix stays credible inside a longer sentence.
      const coverage = Math.max(total > 0 ? weight / total : 1, m.confirmed ? CONFIRMED_COVERAGE : 0);
      let score = s * (0.4 + 0.6 * Math.min(1, coverage));
      if (cut) score *= CUT_PENALTY;
      // An everyday word ("rumah", "kantor", "ibu") alone is not a village that shares its name.
      if (
        (kind === K_VILLAGE || kind === K_DISTRICT) &&
        m.end - m.start === 1 &&
        !m.confirmed &&
        s === m.s0 &&
        EVERYDAY.has(tokens[m.start]!.text)
      ) {
        score *= EVERYDAY_FACTOR;
      }
      out.push({
        match: m,
        score: Math.min(1, score),
        group: reg >= 0 ? this.catalog.regencies[reg]!.code : `p${this.eProv[m.entry]}`,
        specificity: kind === K_VILLAGE ? 3 : kind === K_DISTRICT ? 2 : kind === K_REGENCY ? 1 : 0,
      });
    }
    return out;
  }

  private shortRegency(reg: number): string {
    const r = this.catalog.regencies[reg]!;
    return r.kind === "kota" ? `Kota ${r.shortName}` : `Kab. ${r.shortName}`;
  }

  private toCandidate(s: Scored): PlaceCandidate {
    const e = s.match.entry;
    const kind = this.eKind[e]!;
    const reg = this.eReg[e]!;
    const r = reg >= 0 ? this.catalog.regencies[reg]! : undefined;
    const p = this.catalog.provinces[this.eProv[e]!]!;
    let matchedLevel: PlaceCandidate["matchedLevel"];
    let matchedName: string;
    switch (kind) {
      case K_PROVINCE:
        matchedLevel = "province";
        matchedName = p.name;
        break;
      case K_REGENCY:
        matchedLevel = "regency";
        matchedName = r!.name;
        break;
      case K_DISTRICT:
        matchedLevel = "district";
        matchedName = `Kec. ${this.name(e)}, ${this.shortRegency(reg)}`;
        break;
      case K_VILLAGE: {
        matchedLevel = "village";
        const code = this.code(e);
        const d = this.catalog.districts[this.eDist[e]!];
        const prefix = code.charAt(9) === "1" ? "Kel." : "Desa";
        matchedName = `${prefix} ${this.name(e)}, ${d ? `Kec. ${d.name}, ` : ""}${this.shortRegency(reg)}`;
        break;
      }
      default:
        matchedLevel = "alias";
        matchedName = `${this.name(e)} (${r ? r.name : p.name})`;
    }
    return {
      regencyCode: r ? r.code : null,
      regencyName: r ? r.name : null,
      provinceCode: p.code,
      provinceName: p.name,
      matchedLevel,
      matchedCode: this.code(e),
      matchedName,
      score: Math.round(s.score * 1000) / 1000,
    };
  }

  private groupDisplay(s: Scored): string {
    const reg = this.eReg[s.match.entry]!;
    return reg >= 0
      ? this.catalog.regencies[reg]!.name
      : this.catalog.provinces[this.eProv[s.match.entry]!]!.name;
  }

  /** Closest regency/province names to the words of a query that matched nothing. */
  private suggest(tokens: QueryToken[], first: string[]): string[] {
    let words = tokens.filter((t) => t.role === "name" && t.text.length >= 2).map((t) => t.text);
    if (words.length === 0) words = tokens.map((t) => t.text);
    const spans: string[] = [];
    for (let i = 0; i < words.length && spans.length < 8; i++) {
      spans.push(words[i]!.slice(0, 40));
      if (i + 1 < words.length) spans.push((words[i]! + words[i + 1]!).slice(0, 40));
    }
    const best = new Map<string, number>();
    for (const t of this.suggestTargets) {
      let score = Number.POSITIVE_INFINITY;
      for (const sp of spans) {
        let v = distance(sp, t.key) / Math.max(sp.length, t.key.length);
        if (sp.length >= 3 && t.key.startsWith(sp)) v = Math.min(v, 0.3);
        if (v < score) score = v;
      }
      const prev = best.get(t.display);
      if (prev === undefined || score < prev) best.set(t.display, score);
    }
    const ranked = [...best.entries()].sort((a, b) => a[1] - b[1]).map(([name]) => name);
    const out: string[] = [];
    for (const name of [...first, ...ranked]) {
      if (!out.includes(name)) out.push(name);
      if (out.length >= 5) break;
    }
    return out;
  }
}
