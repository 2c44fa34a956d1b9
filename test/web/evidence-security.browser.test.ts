/**
 * Evidence files and the pages without a login: an SVG with a script sent as evidence cannot read
 * the office inbox in Chromium (it is a download, sandboxed, never shown inline); safe images and
 * PDFs are shown inline; every response says nosniff and carries a strict Content-Security-Policy;
 * evidence addresses are unguessable; the demo pages answer only this machine, even behind a proxy.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { evidence, reports } from "../../src/db/schema/index.js";
import type { Inbound } from "../../src/engine/types.js";
import { createLogger } from "../../src/log.js";
import { TRACKING_NUMBER, tipInputs } from "../support/citizen.js";
import { jpegBytes, pdfBytes, svgBytes } from "../support/sample-files.js";

describe("evidence and pages that must not be open", () => {
  let app: App;
  let browser: Browser;
  let dataDir: string;
  let base: string;
  const visitor = "visitor-evidence-1";

  /** Files a tip whose evidence is the given uploads; resolves to the report's number. */
  async function fileWith(uploads: { bytes: Buffer; name: string; type: string }[]): Promise<string> {
    const inputs = tipInputs();
    const evidenceAt = inputs.findIndex((i) => i.kind === "text" && i.text === "tidak ada bukti");
    const send = (input: Inbound) =>
      fetch(`${base}/api/sim/${visitor}/send`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(
          input.kind === "choice"
            ? { choice: input.value }
            : input.kind === "location"
              ? { lat: input.lat, lon: input.lon }
              : input.kind === "command"
                ? { text: `/${input.name}` }
                : { text: (input as { text: string }).text },
        ),
      }).then((r) => r.json() as Promise<{ outputs: { text: string }[] }>);
    let last: { outputs: { text: string }[] } = { outputs: [] };
    for (const [i, input] of inputs.entries()) {
      if (i === evidenceAt) {
        for (const u of uploads) {
          const r = await fetch(
            `${base}/api/sim/${visitor}/upload?name=${encodeURIComponent(u.name)}&type=${encodeURIComponent(u.type)}`,
            { method: "POST", headers: { "content-type": "application/octet-stream" }, body: u.bytes },
          ).then((x) => x.json() as Promise<{ outputs: { text: string }[] }>);
          expect(r.outputs.map((o) => o.text).join("\n")).toContain("Diterima");
        }
        last = await send({ kind: "text", text: "selesai" });
        continue;
      }
      last = await send(input);
    }
    const m = TRACKING_NUMBER.exec(last.outputs.map((o) => o.text).join("\n"));
    if (!m) throw new Error("no receipt");
    return m[0];
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "lapor-evsec-"));
    app = await startApp(
      loadConfig({ DATA_DIR: dataDir, PORT: "0", WEB_SIMULATOR: "true" }),
      createLogger({ level: "silent" }),
      { workerIntervalMs: 0 },
    );
    base = app.web!.url;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("an SVG with a script is a download that cannot read /api/inbox; a photo and a PDF are shown inline", async () => {
    const number = await fileWith([
      {
        bytes: svgBytes(
          "fetch('/api/inbox').then(r => r.text()).then(t => document.title = 'LEAK ' + t.length)",
        ),
        name: "bukti.svg",
        type: "image/svg+xml",
      },
      { bytes: jpegBytes("baliho"), name: "foto baliho.jpg", type: "image/jpeg" },
      { bytes: pdfBytes("surat"), name: "surat.pdf", type: "application/pdf" },
    ]);
    await app.worker.drain();
    const items = (await (await fetch(`${base}/api/inbox`)).json()) as {
      number: string;
      evidence: { fileName: string; href: string }[];
    }[];
    const ev = items.find((i) => i.number === number)!.evidence;
    const hrefOf = (name: string) => ev.find((e) => e.fileName === name)!.href;

    // Unguessable addresses: not the sequential id, which finds nothing.
    expect(hrefOf("bukti.svg")).toMatch(/^\/api\/evidence\/[0-9a-f-]{36}$/);
    const [r] = await app.services.database.db.select().from(reports).where(eq(reports.number, number));
    const [first] = await app.services.database.db
      .select()
      .from(evidence)
      .where(eq(evidence.reportId, r!.id));
    expect((await fetch(`${base}/api/evidence/${first!.id}`)).status).toBe(404);

    const svg = await fetch(`${base}${hrefOf("bukti.svg")}`);
    expect(svg.headers.get("content-disposition")).toMatch(
      new RegExp(`^attachment; filename="${number}-\\d+\\.svg"`),
    );
    expect(svg.headers.get("content-type")).toBe("application/octet-stream");
    expect(svg.headers.get("x-content-type-options")).toBe("nosniff");
    expect(svg.headers.get("content-security-policy")).toContain("sandbox");
    const photo = await fetch(`${base}${hrefOf("foto baliho.jpg")}`);
    expect(photo.headers.get("content-type")).toBe("image/jpeg");
    expect(photo.headers.get("content-disposition")).toMatch(
      new RegExp(`^inline; filename="${number}-\\d+\\.jpg"`),
    );
    // Downloads are named after the report, never the reporter's own file name.
    expect(photo.headers.get("content-disposition")).not.toContain("baliho");
    const pdf = await fetch(`${base}${hrefOf("surat.pdf")}`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toMatch(/^inline/);

    // In Chromium: opening the SVG's address downloads it; its script never runs.
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const inboxReads: string[] = [];
    page.on("request", (req) => {
      if (req.url().includes("/api/inbox")) inboxReads.push(req.url());
    });
    await page.goto(`${base}/inbox`);
    await page.locator(`article[data-number="${number}"]`).waitFor();
    inboxReads.length = 0;
    const svgPage = await context.newPage();
    svgPage.on("request", (req) => {
      if (req.url().includes("/api/inbox")) inboxReads.push(req.url());
    });
    const [download] = await Promise.all([
      svgPage.waitForEvent("download"),
      svgPage.goto(`${base}${hrefOf("bukti.svg")}`).catch(() => undefined),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${number}-\\d+\\.svg$`));
    // The same SVG embedded as an image in the inbox's origin cannot run either.
    await page.evaluate(
      `new Promise((resolve) => { const img = document.createElement("img"); img.onload = img.onerror = resolve; img.src = ${JSON.stringify(hrefOf("bukti.svg"))}; document.body.appendChild(img); })`,
    );
    expect(inboxReads).toEqual([]);
    expect(await svgPage.title()).not.toContain("LEAK");
    await context.close();
  });

  it("every page carries nosniff and a strict policy; the simulator's scripts still run", async () => {
    for (const path of ["/", "/inbox", "/api/inbox", "/health", "/nothing-here"]) {
      const res = await fetch(`${base}${path}`);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).not.toContain("unsafe-inline'; script");
      expect(csp, path).not.toMatch(/script-src[^;]*unsafe-inline/);
    }
    const page = await browser.newPage();
    await page.goto(base);
    await page.locator(".choices button").first().waitFor();
    await page.close();
  });

  it("the demo pages answer only this machine: a forwarded request is refused", async () => {
    const spoofed = { "x-forwarded-for": "127.0.0.1" };
    for (const path of ["/", "/inbox", "/api/inbox", `/api/sim/${visitor}/updates`]) {
      expect((await fetch(`${base}${path}`, { headers: spoofed })).status, path).toBe(403);
      expect(
        (await fetch(`${base}${path}`, { headers: { forwarded: "for=203.0.113.9" } })).status,
        path,
      ).toBe(403);
      expect((await fetch(`${base}${path}`)).status, path).toBe(200);
    }
    expect((await fetch(`${base}/health`, { headers: spoofed })).status).toBe(200);
  });
});
