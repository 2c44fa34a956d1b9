/**
 * The AI help with an LLM, end to end: the real program (startApp) on a real database (PGlite, and
 * PostgreSQL when TEST_DATABASE_URL is set), talking HTTP to a local OpenAI-compatible stand-in
 * (test/support/openai-stub.ts) that checks the request shape and answers as scripted.
 *
 * - a story at the menu: the model's facts prefill the flow (confirm instead of ask);
 * - a malformed answer, and a timeout: the flow goes on (offline reading), the failure is logged;
 * - a rules question: answered with the model, grounded in a retrieved passage (an answer citing no
 *   retrieved passage is replaced by the offline one);
 * - a screenshot: described by the vision model on the office card (web inbox), marked machine-read,
 *   cached (no second call), with the three-line summary;
 * - privacy: a formal report's name, address, phone and NIK never reach the model.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStoryOffline } from "../../src/ai/story.js";
import { type App, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { evidence, reports } from "../../src/db/schema/index.js";
import type { Inbound } from "../../src/engine/types.js";
import { createLogger } from "../../src/log.js";
import { addDays, jakartaToday } from "../../src/parsing/dates.js";
import { EvidenceStore } from "../../src/reports/evidence-store.js";
import { TRACKING_NUMBER } from "../support/citizen.js";
import { freshDatabase, testDrivers } from "../support/db.js";
import {
  type OpenAiStub,
  type StubReply,
  type StubRequest,
  startOpenAiStub,
} from "../support/openai-stub.js";

/** A 1×1 PNG: enough for the vision path (the stand-in checks it arrives as a data URL). */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

const yesterday = () => addDays(jakartaToday(new Date()), -1);

/** The model's reading of the stories below. */
function storyFacts(overrides: Record<string, unknown> = {}) {
  return {
    category: "fasilitas_negara",
    place: "Kota Metro",
    event_date: yesterday(),
    accused_name: "Slamet Riyadi",
    accused_position: "Camat",
    agency: "Kecamatan Metro Pusat",
    links: [],
    ...overrides,
  };
}

/** A story the offline reader gets little of (no category words, no place): the model does better. */
const VAGUE_STORY =
  "Selamat siang, saya mau melapor. Bapak itu kemarin sore terlihat membawa rombongan orang memakai mobil kantornya ke acara salah satu pasangan calon di lapangan.";

for (const driver of testDrivers()) {
  describe(`AI help with an LLM stand-in (${driver})`, () => {
    let stub: OpenAiStub;
    let app: App;
    let dataDir: string;
    let drop: (() => Promise<void>) | undefined;
    const logLines: string[] = [];
    let visitor = 0;

    /** Sends inputs as one web visitor; returns the text of each reply. */
    async function chat(inputs: Inbound[]): Promise<string[]> {
      const id = `ai-${driver}-${++visitor}`;
      const replies: string[] = [];
      for (const [i, input] of inputs.entries()) {
        const reply = await app.conversation.handle({
          channel: "web",
          chatId: id,
          messageId: `${id}-${i}`,
          receivedAt: new Date(),
          input,
        });
        replies.push(reply?.outputs.map((o) => o.text).join("\n---\n") ?? "");
      }
      return replies;
    }

    function answerBy(handlers: Record<string, (req: StubRequest) => StubReply>): void {
      stub.answer((req) => handlers[req.schemaName]?.(req) ?? { status: 500 });
    }

    beforeAll(async () => {
      stub = await startOpenAiStub();
      dataDir = mkdtempSync(join(tmpdir(), "lapor-ai-"));
      let databaseUrl: string | undefined;
      if (driver === "postgres") {
        const db = await freshDatabase("postgres", { migrate: false });
        databaseUrl = db.url;
        await db.close();
        drop = db.drop;
      }
      const config = loadConfig({
        DATA_DIR: dataDir,
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        HOST: "127.0.0.1",
        PORT: "0",
        WEB_SIMULATOR: "true",
        OPENAI_BASE_URL: stub.baseUrl,
        OPENAI_API_KEY: "sk-test-key",
        OPENAI_MODEL: "stub-model",
        OPENAI_VISION_MODEL: "stub-vision",
        AI_TIMEOUT_MS: "1500",
        AI_SEND_IMAGES: "true",
      });
      const logger = createLogger({ level: "info", destination: { write: (s: string) => logLines.push(s) } });
      app = await startApp(config, logger, { workerIntervalMs: 0 });
    });
    afterAll(async () => {
      await app?.close();
      await stub?.close();
      await drop?.().catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("a story at the menu: the model's facts prefill the flow, confirmed one by one", async () => {
      answerBy({ story_facts: () => ({ json: storyFacts() }) });
      const before = stub.requests.length;
      const r = await chat([
        { kind: "text", text: `${VAGUE_STORY} Hubungi saya di 0812-3456-7890.` },
        { kind: "choice", value: "tip" },
        { kind: "choice", value: "yes" },
        { kind: "choice", value: "yes" },
        { kind: "choice", value: "yes" },
        { kind: "choice", value: "yes" },
      ]);
      expect(r[0]).toContain("cerita Anda sudah kami catat");
      expect(r[1]).toContain("Jenis pelanggaran: Menggunakan fasilitas negara");
      expect(r[2]).toContain("Tanggal kejadian:");
      expect(r[3]).toContain("Tempat: Kota Metro, Lampung");
      expect(r[4]).toContain("Nama terlapor: Slamet Riyadi");
      expect(r[5]).toContain("Jabatan: Camat");
      const sent = stub.requests.slice(before);
      expect(sent).toHaveLength(1);
      const req = sent[0]!;
      expect(req.model).toBe("stub-model");
      expect(req.schemaName).toBe("story_facts");
      expect(req.authorization).toBe("Bearer sk-test-key");
      expect(req.system).toContain("fasilitas_negara");
      expect(req.userText).toContain("mobil kantornya");
      expect(req.raw).not.toContain("3456");
    });

    it("the offline reader gets no category from the vague story (so the model's shows)", () => {
      expect(readStoryOffline(VAGUE_STORY).category).toBeUndefined();
    });

    it("a field that does not validate is dropped, the others are kept", async () => {
      answerBy({
        story_facts: () => ({ json: storyFacts({ category: "bukan_kategori", accused_name: 42 }) }),
      });
      const r = await chat([
        { kind: "text", text: VAGUE_STORY },
        { kind: "choice", value: "tip" },
        { kind: "choice", value: "fasilitas_negara" },
        { kind: "choice", value: "yes" },
        { kind: "choice", value: "yes" },
      ]);
      // No category was read: the category question itself is asked; the valid place is still offered.
      expect(r[1]).toContain("Apa yang dilakukan ASN tersebut?");
      expect(r[3]).toContain("Tempat: Kota Metro, Lampung");
      expect(r[4]).toContain("Siapa nama ASN yang Anda laporkan?");
    });

    it("a malformed answer: the flow goes on with the offline reading; the failure is logged", async () => {
      answerBy({ story_facts: () => ({ content: "{ this is not json" }) });
      logLines.length = 0;
      const r = await chat([
        {
          kind: "text",
          text: "Pak Camat di Kota Metro kemarin memakai mobil dinas pelat merah untuk mengangkut massa kampanye paslon 2 ke lapangan.",
        },
        { kind: "choice", value: "tip" },
      ]);
      expect(r[0]).toContain("cerita Anda sudah kami catat");
      expect(r[1]).toContain("Jenis pelanggaran: Menggunakan fasilitas negara");
      const failed = logLines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.purpose === "story_extraction");
      expect(failed.some((l) => l.reason === "malformed" && l.level === 40)).toBe(true);
      expect(logLines.join("\n")).not.toContain("mobil dinas");
    });

    it("a timeout: the reply comes without the model, and the timeout is logged", async () => {
      answerBy({ story_facts: () => ({ json: storyFacts(), delayMs: 10_000 }) });
      logLines.length = 0;
      const r = await chat([{ kind: "text", text: VAGUE_STORY }]);
      expect(r[0]).toContain("cerita Anda sudah kami catat");
      expect(r[0]).toContain("Pilih cara melapor");
      const lines = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.some((l) => l.purpose === "story_extraction" && l.reason === "timeout")).toBe(true);
    });

    it("an HTTP 500: the flow goes on", async () => {
      answerBy({});
      const r = await chat([
        { kind: "text", text: VAGUE_STORY },
        { kind: "choice", value: "tip" },
      ]);
      expect(r[1]).toContain("Apa yang dilakukan ASN tersebut?");
    });

    it("a rules question is answered with the model, citing a retrieved passage, ending with how to report", async () => {
      answerBy({
        rules_answer: () => ({
          json: {
            answer: "Tidak boleh. Menyukai unggahan paslon termasuk sikap tidak netral.",
            passage_ids: ["medsos_interaksi"],
            sure: true,
          },
        }),
      });
      const before = stub.requests.length;
      const [reply] = await chat([{ kind: "text", text: "apakah ASN boleh like postingan paslon?" }]);
      expect(reply).toContain("Tidak boleh. Menyukai unggahan paslon termasuk sikap tidak netral.");
      expect(reply).toContain('Dasar: "Like, komen, share, follow akun paslon"');
      expect(reply).not.toContain("(medsos_interaksi)");
      expect(reply).toContain("ketik /lapor");
      expect(reply).not.toContain("belum yakin");
      const req = stub.requests.slice(before).find((q) => q.schemaName === "rules_answer")!;
      expect(req.system).toContain("[medsos_interaksi]");
      expect(req.userText).toBe("apakah ASN boleh like postingan paslon?");
    });

    it("an answer that cites no retrieved passage is discarded for the offline answer", async () => {
      answerBy({
        rules_answer: () => ({
          json: { answer: "Boleh saja, tidak apa-apa.", passage_ids: ["pasal_karangan"], sure: true },
        }),
      });
      const [reply] = await chat([{ kind: "text", text: "apakah ASN boleh like postingan paslon?" }]);
      expect(reply).not.toContain("Boleh saja");
      expect(reply).toContain('Menurut aturan "Like, komen, share, follow akun paslon":');
    });

    it("a screenshot is described by the vision model on the office card, marked machine-read, and cached", async () => {
      answerBy({
        image_description: () => ({
          json: {
            platform: "facebook",
            account_name: "Slamet Camat Official",
            action: "shared",
            visible_text: "Ayo dukung paslon 2!",
            date_shown: "18 November",
          },
        }),
        report_summary: () => ({
          json: {
            lines: [
              "Dilaporkan: ASN membagikan konten paslon.",
              "Camat, Kota Metro.",
              "Bukti: 1 tangkapan layar.",
            ],
          },
        }),
      });
      const store = new EvidenceStore(dataDir);
      const file = await store.put(PNG);
      const photo: Inbound = {
        kind: "media",
        items: [
          { ref: file.storageKey, kind: "photo", mime: "image/png", size: file.size, sha256: file.sha256 },
        ],
      };
      const r = await chat([
        { kind: "command", name: "lapor", args: "" },
        { kind: "choice", value: "tip" },
        { kind: "choice", value: "medsos_interaksi" },
        {
          kind: "text",
          text: "Camat membagikan postingan paslon 2 di Facebook, saya punya tangkapan layarnya.",
        },
        { kind: "text", text: "kemarin" },
        { kind: "text", text: "kota metro" },
        { kind: "choice", value: "yes" },
        { kind: "choice", value: "none" },
        { kind: "text", text: "Camat" },
        { kind: "choice", value: "none" },
        { kind: "choice", value: "pns" },
        photo,
        { kind: "choice", value: "done" },
        { kind: "choice", value: "submit" },
      ]);
      const number = TRACKING_NUMBER.exec(r.at(-1)!)?.[0];
      expect(number, r.at(-1)).toBeDefined();
      await app.worker.drain();
      const inbox = (await (await fetch(`${app.web!.url}/api/inbox`)).json()) as {
        number: string;
        card: string;
      }[];
      const card = inbox.find((c) => c.number === number)?.card ?? "";
      expect(card).toContain(
        "Bukti 1 dibaca mesin (periksa kembali): facebook, akun Slamet Camat Official, membagikan, tanggal 18 November",
      );
      expect(card).toContain("Teks terlihat: «Ayo dukung paslon 2!»");
      expect(card).toContain("Ringkasan (dibuat mesin, periksa kembali):");
      expect(card).toContain("• Camat, Kota Metro.");
      const vision = stub.requestsFor("image_description");
      expect(vision).toHaveLength(1);
      expect(vision[0]!.model).toBe("stub-vision");
      expect(vision[0]!.images[0]!.mime).toBe("image/png");
      expect(vision[0]!.images[0]!.bytes.equals(PNG)).toBe(true);

      // Cached: building the card again (a retry, another office) does not ask the model again.
      const db = app.services.database.db;
      const [report] = await db.select().from(reports).where(eq(reports.number, number!));
      const ev = await db.select().from(evidence).where(eq(evidence.reportId, report!.id));
      expect(ev[0]!.machineDescription?.accountName).toBe("Slamet Camat Official");
      expect(report!.machineSummary?.lines).toHaveLength(3);
      await app.ai.cardNotes(db, store)!.prepare(report!, ev);
      expect(stub.requestsFor("image_description")).toHaveLength(1);
      expect(
        stub.requestsFor("report_summary").filter((q) => q.userText.includes("Camat membagikan")),
      ).toHaveLength(1);
    });

    it("a formal report: the reporter's name, address, phone and NIK never reach the model", async () => {
      answerBy({
        story_facts: () => ({ json: storyFacts({ category: "fasilitas_negara" }) }),
        report_summary: () => ({ json: { lines: ["a", "b", "c"] } }),
        image_description: () => ({ status: 500 }),
      });
      const before = stub.requests.length;
      const r = await chat([
        {
          kind: "text",
          text: "Saya Andi Wijaya Kusuma, NIK 3276012345678901, HP 0812-9876-5432. Kemarin Pak Slamet, Camat Metro Pusat, memakai mobil dinas untuk mengangkut massa kampanye paslon 2.",
        },
        { kind: "choice", value: "formal" },
        { kind: "choice", value: "yes" },
        { kind: "choice", value: "yes" },
        { kind: "text", text: "kemarin" },
        { kind: "choice", value: "yes" },
        { kind: "choice", value: "yes" },
        { kind: "choice", value: "yes" },
        { kind: "choice", value: "yes" },
        { kind: "choice", value: "pns" },
        { kind: "text", text: "tidak ada bukti" },
        { kind: "choice", value: "no" },
        { kind: "choice", value: "yes" },
        { kind: "text", text: "Andi Wijaya Kusuma" },
        { kind: "text", text: "Jalan Kenanga Nomor 17, Metro Pusat" },
        { kind: "text", text: "0812-9876-5432" },
        { kind: "choice", value: "submit" },
      ]);
      expect(TRACKING_NUMBER.test(r.at(-1)!), r.join("\n=====\n")).toBe(true);
      await app.worker.drain();
      const sent = stub.requests.slice(before);
      expect(sent.map((q) => q.schemaName).sort()).toEqual(["report_summary", "story_facts"]);
      const all = sent.map((q) => q.raw).join("\n");
      for (const secret of [
        "3276012345678901",
        "Andi",
        "9876",
        "98765432",
        "Jalan Kenanga",
        "Kenanga",
        "Wijaya",
        "Kusuma",
      ])
        expect(all, secret).not.toContain(secret);
    });
  });
}
