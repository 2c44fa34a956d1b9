/**
 * The newcomer's first minute in demo mode (simulator on, no tokens, 127.0.0.1), in Chromium: the
 * chat's old buttons are disabled after use and the conversation survives a reload; the office
 * inbox shows a formal report's card with its reporter (as the office receives it), names evidence
 * downloads after the report, and links to the console signed in as that office, where taking the
 * report up reaches the citizen in the simulator.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { Inbound } from "../../src/engine/types.js";
import { createLogger } from "../../src/log.js";
import { EvidenceStore } from "../../src/reports/evidence-store.js";
import { fileThroughWeb } from "../support/citizen.js";
import { jpegBytes } from "../support/sample-files.js";

const ARTIFACTS = resolve(import.meta.dirname, "../artifacts");

const FORMAL: Inbound[] = [
  { kind: "command", name: "lapor", args: "" },
  { kind: "choice", value: "formal" },
  { kind: "text", text: "kampanye di media sosial" },
  {
    kind: "text",
    text: "Guru PNS di SDN 1 Metro memposting ajakan memilih paslon nomor 1 di grup wali murid.",
  },
  { kind: "text", text: "kemarin" },
  { kind: "choice", value: "kemarin" },
  { kind: "text", text: "kota metro" },
  { kind: "text", text: "iya benar" },
  { kind: "text", text: "Budi Santoso" },
  { kind: "text", text: "guru" },
  { kind: "text", text: "SDN 1 Metro" },
  { kind: "text", text: "PNS" },
  { kind: "text", text: "https://www.facebook.com/budi.santoso/posts/987654" },
  { kind: "text", text: "selesai" },
  { kind: "choice", value: "no" },
  { kind: "choice", value: "yes" },
  { kind: "text", text: "Rina Wulandari" },
  { kind: "text", text: "Jl. Ahmad Yani No. 12, Metro Pusat" },
  { kind: "text", text: "+62 821-1111-2222" },
  { kind: "text", text: "kirim" },
];

describe("demo mode: simulator, inbox and console", () => {
  let app: App;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), "lapor-demo-"));
    const config = loadConfig({ DATA_DIR: dataDir, PORT: "0", WEB_SIMULATOR: "true" });
    app = await startApp(config, createLogger({ level: "silent" }), { workerIntervalMs: 50 });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });
    page = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const click = (label: string) => page.locator(".choices button:enabled", { hasText: label }).last().click();
  const waitBot = (text: string | RegExp) => page.locator(".msg.bot", { hasText: text }).last().waitFor();

  it("old buttons are disabled after use; a reload keeps the conversation", async () => {
    await page.goto(app.web!.url);
    await click("Buat laporan");
    await waitBot("Pilih cara melapor");
    // The menu's buttons are answered: all of them are disabled, the chosen one marked.
    const menu = page.locator(".choices").first();
    expect(await menu.locator("button:enabled").count()).toBe(0);
    expect(await menu.locator("button.chosen").textContent()).toBe("Buat laporan");
    await click("Informasi awal");
    await waitBot("Apa yang dilakukan ASN");
    // Typing instead of pressing retires the buttons too.
    await page.fill("#text", "memasang apk");
    await page.click("#send");
    await waitBot("Ceritakan kejadiannya");
    expect(await page.locator(".choices button:enabled").count()).toBe(0);
    const before = await page.locator(".msg").allTextContents();
    await page.reload();
    await page.locator(".msg").first().waitFor();
    expect(await page.locator(".msg").allTextContents()).toEqual(before);
    expect(await page.locator(".choices button:enabled").count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, "demo-chat-after-reload.png"), fullPage: true });
    await page.fill("#text", "Seorang guru PNS memasang baliho cabup nomor 3 di pagar sekolah hari Minggu.");
    await page.click("#send");
    await waitBot("Kapan kejadiannya");
    expect(await page.locator(".choices button:enabled").count()).toBeGreaterThan(0);
  });

  it("the inbox: a formal card shows its reporter, downloads are named, and it opens the console", async () => {
    const formal = await fileThroughWeb(app, "demo-formal-visitor", FORMAL);
    const tip = await fileThroughWeb(app, "demo-tip-visitor", [
      { kind: "command", name: "lapor", args: "" },
      { kind: "choice", value: "tip" },
      { kind: "choice", value: "apk" },
      { kind: "text", text: "Lurah memasang spanduk paslon di kantor kelurahan pada hari kerja." },
      { kind: "choice", value: "kemarin" },
      { kind: "location", lat: -5.1131, lon: 105.3067 },
      { kind: "choice", value: "yes" },
      { kind: "choice", value: "none" },
      { kind: "text", text: "Lurah" },
      { kind: "text", text: "kelurahan metro" },
      { kind: "choice", value: "pns" },
      ...(await photo()),
      { kind: "choice", value: "done" },
      { kind: "choice", value: "submit" },
    ]);
    const inbox = await browser.newPage();
    await inbox.goto(`${app.web!.url}/inbox`);
    const card = inbox.locator(`article[data-number="${formal}"]`);
    await card.waitFor({ timeout: 15_000 });
    const text = (await card.locator("pre").textContent()) ?? "";
    expect(text).toContain("Laporan resmi");
    expect(text).toContain("Rina Wulandari");
    expect(text).not.toContain("tidak ditampilkan (informasi awal)");
    const tipCard = inbox.locator(`article[data-number="${tip}"]`);
    await tipCard.waitFor({ timeout: 15_000 });
    const link = tipCard.locator("a.evidence").first();
    expect(await link.getAttribute("download")).toBe(`${tip}-1.jpg`);
    const res = await fetch(`${app.web!.url}${await link.getAttribute("href")}`);
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`filename="${tip}-\\d+\\.jpg"`));
    expect(res.headers.get("content-disposition")).not.toContain("spanduk-asli");
    await inbox.screenshot({ path: join(ARTIFACTS, "demo-inbox.png"), fullPage: true });

    // "Open in the office console": signed in as Bawaslu Kota Metro.
    const [consolePage] = await Promise.all([
      inbox.context().waitForEvent("page"),
      tipCard.getByRole("link", { name: "Buka di konsol kantor (demo)" }).click(),
    ]);
    await consolePage.waitForURL(/\/konsol$/);
    expect(await consolePage.locator("header").textContent()).toContain("Bawaslu Kota Metro");
    await consolePage.getByRole("link", { name: tip }).click();
    await consolePage.getByRole("button", { name: "✅ Tindak lanjuti" }).click();
    expect(await consolePage.locator(".flash.ok").textContent()).toContain(tip);
    const updates = async () =>
      JSON.stringify(await (await fetch(`${app.web!.url}/api/sim/demo-tip-visitor/updates`)).json());
    await expect.poll(updates, { timeout: 15_000 }).toContain(`sedang menindaklanjuti laporan Anda ${tip}`);
    await consolePage.screenshot({ path: join(ARTIFACTS, "demo-console-report.png"), fullPage: true });
  });

  /** A photo with an identifying file name, stored as the simulator stores uploads. */
  async function photo(): Promise<Inbound[]> {
    const bytes = jpegBytes("a spanduk photo");
    const stored = await new EvidenceStore(app.services.config.dataDir).put(bytes);
    return [
      {
        kind: "media",
        items: [
          {
            ref: stored.storageKey,
            kind: "photo",
            mime: "image/jpeg",
            size: stored.size,
            sha256: stored.sha256,
            fileName: "spanduk-asli-Andi_Saputra.jpg",
            receivedAt: new Date().toISOString(),
            messageId: "demo-photo-1",
          },
        ],
      },
    ];
  }
});
