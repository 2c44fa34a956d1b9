/**
 * `reports …` and `deliveries …` of the admin command line (in-process) against a PGlite DATA_DIR
 * filled beforehand through the real conversation service. The first commands open the folder
 * themselves (no program runs); then the folder is served as the running program serves it and the
 * rest go through its socket.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.js";
import { auditLog, outbox, reports } from "../../src/db/schema/index.js";
import type { Inbound } from "../../src/engine/types.js";
import { createLogger } from "../../src/log.js";
import { runAdmin } from "../support/admin-cli.js";
import { fileThroughWeb } from "../support/citizen.js";

const dataDir = mkdtempSync(join(tmpdir(), "lapor-cli-reports-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const ACCOUNT = 'Camat, "Pak Budi", mengumpulkan ketua RT\ndan meminta memilih paslon nomor 1.';

const admin = (args: string[]) => runAdmin(dataDir, args);

/** A report in `reports list --json`. */
type ListRow = Record<string, unknown> & { number: string; createdLocal: string };
/** `reports show --json`. */
interface ShowJson {
  report: { witnesses: unknown[] };
  events: { type: string; reason: string | null }[];
  jobs: Record<string, unknown>[];
  identity?: Record<string, unknown>;
}

async function json<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const r = await admin([...args, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

const file = fileThroughWeb;

const tip = (account: string): Inbound[] => [
  { kind: "command", name: "lapor", args: "" },
  { kind: "choice", value: "tip" },
  { kind: "choice", value: "mengerahkan" },
  { kind: "text", text: account },
  { kind: "choice", value: "kemarin" },
  { kind: "text", text: "kota metro" },
  { kind: "choice", value: "yes" },
  { kind: "choice", value: "none" },
  { kind: "text", text: "Camat" },
  { kind: "text", text: "Kecamatan Metro Pusat" },
  { kind: "choice", value: "tidak_tahu" },
  { kind: "text", text: "tidak ada bukti" },
  { kind: "choice", value: "submit" },
];

const formal: Inbound[] = [
  { kind: "command", name: "lapor", args: "" },
  { kind: "choice", value: "formal" },
  { kind: "choice", value: "medsos_kampanye" },
  { kind: "text", text: "Guru PNS di SDN 1 Metro memposting ajakan memilih paslon nomor 1 di Facebook." },
  { kind: "choice", value: "kemarin" },
  { kind: "choice", value: "hari ini" },
  { kind: "text", text: "kota metro" },
  { kind: "choice", value: "yes" },
  { kind: "text", text: "Budi Santoso" },
  { kind: "text", text: "guru" },
  { kind: "text", text: "SDN 1 Metro" },
  { kind: "choice", value: "pppk" },
  { kind: "text", text: "ini postingannya https://www.facebook.com/budi.santoso/posts/987654" },
  {
    kind: "media",
    items: [
      {
        ref: "ev/0101",
        kind: "document",
        mime: "image/png",
        size: 912000,
        sha256: "a1b2c3",
        fileName: "screenshot.png",
      },
    ],
  },
  { kind: "choice", value: "done" },
  { kind: "choice", value: "yes" },
  { kind: "text", text: "Siti Aminah" },
  { kind: "text", text: "0812 3456 7890" },
  { kind: "choice", value: "yes" },
  { kind: "text", text: "Joko" },
  { kind: "choice", value: "none" },
  { kind: "choice", value: "yes" },
  { kind: "text", text: "Rina Wulandari" },
  { kind: "text", text: "Jl. Ahmad Yani No. 12, Metro Pusat" },
  { kind: "text", text: "+62 821-1111-2222" },
  { kind: "choice", value: "submit" },
];

let tipNo: string; // delivered
let formalNo: string; // its delivery job failed
let retryNo: string; // its job is pending, retrying after an error
let failedJob: number;

beforeAll(async () => {
  const app = await startApp(
    loadConfig({ DATA_DIR: dataDir, WEB_SIMULATOR: "false" }),
    createLogger({ level: "silent" }),
    { workerIntervalMs: 0 },
  );
  try {
    await app.services.directory.addDestination("18.72", "web", "metro-inbox", { actor: "test" });
    tipNo = await file(app, "visitor-tip", tip(ACCOUNT));
    await app.worker.drain();
    formalNo = await file(app, "visitor-formal", formal);
    retryNo = await file(app, "visitor-retry", tip("Lurah membagikan sembako bergambar paslon nomor 2."));
    const db = app.services.database.db;
    const jobOf = async (number: string) => {
      const [r] = await db.select().from(reports).where(eq(reports.number, number));
      const [j] = await db.select().from(outbox).where(eq(outbox.reportId, r!.id));
      return j!.id;
    };
    // Fixtures of a delivery that failed for good and one that is being retried.
    failedJob = await jobOf(formalNo);
    await db
      .update(outbox)
      .set({ status: "failed", attempts: 8, lastError: "Bad Request: chat not found" })
      .where(eq(outbox.id, failedJob));
    await db
      .update(outbox)
      .set({ attempts: 2, lastError: "502 Bad Gateway", nextAttemptAt: new Date(Date.now() + 3_600_000) })
      .where(eq(outbox.id, await jobOf(retryNo)));
  } finally {
    await app.close();
  }
});

/** The folder served as the running program serves it (from the second test on). */
let served: DatabaseHandle | undefined;
afterAll(async () => {
  await served?.close();
});

async function auditRows() {
  served ??= await openDatabase({ dataDir, share: "serve" });
  return await served.db.select().from(auditLog).where(eq(auditLog.action, "report.identity_viewed"));
}

// Each run of the CLI starts a process that loads the regions and opens PGlite: seconds each.
describe("reports CLI", { timeout: 240_000 }, () => {
  it("list shows every report newest first with its fields, and filters work", async () => {
    const all = await json<ListRow[]>(["reports", "list"]);
    expect(all.map((r) => r.number)).toEqual([retryNo, formalNo, tipNo]);
    expect(all[2]).toMatchObject({
      track: "tip",
      status: "delivered",
      category: "mengerahkan",
      regionName: "Kota Metro",
      officeCode: "18.72",
      evidenceCount: 0,
    });
    expect(all[2]!.createdLocal).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(all[1]).toMatchObject({ track: "formal", status: "received", evidenceCount: 2 });

    expect(
      (await json<ListRow[]>(["reports", "list", "--status", "delivered"])).map((r) => r.number),
    ).toEqual([tipNo]);
    expect(await json<ListRow[]>(["reports", "list", "--office", "18"])).toEqual([]);
    expect(
      await json<ListRow[]>(["reports", "list", "--office", "Bawaslu Kota Metro", "--limit", "1"]),
    ).toHaveLength(1);
    expect(await json<ListRow[]>(["reports", "list", "--since", "2999-01-01"])).toEqual([]);
    expect(await json<ListRow[]>(["reports", "list", "--since", "2020-01-01"])).toHaveLength(3);

    const human = await admin(["reports", "list"]);
    expect(human.stdout).toMatch(/number\s+created \(WIB\)\s+track/);
    expect(human.stdout).toContain(tipNo);
    expect(human.stdout).toMatch(/3 reports/);
  });

  it("show prints fields, evidence, history and deliveries; identity only on request, audited", async () => {
    const r = await admin(["reports", "show", formalNo.toLowerCase().replace(/-/g, " ")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${formalNo} (formal, received)`);
    expect(r.stdout).toMatch(/accused:\s+Budi Santoso/);
    expect(r.stdout).toMatch(
      /document\s+screenshot\.png\s+image\/png\s+912000 bytes\s+sha256 a1b2c3\s+ev\/0101/,
    );
    expect(r.stdout).toMatch(/link\s+https:\/\/www\.facebook\.com\/budi\.santoso\/posts\/987654/);
    expect(r.stdout).toMatch(/web:contact\s+received ∅→received/);
    expect(r.stdout).toMatch(/web:metro-inbox\s+office 18\.72\s+failed\s+attempts 8.*chat not found/);
    expect(r.stdout).toMatch(/identity: hidden/);
    expect(r.stdout).not.toContain("Rina");

    const hidden = await json<ShowJson>(["reports", "show", formalNo]);
    expect(hidden).not.toHaveProperty("identity");
    expect(JSON.stringify(hidden)).not.toContain("Rina");
    expect(hidden.report.witnesses).toHaveLength(2);
    expect(hidden.events.map((e) => e.type)).toEqual(["received"]);
    expect(hidden.jobs).toMatchObject([{ id: failedJob, status: "failed", channel: "web" }]);
    expect(await auditRows()).toHaveLength(0);

    const shown = await json<ShowJson>(["reports", "show", formalNo, "--with-identity"]);
    expect(shown.identity).toMatchObject({
      name: "Rina Wulandari",
      address: "Jl. Ahmad Yani No. 12, Metro Pusat",
      phone: "+6282111112222",
    });
    const audit = await auditRows();
    expect(audit).toMatchObject([{ actor: "admin-cli", entity: "report", entityKey: formalNo }]);
    expect(JSON.stringify(audit)).not.toContain("Rina");

    const tipShow = await json<ShowJson>(["reports", "show", tipNo]);
    expect(tipShow.events.map((e) => e.type)).toEqual(["received", "delivered"]);
    expect(tipShow.jobs[0]).toMatchObject({ status: "done", progress: 1 });
  });

  it("export writes RFC 4180 CSV that parses back, and JSON; identity columns only on request", async () => {
    const r = await admin(["reports", "export"]);
    expect(r.code, r.stderr).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([
      "number",
      "created_at",
      "track",
      "status",
      "category",
      "account",
      "event_date",
      "learned_date",
      "deadline",
      "late",
      "place_source",
      "place_text",
      "lat",
      "lon",
      "region_code",
      "region_name",
      "accused_name",
      "accused_position",
      "agency_raw",
      "agency_normalized",
      "asn_type",
      "witnesses",
      "evidence_files",
      "evidence_links",
      "office_code",
      "channel",
    ]);
    expect(rows.map((x) => x.number)).toEqual([tipNo, formalNo, retryNo]);
    expect(rows[0]!.account).toBe(ACCOUNT);
    expect(r.stdout).toContain('"Camat, ""Pak Budi"", mengumpulkan');
    expect(rows[1]).toMatchObject({
      track: "formal",
      region_code: "18.72",
      accused_name: "Budi Santoso",
      asn_type: "pppk",
      witnesses: "2",
      late: "false",
      evidence_files: "screenshot.png (sha256 a1b2c3)",
      evidence_links: "https://www.facebook.com/budi.santoso/posts/987654",
      office_code: "18.72",
      channel: "web",
    });
    expect(rows[1]!.deadline).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(r.stdout).not.toContain("Rina");

    const delivered = parse((await admin(["reports", "export", "--status", "delivered"])).stdout, {
      columns: true,
    });
    expect(delivered).toHaveLength(1);

    const out = join(dataDir, "export.json");
    const summary = await json(["reports", "export", "--format", "json", "--output", out, "--with-identity"]);
    expect(summary).toMatchObject({ reports: 3, format: "json", withIdentity: true });
    const exported = JSON.parse(readFileSync(out, "utf8"));
    expect(exported).toHaveLength(3);
    expect(exported[1]).toMatchObject({
      number: formalNo,
      witnesses: 2,
      late: false,
      evidence_links: ["https://www.facebook.com/budi.santoso/posts/987654"],
      reporter_name: "Rina Wulandari",
      reporter_phone: "+6282111112222",
    });
    expect(exported[0]).toMatchObject({ account: ACCOUNT, reporter_name: null });
    const audit = await auditRows();
    expect(audit.filter((a) => a.entityKey === "*")).toMatchObject([
      { actor: "admin-cli", details: { command: "reports export", reports: 3 } },
    ]);

    const since = await admin(["reports", "export", "--json", "--since", "2999-12-31"]);
    expect(JSON.parse(since.stdout)).toEqual([]);
  });

  it("bad input gets a clear error and exit code 1", async () => {
    const status = await admin(["reports", "list", "--status", "lost"]);
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(/unknown status "lost"; status must be one of received, delivered/);
    const date = await admin(["reports", "list", "--since", "2024-02-30"]);
    expect(date.code).toBe(1);
    expect(date.stderr).toMatch(/--since must be a date YYYY-MM-DD/);
    expect((await admin(["reports", "export", "--since", "kemarin"])).stderr).toMatch(/YYYY-MM-DD/);
    const unknown = await admin(["reports", "show", "LN-0000-0000"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/report not found: LN-0000-0000/);
    expect((await admin(["reports", "show", "hello"])).stderr).toMatch(/report not found: hello/);
    expect((await admin(["reports", "export", "--format", "xml"])).stderr).toMatch(/csv or json/);
    expect((await admin(["reports", "list", "--limit", "0"])).stderr).toMatch(/limit must be a positive/);
    expect((await admin(["deliveries", "retry", "999999"])).stderr).toMatch(
      /delivery job not found: #999999/,
    );
  });
});

describe("deliveries CLI", { timeout: 240_000 }, () => {
  it("failed lists what did not arrive; retry puts it back in the queue", async () => {
    const failed = await json(["deliveries", "failed"]);
    expect(failed).toMatchObject({
      totalFailed: 1,
      retrying: 1,
      failed: [
        {
          id: failedJob,
          reportNumber: formalNo,
          officeCode: "18.72",
          channel: "web",
          address: "metro-inbox",
          attempts: 8,
          lastError: "Bad Request: chat not found",
        },
      ],
    });
    const human = await admin(["deliveries", "failed"]);
    expect(human.stdout).toMatch(
      new RegExp(`#${failedJob}\\s+${formalNo}\\s+18\\.72\\s+web:metro-inbox\\s+8`),
    );
    expect(human.stdout).toMatch(/1 failed; 1 pending jobs being retried/);

    const retry = await admin(["deliveries", "retry", String(failedJob)]);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stdout).toMatch(new RegExp(`job #${failedJob} .* is pending again`));
    const show = await json<ShowJson>(["reports", "show", formalNo]);
    expect(show.jobs[0]).toMatchObject({ status: "pending", attempts: 0, lastError: null });
    expect(show.events.map((e) => e.type)).toEqual(["received", "delivery_retry"]);
    expect(show.events[1]!.reason).toMatch(/chat not found/);
    expect(await json(["deliveries", "failed"])).toMatchObject({ totalFailed: 0, failed: [] });

    const again = await admin(["deliveries", "retry", String(failedJob)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is pending; only failed jobs can be retried/);

    served ??= await openDatabase({ dataDir, share: "serve" });
    const audit = await served.db.select().from(auditLog).where(eq(auditLog.action, "delivery.retry"));
    expect(audit).toMatchObject([
      {
        entity: "outbox",
        entityKey: String(failedJob),
        details: { lastError: "Bad Request: chat not found" },
      },
    ]);
  });

  it("every new command has help", async () => {
    for (const args of [
      ["reports", "--help"],
      ["reports", "export", "--help"],
      ["deliveries", "--help"],
    ]) {
      const r = await admin(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: admin (reports|deliveries)/);
    }
    expect((await admin(["reports", "show", "--help"])).stdout).toMatch(/--with-identity/);
  });
});
