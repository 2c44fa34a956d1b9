import { describe, expect, it } from "vitest";
import { readStoryOffline } from "../../src/ai/story.js";
import {
  AGENCY_ABBREVIATIONS,
  type AgencyKind,
  normalizeAgency,
  readAccusedRole,
} from "../../src/parsing/agency.js";

describe("normalizeAgency", () => {
  it.each<[string, string, AgencyKind]>([
    // dinas
    ["disdik kota metro", "Dinas Pendidikan Kota Metro", "dinas"],
    ["diknas", "Dinas Pendidikan", "dinas"],
    ["dinkes kab. lampung tengah", "Dinas Kesehatan Kabupaten Lampung Tengah", "dinas"],
    ["Dishub", "Dinas Perhubungan", "dinas"],
    ["dispendukcapil kota metro", "Dinas Kependudukan dan Pencatatan Sipil Kota Metro", "dinas"],
    ["disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "dinas"],
    ["dinsos", "Dinas Sosial", "dinas"],
    ["DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "dinas"],
    ["pupr kab lampung timur", "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Lampung Timur", "dinas"],
    ["dinas pupr kota metro", "Dinas Pekerjaan Umum dan Penataan Ruang Kota Metro", "dinas"],
    ["dinas pendidikan kota metro", "Dinas Pendidikan Kota Metro", "dinas"],
    ["DINAS PENDIDIKAN KOTA METRO", "Dinas Pendidikan Kota Metro", "dinas"],
    ["dinas pmd", "Dinas PMD", "dinas"],
    // badan and other offices
    ["satpol pp kota metro", "Satuan Polisi Pamong Praja Kota Metro", "other"],
    ["Satpol PP", "Satuan Polisi Pamong Praja", "other"],
    ["bkpsdm kota metro", "BKPSDM Kota Metro", "badan"],
    ["bpbd", "BPBD", "badan"],
    ["bappeda provinsi lampung", "Bappeda Provinsi Lampung", "badan"],
    ["badan pendapatan daerah", "Badan Pendapatan Daerah", "badan"],
    // sekretariat
    ["setda kota metro", "Sekretariat Daerah Kota Metro", "sekretariat"],
    ["setdakab lampung timur", "Sekretariat Daerah Kabupaten Lampung Timur", "sekretariat"],
    ["setdakot metro", "Sekretariat Daerah Kota Metro", "sekretariat"],
    ["setdakab kab. lampung timur", "Sekretariat Daerah Kabupaten Lampung Timur", "sekretariat"],
    // kecamatan, kelurahan, desa
    ["kec. metro pusat", "Kecamatan Metro Pusat", "kecamatan"],
    ["kec metro pusat", "Kecamatan Metro Pusat", "kecamatan"],
    ["Kantor Camat Metro Utara", "Kantor Camat Metro Utara", "kecamatan"],
    ["kel. hadimulyo barat", "Kelurahan Hadimulyo Barat", "kelurahan_desa"],
    ["desa sumber rejo kec. kota gajah", "Desa Sumber Rejo Kecamatan Kota Gajah", "kelurahan_desa"],
    // schools
    ["sdn 1 metro", "SD Negeri 1 Metro", "sekolah"],
    ["SD N 2 Metro Pusat", "SD Negeri 2 Metro Pusat", "sekolah"],
    ["sdn1 metro", "SD Negeri 1 Metro", "sekolah"],
    ["smpn 3 metro", "SMP Negeri 3 Metro", "sekolah"],
    ["SMAN 1 Kotagajah", "SMA Negeri 1 Kotagajah", "sekolah"],
    ["smkn2 metro", "SMK Negeri 2 Metro", "sekolah"],
    ["smp negeri 4 metro", "SMP Negeri 4 Metro", "sekolah"],
    ["mtsn 1 lampung timur", "MTs Negeri 1 Lampung Timur", "sekolah"],
    ["universitas lampung", "Universitas Lampung", "sekolah"],
    // health
    ["puskesmas yosomulyo", "Puskesmas Yosomulyo", "puskesmas_rs"],
    ["puskesmas kecamatan metro", "Puskesmas Kecamatan Metro", "puskesmas_rs"],
    ["rsud jend. ahmad yani", "RSUD Jend. Ahmad Yani", "puskesmas_rs"],
    ["rumah sakit umum daerah", "Rumah Sakit Umum Daerah", "puskesmas_rs"],
    // ministries and national bodies
    ["kemenag", "Kementerian Agama", "kementerian_lembaga"],
    ["kantor kemenag kota metro", "Kementerian Agama Kota Metro", "kementerian_lembaga"],
    ["kemenpora", "Kemenpora", "kementerian_lembaga"],
    ["kua metro barat", "KUA Metro Barat", "kementerian_lembaga"],
    // regional government
    ["pemkab lampung tengah", "Pemerintah Kabupaten Lampung Tengah", "other"],
    ["pemkot metro", "Pemerintah Kota Metro", "other"],
    ["pemprov lampung", "Pemerintah Provinsi Lampung", "other"],
    ["pemkot kota metro", "Pemerintah Kota Metro", "other"],
    // enterprises
    ["pdam way irang", "PDAM Way Irang", "bumn_bumd"],
    // unknown
    ["kantor pos cabang metro", "Kantor Pos Cabang Metro", "other"],
    ["  \u201cinspektorat kota metro\u201d. ", "Inspektorat Kota Metro", "other"],
    ["Bagian UKPBJ setda", "Bagian UKPBJ Sekretariat Daerah", "sekretariat"],
    ["unit layanan ii", "Unit Layanan II", "other"],
  ])("%j → %j (%s)", (text, normalized, kind) => {
    const result = normalizeAgency(text);
    expect(result.normalized).toBe(normalized);
    expect(result.kind).toBe(kind);
    expect(result.raw).toBe(text.trim());
  });

  it("handles empty text", () => {
    expect(normalizeAgency("   ")).toEqual({ raw: "", normalized: "", kind: "other" });
  });

  it("keeps the abbreviation table in lower-case keys", () => {
    for (const key of Object.keys(AGENCY_ABBREVIATIONS)) expect(key).toBe(key.toLowerCase().trim());
    expect(AGENCY_ABBREVIATIONS.dinkes).toEqual({ expansion: "Dinas Kesehatan", kind: "dinas" });
  });
});

describe("readAccusedRole (everyday phrases in a story)", () => {
  it.each<[string, string | undefined, string | undefined]>([
    [
      "kadis pendidikan kota metro posting ajakan pilih paslon",
      "Kepala Dinas Pendidikan",
      "Dinas Pendidikan Kota Metro",
    ],
    [
      "Kadis Kesehatan Kab. Solok Selatan ikut deklarasi",
      "Kepala Dinas Kesehatan",
      "Dinas Kesehatan Kabupaten Solok Selatan",
    ],
    ["kadisdik kab. solok pasang baliho", "Kepala Dinas Pendidikan", "Dinas Pendidikan Kabupaten Solok"],
    ["kadinkes kota Bandar Lampung", "Kepala Dinas Kesehatan", "Dinas Kesehatan Kota Bandar Lampung"],
    [
      "sekdis lingkungan hidup pakai mobil dinas",
      "Sekretaris Dinas Lingkungan Hidup",
      "Dinas Lingkungan Hidup",
    ],
    ["pak lurah bagi amplop ke warga", "Lurah", undefined],
    ["bu camat foto bareng calon", "Camat", undefined],
    ["bu camat Metro Pusat foto bareng calon", "Camat", "Kecamatan Metro Pusat"],
    ["kades Sukamaju kumpulkan warga", "Kepala Desa", "Desa Sukamaju"],
    ["sekdes Mulyorejo minta KTP warga", "Sekretaris Desa", "Desa Mulyorejo"],
    ["kapus Yosomulyo pakai ambulans", "Kepala Puskesmas", "Puskesmas Yosomulyo"],
    ["Pak Budi, Kepala Dinas di Dinas Pendidikan Kota Metro", "Kepala Dinas", undefined],
    ["kadis kemarin datang ke kampanye", "Kepala Dinas", undefined],
    ["warga biasa posting di fb", undefined, undefined],
  ])("%j → %j, %j", (text, position, agency) => {
    const r = readAccusedRole(text);
    expect(r.position).toBe(position);
    expect(r.agency).toBe(agency);
  });

  it("the story reading uses it, and an agency written out wins over the implied one", () => {
    const f = readStoryOffline("kadis pendidikan kota metro kemarin posting ajakan pilih paslon 2 di fb");
    expect(f.accused_position).toBe("Kepala Dinas Pendidikan");
    expect(f.agency).toBe("Dinas Pendidikan Kota Metro");
    const g = readStoryOffline(
      "pak lurah Sukamaju yang kerja di dinas sosial bagi sembako sambil sebut nama calon",
    );
    expect(g.accused_position).toBe("Lurah");
    expect(g.agency).toBe("dinas sosial");
    expect(readStoryOffline("bu camat ikut kampanye akbar paslon 1").accused_position).toBe("Camat");
  });
});
