/**
 * The whole complaint journey on WhatsApp Web, through the real app with a fake client that emits
 * whatsapp-web.js-shaped messages: choices answered by number and by words, a shared location, a
 * picture, a PDF and a link; the report is saved with the evidence's SHA-256 and delivered to the
 * office's WhatsApp group (card with numbered actions, the same bytes, the location). Then the
 * edges: expired media, groups, status broadcasts, own messages, `@lid` senders, duplicates.
 */
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contacts, evidence, outbox, reports } from "../../src/db/schema/index.js";
import { TRACKING_NUMBER } from "../support/citizen.js";
import { testDrivers } from "../support/db.js";
import { startWhatsAppApp, type WhatsAppTestApp } from "../support/whatsapp-fake-client.js";

const OFFICE_GROUP = "120363025555555555@g.us";
const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("jpeg bytes ".repeat(400))]);
const PDF = Buffer.from(`%PDF-1.4\n${"surat tugas ".repeat(300)}\n%%EOF`);
const LINK = "https://www.facebook.com/dishub.metro/posts/1234567890";
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe.each(testDrivers())("WhatsApp Web journey (%s)", (driver) => {
  let t: WhatsAppTestApp;

  beforeAll(async () => {
    t = await startWhatsAppApp(driver);
    await t.app.services.directory.addDestination("18.72", "whatsapp", OFFICE_GROUP, { actor: "test" });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  /** Sends a text and waits for the bot's answer matching `re`. */
  const say = async (chat: string, body: string, re: RegExp) => {
    const before = t.network.sentTo(chat).length;
    t.network.text(chat, body);
    return t.network.waitFor(chat, re, { after: before });
  };

  it("files a tip with a location, a picture, a PDF and a link; the office group gets it all", async () => {
    const { network, app } = t;
    const me = "6281234500001@c.us";
    const welcome = await say(me, "/lapor", /Pilih cara melapor/);
    // A numbered menu, in the flow's order, with the hint.
    expect(welcome.text).toMatch(
      /\n1\. Informasi awal \(tanpa identitas\)\n2\. Laporan resmi \(dengan identitas\)\n\nBalas dengan angka atau kata\.$/,
    );
    const category = await say(me, "1", /Apa yang dilakukan ASN/);
    expect(category.text).toMatch(/\n8\. Menggunakan fasilitas negara\n/);
    await say(me, "menggunakan fasilitas negara", /Ceritakan kejadiannya/);
    await say(me, "Mobil dinas pelat merah dipakai mengangkut massa kampanye paslon 2.", /Kapan kejadiannya/);
    const where = await say(me, "kemarin", /Di mana kejadiannya/);
    expect(where.text).toContain("📎 → Lokasi");
    let before = network.sentTo(me).length;
    network.location(me, -5.1131, 105.3067);
    await network.waitFor(me, /Kota Metro, Lampung\?/, { after: before });
    await say(me, "1", /Siapa nama ASN/);
    await say(me, "tidak tahu", /Apa jabatannya/);
    await say(me, "Kepala Dinas", /Di instansi/);
    await say(me, "dishub kota metro", /PNS atau PPPK/);
    await say(me, "PNS", /Kirim bukti/);
    before = network.sentTo(me).length;
    network.file(me, { type: "image", mimetype: "image/jpeg", bytes: PHOTO, caption: "mobil dinas" });
    await network.waitFor(me, /Diterima: 1 file/, { after: before });
    before = network.sentTo(me).length;
    network.file(me, {
      type: "document",
      mimetype: "application/pdf",
      bytes: PDF,
      filename: "surat-tugas.pdf",
    });
    await network.waitFor(me, /Diterima: 2 file/, { after: before });
    await say(me, `ini postingannya ${LINK}`, /1 tautan/);
    const summary = await say(me, "selesai", /ringkasan/i);
    expect(summary.text).toMatch(/\d\. Kirim\n/);
    const receipt = await say(me, "kirim", TRACKING_NUMBER);
    const number = TRACKING_NUMBER.exec(receipt.text)![0];

    // Saved: the report, the two files with the SHA-256 of the bytes sent, and the link.
    const db = app.services.database.db;
    const [report] = await db.select().from(reports).where(eq(reports.number, number));
    expect(report).toMatchObject({
      channel: "whatsapp",
      track: "tip",
      category: "fasilitas_negara",
      regionCode: "18.72",
      officeCode: "18.72",
      placeSource: "gps",
    });
    const ev = await db.select().from(evidence).where(eq(evidence.reportId, report!.id));
    const files = ev.filter((e) => e.kind !== "link");
    expect(files.map((f) => [f.kind, f.mime, f.sha256, f.size])).toEqual([
      ["photo", "image/jpeg", sha(PHOTO), PHOTO.byteLength],
      ["document", "application/pdf", sha(PDF), PDF.byteLength],
    ]);
    expect(files[1]!.fileName).toBe("surat-tugas.pdf");
    // The evidence's message id does not carry the chat id (a phone number).
    expect(files.every((f) => !String(f.platformMessageId).includes("6281234500001"))).toBe(true);
    expect(ev.filter((e) => e.kind === "link").map((e) => e.url)).toEqual([LINK]);
    const [contact] = await db.select().from(contacts).where(eq(contacts.id, report!.contactId));
    expect(contact).toMatchObject({ channel: "whatsapp", externalId: me });

    // Delivered to the office group: the card with numbered actions, each file as sent, the location.
    const card = await network.waitFor(OFFICE_GROUP, (s) => s.text.includes(number));
    expect(card.text).toContain("Bawaslu Kota Metro");
    expect(card.text).toContain("Menggunakan fasilitas negara");
    expect(card.text).toMatch(
      /\n1\. ✅ Tindak lanjuti\n2\. ❓ Tanya pelapor\n3\. ↪️ Teruskan\n4\. ✖️ Tolak\n5\. 🏁 Selesai\n/,
    );
    expect(card.text).toContain(`1 ${number}`);
    const media = await network.waitFor(
      OFFICE_GROUP,
      (s) => s.content.kind === "media" && /2\/2/.test(s.text),
    );
    const sentFiles = network
      .sentTo(OFFICE_GROUP)
      .flatMap((s) => (s.content.kind === "media" ? [s.content] : []));
    expect(sentFiles.map((m) => sha(Buffer.from(m.media.data, "base64")))).toEqual([sha(PHOTO), sha(PDF)]);
    expect(sentFiles.map((m) => m.media.mimetype)).toEqual(["image/jpeg", "application/pdf"]);
    // A tip's files are renamed to the report number: their own names may identify the reporter.
    expect(sentFiles[1]!.media.filename).toBe(`${number}-2.pdf`);
    expect(media.text).toContain(`SHA-256 ${sha(PDF)}`);
    await expect
      .poll(async () => (await db.select().from(reports).where(eq(reports.id, report!.id)))[0]!.status, {
        timeout: 15_000,
      })
      .toBe("delivered");
    const jobs = await db.select().from(outbox).where(eq(outbox.reportId, report!.id));
    // The card and the files; a tip's GPS point is the citizen's own position and is never sent.
    expect(jobs.map((j) => [j.channel, j.status, j.progress])).toEqual([["whatsapp", "done", 2]]);
    expect(network.sentTo(OFFICE_GROUP).some((s) => s.content.kind === "location")).toBe(false);
    // Sent once each.
    expect(network.sentTo(OFFICE_GROUP).filter((s) => s.text.includes("Tindak lanjuti"))).toHaveLength(1);
  }, 60_000);

  it("expired media gets 'send it again' and the flow goes on", async () => {
    const { network } = t;
    const me = "6281234500002@c.us";
    await say(me, "/lapor", /Pilih cara melapor/);
    await say(me, "informasi awal", /Apa yang dilakukan ASN/);
    await say(me, "8", /Ceritakan kejadiannya/);
    await say(me, "Camat memakai mobil dinas untuk kampanye di pasar.", /Kapan kejadiannya/);
    await say(me, "hari ini", /Di mana kejadiannya/);
    await say(me, "kota metro", /Kota Metro, Lampung\?/);
    await say(me, "ya", /Siapa nama ASN/);
    await say(me, "tidak tahu", /Apa jabatannya/);
    await say(me, "tidak tahu", /Di instansi/);
    await say(me, "tidak tahu", /PNS atau PPPK/);
    await say(me, "tidak tahu", /Kirim bukti/);
    let before = network.sentTo(me).length;
    network.file(me, { type: "image", mimetype: "image/jpeg", bytes: PHOTO, expired: true });
    const again = await network.waitFor(me, /gagal kami terima.*kirim sekali lagi/, { after: before });
    expect(again.text).not.toMatch(/Diterima: 1 file/);
    before = network.sentTo(me).length;
    network.file(me, { type: "image", mimetype: "image/jpeg", bytes: PHOTO });
    await network.waitFor(me, /Diterima: 1 file/, { after: before });
  }, 60_000);

  it("ignores group chatter, status broadcasts and its own messages; a sticker gets a kind answer", async () => {
    const { network } = t;
    const group = "120363099999999999@g.us";
    network.groupText(group, "6281234500003@c.us", "/lapor");
    network.groupText(group, "6281234500003@c.us", "halo semua");
    network.deliver(
      network.message("status@broadcast", { body: "/lapor", isStatus: true, author: "6281234500004@c.us" }),
    );
    const own = "6281234500005@c.us";
    network.deliver(network.message(own, { body: "/lapor", fromMe: true }));
    // A later private message is answered; by then the ones before were handled (and ignored).
    const me = "6281234500006@c.us";
    await say(me, "/lapor", /Pilih cara melapor/);
    network.sticker(me);
    await network.waitFor(me, /stiker/);
    expect(network.sentTo(group)).toHaveLength(0);
    expect(network.sentTo("status@broadcast")).toHaveLength(0);
    expect(network.sentTo(own)).toHaveLength(0);
    const db = t.app.services.database.db;
    const known = (await db.select().from(contacts)).map((c) => c.externalId);
    expect(known).not.toContain(own);
    expect(known).not.toContain("6281234500003@c.us");
  }, 30_000);

  it("maps an @lid sender to its phone-number id: one contact; a duplicate message id is handled once", async () => {
    const { network } = t;
    const lid = "123456789012345@lid";
    const phone = "6281234500007@c.us";
    network.lids.set(lid, phone);
    const first = network.message(lid, { body: "/lapor" });
    network.deliver(first);
    await network.waitFor(lid, /Pilih cara melapor/);
    network.deliver(first); // the same message again (as after a reconnect)
    const before = network.sentTo(lid).length;
    network.text(phone, "2"); // the same person, seen by phone number
    await network.waitFor(phone, /Apa yang dilakukan ASN/);
    expect(
      network
        .sentTo(lid)
        .slice(before)
        .filter((s) => /Pilih cara melapor/.test(s.text)),
    ).toHaveLength(0);
    expect(network.sentTo(lid).filter((s) => /Pilih cara melapor/.test(s.text))).toHaveLength(1);
    const db = t.app.services.database.db;
    const rows = await db.select().from(contacts).where(eq(contacts.channel, "whatsapp"));
    expect(rows.map((c) => c.externalId)).toContain(phone);
    expect(rows.map((c) => c.externalId)).not.toContain(lid);
  }, 30_000);
});
