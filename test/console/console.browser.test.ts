/**
 * The office console in Debian's Chromium (playwright-core), against the real program and the Bot
 * API stand-in: an officer sends /masuk, opens the link, sees a report a citizen just filed on
 * Telegram arrive live, opens its evidence (same SHA-256), takes it up (the reporter is told), asks
 * a question and reads the reporter's answer with its file, filters and searches, clicks a regency
 * on the map, reads the statistics, downloads the XLSX and a formal report's B.1 PDF; an officer of
 * another office gets 404; used and expired links are refused; a disabled officer is signed out.
 * A screenshot of every page (360 px wide) is kept in test/artifacts/.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { inflateSync } from "node:zlib";
import { and, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { ConsoleAuth } from "../../src/console/auth.js";
import { auditLog, consoleSessions, evidence, officers, reports } from "../../src/db/schema/index.js";
import type { Inbound } from "../../src/engine/types.js";
import { createLogger } from "../../src/log.js";
import {
  type BotApiStub,
  type SentMessage,
  type StubUser,
  startBotApiStub,
} from "../support/bot-api-stub.js";
import { fileThroughWeb } from "../support/citizen.js";
import { jpegBytes } from "../support/sample-files.js";

const TOKEN = "999999:TEST-token-for-the-console-tests";
const ARTIFACTS = resolve(import.meta.dirname, "../artifacts");
const PHOTO = jpegBytes(`screenshot of a campaign post ${"x".repeat(4000)}`);
const ANSWER_PHOTO = jpegBytes(`the reporter's second photo ${"y".repeat(3000)}`);
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const LINK = /http:\/\/127\.0\.0\.1:\d+\/konsol\/masuk\/[A-Za-z0-9_-]+/;

/** A formal report in Kota Metro with two witnesses and the reporter's identity (web channel). */
const FORMAL: Inbound[] = [
  { kind: "command", name: "lapor", args: "" },
  { kind: "text", text: "laporan resmi" },
  { kind: "text", text: "kampanye di media sosial" },
  {
    kind: "text",
    text: "Guru PNS di SDN 1 Metro memposting ajakan memilih paslon nomor 1 di Facebook dan membagikannya ke grup wali murid.",
  },
  { kind: "text", text: "kemarin" },
  { kind: "choice", value: "kemarin" },
  { kind: "text", text: "kota metro" },
  { kind: "text", text: "iya benar" },
  { kind: "text", text: "Budi Santoso" },
  { kind: "text", text: "guru" },
  { kind: "text", text: "SDN 1 Metro" },
  { kind: "text", text: "PNS" },
  { kind: "text", text: "ini postingannya https://www.facebook.com/budi.santoso/posts/987654" },
  { kind: "text", text: "selesai" },
  { kind: "choice", value: "yes" },
  { kind: "text", text: "Siti Aminah" },
  { kind: "text", text: "0812 3456 7890" },
  { kind: "choice", value: "no" },
  { kind: "choice", value: "yes" },
  { kind: "text", text: "Rina Wulandari" },
  { kind: "text", text: "Jl. Ahmad Yani No. 12, Metro Pusat" },
  { kind: "text", text: "+62 821-1111-2222" },
  { kind: "text", text: "kirim" },
];

describe("office console in Chromium", () => {
  let stub: BotApiStub;
  let app: App;
  let dataDir: string;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let officer: StubUser;
  let other: StubUser;
  let citizen: StubUser;
  let group: ReturnType<BotApiStub["group"]>;
  let firstLink = "";
  let number = "";
  let formal = "";

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    stub = await startBotApiStub({ token: TOKEN });
    dataDir = mkdtempSync(join(tmpdir(), "lapor-console-"));
    const config = loadConfig({
      DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: stub.apiRoot,
      WEB_SIMULATOR: "false",
      CONSOLE: "true",
      PORT: "0",
    });
    app = await startApp(config, createLogger({ level: "silent" }), { workerIntervalMs: 50 });
    officer = stub.user("Dewi", { last_name: "Petugas" } as never);
    other = stub.user("Agus");
    citizen = stub.user("Warga");
    group = stub.group({ type: "supergroup", title: "Petugas Bawaslu Kota Metro" });
    const metro = await app.officers.invites.create("18.72", { maxUses: 2, actor: "test" });
    stub.sendCommand(officer, `/petugas ${metro.code}`, { chat: group });
    await reply(group.id, /Grup ini sekarang menerima laporan/);
    stub.sendCommand(officer, `/petugas ${metro.code}`);
    await reply(officer.id, /Anda terdaftar sebagai petugas Bawaslu Kota Metro/);
    const tengah = await app.officers.invites.create("18.02", { actor: "test" });
    stub.sendCommand(other, `/petugas ${tengah.code}`);
    await reply(other.id, /Anda terdaftar sebagai petugas/);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    ctx = await browser.newContext({ viewport: { width: 360, height: 780 }, acceptDownloads: true });
    page = await ctx.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await stub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function reply(chatId: number, re: RegExp): Promise<SentMessage> {
    return stub.waitForMessage(chatId, { fromStart: true, match: (m) => re.test(m.text ?? "") });
  }
  const shot = (name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });
  const db = () => app.services.database.db;

  /** /masuk in the officer's private chat; resolves to the link. */
  async function masuk(user: StubUser): Promise<string> {
    const before = stub.sentTo(user.id).length;
    stub.sendCommand(user, "/masuk");
    const m = await stub.waitForMessage(user.id, {
      match: (x) => stub.sentTo(user.id).indexOf(x) >= before && LINK.test(x.text ?? ""),
    });
    return LINK.exec(m.text!)![0];
  }

  async function signIn(p: Page, link: string): Promise<void> {
    await p.goto(link);
    await p.getByRole("button", { name: "Masuk" }).click();
    await p.waitForURL(/\/konsol$/);
  }

  it("/masuk answers with a one-time link in a private chat only, and the link signs in", async () => {
    stub.sendCommand(officer, "/masuk", { chat: group });
    await reply(group.id, /Kirim \/masuk di chat pribadi/);
    firstLink = await masuk(officer);
    // Visiting the link (as a chat app's link preview would) does not spend it; the button does.
    await page.goto(firstLink);
    await shot("signin");
    await signIn(page, firstLink);
    await contains(page.locator("header"), "Bawaslu Kota Metro");
    const cookies = await ctx.cookies();
    const c = cookies.find((x) => x.name === "konsol")!;
    expect(c).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/konsol" });
    expect(c.expires - Date.now() / 1000).toBeGreaterThan(11 * 3600);
    const res = await page.request.get(`${app.web!.url}/konsol`);
    expect(res.headers()["content-security-policy"]).toContain("script-src 'self'");
    expect(res.headers()["x-content-type-options"]).toBe("nosniff");
  });

  it("a report filed on Telegram appears live; its evidence has the same SHA-256", async () => {
    await page.goto(`${app.web!.url}/konsol`);
    expect(await page.locator("#baru").isHidden()).toBe(true);
    number = await fileTipWithPhoto();
    // Server-sent events: the notice appears without reloading.
    await page.locator("#baru").waitFor({ state: "visible", timeout: 10_000 });
    await page.getByRole("link", { name: "Muat ulang" }).click();
    await page.getByRole("link", { name: number }).click();
    await contains(page.locator("h1"), number);
    await contains(page.locator("body"), "Dinas Perhubungan Kota Metro");
    await contains(page.locator("body"), "Tidak ditampilkan (informasi awal");
    await expect.poll(() => page.locator(".hash code").first().textContent()).toBe(sha(PHOTO));
    await contains(page.locator(".evidence"), "tangkapan layar postingan");
    const src = await page.locator(".evidence img").first().getAttribute("src");
    const file = await page.request.get(`${app.web!.url}${src}`);
    expect(file.status()).toBe(200);
    expect(sha(await file.body())).toBe(sha(PHOTO));
    expect(file.headers()["content-disposition"]).toMatch(
      new RegExp(`^inline; filename="${number}-\\d+\\.jpg"`),
    );
    await shot("report-new");
  });

  it("take up from the console: the reporter is told as from chat", async () => {
    await page.getByRole("button", { name: "✅ Tindak lanjuti" }).click();
    await contains(page.locator(".flash.ok"), number);
    await expect.poll(() => page.locator("h1 .status").textContent()).toBe("Ditindaklanjuti");
    await stub.waitForMessage(citizen.id, {
      fromStart: true,
      match: (m) => (m.text ?? "").includes(`sedang menindaklanjuti laporan Anda ${number}`),
    });
    const [r] = await db().select().from(reports).where(eq(reports.number, number));
    expect(r!.status).toBe("acknowledged");
    await contains(page.locator(".timeline"), "Dewi");
  });

  it("ask the reporter; their answer and its file appear in the conversation", async () => {
    await page
      .getByLabel("Kirim pertanyaan atau balasan ke pelapor")
      .fill("Kapan tepatnya foto itu diambil?");
    await page.getByRole("button", { name: "Kirim", exact: true }).click();
    await contains(page.locator(".flash.ok"), "Pertanyaan dikirim");
    const question = await stub.waitForMessage(citizen.id, {
      fromStart: true,
      match: (m) => /menanyakan tentang laporan Anda/.test(m.text ?? ""),
    });
    expect(question.text).toContain("Kapan tepatnya foto itu diambil?");
    stub.sendText(citizen, "Fotonya diambil Senin pagi di depan kantor dinas.");
    await reply(group.id, /Balasan pelapor[\s\S]*Fotonya diambil Senin pagi/);
    stub.sendPhoto(citizen, ANSWER_PHOTO, { caption: "foto kedua" });
    await stub.waitForMessage(group.id, {
      fromStart: true,
      match: (m) => m.method === "sendDocument" && (m.text ?? "").includes(sha(ANSWER_PHOTO).slice(0, 16)),
    });
    await page.reload();
    const chat = page.locator(".chat");
    await contains(chat, "Kapan tepatnya foto itu diambil?");
    await contains(chat, "Fotonya diambil Senin pagi");
    await contains(chat, `SHA-256 ${sha(ANSWER_PHOTO).slice(0, 16)}`);
    const href = await chat.getByRole("link", { name: "Buka file" }).last().getAttribute("href");
    const file = await page.request.get(`${app.web!.url}${href}`);
    expect(sha(await file.body())).toBe(sha(ANSWER_PHOTO));
    await expect.poll(() => page.locator("h1 .status").textContent()).toBe("Perlu keterangan");
    await shot("report-conversation");
  });

  it("filters and full-text search", async () => {
    formal = await fileThroughWeb(app, "console-formal-visitor", FORMAL);
    await page.goto(`${app.web!.url}/konsol`);
    await contains(page.locator("table.list"), number);
    await contains(page.locator("table.list"), formal);
    await page.locator("details.filters summary").click();
    await page.getByLabel("Cari (nomor, akun, terlapor, jabatan, instansi)").fill("budi sant");
    await page.getByRole("button", { name: "Terapkan" }).click();
    await contains(page.locator("table.list"), formal);
    await lacks(page.locator("table.list"), number);
    await page.goto(`${app.web!.url}/konsol?q=${number}`);
    await expect.poll(() => page.locator("table.list tbody tr").count()).toBe(1);
    await page.goto(`${app.web!.url}/konsol`);
    await page.locator(".chips a", { hasText: "Perlu keterangan" }).click();
    await contains(page.locator("table.list"), number);
    await lacks(page.locator("table.list"), formal);
    await page.goto(`${app.web!.url}/konsol?track=formal&evidence=1`);
    await expect.poll(() => page.locator("table.list tbody tr").count()).toBe(1);
    await contains(page.locator("table.list"), formal);
    await page.goto(`${app.web!.url}/konsol?status=closed`);
    await contains(page.locator("main"), "Tidak ada laporan yang cocok");
    await page.goto(`${app.web!.url}/konsol`);
    await shot("list");
    await page.goto(`${app.web!.url}/konsol/tenggat`);
    await contains(page.locator("table"), "Bawaslu Kota Metro");
    await shot("deadlines");
  });

  it("the map: clicking Kota Metro lists its reports", async () => {
    await page.goto(`${app.web!.url}/konsol/peta`);
    expect(await page.locator("svg.map a").count()).toBe(514);
    const metro = page.locator('svg.map a[data-code="18.72"]');
    expect(await metro.getAttribute("aria-label")).toBe("Kota Metro: 2");
    await shot("map");
    await metro.click({ force: true });
    await page.waitForURL(/regency=18\.72/);
    await contains(page.locator("table.list"), number);
  });

  it("statistics, the XLSX and the B.1 PDF", async () => {
    await page.goto(`${app.web!.url}/konsol/statistik`);
    const category = page.locator("section", { has: page.locator("#st-category") });
    await contains(category, "Menggunakan fasilitas negara");
    await contains(page.locator("section", { has: page.locator("#st-regency") }), "Kota Metro");
    await shot("stats");
    const csv = await page.request.get(`${app.web!.url}/konsol/statistik/track.csv`);
    expect(await csv.text()).toContain("Informasi awal,tip,1");

    await page.goto(`${app.web!.url}/konsol`);
    const [xlsx] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Excel (XLSX)" }).click(),
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await xlsx.path())!) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = ws.getRow(1).values as unknown[];
    expect(header).toContain("Nomor");
    const numbers = ws.getColumn(1).values.slice(2);
    expect(numbers).toEqual(expect.arrayContaining([number, formal]));

    await page.goto(`${app.web!.url}/konsol/laporan/${formal}`);
    await contains(page.locator("body"), "Rina Wulandari");
    await shot("report-formal");
    const [pdf] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Unduh Formulir Model B.1 (PDF)" }).click(),
    ]);
    const text = pdfText(readFileSync((await pdf.path())!));
    for (const s of [
      "FORMULIR MODEL B.1",
      formal,
      "Rina Wulandari",
      "Budi Santoso",
      "Siti Aminah",
      "Bawaslu Kota Metro",
    ])
      expect(text).toContain(s);
    const views = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "report.identity_view"), eq(auditLog.entityKey, formal)));
    expect(views.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(views)).not.toContain("Rina");
  });

  it("an officer of another office gets 404 for the report and its files", async () => {
    const link = await masuk(other);
    const ctx2 = await browser.newContext({ viewport: { width: 360, height: 780 } });
    const p2 = await ctx2.newPage();
    await signIn(p2, link);
    await contains(p2.locator("header"), "Lampung Tengah");
    await lacks(p2.locator("main"), number);
    const [ev] = await db()
      .select({ id: evidence.id })
      .from(evidence)
      .innerJoin(reports, eq(reports.id, evidence.reportId))
      .where(eq(reports.number, number));
    for (const path of [
      `/konsol/laporan/${number}`,
      `/konsol/bukti/${ev!.id}`,
      `/konsol/laporan/${formal}/b1.pdf`,
    ]) {
      const res = await p2.request.get(`${app.web!.url}${path}`);
      expect(res.status(), path).toBe(404);
    }
    const res = await p2.goto(`${app.web!.url}/konsol/laporan/${number}`);
    expect(res!.status()).toBe(404);
    await p2.screenshot({ path: join(ARTIFACTS, "console-404-other-office.png"), fullPage: true });
    await ctx2.close();
  });

  it("a used or expired link is refused", async () => {
    const ctx3 = await browser.newContext();
    const p3 = await ctx3.newPage();
    await p3.goto(firstLink);
    await p3.getByRole("button", { name: "Masuk" }).click();
    await contains(p3.locator("main"), "tidak berlaku lagi");
    const [o] = await db()
      .select()
      .from(officers)
      .where(eq(officers.userId, String(officer.id)));
    const old = await new ConsoleAuth(db()).createLink(
      { officeCode: "18.72", officerId: o!.id, role: "officer", createdBy: "test" },
      new Date(Date.now() - 11 * 60_000),
    );
    await p3.goto(`${app.web!.url}/konsol/masuk/${old}`);
    await p3.getByRole("button", { name: "Masuk" }).click();
    await contains(p3.locator("main"), "tidak berlaku lagi");
    await p3.screenshot({ path: join(ARTIFACTS, "console-link-refused.png"), fullPage: true });
    expect((await ctx3.cookies()).find((c) => c.name === "konsol")).toBeUndefined();
    await ctx3.close();
  });

  it("a disabled officer is signed out at once", async () => {
    await page.goto(`${app.web!.url}/konsol`);
    await contains(page.locator("header"), "Keluar");
    await db()
      .update(officers)
      .set({ active: false })
      .where(eq(officers.userId, String(officer.id)));
    const res = await page.goto(`${app.web!.url}/konsol`);
    expect(res!.status()).toBe(401);
    await contains(page.locator("main"), "Kirim /masuk");
    const [o] = await db()
      .select()
      .from(officers)
      .where(eq(officers.userId, String(officer.id)));
    expect(
      await db().select().from(consoleSessions).where(eq(consoleSessions.officerId, o!.id)),
    ).toHaveLength(0);
  });

  /** The citizen files a tip on Telegram with a screenshot; resolves to the tracking number. */
  async function fileTipWithPhoto(): Promise<string> {
    const next = (re: RegExp) => stub.waitForMessage(citizen.id, { match: (m) => re.test(m.text ?? "") });
    const press = (m: SentMessage, value: string) => stub.pressButton(citizen, m, `c:${value}`);
    stub.sendCommand(citizen, "/lapor");
    press(await next(/Pilih cara melapor/), "tip");
    press(await next(/Apa yang dilakukan ASN/), "fasilitas_negara");
    await next(/Ceritakan kejadiannya/);
    stub.sendText(citizen, "Mobil dinas pelat merah dipakai mengangkut massa kampanye paslon 2 ke lapangan.");
    press(await next(/Kapan kejadiannya/), "kemarin");
    await next(/Di mana kejadiannya/);
    stub.sendLocation(citizen, -5.1131, 105.3067);
    press(await next(/Kota Metro, Lampung\?/), "yes");
    press(await next(/Siapa nama ASN/), "none");
    await next(/Apa jabatannya/);
    stub.sendText(citizen, "Kepala Dinas");
    await next(/Di instansi atau kantor mana/);
    stub.sendText(citizen, "dishub kota metro");
    await next(/PNS atau PPPK/);
    stub.sendText(citizen, "PNS");
    await next(/Kirim bukti/);
    stub.sendPhoto(citizen, PHOTO, { caption: "tangkapan layar postingan" });
    press(await next(/Diterima: 1 file/), "done");
    press(await next(/ringkasan/), "submit");
    return /LN-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec((await next(/LN-[0-9A-Z]{4}-[0-9A-Z]{4}/)).text!)![0];
  }
});

/** Waits until the element's text contains `text`. */
async function contains(l: Locator, text: string): Promise<void> {
  await expect.poll(async () => (await l.textContent()) ?? "", { timeout: 10_000 }).toContain(text);
}

/** The element's text does not contain `text`. */
async function lacks(l: Locator, text: string): Promise<void> {
  expect((await l.textContent()) ?? "").not.toContain(text);
}

/** The text of a PDF: pdftotext when installed, else the strings of its inflated content streams. */
function pdfText(bytes: Buffer): string {
  if (existsSync("/usr/bin/pdftotext")) {
    return execFileSync("/usr/bin/pdftotext", ["-", "-"], { input: bytes }).toString("utf8");
  }
  let out = "";
  const raw = bytes.toString("latin1");
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    try {
      const s = inflateSync(Buffer.from(m[1]!, "latin1")).toString("latin1");
      for (const t of s.matchAll(/<([0-9a-f]+)>/gi)) out += Buffer.from(t[1]!, "hex").toString("latin1");
      out += "\n";
    } catch {
      // not a compressed stream
    }
  }
  return out;
}
