/**
 * Officers on WhatsApp Web: an invite code links a group and registers an officer; the report card
 * arrives with numbered actions; the officer takes it up by replying to the card with "1", rejects
 * another with "4 LN-…" and a numbered reason; a stranger is refused and nothing changes; typed
 * commands work; the reporter hears each step in their own WhatsApp chat.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportEvents, reports } from "../../src/db/schema/index.js";
import { testDrivers } from "../support/db.js";
import {
  fileTipOnWhatsApp,
  startWhatsAppApp,
  type WhatsAppTestApp,
} from "../support/whatsapp-fake-client.js";

const GROUP = "120363022222222222@g.us";
const OFFICER = "6281100000001@c.us";
const STRANGER = "6281100000009@c.us";

describe.each(testDrivers())("officers on WhatsApp Web (%s)", (driver) => {
  let t: WhatsAppTestApp;

  beforeAll(async () => {
    t = await startWhatsAppApp(driver);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const status = async (number: string) =>
    (await t.app.services.database.db.select().from(reports).where(eq(reports.number, number)))[0]!.status;

  it("invites, takes up by number on the card, rejects with a numbered reason, refuses a stranger", async () => {
    const { network, app } = t;
    const { code } = await app.officers.invites.create("Bawaslu Kota Metro", { maxUses: 3, actor: "test" });
    network.groupText(GROUP, OFFICER, `/petugas ${code}`);
    await network.waitFor(GROUP, /Grup ini sekarang menerima laporan untuk Bawaslu Kota Metro/);
    network.text(OFFICER, `/petugas ${code.toLowerCase()}`);
    await network.waitFor(OFFICER, /Anda terdaftar sebagai petugas Bawaslu Kota Metro/);
    network.text(OFFICER, "/petugas SALAHKODE1");
    await network.waitFor(OFFICER, /tidak dikenal/);

    const reporter = "6281200000001@c.us";
    const number = await fileTipOnWhatsApp(network, reporter);
    const card = await network.waitFor(
      GROUP,
      (s) => s.text.includes(number) && /1\. ✅ Tindak lanjuti/.test(s.text),
    );
    await expect.poll(() => status(number), { timeout: 15_000 }).toBe("delivered");

    // A stranger in the group answers the card: refused, logged, nothing changes.
    let before = network.sentTo(GROUP).length;
    network.groupText(GROUP, STRANGER, "1", card);
    await network.waitFor(GROUP, /hanya petugas kantor Bawaslu/, { after: before });
    expect(await status(number)).toBe("delivered");
    // Group chatter (not a command, not a number) is ignored.
    network.groupText(GROUP, STRANGER, "siap, terima kasih");

    // The officer replies to the card with "1": taken up; the reporter is told on WhatsApp.
    before = network.sentTo(GROUP).length;
    network.groupText(GROUP, OFFICER, "1", card);
    await network.waitFor(GROUP, new RegExp(`Laporan ${number} dicatat sedang ditindaklanjuti`), {
      after: before,
    });
    expect(await status(number)).toBe("acknowledged");
    // No edits on WhatsApp: a short status line says who took it up and when.
    const line = await network.waitFor(GROUP, new RegExp(`📌 Laporan ${number}: Sedang ditindaklanjuti`), {
      after: before,
    });
    expect(line.text).toMatch(/\nDitindaklanjuti oleh .+, .* WIB$/);
    await network.waitFor(reporter, new RegExp(`sedang menindaklanjuti laporan Anda ${number}`));
    // A number that is not on the card.
    before = network.sentTo(GROUP).length;
    network.groupText(GROUP, OFFICER, "9", card);
    await network.waitFor(GROUP, /Angka itu tidak ada di pilihan/, { after: before });

    // "2" asks the reporter: the officer replies to the prompt with the question; the reporter's
    // answer comes back to the group.
    before = network.sentTo(GROUP).length;
    network.groupText(GROUP, OFFICER, "2", card);
    const prompt = await network.waitFor(GROUP, /Tulis pertanyaan untuk pelapor/, { after: before });
    before = network.sentTo(GROUP).length;
    network.groupText(GROUP, OFFICER, "Jam berapa mobil dinas itu terlihat?", prompt);
    await network.waitFor(GROUP, new RegExp(`Pertanyaan dikirim ke pelapor laporan ${number}`), {
      after: before,
    });
    await network.waitFor(reporter, /«Jam berapa mobil dinas itu terlihat\?»/);
    before = network.sentTo(GROUP).length;
    network.text(reporter, "Sekitar jam 9 pagi, di depan pasar.");
    await network.waitFor(reporter, /sudah diteruskan ke Bawaslu Kota Metro/);
    const relayed = await network.waitFor(GROUP, /Sekitar jam 9 pagi/, { after: before });
    expect(relayed.text).toContain(`Balasan pelapor untuk laporan ${number}`);
    expect(relayed.text).not.toContain(reporter.replace("@c.us", ""));

    // A second report: rejected by "4 LN-…", then the numbered reason by replying to the menu.
    const second = await fileTipOnWhatsApp(network, "6281200000002@c.us", {
      account: "Lurah mengajak warga memilih paslon 1 saat rapat RT di balai kelurahan.",
    });
    await network.waitFor(GROUP, (s) => s.text.includes(second) && /Tindak lanjuti/.test(s.text));
    await expect.poll(() => status(second), { timeout: 15_000 }).toBe("delivered");
    before = network.sentTo(GROUP).length;
    network.groupText(GROUP, OFFICER, `4 ${second.toLowerCase()}`);
    const reasons = await network.waitFor(GROUP, /pilih alasan penolakannya/, { after: before });
    expect(reasons.text).toMatch(
      /\n1\. Bukan tentang ASN\n2\. Informasi tidak cukup\n3\. Duplikat laporan lain\n4\. Alasan lain\n/,
    );
    before = network.sentTo(GROUP).length;
    network.groupText(GROUP, OFFICER, "2", reasons);
    await network.waitFor(GROUP, new RegExp(`Laporan ${second} ditolak`), { after: before });
    expect(await status(second)).toBe("rejected");
    await network.waitFor("6281200000002@c.us", /informasinya tidak cukup/);

    const db = app.services.database.db;
    const [r] = await db.select().from(reports).where(eq(reports.number, second));
    const events = await db.select().from(reportEvents).where(eq(reportEvents.reportId, r!.id));
    expect(events.filter((e) => e.type === "status").map((e) => [e.toStatus, e.actor])).toEqual([
      ["rejected", `whatsapp:${OFFICER}`],
    ]);
  }, 120_000);

  it("typed commands in the group, close by number and a bare outcome number; strangers refused; a citizen's /laporan is the citizen flow", async () => {
    const { network } = t;
    let before = network.sentTo(GROUP).length;
    network.groupText(GROUP, STRANGER, "/laporan");
    await network.waitFor(GROUP, /hanya petugas kantor Bawaslu/, { after: before });
    before = network.sentTo(GROUP).length;
    network.groupText(GROUP, OFFICER, "/laporan");
    const list = await network.waitFor(GROUP, /Laporan terbuka/, { after: before });
    // Officers read labels, never codes.
    expect(list.text).toMatch(/LN-[0-9A-Z]{4}-[0-9A-Z]{4} · menunggu jawaban pelapor · /);
    expect(list.text).not.toMatch(/needs_info|medsos_|fasilitas_negara/);
    before = network.sentTo(GROUP).length;
    network.groupText(GROUP, OFFICER, "/ekspor");
    const doc = await network.waitFor(GROUP, (s) => s.content.kind === "media", { after: before });
    expect(doc.content.kind === "media" && Buffer.from(doc.content.media.data, "base64").toString()).toMatch(
      /^Nomor laporan,Diterima,Jalur,kode_jalur,Status,kode_status/,
    );

    // "5" on the card of the open report, then a bare "1" for the outcome menu just shown: closed.
    const number = /LN-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(list.text)![0];
    const card = await network.waitFor(
      GROUP,
      (s) => s.text.includes(number) && /5\. 🏁 Selesai/.test(s.text),
    );
    before = network.sentTo(GROUP).length;
    network.groupText(GROUP, OFFICER, "5", card);
    const outcomes = await network.waitFor(GROUP, /pilih hasil penanganannya/, { after: before });
    expect(outcomes.text).toMatch(/\n1\. Rekomendasi ke BKN\n2\. Diteruskan ke Gakkumdu\n/);
    before = network.sentTo(GROUP).length;
    network.groupText(GROUP, OFFICER, "1");
    await network.waitFor(GROUP, new RegExp(`Laporan ${number} ditutup`), { after: before });
    expect(await status(number)).toBe("closed");
    await network.waitFor("6281200000001@c.us", /direkomendasikan ke BKN/);

    const citizen = "6281200000003@c.us";
    network.text(citizen, "/laporan");
    const answer = await network.waitFor(citizen, /./);
    expect(answer.text).not.toMatch(/Laporan terbuka|hanya petugas/);
  }, 60_000);
});
