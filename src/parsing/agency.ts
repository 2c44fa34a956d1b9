/**
 * The accused's agency (instansi / OPD) as a citizen types it ("disdik kota metro", "sdn 1 metro",
 * "kec. metro pusat") turned into its proper written form ("Dinas Pendidikan Kota Metro",
 * "SD Negeri 1 Metro", "Kecamatan Metro Pusat") with a coarse kind for grouping.
 */

/**
 * Coarse kind of agency, for grouping and routing hints.
 *
 * @example
 * const kind: AgencyKind = normalizeAgency("puskesmas yosomulyo").kind; // "puskesmas_rs"
 */
export type AgencyKind =
  | "dinas"
  | "badan"
  | "kecamatan"
  | "kelurahan_desa"
  | "sekolah"
  | "puskesmas_rs"
  | "sekretariat"
  | "kementerian_lembaga"
  | "bumn_bumd"
  | "other";

/**
 * The result of {@link normalizeAgency}: the text as typed (trimmed), its normalized form and kind.
 *
 * @example
 * const a: Agency = { raw: "disdik kota metro", normalized: "Dinas Pendidikan Kota Metro", kind: "dinas" };
 */
export interface Agency {
  raw: string;
  normalized: string;
  kind: AgencyKind;
}

/**
 * One entry of {@link AGENCY_ABBREVIATIONS}: how a word or phrase is written out, and the kind of
 * agency it signals (the first word with a kind decides the kind of the whole name).
 *
 * @example
 * const e: AgencyAbbreviation = { expansion: "Dinas Kesehatan", kind: "dinas" };
 */
export interface AgencyAbbreviation {
  expansion: string;
  kind?: AgencyKind;
}

/**
 * Words and phrases of agency names, keyed in lower case without a trailing dot ("kab" also
 * matches "kab."); phrases are keyed with single spaces ("satpol pp"). Staff extend the table
 * here; an expansion is emitted exactly as written, so acronyms stay upper-case ("BKPSDM").
 *
 * @example
 * AGENCY_ABBREVIATIONS.dinkes; // { expansion: "Dinas Kesehatan", kind: "dinas" }
 */
export const AGENCY_ABBREVIATIONS: Readonly<Record<string, AgencyAbbreviation>> = {
  // Dinas
  dinas: { expansion: "Dinas", kind: "dinas" },
  disdik: { expansion: "Dinas Pendidikan", kind: "dinas" },
  diknas: { expansion: "Dinas Pendidikan", kind: "dinas" },
  disdikbud: { expansion: "Dinas Pendidikan dan Kebudayaan", kind: "dinas" },
  dinkes: { expansion: "Dinas Kesehatan", kind: "dinas" },
  dishub: { expansion: "Dinas Perhubungan", kind: "dinas" },
  dispendukcapil: { expansion: "Dinas Kependudukan dan Pencatatan Sipil", kind: "dinas" },
  disdukcapil: { expansion: "Dinas Kependudukan dan Pencatatan Sipil", kind: "dinas" },
  dukcapil: { expansion: "Dinas Kependudukan dan Pencatatan Sipil", kind: "dinas" },
  dinsos: { expansion: "Dinas Sosial", kind: "dinas" },
  dpupr: { expansion: "Dinas Pekerjaan Umum dan Penataan Ruang", kind: "dinas" },
  pupr: { expansion: "Dinas Pekerjaan Umum dan Penataan Ruang", kind: "dinas" },
  dpu: { expansion: "Dinas Pekerjaan Umum", kind: "dinas" },
  pu: { expansion: "Dinas Pekerjaan Umum", kind: "dinas" },
  diskominfo: { expansion: "Dinas Komunikasi dan Informatika", kind: "dinas" },
  kominfo: { expansion: "Dinas Komunikasi dan Informatika", kind: "dinas" },
  disnaker: { expansion: "Dinas Tenaga Kerja", kind: "dinas" },
  disperindag: { expansion: "Dinas Perindustrian dan Perdagangan", kind: "dinas" },
  dispora: { expansion: "Dinas Pemuda dan Olahraga", kind: "dinas" },
  dispar: { expansion: "Dinas Pariwisata", kind: "dinas" },
  distan: { expansion: "Dinas Pertanian", kind: "dinas" },
  dlh: { expansion: "Dinas Lingkungan Hidup", kind: "dinas" },
  disperkim: { expansion: "Dinas Perumahan dan Kawasan Permukiman", kind: "dinas" },
  dpmptsp: { expansion: "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", kind: "dinas" },
  dpmd: { expansion: "Dinas Pemberdayaan Masyarakat dan Desa", kind: "dinas" },
  dp3a: { expansion: "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", kind: "dinas" },
  damkar: { expansion: "Dinas Pemadam Kebakaran", kind: "dinas" },
  // Badan and other regional offices
  badan: { expansion: "Badan", kind: "badan" },
  bkpsdm: { expansion: "BKPSDM", kind: "badan" },
  bkd: { expansion: "BKD", kind: "badan" },
  bpbd: { expansion: "BPBD", kind: "badan" },
  bappeda: { expansion: "Bappeda", kind: "badan" },
  bapenda: { expansion: "Bapenda", kind: "badan" },
  bpkad: { expansion: "BPKAD", kind: "badan" },
  bppkad: { expansion: "BPPKAD", kind: "badan" },
  kesbangpol: { expansion: "Kesbangpol", kind: "badan" },
  "satpol pp": { expansion: "Satuan Polisi Pamong Praja" },
  satpolpp: { expansion: "Satuan Polisi Pamong Praja" },
  inspektorat: { expansion: "Inspektorat" },
  uptd: { expansion: "UPTD" },
  upt: { expansion: "UPT" },
  dprd: { expansion: "DPRD" },
  // Regional government and regions
  pemkab: { expansion: "Pemerintah Kabupaten" },
  pemkot: { expansion: "Pemerintah Kota" },
  pemprov: { expansion: "Pemerintah Provinsi" },
  pemda: { expansion: "Pemerintah Daerah" },
  kab: { expansion: "Kabupaten" },
  kabupaten: { expansion: "Kabupaten" },
  kota: { expansion: "Kota" },
  prov: { expansion: "Provinsi" },
  prop: { expansion: "Provinsi" },
  propinsi: { expansion: "Provinsi" },
  provinsi: { expansion: "Provinsi" },
  // Sekretariat
  sekretariat: { expansion: "Sekretariat", kind: "sekretariat" },
  setda: { expansion: "Sekretariat Daerah", kind: "sekretariat" },
  sekda: { expansion: "Sekretariat Daerah", kind: "sekretariat" },
  setdakab: { expansion: "Sekretariat Daerah Kabupaten", kind: "sekretariat" },
  setdakot: { expansion: "Sekretariat Daerah Kota", kind: "sekretariat" },
  setdako: { expansion: "Sekretariat Daerah Kota", kind: "sekretariat" },
  setdaprov: { expansion: "Sekretariat Daerah Provinsi", kind: "sekretariat" },
  setwan: { expansion: "Sekretariat DPRD", kind: "sekretariat" },
  sekwan: { expansion: "Sekretariat DPRD", kind: "sekretariat" },
  // Kecamatan, kelurahan, desa
  kecamatan: { expansion: "Kecamatan", kind: "kecamatan" },
  kec: { expansion: "Kecamatan", kind: "kecamatan" },
  camat: { expansion: "Camat", kind: "kecamatan" },
  kelurahan: { expansion: "Kelurahan", kind: "kelurahan_desa" },
  kel: { expansion: "Kelurahan", kind: "kelurahan_desa" },
  lurah: { expansion: "Lurah", kind: "kelurahan_desa" },
  desa: { expansion: "Desa", kind: "kelurahan_desa" },
  ds: { expansion: "Desa", kind: "kelurahan_desa" },
  pekon: { expansion: "Pekon", kind: "kelurahan_desa" },
  tiyuh: { expansion: "Tiyuh", kind: "kelurahan_desa" },
  nagari: { expansion: "Nagari", kind: "kelurahan_desa" },
  gampong: { expansion: "Gampong", kind: "kelurahan_desa" },
  // Schools and universities
  sekolah: { expansion: "Sekolah", kind: "sekolah" },
  madrasah: { expansion: "Madrasah", kind: "sekolah" },
  tk: { expansion: "TK", kind: "sekolah" },
  paud: { expansion: "PAUD", kind: "sekolah" },
  sd: { expansion: "SD", kind: "sekolah" },
  sdn: { expansion: "SD Negeri", kind: "sekolah" },
  smp: { expansion: "SMP", kind: "sekolah" },
  smpn: { expansion: "SMP Negeri", kind: "sekolah" },
  sma: { expansion: "SMA", kind: "sekolah" },
  sman: { expansion: "SMA Negeri", kind: "sekolah" },
  smk: { expansion: "SMK", kind: "sekolah" },
  smkn: { expansion: "SMK Negeri", kind: "sekolah" },
  slb: { expansion: "SLB", kind: "sekolah" },
  slbn: { expansion: "SLB Negeri", kind: "sekolah" },
  mi: { expansion: "MI", kind: "sekolah" },
  min: { expansion: "MIN", kind: "sekolah" },
  mts: { expansion: "MTs", kind: "sekolah" },
  mtsn: { expansion: "MTs Negeri", kind: "sekolah" },
  ma: { expansion: "MA", kind: "sekolah" },
  man: { expansion: "MAN", kind: "sekolah" },
  universitas: { expansion: "Universitas", kind: "sekolah" },
  politeknik: { expansion: "Politeknik", kind: "sekolah" },
  institut: { expansion: "Institut", kind: "sekolah" },
  uin: { expansion: "UIN", kind: "sekolah" },
  iain: { expansion: "IAIN", kind: "sekolah" },
  // Health
  puskesmas: { expansion: "Puskesmas", kind: "puskesmas_rs" },
  pustu: { expansion: "Puskesmas Pembantu", kind: "puskesmas_rs" },
  rsud: { expansion: "RSUD", kind: "puskesmas_rs" },
  rsu: { expansion: "RSU", kind: "puskesmas_rs" },
  rsup: { expansion: "RSUP", kind: "puskesmas_rs" },
  rs: { expansion: "RS", kind: "puskesmas_rs" },
  "rumah sakit": { expansion: "Rumah Sakit", kind: "puskesmas_rs" },
  klinik: { expansion: "Klinik", kind: "puskesmas_rs" },
  dr: { expansion: "dr." },
  // Ministries and national bodies
  kementerian: { expansion: "Kementerian", kind: "kementerian_lembaga" },
  kemenag: { expansion: "Kementerian Agama", kind: "kementerian_lembaga" },
  "kantor kemenag": { expansion: "Kementerian Agama", kind: "kementerian_lembaga" },
  kemenkes: { expansion: "Kementerian Kesehatan", kind: "kementerian_lembaga" },
  kemendagri: { expansion: "Kementerian Dalam Negeri", kind: "kementerian_lembaga" },
  kemenkeu: { expansion: "Kementerian Keuangan", kind: "kementerian_lembaga" },
  kanwil: { expansion: "Kantor Wilayah", kind: "kementerian_lembaga" },
  kua: { expansion: "KUA", kind: "kementerian_lembaga" },
  lembaga: { expansion: "Lembaga", kind: "kementerian_lembaga" },
  bkn: { expansion: "BKN", kind: "kementerian_lembaga" },
  bps: { expansion: "BPS", kind: "kementerian_lembaga" },
  bpn: { expansion: "BPN", kind: "kementerian_lembaga" },
  kpu: { expansion: "KPU", kind: "kementerian_lembaga" },
  bawaslu: { expansion: "Bawaslu", kind: "kementerian_lembaga" },
  // State- and region-owned enterprises
  bumn: { expansion: "BUMN", kind: "bumn_bumd" },
  bumd: { expansion: "BUMD", kind: "bumn_bumd" },
  pdam: { expansion: "PDAM", kind: "bumn_bumd" },
  perumda: { expansion: "Perumda", kind: "bumn_bumd" },
  perusda: { expansion: "Perusda", kind: "bumn_bumd" },
  persero: { expansion: "Persero", kind: "bumn_bumd" },
  pln: { expansion: "PLN", kind: "bumn_bumd" },
};

/** Small words written in lower case inside a name. */
const CONNECTORS = new Set([
  "dan",
  "di",
  "ke",
  "dari",
  "untuk",
  "serta",
  "atau",
  "pada",
  "yang",
  "of",
  "and",
]);
const ROMAN_RE = /^(?:ii|iii|iv|vi|vii|viii|ix|xi|xii)$/;
const LONGEST_PHRASE = Math.max(...Object.keys(AGENCY_ABBREVIATIONS).map((k) => k.split(" ").length));

interface Token {
  lead: string;
  core: string;
  trail: string;
}

function splitToken(word: string): Token {
  const m = /^([("'\u201c\u2018]*)(.*?)([)"'\u201d\u2019,;:]*)$/.exec(word);
  return { lead: m?.[1] ?? "", core: m?.[2] ?? word, trail: m?.[3] ?? "" };
}

function keyOf(core: string): string {
  return core.toLowerCase().replace(/\.+$/, "");
}

function titleCase(word: string): string {
  return word
    .toLowerCase()
    .replace(/(^|[-/'])(\p{L})/gu, (_, sep: string, ch: string) => `${sep}${ch.toUpperCase()}`);
}

/** Formats one unknown word: acronym, roman numeral, connector or title case. */
function formatWord(core: string, first: boolean, typedUpper: boolean): string {
  const dot = core.endsWith(".") ? "." : "";
  const word = core.replace(/\.+$/, "");
  const lower = word.toLowerCase();
  if (word === "") return core;
  if (/\d/.test(word)) return word.toUpperCase() + dot;
  if (!first && CONNECTORS.has(lower)) return lower + dot;
  if (ROMAN_RE.test(lower) || /^\p{L}$/u.test(word)) return word.toUpperCase() + dot;
  const isAcronym = /^[a-z]{2,6}$/.test(lower) && !/[aeiou]/.test(lower);
  if (isAcronym || (typedUpper && /^\p{Lu}{2,6}$/u.test(word))) return word.toUpperCase() + dot;
  return titleCase(word) + dot;
}

/**
 * Normalizes the name of an agency (instansi / OPD) as typed by a citizen: expands the common
 * abbreviations of {@link AGENCY_ABBREVIATIONS} (disdik → Dinas Pendidikan, kec. → Kecamatan,
 * "sdn 1" → SD Negeri 1, kantor kemenag → Kementerian Agama, pemkab → Pemerintah Kabupaten),
 * title-cases the rest, keeps acronyms upper-case (known ones, words of 2–6 letters without a vowel,
 * and short words typed in capitals inside mixed-case text) and drops a repeated word an expansion
 * already says ("dinas pupr" → "Dinas Pekerjaan Umum dan Penataan Ruang"). The kind is that of the
 * first word that has one ("Puskesmas Kecamatan X" is a puskesmas); unknown names are "other".
 *
 * @example
 * normalizeAgency("disdik kota metro");
 * // { raw: "disdik kota metro", normalized: "Dinas Pendidikan Kota Metro", kind: "dinas" }
 * normalizeAgency("sdn 1 metro").normalized; // "SD Negeri 1 Metro"
 */
export function normalizeAgency(text: string): Agency {
  const raw = text.trim();
  const cleaned = raw
    .normalize("NFKC")
    .replace(/\s+/g, " ")
    .replace(/^[\s"'\u201c\u201d\u2018\u2019]+|[\s"'\u201c\u201d\u2018\u2019.,;:!?]+$/g, "")
    .replace(/\b(sd|smp|sma|smk|slb|mts)\s*n\b\.?/gi, "$1n")
    .replace(/\b(sdn|smpn|sman|smkn|slbn|mtsn|man|min|sd|smp|sma|smk|mts|mi|ma)(\d+)\b/gi, "$1 $2")
    .replace(/\s+/g, " ")
    .trim();
  const allUpper = !/\p{Ll}/u.test(cleaned);
  const tokens = cleaned === "" ? [] : cleaned.split(" ").map(splitToken);

  const out: string[] = [];
  let kind: AgencyKind | undefined;
  const emit = (words: string[], lead: string, trail: string) => {
    const list = [...words];
    if (list.length > 1 && out.length > 0 && list[0]!.toLowerCase() === out.at(-1)!.toLowerCase())
      list.shift();
    else if (list.length === 1 && out.length > 0 && list[0]!.toLowerCase() === out.at(-1)!.toLowerCase())
      return;
    if (list.length === 0) return;
    list[0] = lead + list[0];
    list[list.length - 1] = list.at(-1)! + trail;
    out.push(...list);
  };

  for (let i = 0; i < tokens.length; ) {
    let matched = false;
    for (let len = Math.min(LONGEST_PHRASE, tokens.length - i); len >= 1 && !matched; len--) {
      const slice = tokens.slice(i, i + len);
      const entry = AGENCY_ABBREVIATIONS[slice.map((t) => keyOf(t.core)).join(" ")];
      if (!entry) continue;
      emit(entry.expansion.split(" "), slice[0]!.lead, slice.at(-1)!.trail);
      kind ??= entry.kind;
      i += len;
      matched = true;
    }
    if (matched) continue;
    const token = tokens[i]!;
    if (/^kemen[a-z]+$/.test(keyOf(token.core))) kind ??= "kementerian_lembaga";
    const typedUpper = !allUpper && /^\p{Lu}+$/u.test(token.core.replace(/\.+$/, ""));
    out.push(token.lead + formatWord(token.core, out.length === 0, typedUpper) + token.trail);
    i++;
  }
  return { raw, normalized: out.join(" "), kind: kind ?? "other" };
}

/** The accused's position and agency read from everyday phrases; see {@link readAccusedRole}. */
export interface AccusedRole {
  /** "Kepala Dinas Pendidikan", "Lurah", "Camat", "Kepala Sekolah" … */
  position?: string;
  /** "Dinas Pendidikan Kota Metro", "Kecamatan Metro Pusat", "Desa Sukamaju" … when the text names it. */
  agency?: string;
}

/** Fields of a dinas as typed after "kadis"/"kepala dinas"/"kabid … dinas" (one or two words). */
const DINAS_FIELDS: Readonly<Record<string, string>> = {
  pendidikan: "Pendidikan",
  "pendidikan dan kebudayaan": "Pendidikan dan Kebudayaan",
  kesehatan: "Kesehatan",
  sosial: "Sosial",
  perhubungan: "Perhubungan",
  pertanian: "Pertanian",
  perikanan: "Perikanan",
  pariwisata: "Pariwisata",
  koperasi: "Koperasi",
  perdagangan: "Perdagangan",
  perindustrian: "Perindustrian",
  "tenaga kerja": "Tenaga Kerja",
  "lingkungan hidup": "Lingkungan Hidup",
  "ketahanan pangan": "Ketahanan Pangan",
  kependudukan: "Kependudukan dan Pencatatan Sipil",
  kebudayaan: "Kebudayaan",
  kominfo: "Komunikasi dan Informatika",
  pu: "Pekerjaan Umum",
  pupr: "Pekerjaan Umum dan Penataan Ruang",
  "pekerjaan umum": "Pekerjaan Umum",
  perkim: "Perumahan dan Kawasan Permukiman",
  peternakan: "Peternakan",
  kehutanan: "Kehutanan",
  perpustakaan: "Perpustakaan",
  "pemuda dan olahraga": "Pemuda dan Olahraga",
  dukcapil: "Kependudukan dan Pencatatan Sipil",
  capil: "Kependudukan dan Pencatatan Sipil",
};

/**
 * Position words as typed (a regular expression on lower-case text, a word boundary before) and
 * how they are written; `unit` is the agency such a head leads when a name follows
 * ("camat Metro Pusat" → Kecamatan Metro Pusat), `dinas` marks heads that take a dinas field.
 */
const ROLE_HEADS: readonly { re: RegExp; position: string; unit?: string; dinas?: boolean }[] = [
  { re: /\b(?:kepala dinas|kadis)\b/y, position: "Kepala Dinas", dinas: true },
  {
    re: /\bka(dis(?:dik|dikbud|pora|par|hub|naker|perindag|perkim)|din(?:kes|sos)|diskominfo)\b/y,
    position: "Kepala",
  },
  { re: /\b(?:sekretaris dinas|sekdis)\b/y, position: "Sekretaris Dinas", dinas: true },
  { re: /\b(?:kepala bidang|kabid)\b/y, position: "Kepala Bidang" },
  { re: /\b(?:kepala seksi|kasi|kasie)\b/y, position: "Kepala Seksi" },
  { re: /\b(?:kepala sub ?bagian|kasubag|kasubbag)\b/y, position: "Kepala Subbagian" },
  { re: /\b(?:kepala bagian|kabag)\b/y, position: "Kepala Bagian" },
  { re: /\b(?:kepala sekolah|kepsek)\b/y, position: "Kepala Sekolah" },
  { re: /\b(?:kepala puskesmas|kapus|kapuskes)\b/y, position: "Kepala Puskesmas", unit: "Puskesmas" },
  { re: /\b(?:kepala desa|kades|pak kades|bu kades)\b/y, position: "Kepala Desa", unit: "Desa" },
  { re: /\b(?:sekretaris daerah|sekda)\b/y, position: "Sekretaris Daerah" },
  { re: /\b(?:sekretaris camat|sekcam)\b/y, position: "Sekretaris Camat", unit: "Kecamatan" },
  { re: /\b(?:sekretaris desa|sekdes|carik)\b/y, position: "Sekretaris Desa", unit: "Desa" },
  { re: /\b(?:sekretaris lurah|seklur)\b/y, position: "Sekretaris Kelurahan", unit: "Kelurahan" },
  { re: /\bcamat\b/y, position: "Camat", unit: "Kecamatan" },
  { re: /\blurah\b/y, position: "Lurah", unit: "Kelurahan" },
  { re: /\bguru\b/y, position: "Guru" },
  { re: /\bbidan\b/y, position: "Bidan" },
  { re: /\bperawat\b/y, position: "Perawat" },
  { re: /\bdokter\b/y, position: "Dokter" },
  { re: /\bpenyuluh\b/y, position: "Penyuluh" },
  { re: /\bsatpol pp\b/y, position: "Anggota Satpol PP" },
  { re: /\bstaf(?:f)?\b/y, position: "Staf" },
];

/**
 * "dinas sosial bagi" → "dinas sosial": a dinas name read from free text keeps only its known
 * field when the word after it is not part of one (other text is returned unchanged).
 */
export function trimDinasName(text: string): string {
  const m = /^(dinas)\s+(\S+)\s+(\S+)(.*)$/i.exec(text.trim());
  if (!m) return text.trim();
  const one = m[2]!.toLowerCase();
  const two = `${one} ${m[3]!.toLowerCase()}`;
  if (DINAS_FIELDS[two] || !DINAS_FIELDS[one] || /^\s+\S/.test(m[4]!)) return text.trim();
  return `${m[1]} ${m[2]}`;
}

/** Words that end a name typed after a position ("camat Metro Pusat kemarin …"). */
const NAME_STOP =
  /^(?:di|ke|dari|yang|yg|itu|ini|dan|dgn|dengan|sudah|udah|lagi|kemarin|tadi|juga|pas|saat|waktu)$/i;

/** Up to `max` capitalised words at the start of `rest` (a proper name), joined by spaces. */
function properName(rest: string, max: number): string | undefined {
  const out: string[] = [];
  for (const w of rest.trimStart().split(/\s+/)) {
    const core = w.replace(/[.,;:!?)]+$/, "");
    if (!/^\p{Lu}[\p{L}'’-]*$/u.test(core) || NAME_STOP.test(core)) break;
    out.push(core);
    if (core !== w || out.length >= max) break;
  }
  return out.length > 0 ? out.join(" ") : undefined;
}

/** "kota metro", "Kab. Solok Selatan" at the start of `rest` → "Kota Metro", "Kabupaten Solok Selatan". */
function regionTail(rest: string): string | undefined {
  // The second word only when capitalised ("kota Bandar Lampung"), so no "i" flag on it.
  const m = /^\s+(\p{L}+\.?)\s+([\p{L}'’-]+)((?:\s+\p{Lu}[\p{L}'’-]*)?)/u.exec(rest);
  if (!m || !/^(?:kota|kabupaten|kab\.?)$/i.test(m[1]!) || NAME_STOP.test(m[2]!)) return undefined;
  const kind = m[1]!.toLowerCase().startsWith("kab") ? "Kabupaten" : "Kota";
  return `${kind} ${titleCase(m[2]!)}${m[3] ? ` ${m[3].trim()}` : ""}`;
}

/**
 * The accused's position and agency from everyday phrases: "kadis pendidikan kota metro" →
 * Kepala Dinas Pendidikan, Dinas Pendidikan Kota Metro; "kadisdik" → Kepala Dinas Pendidikan;
 * "pak lurah" → Lurah; "bu camat Metro Pusat" → Camat, Kecamatan Metro Pusat; "kades Sukamaju"
 * → Kepala Desa, Desa Sukamaju; "kabid di dinas kesehatan" → Kepala Bidang (the agency is read
 * by the caller from "dinas kesehatan"). The earliest position in the text wins; a name after a
 * position counts only when it is capitalised (lower-case words may be anything).
 *
 * @example readAccusedRole("kadis pendidikan kota metro posting ajakan") // { position: "Kepala Dinas Pendidikan", agency: "Dinas Pendidikan Kota Metro" }
 */
export function readAccusedRole(text: string): AccusedRole {
  const lower = text.toLowerCase();
  let best: { at: number; end: number; head: (typeof ROLE_HEADS)[number]; match: string } | undefined;
  for (const head of ROLE_HEADS) {
    const re = new RegExp(head.re.source, "g");
    const m = re.exec(lower);
    if (m && (best === undefined || m.index < best.at))
      best = { at: m.index, end: m.index + m[0].length, head, match: m[1] ?? "" };
  }
  if (!best) return {};
  const { head } = best;
  const rest = text.slice(best.end);
  // "kadisdik", "kadinkes": the dinas is in the word itself.
  if (best.match !== "") {
    const dinas = AGENCY_ABBREVIATIONS[best.match]?.expansion ?? "Dinas";
    const region = regionTail(rest);
    return { position: `Kepala ${dinas}`, agency: region ? `${dinas} ${region}` : dinas };
  }
  if (head.dinas) {
    // The field right after the head: two words first ("lingkungan hidup", "pemuda dan olahraga").
    let field: string | undefined;
    let after = rest;
    for (const re of [/^\s+([a-z]+(?:\s+dan)?\s+[a-z]+)\b/i, /^\s+([a-z]+)\b/i]) {
      const m = re.exec(rest);
      const f = m && DINAS_FIELDS[m[1]!.toLowerCase().replace(/\s+/g, " ")];
      if (m && f) {
        field = f;
        after = rest.slice(m[0].length);
        break;
      }
    }
    if (field === undefined) return { position: head.position };
    const region = regionTail(after);
    const dinas = `Dinas ${field}`;
    return { position: `${head.position} ${field}`, agency: region ? `${dinas} ${region}` : dinas };
  }
  if (head.unit) {
    const name = properName(rest, 3);
    return name ? { position: head.position, agency: `${head.unit} ${name}` } : { position: head.position };
  }
  return { position: head.position };
}
