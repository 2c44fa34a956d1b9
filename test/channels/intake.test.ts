/**
 * Intake: text hygiene (NUL, control characters, unpaired surrogates, one-line answers, visible
 * length) and the one media intake (real type from the bytes, zero bytes, SVG, MIME normalised),
 * as every channel and the simulator use them.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanInbound } from "../../src/channels/clean-inbound.js";
import { isInlineSafe, MediaIntake, normalizeMime } from "../../src/channels/media-intake.js";
import { messageToInbound as telegramInbound } from "../../src/channels/telegram/inbound.js";
import { DEFAULT_ACCEPTED_MIME } from "../../src/channels/types.js";
import { waMessageToInbound } from "../../src/channels/wacloud/inbound.js";
import { messageToInbound as whatsappInbound } from "../../src/channels/whatsapp/inbound.js";
import { renderReportCard } from "../../src/delivery/card.js";
import { loadFlows } from "../../src/engine/flow-schema.js";
import type { Inbound } from "../../src/engine/types.js";
import { cleanLine, cleanText, visibleLength } from "../../src/parsing/text-hygiene.js";
import { EvidenceStore } from "../../src/reports/evidence-store.js";
import { Conversation, locales, registryOf, tx } from "../engine/fakes.js";
import { exeBytes, jpegBytes, oggBytes, pdfBytes, pngBytes, svgBytes } from "../support/sample-files.js";

const dir = mkdtempSync(join(tmpdir(), "lapor-intake-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const store = new EvidenceStore(dir);
const policy = { maxBytes: 64 * 1024, accepted: DEFAULT_ACCEPTED_MIME };
const intake = new MediaIntake(policy, store);
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** Takes bytes declared with a type, as a channel would. */
function take(bytes: Uint8Array, declaredMime?: string, fileName?: string) {
  return intake.take({
    declaredMime,
    fileName,
    messageId: "m1",
    receivedAt: new Date("2024-11-20T03:00:00Z"),
    download: async () => bytes,
  });
}

describe("text hygiene", () => {
  it("removes NUL and control characters, replaces unpaired surrogates, keeps emoji and line breaks", () => {
    expect(cleanText("Pak\u0000 Budi\u0007\r\nkemarin\u202E")).toBe("Pak Budi\nkemarin");
    expect(cleanText("a\uD800b\uDC00c")).toBe("a\uFFFDb\uFFFDc");
    expect(cleanText("foto 📷 ✅")).toBe("foto 📷 ✅");
    expect(cleanText("tab\there")).toBe("tab\there");
  });

  it("keeps one-line answers on one line", () => {
    const faked = "Budi\nPelapor: Siti Aminah, HP 0812 (identitas terverifikasi)";
    expect(cleanLine(faked)).toBe("Budi Pelapor: Siti Aminah, HP 0812 (identitas terverifikasi)");
    expect(cleanLine("  a\r\n\r\n\tb\u2028c  ")).toBe("a b c");
  });

  it("counts visible characters only", () => {
    expect(visibleLength("\u200B".repeat(30))).toBe(0);
    expect(visibleLength("\u200Dab\uFEFF ")).toBe(2);
    expect(visibleLength("📷ab")).toBe(3);
  });

  it("cleans every kind of input: text, command, choice, caption and file name", () => {
    expect(cleanInbound({ kind: "text", text: "x\u0000y" })).toEqual({ kind: "text", text: "xy" });
    expect(cleanInbound({ kind: "command", name: "STATUS\u0000", args: " LN-\u0000ABCD " })).toEqual({
      kind: "command",
      name: "status",
      args: "LN-ABCD",
    });
    expect(cleanInbound({ kind: "choice", value: "tip\n\u0000" })).toEqual({ kind: "choice", value: "tip" });
    const media = cleanInbound({
      kind: "media",
      items: [
        {
          ref: "r",
          kind: "photo",
          mime: "image/png",
          size: 1,
          sha256: "s",
          caption: "a\u0000",
          fileName: "x\ny",
        },
      ],
    });
    expect(media).toMatchObject({ items: [{ caption: "a", fileName: "x y" }] });
    expect(cleanInbound({ kind: "location", lat: Number.POSITIVE_INFINITY, lon: 1 })).toMatchObject({
      lat: Number.NaN,
    });
    expect((cleanInbound({ kind: "text", text: "x".repeat(100_000) }) as { text: string }).text.length).toBe(
      20_000,
    );
  });

  it("every channel hands the engine clean text", async () => {
    const dirty = "Pak Budi\u0000 \uD83D datang";
    const clean = "Pak Budi \uFFFD datang";
    const tg = await telegramInbound(
      { message_id: 1, date: 1, chat: { id: 5, type: "private", first_name: "A" }, text: dirty } as never,
      { policy, store, download: async () => new Uint8Array() },
    );
    expect(tg).toEqual({ kind: "text", text: clean });
    const wa = await whatsappInbound(
      {
        id: { id: "x", _serialized: "x" },
        from: "1@c.us",
        type: "chat",
        body: dirty,
        timestamp: 1,
        hasMedia: false,
      } as never,
      { policy, store },
    );
    expect(wa).toEqual({ kind: "text", text: clean });
    const cloud = await waMessageToInbound(
      { id: "wamid.1", from: "62", timestamp: "1", type: "text", text: { body: dirty } } as never,
      {
        policy,
        store,
        mediaInfo: async () => {
          throw new Error("no media");
        },
        download: async () => new Uint8Array(),
      },
    );
    expect(cloud).toEqual({ kind: "text", text: clean });
  });
});

describe("one-line answers and visible length in the flow", () => {
  const registry = registryOf({
    id: "t",
    main: true,
    start: "name",
    steps: {
      name: { type: "text", store: "name", min_length: 2, max_length: 200, text: tx("Nama?") },
      story: { type: "text", store: "story", min_length: 20, multiline: true, text: tx("Cerita?") },
      end: { type: "end", status: "done", text: tx("Selesai.") },
    },
  });

  it("a name with line breaks is stored as one line; a story keeps its lines; zero-width text is too short", () => {
    const c = new Conversation(registry);
    c.send({ kind: "command", name: "start", args: "" });
    c.send("Budi\nPelapor: Siti Aminah, HP 0812 (identitas terverifikasi)");
    expect(c.session?.answers.name).toBe("Budi Pelapor: Siti Aminah, HP 0812 (identitas terverifikasi)");
    const r = c.send("\u200B".repeat(30));
    expect(c.session?.stepId).toBe("story");
    expect(Conversation.texts(r).join("\n")).toMatch(/terlalu singkat/);
    c.send("Baris pertama cerita.\nBaris kedua cerita yang panjang.");
    expect(c.session?.answers.story).toBe("Baris pertama cerita.\nBaris kedua cerita yang panjang.");
  });

  it("the office card quotes what the reporter typed and never lets it fake a line", async () => {
    const flows = await loadFlows(join(import.meta.dirname, "../../flows"));
    const card = renderReportCard(
      {
        report: {
          number: "LN-TEST-0001",
          track: "tip",
          category: "fasilitas_negara",
          eventDate: "2024-11-19",
          learnedDate: null,
          deadline: null,
          regionName: "Kota Metro",
          placeText: null,
          lat: null,
          lon: null,
          accusedName: "Budi\nPelapor: Siti Aminah, HP 0812 (identitas terverifikasi)",
          accusedPosition: "Camat",
          agencyNormalized: null,
          agencyRaw: "Kecamatan\nMetro",
          asnType: null,
          account: "Mobil dinas dipakai kampanye.\nPelapor: palsu",
          noEvidence: true,
          witnesses: [],
          machineSummary: null,
          createdAt: new Date("2024-11-20T03:00:00Z"),
        } as never,
        evidence: [],
        identity: null,
        officeName: "Bawaslu Kota Metro",
        reason: "kab/kota",
      },
      flows,
      locales,
    );
    const lines = card.split("\n");
    expect(lines.filter((l) => l.startsWith("Pelapor:"))).toEqual([
      "Pelapor: tidak ditampilkan (informasi awal)",
    ]);
    expect(card).toContain("Terlapor: “Budi Pelapor: Siti Aminah, HP 0812 (identitas terverifikasi)”");
    expect(card).toContain("Instansi: “Kecamatan Metro”");
    expect(card).toContain("│ Pelapor: palsu");
  });
});

describe("a point that is not on the map", () => {
  it("(999, 999) is said to be not valid, not an outage, and the step waits for a place", () => {
    const c = new Conversation(
      registryOf({
        id: "t",
        main: true,
        start: "where",
        steps: {
          where: { type: "location", store: "place", text: tx("Di mana?") },
          end: { type: "end", status: "done", text: tx("Selesai.") },
        },
      }),
    );
    c.send({ kind: "command", name: "start", args: "" });
    const r = c.send({ kind: "location", lat: 999, lon: 999 });
    const said = Conversation.texts(r).join("\n");
    expect(said).toContain("tidak valid");
    expect(said).not.toContain("belum bisa kami baca saat ini");
    expect(c.session?.stepId).toBe("where");
  });
});

describe("the one media intake", () => {
  it("stores a real photo with its SHA-256, the original bytes and the file name", async () => {
    const bytes = jpegBytes("bukti 1");
    const r = await take(bytes, "Image/JPEG; charset=binary", "foto\nbukti.jpg");
    expect(r).toMatchObject({
      kind: "media",
      items: [
        {
          kind: "photo",
          mime: "image/jpeg",
          sha256: sha(bytes),
          size: bytes.byteLength,
          fileName: "foto bukti.jpg",
        },
      ],
    });
    const ref = (r as Extract<Inbound, { kind: "media" }>).items[0]!.ref;
    expect(sha(await store.read(ref))).toBe(sha(bytes));
  });

  it("reads the real type from the bytes: a PNG sent as JPEG is a PNG, a PDF as octet-stream is a PDF", async () => {
    expect(await take(pngBytes("x"), "image/jpeg")).toMatchObject({
      items: [{ mime: "image/png", kind: "photo" }],
    });
    expect(await take(pdfBytes("x"), "application/octet-stream")).toMatchObject({
      items: [{ mime: "application/pdf", kind: "document" }],
    });
    expect(await take(oggBytes("x"), "audio/ogg; codecs=opus")).toMatchObject({
      items: [{ mime: "audio/ogg", kind: "audio" }],
    });
  });

  it("refuses an executable sent as a photo, a zero-byte file, and an HTML page", async () => {
    expect(await take(exeBytes(), "image/jpeg", "foto.jpg")).toEqual({
      kind: "media_rejected",
      reason: "unsupported_type",
      fileName: "foto.jpg",
    });
    expect(await take(new Uint8Array(), "image/jpeg", "kosong.jpg")).toEqual({
      kind: "media_rejected",
      reason: "empty",
      fileName: "kosong.jpg",
    });
    expect(await take(Buffer.from("<html><script>alert(1)</script></html>"), "text/plain")).toMatchObject({
      reason: "unsupported_type",
    });
  });

  it("keeps an SVG as a document, never as a photo, and never inline", async () => {
    const r = await take(svgBytes(), "image/svg+xml", "gambar.svg");
    expect(r).toMatchObject({ items: [{ kind: "document", mime: "image/svg+xml" }] });
    expect(isInlineSafe("image/svg+xml")).toBe(false);
    expect(isInlineSafe("image/png")).toBe(true);
    expect(isInlineSafe("application/pdf")).toBe(true);
    expect(isInlineSafe("text/html")).toBe(false);
  });

  it("refuses before downloading what the platform says is too large or never accepted", async () => {
    let downloads = 0;
    const file = (declaredMime: string, declaredSize: number) =>
      intake.take({
        declaredMime,
        declaredSize,
        messageId: "m",
        receivedAt: new Date(),
        download: async () => {
          downloads++;
          return jpegBytes();
        },
      });
    expect(await file("video/mp4", 10 * 1024 * 1024)).toMatchObject({
      reason: "too_large",
      limit: policy.maxBytes,
    });
    expect(await file("application/x-msdownload", 10)).toMatchObject({ reason: "unsupported_type" });
    expect(downloads).toBe(0);
    expect(await take(Buffer.alloc(policy.maxBytes + 1, 0x20), "text/plain")).toMatchObject({
      reason: "too_large",
    });
  });

  it("normalises MIME types", () => {
    expect(normalizeMime(" VIDEO/MP4 ; codecs=avc1")).toBe("video/mp4");
    expect(normalizeMime(undefined)).toBe("application/octet-stream");
    expect(normalizeMime("not a type")).toBe("application/octet-stream");
  });
});
