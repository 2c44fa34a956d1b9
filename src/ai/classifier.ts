/**
 * The offline classifier of complaint stories over the domain categories (`flows/complaint.yaml`,
 * step `category`): weighted cue words and phrases per category, matched on stemmed tokens (see
 * `text.ts`), with negations ("tidak ikut kampanye" does not count as attending a campaign) and a
 * confidence from how far the best category leads the next one.
 *
 * @example classifyStory("guru PNS like dan share konten cabup X") → { category: "medsos_interaksi", confidence: 0.8… }
 */
import { tokens } from "./text.js";

/** The category ids, as in `flows/complaint.yaml` (step `category`) and docs/domain.md. */
export const CATEGORY_IDS = [
  "medsos_kampanye",
  "medsos_interaksi",
  "foto_simbol",
  "hadir_kampanye",
  "tim_kampanye",
  "atribut",
  "pasang_apk",
  "fasilitas_negara",
  "keputusan_menguntungkan",
  "mengerahkan",
  "dukungan_ktp",
  "parpol",
  "pencalonan",
  "lainnya",
] as const;

/** One category id. */
export type CategoryId = (typeof CATEGORY_IDS)[number];

/** The classifier's verdict: a category and a confidence from 0 to 1 (`lainnya` when nothing fits). */
export interface Classification {
  category: CategoryId;
  confidence: number;
}

/**
 * Cue phrases per category with their weights (how strongly the phrase points at the category).
 * Written from the category descriptions in docs/domain.md and the seeds' vocabulary, not from the
 * labelled test stories. `lainnya` holds words of complaints that are not about elections at all.
 */
const CUES: Readonly<Record<CategoryId, Readonly<Record<string, number>>>> = {
  medsos_kampanye: {
    posting: 3,
    postingan: 2,
    unggah: 3,
    upload: 3,
    "bikin status": 3,
    status: 2,
    story: 2.5,
    "visi misi": 2,
    twibbon: 3.5,
    caption: 2.5,
    konten: 1,
    facebook: 1,
    instagram: 1,
    tiktok: 1,
    twitter: 1.5,
    thread: 2,
    medsos: 1,
    "media sosial": 1,
    promosi: 1.5,
    "ajak pilih": 1.5,
    vote: 1.5,
    video: 1,
    nulis: 1.5,
    tulis: 1,
  },
  medsos_interaksi: {
    like: 4.5,
    suka: 3,
    menyukai: 4,

    komen: 4,
    komentar: 4,
    share: 3,
    "share ulang": 2,
    follow: 4.5,
    ikuti: 3,
    gabung: 3.5,
    grup: 1.5,
    group: 1.5,
    member: 2.5,
    retweet: 4.5,
    repost: 4.5,
    love: 3,
    reels: 1,
    "live tiktok": 2,
    gift: 2,
    nyebarin: 2,
    sebar: 1.5,
    "kasih love": 2,
    admin: 1,
  },
  foto_simbol: {
    foto: 2,
    berfoto: 3.5,
    selfie: 3.5,
    pose: 3.5,
    jari: 3.5,
    gestur: 3.5,
    gaya: 2,
    simbol: 2.5,
    salam: 1.5,
    rangkul: 2,
    jempol: 2,
    "foto bersama": 2,
    metal: 2,
    "bentuk jari": 2,
  },
  hadir_kampanye: {
    deklarasi: 4.5,
    hadir: 3.5,
    datang: 2.5,
    "kampanye akbar": 3,
    "rapat umum": 3.5,
    konvoi: 3.5,
    pawai: 3.5,
    nonton: 2,
    peresmian: 2,
    "ikut kampanye": 2,
    "peserta kampanye": 2.5,
    "kampanye terbuka": 2.5,
    dialogis: 2,
    "naik panggung": 1.5,
    barisan: 2,
    "tepuk tangan": 1.5,
    kelihatan: 1,
  },
  tim_kampanye: {
    timses: 3.5,
    "tim sukses": 3.5,
    "jadi timses": 3,
    "jadi tim": 3,
    "tim pemenangan": 2,
    jurkam: 5,
    "juru kampanye": 5,
    relawan: 2.5,
    konsultan: 4,
    koordinator: 3.5,
    korlap: 4.5,
    "tim kampanye": 3,
    struktur: 2,
    nyanyi: 3.5,
    "lagu kampanye": 2,
    orasi: 2.5,
    "ketua tim": 3,
    terdaftar: 1.5,
    strategi: 2,
    "data pemilih": 2,
    "sk tim": 2,
  },
  atribut: {
    atribut: 3.5,
    kaos: 2.5,
    topi: 3,
    rompi: 3.5,
    pin: 3.5,
    jaket: 3,
    seragam: 3,
    korpri: 3.5,
    baju: 2.5,
    jilbab: 1.5,
    syal: 3,
    batik: 1.5,
    bergambar: 1.5,
    pakai: 1.5,
    "warna partai": 2,
    logo: 1,
  },
  pasang_apk: {
    pasang: 3.5,
    baliho: 3,
    spanduk: 3,
    poster: 3,
    stiker: 3,
    umbul: 3.5,
    bendera: 2,
    banner: 3.5,
    billboard: 3.5,
    tempel: 3.5,
    apk: 4.5,
    "tiang listrik": 2,
    keliling: 0.5,
    kaca: 1,
  },
  fasilitas_negara: {
    "mobil dinas": 5,
    "pelat merah": 5,
    fasilitas: 4,
    aula: 3.5,
    gedung: 3,
    ambulans: 4.5,
    truk: 3,
    printer: 3.5,
    kertas: 2,
    anggaran: 3.5,
    "rumah dinas": 3,
    markas: 2.5,
    "motor dinas": 5,
    "jam kerja": 2,
    pinjam: 2.5,
    angkut: 3,
    "antar jemput": 3,
    kendaraan: 2.5,
    "milik pemda": 3,
    "cetak brosur": 2,
    "kantor dipakai": 2,
  },
  keputusan_menguntungkan: {
    bansos: 5,
    sembako: 4,
    bantuan: 3.5,
    mutasi: 4.5,
    izin: 3.5,
    blt: 4.5,
    persulit: 4.5,
    program: 2.5,
    beasiswa: 3.5,
    prioritas: 3.5,
    tahan: 2.5,
    pelayanan: 2.5,
    pencairan: 3.5,
    "bedah rumah": 3.5,
    alsintan: 2.5,
    menguntungkan: 4,
    merugikan: 4,
    lawan: 2,
    "dikasih ke": 1.5,
    "hanya ke": 1.5,
    "perbaikan jalan": 3,
    proyek: 1,
  },
  mengerahkan: {
    kumpul: 3,
    "minta pilih": 3,
    "minta semua": 2.5,
    suruh: 2,
    arah: 3,
    mengerahkan: 3.5,
    kerahkan: 3.5,
    ajak: 2,
    apel: 2.5,
    bawahan: 3.5,
    amplop: 3.5,
    hadiah: 3,
    rt: 2,
    rw: 1.5,
    kades: 1.5,
    honorer: 2,
    ancam: 2.5,
    konsolidasi: 3.5,
    pertemuan: 2.5,
    "keliling rumah": 2.5,
    "wali murid": 2,
    kader: 1,
    posyandu: 1.5,
    saksi: 1.5,
    "titip pesan": 2.5,
    kalender: 1,
  },
  dukungan_ktp: {
    ktp: 6,
    fotokopi: 3,
    "surat dukungan": 3,
    perseorangan: 3,
    independen: 3,
    "formulir dukungan": 3,
    kk: 1.5,
    "surat pernyataan": 2,
    pendukung: 1,
  },
  parpol: {
    partai: 1.5,
    "anggota partai": 4,
    pengurus: 4.5,
    kader: 3,
    dpc: 4.5,
    dpd: 4.5,
    pac: 4.5,
    ranting: 3.5,
    kta: 4.5,
    "kartu anggota": 4.5,
    sipol: 4.5,
    musda: 3.5,
    kepengurusan: 4.5,
    "jas partai": 2,
    sayap: 2.5,
    kaderisasi: 4.5,
    penjaringan: 3.5,
    "anggota parpol": 4,
    parpol: 2.5,
    "rapat partai": 3,
  },
  pencalonan: {
    mencalonkan: 5,
    dirinya: 3,
    "diri sendiri": 3.5,
    "dirinya sendiri": 4,
    "wajah sendiri": 4,
    maju: 3.5,
    "bakal calon": 3,
    daftar: 2,
    mundur: 4,
    "mengundurkan diri": 4,
    "tanpa cuti": 4.5,
    cuti: 3,
    istri: 3,
    suami: 3,
    adik: 2.5,
    "siap maju": 3,
    "sosialisasi diri": 4.5,
    pendaftaran: 2.5,
    "deklarasi diri": 4,
    mengabdi: 2,
    eselon: 1.5,
  },
  lainnya: {
    korupsi: 4,
    suap: 4,
    narkoba: 4.5,
    bolos: 3.5,
    telat: 2.5,
    lembur: 3,
    "pulang cepat": 2,
    "pulang cepet": 2,
    "surat kaleng": 3,
    honor: 2,
    keributan: 2,
    "marah marah": 2,
    bingung: 1.5,
    "tidak yakin": 1.5,
    "tidak tahu": 1,
    "tidak ada hubungan": 3,
    "bukan soal": 3,
    ngomongin: 2,
    ngobrol: 2,
  },
};

/** Words that cancel the cue right after them ("tidak ikut", "bukan posting"). */
const NEGATIONS = new Set(["tidak", "bukan", "belum", "jangan"]);

interface Cue {
  category: CategoryId;
  seq: string[];
  weight: number;
}

/** The cues as token sequences; two phrases of a category that stem alike count once (the heavier). */
const COMPILED: Cue[] = Object.entries(CUES).flatMap(([category, cues]) => {
  const bySeq = new Map<string, Cue>();
  for (const [phrase, weight] of Object.entries(cues)) {
    const seq = tokens(phrase);
    const key = seq.join(" ");
    if ((bySeq.get(key)?.weight ?? 0) < weight)
      bySeq.set(key, { category: category as CategoryId, seq, weight });
  }
  return [...bySeq.values()];
});

/** Score below which a story is `lainnya` (nothing fits clearly). */
const MIN_SCORE = 2.5;

/** Scores of every category for a text (sum of the weights of the cues found, negated ones skipped). */
export function categoryScores(text: string): Record<CategoryId, number> {
  const toks = tokens(text);
  const scores = Object.fromEntries(CATEGORY_IDS.map((c) => [c, 0])) as Record<CategoryId, number>;
  for (const cue of COMPILED) {
    if (cue.seq.length === 0) continue;
    let hits = 0;
    for (let i = 0; i + cue.seq.length <= toks.length; i++) {
      if (!cue.seq.every((w, j) => toks[i + j] === w)) continue;
      const negated =
        !NEGATIONS.has(cue.seq[0]!) &&
        ((i >= 1 && NEGATIONS.has(toks[i - 1]!)) || (i >= 2 && NEGATIONS.has(toks[i - 2]!)));
      if (!negated) hits++;
    }
    if (hits > 0) scores[cue.category] += cue.weight + 0.25 * Math.min(hits - 1, 3);
  }
  return scores;
}

/**
 * The category of a complaint story, with a confidence (0 to 1). `lainnya` when no category
 * scores clearly.
 */
export function classifyStory(text: string): Classification {
  const scores = categoryScores(text);
  const ranked = CATEGORY_IDS.filter((c) => c !== "lainnya")
    .map((c) => ({ c, s: scores[c] }))
    .sort((a, b) => b.s - a.s);
  const top = ranked[0]!;
  const second = ranked[1]!;
  const other = scores.lainnya;
  if (top.s < MIN_SCORE || other > top.s) {
    const confidence = other > 0 ? Math.min(0.9, 0.4 + other / 10) : 0.3;
    return { category: "lainnya", confidence: round(confidence) };
  }
  const lead = top.s / (top.s + second.s + other);
  const strength = Math.min(1, top.s / 7);
  return { category: top.c, confidence: round(0.15 + 0.85 * lead * strength) };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
