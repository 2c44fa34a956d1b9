/**
 * The web simulator in Debian's Chromium (playwright-core, never a downloaded browser): a visitor
 * files a complaint with a file and a GPS location by clicking and typing, and the report shows
 * up in Bawaslu Kota Metro's inbox page with its evidence file.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { jpegBytes } from "../support/sample-files.js";

const BALIHO = jpegBytes("JPEG bytes of a baliho photo");

describe("web simulator in Chromium", () => {
  let app: App;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "lapor-web-"));
    const config = loadConfig({ DATA_DIR: dataDir, PORT: "0", WEB_SIMULATOR: "true" });
    app = await startApp(config, createLogger({ level: "silent" }), { workerIntervalMs: 50 });
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
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const click = (label: string) => page.locator(".choices button", { hasText: label }).last().click();
  const type = async (text: string) => {
    await page.fill("#text", text);
    await page.click("#send");
  };
  const waitBot = (text: string | RegExp) => page.locator(".msg.bot", { hasText: text }).last().waitFor();

  it("a complaint with a file and a location ends in the office inbox", async () => {
    await page.goto(app.web!.url);
    await click("Buat laporan");
    await click("Informasi awal");
    await click("Memasang APK");
    await waitBot("Ceritakan kejadiannya");
    await type("Seorang guru PNS memasang baliho cabup nomor 3 di pagar sekolah pada hari Minggu.");
    await click("Kemarin");
    await waitBot("Di mana kejadiannya");
    await page.fill("#lat", "-5.1131");
    await page.fill("#lon", "105.3067");
    await page.click("#send-loc");
    await waitBot("Kota Metro, Lampung?");
    await click("Ya");
    await click("Tidak tahu");
    await click("Tidak tahu");
    await waitBot("Di instansi atau kantor mana");
    await type("SDN 3 Metro");
    await click("PNS");
    await waitBot("Kirim bukti");
    const file = join(dataDir, "baliho.jpg");
    writeFileSync(file, BALIHO);
    await page.setInputFiles("#file", file);
    await waitBot("Diterima: 1 file");
    await click("Selesai");
    await waitBot("ringkasan");
    await click("Kirim");
    await waitBot(/LN-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    const receipt = await page.locator(".msg.bot").last().textContent();
    const number = /LN-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(receipt ?? "")?.[0];
    expect(number).toBeDefined();

    const inbox = await browser.newPage();
    await inbox.goto(`${app.web!.url}/inbox`);
    const card = inbox.locator(`article[data-number="${number}"]`);
    await card.waitFor({ timeout: 15_000 });
    expect(await card.getAttribute("data-inbox")).toBe("18.72");
    expect(await card.locator("h2").textContent()).toContain("Bawaslu Kota Metro");
    expect(await card.locator("pre").textContent()).toContain("Memasang APK");
    const href = await card.locator("a.evidence").getAttribute("href");
    const bytes = Buffer.from(await (await fetch(`${app.web!.url}${href}`)).arrayBuffer());
    expect(bytes.equals(BALIHO)).toBe(true);
  });
});
