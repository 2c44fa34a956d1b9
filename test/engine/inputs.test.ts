import { describe, expect, it } from "vitest";
import { matchChoice } from "../../src/engine/inputs/choice.js";
import { findReportNumber } from "../../src/engine/inputs/report-number.js";
import type { EvidenceAnswer, PlaceAnswer } from "../../src/engine/types.js";
import { Conversation, registryOf, tx } from "./fakes.js";

/** A flow whose first step is `step`, followed by a final text question. */
function oneStep(step: Record<string, unknown>) {
  return registryOf({
    id: "t",
    main: true,
    start: "s",
    steps: {
      s: { store: "v", ...step },
      after: { type: "text", store: "after", text: tx("Berikutnya?") },
      end: { type: "end", status: "done", text: tx("Selesai.") },
    },
  });
}

function answered(c: Conversation) {
  return c.session?.answers.v;
}

describe("choice", () => {
  const choices = [
    { value: "tip", label: "Informasi awal (tanpa identitas)", keywords: ["anonim"] },
    { value: "formal", label: "Laporan resmi (dengan identitas)" },
    { value: "other", label: "Lainnya / tidak yakin" },
  ];

  it("reads a button, a number, label words, a keyword, ignoring case and accents", () => {
    expect(matchChoice({ kind: "choice", value: "formal" }, choices)).toBe("formal");
    expect(matchChoice({ kind: "text", text: "2" }, choices)).toBe("formal");
    expect(matchChoice({ kind: "text", text: " 1. " }, choices)).toBe("tip");
    expect(matchChoice({ kind: "text", text: "LAPORAN   resmi" }, choices)).toBe("formal");
    expect(matchChoice({ kind: "text", text: "Informasí awal" }, choices)).toBe("tip");
    expect(matchChoice({ kind: "text", text: "anonim" }, choices)).toBe("tip");
    expect(matchChoice({ kind: "text", text: "tidak yakin" }, choices)).toBe("other");
  });

  it("does not guess when the words fit several choices or none", () => {
    expect(matchChoice({ kind: "text", text: "identitas" }, choices)).toBeUndefined();
    expect(matchChoice({ kind: "text", text: "7" }, choices)).toBeUndefined();
    expect(matchChoice({ kind: "text", text: "xyz" }, choices)).toBeUndefined();
    expect(matchChoice({ kind: "location", lat: 0, lon: 0 }, choices)).toBeUndefined();
  });

  it("lists the choices again, kindly, when it cannot tell", () => {
    const c = new Conversation(
      oneStep({
        type: "choice",
        text: tx("Pilih"),
        options: [
          { value: "a", label: tx("Apel") },
          { value: "b", label: tx("Jeruk") },
        ],
      }),
    );
    c.send("halo");
    const r = c.send("mangga");
    expect(r.outputs[0]?.text).toContain("1. Apel\n2. Jeruk");
    expect(r.outputs[0]?.choices).toHaveLength(2);
    c.send("jeruk");
    expect(answered(c)).toBe("b");
  });
});

describe("yes_no", () => {
  it("reads buttons and words, and asks again when unclear", () => {
    const c = new Conversation(oneStep({ type: "yes_no", text: tx("Benar?") }));
    c.send("halo");
    expect(c.send("mungkin").outputs[0]?.text).toMatch(/Ya atau Tidak/);
    c.send("iya betul");
    expect(answered(c)).toBe(true);
    const d = new Conversation(oneStep({ type: "yes_no", text: tx("Benar?") }));
    d.send("halo");
    d.send({ kind: "choice", value: "no" });
    expect(answered(d)).toBe(false);
  });
});

describe("text", () => {
  it("enforces the length limits and accepts 'tidak tahu' when allowed", () => {
    const c = new Conversation(
      oneStep({ type: "text", text: tx("Cerita?"), min_length: 10, max_length: 20, allow_none: true }),
    );
    c.send("halo");
    expect(c.send("pendek").outputs[0]?.text).toMatch(/paling sedikit 10 huruf/);
    expect(c.send("x".repeat(25)).outputs[0]?.text).toMatch(/25 huruf, paling banyak 20/);
    c.send("Tidak Tahu");
    expect(answered(c)).toBeNull();
  });

  it("answers a sticker or a photo with a kind message and the same question", () => {
    const c = new Conversation(oneStep({ type: "text", text: tx("Cerita?") }));
    c.send("halo");
    const r = c.send({ kind: "unsupported", what: "sticker" });
    expect(Conversation.texts(r)).toEqual([
      "Maaf, stiker belum bisa kami baca. Silakan jawab dengan tulisan atau tombol.",
      "Cerita?",
    ]);
    const p = c.send({
      kind: "media",
      items: [{ ref: "r", kind: "photo", mime: "image/jpeg", size: 1, sha256: "a" }],
    });
    expect(p.outputs[1]?.text).toBe("Cerita?");
    expect(c.session?.stepId).toBe("s");
  });
});

describe("date", () => {
  it("gives each failure its own message and notes the date", () => {
    const c = new Conversation(oneStep({ type: "date", text: tx("Kapan?") }));
    c.send("halo");
    expect(c.send("besok").outputs[0]?.text).toMatch(/belum terjadi/);
    expect(c.send("31/02").outputs[0]?.text).toMatch(/tidak ada di kalender/);
    expect(c.send("entah").outputs[0]?.text).toMatch(/belum bisa kami baca/);
    const r = c.send({ kind: "choice", value: "kemarin" });
    expect(r.outputs[0]?.text).toBe("Tanggal dicatat: 2024-11-19.");
    expect(answered(c)).toBe("2024-11-19");
  });

  it("refuses a date before the one named by not_before", () => {
    const registry = registryOf({
      id: "t",
      start: "a",
      steps: {
        a: { type: "date", store: "a", text: tx("A?") },
        b: { type: "date", store: "b", not_before: "a", text: tx("B?") },
        end: { type: "end", status: "done", text: tx("ok") },
      },
    });
    const c = new Conversation(registry);
    c.send("halo");
    c.send("2024-11-10");
    expect(c.send("2024-11-09").outputs[0]?.text).toMatch(/tidak bisa lebih awal/);
    c.send("2024-11-10");
    expect(c.session?.status).toBe("done");
  });
});

describe("location", () => {
  const flow = () => oneStep({ type: "location", text: tx("Di mana?") });

  it("confirms a GPS point, then stores it", () => {
    const c = new Conversation(flow());
    c.send("halo");
    const r = c.send({ kind: "location", lat: -5.1131, lon: 105.3067 });
    expect(r.outputs[0]?.text).toBe("Apakah lokasi ini benar: Kota Metro, Lampung?");
    expect(r.outputs[0]?.ask).toBe("yes_no");
    c.send("ya");
    const place = answered(c) as unknown as PlaceAnswer;
    expect(place).toEqual({
      source: "gps",
      lat: -5.1131,
      lon: 105.3067,
      regencyCode: "18.72",
      regencyName: "Kota Metro",
      provinceCode: "18",
      provinceName: "Lampung",
    });
  });

  it("offers the candidates of an ambiguous name plus 'none of these'", () => {
    const c = new Conversation(flow());
    c.send("halo");
    const r = c.send("solok");
    expect(r.outputs[0]?.choices?.map((x) => x.label)).toEqual([
      "Kabupaten Solok, Sumatera Barat",
      "Kota Solok, Sumatera Barat",
      "Bukan semua, saya ketik lagi",
    ]);
    c.send("2");
    expect((answered(c) as unknown as PlaceAnswer).regencyCode).toBe("13.72");
  });

  it("treats a new name typed while confirming as a new search, and 'no' as type again", () => {
    const c = new Conversation(flow());
    c.send("halo");
    c.send("metro");
    expect(c.send("kota solok").outputs[0]?.text).toBe(
      "Apakah lokasi ini benar: Kota Solok, Sumatera Barat?",
    );
    expect(c.send("tidak").outputs[0]?.text).toMatch(/Silakan ketik nama kabupaten/);
    expect(c.session?.pending).toBeUndefined();
  });

  it("says kindly when a point is abroad or GPS cannot be read, and suggests names", () => {
    const c = new Conversation(flow());
    c.send("halo");
    expect(c.send({ kind: "location", lat: 1.35, lon: 103.8 }).outputs[0]?.text).toMatch(/di luar Indonesia/);
    expect(c.send({ kind: "location", lat: 0, lon: 0 }).outputs[0]?.text).toMatch(/ketik nama kabupaten/);
    const r = c.send("metor");
    expect(r.outputs[0]?.text).toMatch(/Mungkin maksud Anda: Kota Metro/);
    expect(r.outputs[0]?.choices).toEqual([{ value: "Kota Metro", label: "Kota Metro" }]);
    expect(c.send({ kind: "choice", value: "Kota Metro" }).outputs[0]?.ask).toBe("yes_no");
  });
});

describe("media", () => {
  const item = (sha: string) => ({
    ref: `r/${sha}`,
    kind: "photo" as const,
    mime: "image/jpeg",
    size: 10,
    sha256: sha,
  });

  it("collects files and links over several messages until done, skipping duplicates", () => {
    const c = new Conversation(oneStep({ type: "media", text: tx("Bukti?"), allow_none: true }));
    c.send("halo");
    expect(c.send({ kind: "media", items: [item("a"), item("b")] }).outputs[0]?.text).toMatch(
      /2 file, 0 tautan/,
    );
    expect(c.send("lihat https://fb.com/p/1").outputs[0]?.text).toMatch(/2 file, 1 tautan/);
    expect(c.send({ kind: "media", items: [item("a")] }).outputs[0]?.text).toMatch(/sudah kami terima/);
    expect(c.send("apa ya").outputs[0]?.text).toMatch(/menunggu bukti/);
    c.send("selesai");
    const ev = answered(c) as unknown as EvidenceAnswer;
    expect(ev.items.map((i) => i.sha256)).toEqual(["a", "b"]);
    expect(ev.links).toEqual([{ url: "https://fb.com/p/1", platform: "other" }]);
    expect(ev.none).toBe(false);
  });

  it("accepts an explicit 'no evidence' only when allowed, and not 'done' with nothing", () => {
    const c = new Conversation(oneStep({ type: "media", text: tx("Bukti?"), allow_none: true }));
    c.send("halo");
    expect(c.send("selesai").outputs[0]?.text).toMatch(/Belum ada bukti/);
    c.send({ kind: "choice", value: "none" });
    expect(answered(c)).toEqual({ items: [], links: [], none: true });
    const d = new Conversation(oneStep({ type: "media", text: tx("Bukti?") }));
    d.send("halo");
    d.send("tidak ada");
    expect(d.session?.stepId).toBe("s");
  });

  it("explains a refused file and goes on", () => {
    const c = new Conversation(oneStep({ type: "media", text: tx("Bukti?"), allow_none: true }));
    c.send("halo");
    const r = c.send({ kind: "media_rejected", reason: "too_large", fileName: "a.mp4", size: 50_000_000 });
    expect(r.outputs[0]?.text).toMatch(/a\.mp4 terlalu besar \(batas 20 MB\).*sebagai file/);
    expect(c.session?.stepId).toBe("s");
  });

  it("ends by itself at the item limit", () => {
    const c = new Conversation(oneStep({ type: "media", text: tx("Bukti?"), max_items: 2 }));
    c.send("halo");
    c.send({ kind: "media", items: [item("a"), item("b"), item("c")] });
    expect(c.session?.stepId).toBe("after");
  });
});

describe("phone, agency, report number", () => {
  it("reads a phone number and refuses a bad one", () => {
    const c = new Conversation(oneStep({ type: "phone", text: tx("HP?") }));
    c.send("halo");
    expect(c.send("123").outputs[0]?.text).toMatch(/belum bisa kami baca/);
    c.send("0812 3456 7890");
    expect(answered(c)).toEqual({ e164: "+6281234567890", display: "081234567890" });
  });

  it("keeps an agency as typed and normalized", () => {
    const c = new Conversation(oneStep({ type: "agency", text: tx("Instansi?") }));
    c.send("halo");
    expect(c.send("ab").outputs[0]?.text).toMatch(/lebih lengkap/);
    c.send(" disdik metro ");
    expect(answered(c)).toEqual({ raw: "disdik metro", normalized: "DISDIK METRO", kind: "other" });
  });

  it("finds a report number in a sentence", () => {
    expect(findReportNumber("nomor saya LN-7K3M-9QX2 ya")).toBe("LN-7K3M-9QX2");
    expect(findReportNumber("cek ln 7k3m 9qxz")).toBe("LN-7K3M-9QXZ");
    expect(findReportNumber("halo apa kabar")).toBeUndefined();
    expect(findReportNumber("tidak punya")).toBeUndefined();
  });
});
