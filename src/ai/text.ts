/**
 * Indonesian text for matching: lower case, informal spellings written out ("gk" → "tidak",
 * "yg" → "yang", "pns" → "asn", "cabup" → "calon"), and a light stemmer that strips the common
 * affixes ("memposting" → "posting", "dibagikan" → "bagi", "postingannya" → "posting"), so the
 * classifier and the rules search compare words, not spellings.
 */
import { normalizeWords } from "../engine/normalize.js";

/**
 * Informal spellings and synonyms, written as the form the rest of the code compares. Keys are
 * whole words after {@link normalizeWords}.
 */
export const INFORMAL: Readonly<Record<string, string>> = {
  gk: "tidak",
  ga: "tidak",
  gak: "tidak",
  nggak: "tidak",
  ngga: "tidak",
  enggak: "tidak",
  tdk: "tidak",
  tak: "tidak",
  g: "tidak",
  engga: "tidak",
  bkn: "bkn",
  yg: "yang",
  dgn: "dengan",
  dg: "dengan",
  utk: "untuk",
  tp: "tapi",
  pdhl: "padahal",
  sdh: "sudah",
  udah: "sudah",
  dah: "sudah",
  blm: "belum",
  krn: "karena",
  sm: "sama",
  bareng: "bersama",
  pns: "asn",
  pppk: "asn",
  asn: "asn",
  pegawai: "asn",
  paslon: "calon",
  cabup: "calon",
  cawabup: "calon",
  cagub: "calon",
  cawagub: "calon",
  cawalkot: "calon",
  cawali: "calon",
  calkot: "calon",
  caleg: "calon",
  kandidat: "calon",
  petahana: "calon",
  timses: "timses",
  jurkam: "jurkam",
  fb: "facebook",
  ig: "instagram",
  wa: "whatsapp",
  sosmed: "medsos",
  ss: "screenshot",
  foto2: "foto",
  pake: "pakai",
  dipake: "pakai",
  nyoblos: "coblos",
  nyalon: "mencalonkan",
  ngajak: "ajak",
  ngumpulin: "kumpul",
  kumpulin: "kumpul",
  nempel: "tempel",
  masang: "pasang",
  dateng: "datang",
  plat: "pelat",
  fotocopy: "fotokopi",
  fotokopian: "fotokopi",
  ktp: "ktp",
  ektp: "ktp",
  gimana: "bagaimana",
  gmn: "bagaimana",
  kalo: "kalau",
  klo: "kalau",
  aja: "saja",
  // Slang verbs of social media and "it's fine" (rules questions: "kalo cuma ngelike aja gpp kan?").
  ngelike: "like",
  nglike: "like",
  ngelaik: "like",
  ngelike2: "like",
  ngelove: "love",
  ngomen: "komen",
  ngomenin: "komen",
  ngeshar: "share",
  ngefollow: "follow",
  ngefolow: "follow",
  ngerepost: "repost",
  gpp: "boleh",
  gapapa: "boleh",
  gpapa: "boleh",
  gakpapa: "boleh",
  emang: "memang",
  bole: "boleh",
  ngepost: "posting",
  ngeshare: "share",
  nge: "",
};

/** Prefixes stripped by {@link stem}, longest first. */
const PREFIXES = [
  "memper",
  "menge",
  "meng",
  "meny",
  "mem",
  "men",
  "me",
  "peng",
  "pem",
  "pen",
  "per",
  "di",
  "ber",
  "ter",
  "se",
  "ke",
  "ng",
];
/** Suffixes stripped by {@link stem}, longest first. */
const SUFFIXES = ["nyalah", "kanlah", "annya", "kannya", "nya", "kan", "lah", "kah", "an", "i"];

/** The first letter of a root that a nasal prefix drops ("meng" + kumpul → "mengumpul"). */
const ASSIMILATED: Readonly<Record<string, string>> = {
  meng: "k",
  peng: "k",
  mem: "p",
  pem: "p",
  men: "t",
  pen: "t",
  meny: "s",
};

/** Words kept as they are (they would be mangled by affix stripping). */
const KEEP = new Set([
  "pasangan",
  "asn",
  "calon",
  "tidak",
  "media",
  "medsos",
  "kampanye",
  "partai",
  "desa",
  "dinas",
  "kantor",
  "bansos",
  "ktp",
  "pilkada",
  "pemilu",
  "baliho",
  "spanduk",
  "instagram",
  "facebook",
  "whatsapp",
  "tiktok",
  "berita",
  "bersama",
  "bukti",
  "sanksi",
  "netral",
  "deklarasi",
  "pemenangan",
  "kecamatan",
  "kelurahan",
  "lurah",
  "camat",
  "seragam",
  "atribut",
  "fasilitas",
  "fotokopi",
  "dukungan",
  "anggota",
  "pengurus",
  "sembako",
  "bantuan",
  "mobil",
  "story",
  "status",
  "follow",
  "share",
  "like",
  "komen",
  "posting",
  "upload",
  "timses",
  "jurkam",
  "relawan",
  "pasang",
  "tempel",
  "poster",
  "stiker",
  "bendera",
  "kumpul",
  "ajak",
  "perintah",
  "rapat",
  "identitas",
  "laporan",
  "lapor",
  "diri",
  "istri",
  "suami",
  "keluarga",
  "mundur",
  "cuti",
  "mengundurkan",
  "pelat",
  "merah",
  "dipecat",
  "hari",
  "kerja",
  "batas",
  "waktu",
  "kepala",
  "sekolah",
  "guru",
  "bidan",
  "perawat",
  "dokter",
  "coblos",
  "tps",
  "mencalonkan",
  "bkn",
  "kasn",
  "ppk",
  "tanda",
  "tangan",
  "datang",
  "hadir",
  "ikut",
  "foto",
  "gaya",
  "jari",
  "pose",
  "selfie",
  "mutasi",
  "izin",
  "program",
  "anggaran",
  "gedung",
  "aula",
  "truk",
  "ambulans",
  "menang",
  "pilih",
  "memilih",
  "kader",
  "caleg",
  "perseorangan",
  "independen",
  "formulir",
  "surat",
  "baju",
  "kaos",
  "topi",
  "rompi",
  "jaket",
  "pin",
  "jilbab",
  "batik",
  "korpri",
  "panggung",
  "orasi",
  "konvoi",
  "pawai",
  "posko",
  "stadion",
  "lapangan",
]);

/**
 * The stem of one normalized word: at most one prefix and one suffix stripped, keeping at least
 * four letters; words in the keep list are returned unchanged.
 *
 * @example stem("memposting") === "posting"; stem("dibagikan") === "bagi"; stem("postingannya") === "posting"
 */
export function stem(word: string): string {
  if (word.length <= 4 || KEEP.has(word) || /\d/.test(word)) return word;
  let w = word;
  for (const s of SUFFIXES) {
    if (w.endsWith(s) && w.length - s.length >= 4) {
      w = w.slice(0, -s.length);
      break;
    }
  }
  if (KEEP.has(w)) return w;
  for (const p of PREFIXES) {
    if (w.startsWith(p) && w.length - p.length >= 4) {
      w = w.slice(p.length);
      // The nasal prefix swallowed the root's first letter: "mengumpul" ← kumpul, "memasang" ← pasang.
      const lost = ASSIMILATED[p];
      if (lost && KEEP.has(lost + w)) w = lost + w;
      break;
    }
  }
  if (KEEP.has(w)) return w;
  // "unggah" → "mengunggah"/"diunggah" both land on "unggah"; a second suffix ("bagikan" → "bagi").
  for (const s of ["kan", "an", "i"]) {
    if (w.endsWith(s) && w.length - s.length >= 4 && !KEEP.has(w)) {
      w = w.slice(0, -s.length);
      break;
    }
  }
  return w;
}

/**
 * The words of a text, normalized, informal spellings written out, reduplications folded
 * ("guru-guru", "guru2" → "guru"), but not stemmed.
 *
 * @example words("PNS yg gk ikut kampanye") → ["asn", "yang", "tidak", "ikut", "kampanye"]
 */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const raw of normalizeWords(text.replace(/(\p{L}+)-\1/gu, "$1"))
    .replace(/[/?]/g, " ")
    .split(" ")) {
    if (raw === "") continue;
    const base = raw.replace(/^(\p{L}{3,})2$/u, "$1");
    const mapped = INFORMAL[base] ?? base;
    if (mapped === "") continue;
    out.push(...mapped.split(" "));
  }
  return out;
}

/**
 * The stemmed tokens of a text (see {@link words} and {@link stem}), for ranking and scoring.
 *
 * @example tokens("memposting ajakan") → ["posting", "ajak"]
 */
export function tokens(text: string): string[] {
  return words(text).map(stem);
}
