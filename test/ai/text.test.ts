/** Tokenisation with informal spellings and light stemming, intent of free texts, and scrubbing. */
import { describe, expect, it } from "vitest";
import { readIntent } from "../../src/ai/intent.js";
import { scrubPersonalData } from "../../src/ai/scrub.js";
import { readStoryOffline } from "../../src/ai/story.js";
import { stem, tokens, words } from "../../src/ai/text.js";

describe("Indonesian text", () => {
  it("writes informal spellings out and strips common affixes", () => {
    expect(words("PNS yg gk ikut kampanye")).toEqual(["asn", "yang", "tidak", "ikut", "kampanye"]);
    expect(words("paslon cabup timses")).toEqual(["calon", "calon", "timses"]);
    expect(stem("memposting")).toBe("posting");
    expect(stem("dibagikan")).toBe("bagi");
    expect(stem("postingannya")).toBe("posting");
    expect(tokens("guru-guru mengumpulkan ktp")).toEqual(["guru", "kumpul", "ktp"]);
  });
});

describe("intent of a free text", () => {
  it("tells questions about the rules, stories and anything else apart", () => {
    expect(readIntent("apakah ASN boleh like postingan paslon?")).toEqual({
      kind: "question",
      question: "apakah ASN boleh like postingan paslon?",
    });
    expect(readIntent("tanya")).toEqual({ kind: "question", question: "" });
    expect(readIntent("Pak Kasi di kecamatan posting ajakan pilih paslon 2 di FB kemarin").kind).toBe(
      "story",
    );
    expect(readIntent("halo").kind).toBe("other");
    expect(readIntent("berapa harga beras?").kind).toBe("other");
  });
});

describe("scrubbing before text leaves for a model", () => {
  it("removes phone numbers, e-mails and NIKs, and keeps dates and numbers of candidates", () => {
    expect(scrubPersonalData("hubungi 0812-3456-7890 atau budi@mail.com")).toBe(
      "hubungi [nomor] atau [email]",
    );
    expect(scrubPersonalData("wa saya +62 812 3456 7890.")).toBe("wa saya [nomor].");
    expect(scrubPersonalData("NIK 3276012345678901, nik lain 3276 0123 4567 8901")).toBe(
      "NIK [NIK], nik lain [NIK]",
    );
    expect(scrubPersonalData("tgl 12/11/2024 jam 10.30 paslon 2")).toBe("tgl 12/11/2024 jam 10.30 paslon 2");
  });
});

describe("offline reading of a story", () => {
  it("finds category, place, date phrase, accused, position, agency and links", () => {
    const f = readStoryOffline(
      "Pak Budi, Kepala Dinas di Dinas Pendidikan Kota Metro, kemarin posting ajakan pilih paslon 2 di FB. https://fb.com/x/posts/1",
    );
    expect(f).toMatchObject({
      category: "medsos_kampanye",
      place: "Kota Metro",
      event_date: "kemarin",
      accused_name: "Budi",
      accused_position: "Kepala Dinas",
      links: ["https://fb.com/x/posts/1"],
    });
    expect(f.agency).toContain("Dinas Pendidikan");
    expect(readStoryOffline("saya lihat ada pegawai bolos kerja")).not.toHaveProperty("category");
  });
});
