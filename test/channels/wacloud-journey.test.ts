/**
 * The whole WhatsApp Cloud API journey over HTTP: signed webhooks in, the Graph API stand-in out.
 * A citizen files a tip answering by list row, reply buttons, a number and words, with a GPS
 * location, an image, a document and a link; Bawaslu Kota Metro's officer on the Cloud API gets
 * the card with its actions as a list, the files uploaded with the same bytes and the location,
 * takes the report up by choosing a row and closes it; the reporter's update after 25 h goes out as
 * the configured template. A report filed on the Cloud API for Kota Bandar Lampung reaches that
 * office's TELEGRAM group with the same evidence bytes.
 */
import { createHash } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contacts, evidence, outbox, reportEvents, reports } from "../../src/db/schema/index.js";
import { type BotApiStub, startBotApiStub } from "../support/bot-api-stub.js";
import { testDrivers } from "../support/db.js";
import { type GraphApiStub, type SentCloudMessage, startGraphApiStub } from "../support/graph-api-stub.js";
import { jpegBytes, pdfBytes } from "../support/sample-files.js";
import { startWaCloudApp, type WaCloudTestApp } from "../support/wacloud-app.js";
import { fileTipOnWaCloud } from "../support/wacloud-citizen.js";

const TOKEN = "777777:TEST-token-for-the-cross-channel-test";
const LAMPUNG_GROUP = -100_555;
const OFFICER = "6281300000099";
const PHOTO = jpegBytes(`fake jpeg screenshot ${"p".repeat(7000)}`);
const PDF = pdfBytes(`surat edaran ${"d".repeat(3000)}`);
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** The rows of a list message: id and title. */
function rowsOf(m: SentCloudMessage): { id: string; title: string; description?: string }[] {
  const i = m.payload.interactive as { action: { sections: { rows: { id: string; title: string }[] }[] } };
  return i.action.sections.flatMap((s) => s.rows);
}

for (const driver of testDrivers()) {
  describe(`WhatsApp Cloud API journey (${driver})`, { timeout: 120_000 }, () => {
    let stub: GraphApiStub;
    let telegram: BotApiStub;
    let t: WaCloudTestApp;
    let number = "";
    let card: SentCloudMessage;

    beforeAll(async () => {
      stub = await startGraphApiStub();
      telegram = await startBotApiStub({ token: TOKEN });
      t = await startWaCloudApp(stub, driver, {
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        WACLOUD_NOTIFY_TEMPLATE: "pembaruan_laporan",
        WACLOUD_NOTIFY_TEMPLATE_LANG: "id",
      });
      const { directory } = t.app.services;
      await directory.addDestination("18.72", "wacloud", OFFICER, { actor: "test" });
      await directory.addDestination("18.71", "telegram", String(LAMPUNG_GROUP), { actor: "test" });
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await telegram?.close();
      await stub?.close();
    });

    it("a tip with an image, a document, a link and a GPS point reaches Kota Metro's officer on the Cloud API", async () => {
      const citizen = t.user("6281234500001", "Sari");
      number = await fileTipOnWaCloud(stub, citizen, {
        account: "Mobil dinas pelat merah dipakai mengangkut massa kampanye paslon 2 ke lapangan.",
        place: { lat: -5.1131, lon: 105.3067 },
        placeName: "Kota Metro, Lampung",
        files: [
          { bytes: PHOTO, mime: "image/jpeg", caption: "tangkapan layar" },
          { bytes: PDF, mime: "application/pdf", fileName: "surat-edaran.pdf" },
        ],
        link: "https://www.facebook.com/groups/123/posts/456",
      });

      const db = t.app.services.database.db;
      const [report] = await db.select().from(reports).where(eq(reports.number, number));
      expect(report).toMatchObject({
        channel: "wacloud",
        track: "tip",
        category: "fasilitas_negara",
        regionCode: "18.72",
        officeCode: "18.72",
        placeSource: "gps",
      });
      const ev = await db
        .select()
        .from(evidence)
        .where(eq(evidence.reportId, report!.id))
        .orderBy(asc(evidence.id));
      const files = ev.filter((e) => e.kind !== "link");
      expect(files.map((f) => [f.kind, f.mime, f.sha256, f.size])).toEqual([
        ["photo", "image/jpeg", sha(PHOTO), PHOTO.byteLength],
        ["document", "application/pdf", sha(PDF), PDF.byteLength],
      ]);
      expect(files[1]!.fileName).toBe("surat-edaran.pdf");
      expect(files.every((f) => f.platformMessageId?.startsWith("wamid."))).toBe(true);
      expect(ev.filter((e) => e.kind === "link").map((e) => e.url)).toEqual([
        "https://www.facebook.com/groups/123/posts/456",
      ]);

      // The officer's chat gets the card with a list of actions, both files (same bytes), the location.
      card = await stub.waitForMessage(OFFICER, { match: (m) => m.text.includes(number), timeoutMs: 15_000 });
      expect(card.text).toContain("Bawaslu Kota Metro");
      expect(card.text).toContain("Menggunakan fasilitas negara");
      expect((card.payload.interactive as { type: string }).type).toBe("list");
      expect(rowsOf(card).map((r) => r.title)).toEqual([
        "✅ Tindak lanjuti",
        "❓ Tanya pelapor",
        "↪️ Teruskan",
        "✖️ Tolak",
        "🏁 Selesai",
      ]);
      expect(rowsOf(card).every((r) => r.id.startsWith("o:"))).toBe(true);
      const docs: SentCloudMessage[] = [];
      for (let i = 0; i < 2; i++)
        docs.push(await stub.waitForMessage(OFFICER, { match: (m) => m.type === "document" }));
      const sent = docs.map((d) => stub.uploads.get((d.payload.document as { id: string }).id)!);
      expect(sent.map((u) => sha(u.bytes))).toEqual([sha(PHOTO), sha(PDF)]);
      expect(sent.map((u) => u.mime)).toEqual(["image/jpeg", "application/pdf"]);
      // On a tip a file's own name may name the reporter: it is renamed to the report number.
      expect(sent[1]!.fileName).toBe(`${report!.number}-2.pdf`);
      expect(docs[0]!.text).toContain(`SHA-256 ${sha(PHOTO)}`);
      await expect
        .poll(async () => (await db.select().from(reports).where(eq(reports.id, report!.id)))[0]!.status, {
          timeout: 15_000,
        })
        .toBe("delivered");
      const jobs = await db
        .select()
        .from(outbox)
        .where(and(eq(outbox.reportId, report!.id), eq(outbox.kind, "deliver_report")));
      expect(jobs.map((j) => [j.channel, j.status, j.progress])).toEqual([["wacloud", "done", 2]]);
      // The citizen's phone number is in no log line.
      expect(t.logs.filter((l) => l.includes("6281234500001") || l.includes(OFFICER))).toEqual([]);
    });

    it("the officer registers with /petugas, takes the report up by a list row, and closes it; the 25-hour update uses the template", async () => {
      expect(number).not.toBe("");
      const db = t.app.services.database.db;
      const officer = t.user(OFFICER, "Petugas Metro");
      const stranger = t.user("6281300000077", "Bukan Petugas");
      const ack = rowsOf(card).find((r) => r.title.includes("Tindak lanjuti"))!.id;
      const close = rowsOf(card).find((r) => r.title.includes("Selesai"))!.id;

      await stranger.chooseRow(card, ack);
      await stub.waitForMessage(stranger.waId, { match: (m) => /hanya petugas/.test(m.text) });

      const { code } = await t.app.officers.invites.create("18.72", { maxUses: 1, actor: "test" });
      await officer.text(`/petugas ${code}`);
      await stub.waitForMessage(OFFICER, {
        match: (m) => /Anda terdaftar sebagai petugas Bawaslu Kota Metro/.test(m.text),
      });
      await officer.text("/laporan");
      await stub.waitForMessage(OFFICER, { match: (m) => m.text.includes(number) && m.type === "text" });

      await officer.chooseRow(card, ack);
      await stub.waitForMessage(OFFICER, { match: (m) => /sedang ditindaklanjuti/.test(m.text) });
      const [report] = await db.select().from(reports).where(eq(reports.number, number));
      expect(report!.status).toBe("acknowledged");
      const told = await stub.waitForMessage("6281234500001", {
        match: (m) => m.text.includes(number) && /menindaklanjuti/.test(m.text),
      });
      expect(told.type).toBe("text");

      // 25 hours of silence from the reporter: the next update must be the approved template.
      await db
        .update(contacts)
        .set({ lastSeenAt: new Date(Date.now() - 25 * 3_600_000) })
        .where(and(eq(contacts.channel, "wacloud"), eq(contacts.externalId, "6281234500001")));
      await officer.chooseRow(card, close);
      const outcomes = await stub.waitForMessage(OFFICER, {
        match: (m) => /pilih hasil penanganannya/.test(m.text),
      });
      expect((outcomes.payload.interactive as { type: string }).type).toBe("list");
      const bkn = rowsOf(outcomes).find((r) => r.title === "Rekomendasi ke BKN")!;
      await officer.chooseRow(outcomes, bkn.id);
      await stub.waitForMessage(OFFICER, { match: (m) => /ditutup/.test(m.text) });
      const template = await stub.waitForMessage("6281234500001", { match: (m) => m.type === "template" });
      expect(template.payload.template).toMatchObject({
        name: "pembaruan_laporan",
        language: { code: "id" },
      });
      expect(template.text.startsWith(`${number} | `)).toBe(true);
      const events = await db.select().from(reportEvents).where(eq(reportEvents.reportId, report!.id));
      expect(events.filter((e) => e.toStatus).map((e) => [e.toStatus, e.actor])).toEqual([
        ["received", "wacloud:contact"],
        ["delivered", "system:delivery"],
        ["acknowledged", `wacloud:${OFFICER}`],
        ["closed", `wacloud:${OFFICER}`],
      ]);
    });

    it("a report filed on the Cloud API reaches a Telegram office group with the same evidence bytes", async () => {
      const citizen = t.user("6281234500002", "Dedi");
      const n = await fileTipOnWaCloud(stub, citizen, {
        account: "Camat memakai mobil dinas untuk membawa spanduk paslon 1 ke kantor kecamatan.",
        place: "kota bandar lampung",
        placeName: "Kota Bandar Lampung, Lampung",
        files: [{ bytes: PHOTO, mime: "image/jpeg" }],
      });
      const cardTg = await telegram.waitForMessage(LAMPUNG_GROUP, {
        fromStart: true,
        match: (m) => (m.text ?? "").includes(n),
        timeoutMs: 15_000,
      });
      expect(cardTg.text).toContain("Bawaslu Kota Bandar Lampung");
      const doc = await telegram.waitForMessage(LAMPUNG_GROUP, {
        fromStart: true,
        match: (m) => m.method === "sendDocument",
      });
      expect(sha(telegram.fileBytes(doc.fileId!))).toBe(sha(PHOTO));
      expect(stub.sentTo(OFFICER).some((m) => m.text.includes(n))).toBe(false);
    });
  });
}
