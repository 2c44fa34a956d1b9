/**
 * Officers act on a report from their Telegram group, over the Bot API stand-in: an invite code
 * links the group and registers the officer; the card carries signed buttons; a stranger's press
 * and a forged button are refused; acknowledging and closing with "recommendation to BKN" update
 * the report's history and tell the reporter in their own chat.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { outbox, reportEvents, reports } from "../../src/db/schema/index.js";
import { createLogger } from "../../src/log.js";
import {
  type BotApiStub,
  type SentMessage,
  type StubUser,
  startBotApiStub,
} from "../support/bot-api-stub.js";
import { fileThroughWeb, tipInputs } from "../support/citizen.js";
import { jpegBytes } from "../support/sample-files.js";
import { fileTipOnTelegram } from "../support/telegram-citizen.js";

const TOKEN = "999999:TEST-token-for-the-officer-tests";

/** The callback data of the inline button labelled `label` on a message the bot sent. */
function buttonData(message: SentMessage, label: string): string {
  const keyboard = (message.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] })
    .inline_keyboard;
  const button = keyboard.flat().find((b) => b.text === label);
  if (!button) throw new Error(`no button "${label}" on: ${message.text?.slice(0, 60)}`);
  return button.callback_data;
}

describe("officers on Telegram", () => {
  let stub: BotApiStub;
  let app: App;
  let dataDir: string;
  let officer: StubUser;
  let citizen: StubUser;
  const group = () => stub.group({ type: "supergroup", title: "Petugas Bawaslu Kota Metro" });
  let office: ReturnType<typeof group>;

  beforeAll(async () => {
    stub = await startBotApiStub({ token: TOKEN });
    dataDir = mkdtempSync(join(tmpdir(), "lapor-off-"));
    const config = loadConfig({
      DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: stub.apiRoot,
      WEB_SIMULATOR: "false",
      // This stand-in enforces no limits, and one office group gets far more than 20 messages a
      // minute here (test/channels/telegram-limits.test.ts runs with Telegram's limits).
      TELEGRAM_GROUP_PER_MINUTE: "1000",
    });
    app = await startApp(config, createLogger({ level: "silent" }), { workerIntervalMs: 50 });
    officer = stub.user("Petugas");
    citizen = stub.user("Warga");
    office = group();
  });
  afterAll(async () => {
    await app?.close();
    await stub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const reply = (chatId: number, re: RegExp) =>
    stub.waitForMessage(chatId, { fromStart: true, match: (m) => re.test(m.text ?? "") });

  it("an invite code links the group and registers the officer; bad codes are refused kindly", async () => {
    const { code } = await app.officers.invites.create("Bawaslu Kota Metro", { maxUses: 2, actor: "test" });
    stub.sendCommand(officer, `/petugas ${code}`, { chat: office });
    const linked = await reply(office.id, /Grup ini sekarang menerima laporan untuk Bawaslu Kota Metro/);
    // Linking the group says each officer must also register, in a private chat with the bot.
    expect(linked.text).toMatch(
      /setiap petugas juga perlu mendaftar sendiri[\s\S]*\/petugas KODE[\s\S]*chat pribadi/,
    );
    stub.sendCommand(officer, `/petugas ${code.toLowerCase()}`);
    await reply(officer.id, /Anda terdaftar sebagai petugas Bawaslu Kota Metro/);
    stub.sendCommand(officer, `/petugas ${code}`);
    await reply(officer.id, /sudah habis dipakai/);
    stub.sendCommand(officer, "/petugas SALAHKODE1");
    await reply(officer.id, /tidak dikenal/);
    const old = await app.officers.invites.create("18.72", {
      expiresInHours: 1,
      actor: "test",
      now: new Date(Date.now() - 5 * 3_600_000),
    });
    stub.sendCommand(officer, `/petugas ${old.code}`);
    await reply(officer.id, /kedaluwarsa/);
  });

  it("acknowledge and close from the card; strangers and forged buttons are refused; the reporter hears each step", async () => {
    const number = await fileTipOnTelegram(stub, citizen, {
      category: "medsos_interaksi",
      account: "Guru PNS membagikan dan menyukai unggahan kampanye cabup nomor 2 di Facebook.",
      place: "kota metro",
    });

    const card = await reply(office.id, new RegExp(number));
    const buttons = (
      card.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual([
      "✅ Tindak lanjuti",
      "❓ Tanya pelapor",
      "↪️ Teruskan",
      "✖️ Tolak",
      "🏁 Selesai",
    ]);
    const ack = buttons[0]!.callback_data;
    const close = buttons[4]!.callback_data;

    // A group member who is not an officer, and a forged button.
    const stranger = stub.user("Bukan Petugas");
    stub.pressButton(stranger, card, ack);
    stub.pressButton(officer, card, ack.replace(/:[^:]+$/, ":AAAAAAAAAAAA"), { force: true });
    await expect
      .poll(() => stub.answeredCallbacks.filter((c) => /hanya petugas|tidak sah/.test(c.text ?? "")).length)
      .toBe(2);
    // The refusal says how to register (in a private chat), whole: it fits Telegram's alert.
    const refusal = stub.answeredCallbacks.find((c) => /hanya petugas/.test(c.text ?? ""))!;
    expect(refusal).toMatchObject({ show_alert: true });
    expect(refusal.text).toMatch(
      /mendaftar sendiri di chat pribadi dengan bot: kirim \/petugas KODE dari admin\.$/,
    );
    const db = app.services.database.db;
    const status = async () => (await db.select().from(reports).where(eq(reports.number, number)))[0]!.status;
    await expect.poll(status).toBe("delivered");

    // "🏁 Selesai" before taking up says at once that it must be taken up first; nothing changes.
    stub.pressButton(officer, card, close);
    await expect
      .poll(() =>
        stub.answeredCallbacks.some((c) =>
          (c.text ?? "").includes(`Laporan ${number} belum ditindaklanjuti`),
        ),
      )
      .toBe(true);
    expect(stub.sentTo(office.id).some((m) => /pilih hasil penanganannya/.test(m.text ?? ""))).toBe(false);

    // Taking it up edits the card: its status, who took it up and when (WIB), the actions left.
    const cardNow = () => stub.sentTo(office.id).find((m) => m.message_id === card.message_id)!;
    stub.pressButton(officer, card, ack);
    await reply(office.id, /dicatat sedang ditindaklanjuti/);
    await expect.poll(() => cardNow().text).toMatch(/📌 Status: Sedang ditindaklanjuti/);
    expect(cardNow().edited).toBe(true);
    expect(cardNow().text).toMatch(/\nDitindaklanjuti oleh Petugas, \d{1,2} \w{3} 20\d\d \d\d\.\d\d WIB$/);
    expect(cardNow().text).toContain(`LAPORAN ${number}`);
    const left = () =>
      (cardNow().reply_markup as { inline_keyboard: { text: string }[][] }).inline_keyboard
        .flat()
        .map((b) => b.text);
    expect(left()).toEqual(["❓ Tanya pelapor", "↪️ Teruskan", "✖️ Tolak", "🏁 Selesai"]);
    await stub.waitForMessage(citizen.id, {
      fromStart: true,
      match: (m) => (m.text ?? "").includes(`sedang menindaklanjuti laporan Anda ${number}`),
    });
    stub.pressButton(officer, card, close);
    const outcomes = await reply(office.id, /pilih hasil penanganannya/);
    // The outcome menu is sent as a reply to the card, so choosing from it updates the card too.
    expect(outcomes.message.reply_to_message?.message_id).toBe(card.message_id);
    const bkn = buttonData(outcomes, "Rekomendasi ke BKN");
    stub.pressButton(officer, outcomes, bkn);
    await reply(office.id, new RegExp(`Laporan ${number} ditutup`));
    // Closed: the card says so, by whom, and has no buttons left.
    await expect.poll(() => cardNow().text).toMatch(/📌 Status: Selesai\n.*\nSelesai oleh Petugas, .* WIB$/);
    expect((cardNow().text ?? "").match(/📌 Status/g)).toHaveLength(1);
    expect(left()).toEqual([]);
    const closed = await stub.waitForMessage(citizen.id, {
      fromStart: true,
      match: (m) => /direkomendasikan ke BKN/.test(m.text ?? "") && (m.text ?? "").includes(number),
    });
    expect(closed.text).toMatch(/bukan Bawaslu/);
    expect(await status()).toBe("closed");

    // No double close.
    stub.pressButton(officer, outcomes, bkn);
    await expect
      .poll(
        () =>
          stub.answeredCallbacks.filter((c) =>
            /sudah selesai ditangani; tindakan itu tidak dapat dilakukan lagi/.test(c.text ?? ""),
          ).length,
      )
      .toBe(1);
    const [r] = await db.select().from(reports).where(eq(reports.number, number));
    const events = await db.select().from(reportEvents).where(eq(reportEvents.reportId, r!.id));
    expect(events.filter((e) => e.type === "status").map((e) => [e.fromStatus, e.toStatus, e.actor])).toEqual(
      [
        ["delivered", "acknowledged", `telegram:${officer.id}`],
        ["acknowledged", "closed", `telegram:${officer.id}`],
      ],
    );
    stub.sendCommand(citizen, `/status ${number}`);
    const history = await stub.waitForMessage(citizen.id, {
      fromStart: true,
      match: (m) => /Riwayat/.test(m.text ?? ""),
    });
    expect(history.text).toMatch(/sedang ditangani Bawaslu[\s\S]*selesai ditangani/);
  });

  it("a card says when another report names the same person at the same agency", async () => {
    const first = await fileThroughWeb(app, "web-dup-1", tipInputs({ accused: "Budi Santoso" }));
    const second = await fileThroughWeb(app, "web-dup-2", tipInputs({ accused: "budi santoso" }));
    const card = await reply(office.id, new RegExp(`LAPORAN ${second}`));
    expect(card.text).toContain(`Kemungkinan duplikat dari laporan: ${first}`);
    const other = await fileThroughWeb(app, "web-dup-3", tipInputs({ accused: "Siti Aminah" }));
    const otherCard = await reply(office.id, new RegExp(`LAPORAN ${other}`));
    expect(otherCard.text).not.toMatch(/Kemungkinan duplikat/);
  });

  it("officer commands: list open reports, show one, export CSV, forward to another office", async () => {
    const number = await fileThroughWeb(app, "web-cmd-1", tipInputs({ accused: "Rahmat" }));
    await reply(office.id, new RegExp(`LAPORAN ${number}`));
    const member = stub.user("Anggota Grup");
    stub.sendCommand(member, "/laporan", { chat: office });
    await reply(office.id, /hanya petugas kantor Bawaslu/);
    stub.sendCommand(officer, "/laporan", { chat: office });
    const list = await reply(office.id, /Laporan terbuka/);
    expect(list.text).toContain(number);
    // Officers read labels and office names, never codes.
    expect(list.text).toContain("belum ditindaklanjuti");
    expect(list.text).not.toMatch(/delivered|_/);
    stub.sendCommand(officer, `/lihat ${number.toLowerCase()}`, { chat: office });
    const shown = (
      await reply(office.id, new RegExp(`LAPORAN ${number}[\\s\\S]*Status: belum ditindaklanjuti`))
    ).text!;
    expect(shown).toContain("Terlapor: “Rahmat”");
    expect(shown).toContain(`LAPORAN ${number} untuk Bawaslu Kota Metro`);
    expect(shown).not.toMatch(/18\.72|delivered/);
    stub.sendCommand(officer, "/ekspor", { chat: office });
    const doc = await stub.waitForMessage(office.id, {
      fromStart: true,
      match: (m) => m.method === "sendDocument",
    });
    const csv = stub.fileBytes(doc.fileId!).toString("utf8").split("\r\n");
    expect(csv[0]).toMatch(
      /^Nomor laporan,Diterima,Jalur,kode_jalur,Status,kode_status,Jenis dugaan pelanggaran,kode_jenis,Uraian kejadian/,
    );
    const line = csv.find((l) => l.startsWith(`${number},`))!;
    expect(line).toMatch(
      /,\d{2}\/\d{2}\/\d{4} \d{2}:\d{2} WIB,Informasi awal \(pelapor anonim\),tip,belum ditindaklanjuti,delivered,/,
    );
    expect(line).toContain(",Bawaslu Kota Metro,18.72,");

    // Forward to Kota Solok, whose group receives the card; the reporter is told.
    const solok = stub.group({ type: "supergroup", title: "Bawaslu Kota Solok" });
    await app.services.directory.addDestination("13.72", "telegram", String(solok.id), { actor: "test" });
    stub.sendCommand(officer, `/teruskan ${number} kota solok - terjadi di Kota Solok`, { chat: office });
    await reply(office.id, new RegExp(`Laporan ${number} diteruskan ke Bawaslu Kota Solok`));
    const moved = await reply(solok.id, new RegExp(`LAPORAN ${number} untuk Bawaslu Kota Solok`));
    expect(moved.text).toContain("Kota Solok");
    const row = async () =>
      (await app.services.database.db.select().from(reports).where(eq(reports.number, number)))[0]!;
    await expect.poll(async () => (await row()).status).toBe("delivered");
    expect((await row()).officeCode).toBe("13.72");
    stub.sendCommand(officer, `/lihat ${number}`, { chat: office });
    await reply(office.id, new RegExp(`Laporan ${number} tidak dipegang kantor ini`));
    // The old card's buttons no longer work: the report has moved.
    const oldCard = stub.sentTo(office.id).find((m) => (m.text ?? "").startsWith(`📋 LAPORAN ${number}`))!;
    const oldAck = buttonData(oldCard, "✅ Tindak lanjuti");
    stub.pressButton(officer, oldCard, oldAck);
    await expect
      .poll(() =>
        stub.answeredCallbacks.some((c) => (c.text ?? "").includes(`Laporan ${number} sudah berpindah`)),
      )
      .toBe(true);
    stub.sendCommand(officer, "/teruskan LN-0000-0000 solok", { chat: office });
    await reply(office.id, /tidak dipegang kantor ini/);

    // Rejecting with the officer's own words; the reason is kept in the history.
    const other = await fileThroughWeb(app, "web-cmd-2", tipInputs({ accused: "Yusuf" }));
    await reply(office.id, new RegExp(`LAPORAN ${other}`));
    stub.sendCommand(officer, `/tolak ${other}`, { chat: office });
    await reply(
      office.id,
      /Tulis alasannya: \/tolak NOMOR ALASAN \(alasan ini akan disampaikan kepada pelapor\)/,
    );
    const otherCard = await reply(office.id, new RegExp(`LAPORAN ${other}`));
    const rejectData = buttonData(otherCard, "✖️ Tolak");
    stub.pressButton(officer, otherCard, rejectData);
    const reasons = await reply(office.id, new RegExp(`Laporan ${other}: pilih alasan penolakannya`));
    const otherReason = buttonData(reasons, "Alasan lain");
    stub.pressButton(officer, reasons, otherReason);
    const prompt = await reply(
      office.id,
      new RegExp(`Tulis alasan penolakan laporan ${other}.*Alasan ini akan disampaikan kepada pelapor`),
    );
    stub.sendText(officer, "Terlapor adalah anggota DPRD, bukan ASN.", {
      chat: office,
      replyTo: prompt.message_id,
    });
    await reply(office.id, new RegExp(`Laporan ${other} ditolak`));
    const [rejected] = await app.services.database.db.select().from(reports).where(eq(reports.number, other));
    expect(rejected!.status).toBe("rejected");
    const why = await app.services.database.db
      .select()
      .from(reportEvents)
      .where(eq(reportEvents.reportId, rejected!.id));
    expect(why.find((e) => e.toStatus === "rejected")?.reason).toBe(
      "Terlapor adalah anggota DPRD, bukan ASN.",
    );
    // The reporter is told the reason in the officer's words.
    const told = async () =>
      (await app.services.database.db.select().from(outbox).where(eq(outbox.reportId, rejected!.id)))
        .map((j) => (j.payload as { sent?: string }).sent ?? "")
        .join("\n");
    await expect
      .poll(told)
      .toContain(
        `Laporan Anda ${other} tidak dapat ditindaklanjuti Bawaslu Kota Metro. Alasannya: «Terlapor adalah anggota DPRD, bukan ASN.»`,
      );

    // A citizen typing an officer command in a private chat just gets the citizen flow.
    const someone = stub.user("Warga Lain");
    stub.sendCommand(someone, "/laporan");
    const answer = await stub.waitForMessage(someone.id, { fromStart: true });
    expect(answer.text).not.toMatch(/Perintah petugas/);
  });

  it("a full cycle: take up, ask with the card's button, the reporter answers with a photo (same bytes), close with BKN; the reporter hears each step", async () => {
    const next = (re: RegExp) => stub.waitForMessage(citizen.id, { match: (m) => re.test(m.text ?? "") });
    const number = await fileTipOnTelegram(stub, citizen, {
      category: "foto_simbol",
      account: "Camat berfoto dengan calon sambil mengacungkan dua jari di acara resmi kecamatan.",
      place: "kota metro",
    });
    const card = await reply(office.id, new RegExp(`LAPORAN ${number}`));
    const data = (label: string) => buttonData(card, label);
    stub.pressButton(officer, card, data("✅ Tindak lanjuti"));
    await stub.waitForMessage(citizen.id, {
      fromStart: true,
      match: (m) => (m.text ?? "").includes(`sedang menindaklanjuti laporan Anda ${number}`),
    });

    // "Ask the reporter": the bot asks the officer to reply with the question.
    stub.pressButton(officer, card, data("❓ Tanya pelapor"));
    const prompt = await reply(office.id, new RegExp(`Tulis pertanyaan untuk pelapor laporan ${number}`));
    expect(prompt.reply_markup).toMatchObject({ force_reply: true });
    stub.sendText(officer, "Kapan tepatnya foto itu diambil?", { chat: office, replyTo: prompt.message_id });
    await reply(office.id, new RegExp(`Pertanyaan dikirim ke pelapor laporan ${number}`));
    // The answer to the prompt updates the card too (the prompt remembered which card it came from).
    await expect
      .poll(() => stub.sentTo(office.id).find((m) => m.message_id === card.message_id)?.text)
      .toMatch(/📌 Status: Menunggu jawaban pelapor\nDitindaklanjuti oleh Petugas, .* WIB$/);
    const question = await next(/menanyakan tentang laporan Anda/);
    expect(question.text).toContain("«Kapan tepatnya foto itu diambil?»");
    expect(question.text).not.toContain("Petugas");
    const photo = jpegBytes("foto asli dari HP pelapor");
    stub.sendPhoto(citizen, photo, { caption: "ini fotonya" });
    await next(/pesan Anda sudah diteruskan ke Bawaslu Kota Metro/);
    stub.sendText(citizen, "Fotonya diambil Senin pagi.");
    await reply(office.id, /Balasan pelapor[\s\S]*Fotonya diambil Senin pagi/);
    const doc = await stub.waitForMessage(office.id, {
      fromStart: true,
      match: (m) => m.method === "sendDocument" && (m.text ?? "").includes(number),
    });
    expect(Buffer.compare(stub.fileBytes(doc.fileId!), photo)).toBe(0);
    const [r] = await app.services.database.db.select().from(reports).where(eq(reports.number, number));
    expect(r!.status).toBe("needs_info");

    // Close with "recommendation to BKN": the relay ends with it.
    stub.pressButton(officer, card, data("🏁 Selesai"));
    const outcomes = await reply(office.id, new RegExp(`Laporan ${number}: pilih hasil penanganannya`));
    const bkn = buttonData(outcomes, "Rekomendasi ke BKN");
    stub.pressButton(officer, outcomes, bkn);
    await stub.waitForMessage(citizen.id, {
      fromStart: true,
      match: (m) => /direkomendasikan ke BKN/.test(m.text ?? "") && (m.text ?? "").includes(number),
    });
    stub.sendCommand(officer, `/selesaitanya ${number}`, { chat: office });
    await reply(office.id, new RegExp(`Percakapan dengan pelapor laporan ${number} diakhiri`));
    const before = stub.sentTo(office.id).length;
    stub.sendText(citizen, "halo");
    await next(/Apa yang ingin Anda lakukan|LaporNetral/);
    expect(stub.sentTo(office.id)).toHaveLength(before);
  });
});
