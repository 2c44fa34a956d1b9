/**
 * Officers on the Cloud API across restarts (issue 19 #6): the officers' desk keeps its state in
 * the database. An officer chooses "❓ Tanya pelapor" on a card, the program restarts, and the
 * officer's next text is still taken as the question (not the citizen menu). A `/tanya` that
 * Meta delivers again after a restart asks the reporter once. The card's rows signed before the
 * restarts still work after them, and after an action the officer gets a short status line with
 * the actions still possible (the Cloud API cannot edit a message).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { outbox, reports } from "../../src/db/schema/index.js";
import { createLogger } from "../../src/log.js";
import { freshDatabase, testDrivers } from "../support/db.js";
import { type GraphApiStub, type SentCloudMessage, startGraphApiStub } from "../support/graph-api-stub.js";
import { fileTipOnWaCloud } from "../support/wacloud-citizen.js";
import { WaUser } from "../support/wacloud-user.js";

const APP_SECRET = "app-secret-of-the-officer-restart-test";
const OFFICER = "6281300000055";
const CITIZEN = "6281234500077";

function rowsOf(m: SentCloudMessage): { id: string; title: string }[] {
  const i = m.payload.interactive as { action: { sections: { rows: { id: string; title: string }[] }[] } };
  return i.action.sections.flatMap((s) => s.rows);
}

for (const driver of testDrivers()) {
  describe(`officers on the Cloud API across restarts (${driver})`, { timeout: 180_000 }, () => {
    let stub: GraphApiStub;
    let dataDir: string;
    let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
    let app: App | undefined;

    /** Starts the program on the same data folder and database (a restart when one ran before). */
    const start = async () => {
      await app?.close();
      const config = loadConfig({
        DATA_DIR: dataDir,
        ...(database?.url ? { DATABASE_URL: database.url } : {}),
        WEB_SIMULATOR: "false",
        HOST: "127.0.0.1",
        PORT: "0",
        GRAPH_API_ROOT: stub.root,
        GRAPH_API_VERSION: stub.version,
        WACLOUD_ACCESS_TOKEN: stub.token,
        WACLOUD_PHONE_NUMBER_ID: stub.phoneNumberId,
        WACLOUD_APP_SECRET: APP_SECRET,
        WACLOUD_VERIFY_TOKEN: "verify-token",
        WACLOUD_WEBHOOK_PATH: "/wacloud/webhook",
      });
      app = await startApp(config, createLogger({ level: "silent" }), { workerIntervalMs: 50 });
      const target = { url: `${app.web!.url}/wacloud/webhook`, appSecret: APP_SECRET, stub };
      return {
        officer: new WaUser(OFFICER, "Petugas Metro", target),
        citizen: new WaUser(CITIZEN, "Sari", target),
      };
    };

    beforeAll(async () => {
      stub = await startGraphApiStub();
      dataDir = mkdtempSync(join(tmpdir(), "lapor-wac-off-"));
      database = driver === "postgres" ? await freshDatabase("postgres", { migrate: false }) : undefined;
    }, 60_000);
    afterAll(async () => {
      await app?.close();
      await database?.drop();
      await stub?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("a pending question prompt and the de-duplication of officer messages survive restarts", async () => {
      let { officer, citizen } = await start();
      await app!.services.directory.addDestination("18.72", "wacloud", OFFICER, { actor: "test" });
      const { code } = await app!.officers.invites.create("18.72", { maxUses: 1, actor: "test" });
      await officer.text(`/petugas ${code}`);
      await stub.waitForMessage(OFFICER, { match: (m) => /Anda terdaftar sebagai petugas/.test(m.text) });
      const number = await fileTipOnWaCloud(stub, citizen, {
        account: "Kepala dinas memakai mobil dinas untuk mengangkut spanduk paslon 2 ke lapangan.",
        place: { lat: -5.1131, lon: 105.3067 },
        placeName: "Kota Metro, Lampung",
      });
      const card = await stub.waitForMessage(OFFICER, {
        match: (m) => m.text.includes(number) && m.type === "interactive",
        timeoutMs: 15_000,
      });
      const row = (title: string) => rowsOf(card).find((r) => r.title.includes(title))!.id;

      // "Tanya pelapor", then a restart before the officer types the question.
      await officer.chooseRow(card, row("Tanya pelapor"));
      await stub.waitForMessage(OFFICER, { match: (m) => /Tulis pertanyaan untuk pelapor/.test(m.text) });
      ({ officer, citizen } = await start());
      await officer.text("Jam berapa mobil itu terlihat?");
      await stub.waitForMessage(OFFICER, {
        match: (m) => m.text.includes(`Pertanyaan dikirim ke pelapor laporan ${number}`),
      });
      // No edits on WhatsApp: a short status line with the actions still possible.
      const line = await stub.waitForMessage(OFFICER, {
        match: (m) => m.text.includes(`📌 Laporan ${number}: Menunggu jawaban pelapor`),
      });
      expect(rowsOf(line).map((r) => r.title)).toEqual([
        "✅ Tindak lanjuti",
        "❓ Tanya pelapor",
        "↪️ Teruskan",
        "✖️ Tolak",
        "🏁 Selesai",
      ]);
      await stub.waitForMessage(CITIZEN, { match: (m) => /«Jam berapa mobil itu terlihat\?»/.test(m.text) });

      // A typed /tanya, delivered again by Meta after a restart: the reporter is asked once.
      const wamid = await officer.text(`/tanya ${number} Apakah ada foto pelat nomornya?`);
      await stub.waitForMessage(OFFICER, { match: (m) => /Pertanyaan dikirim ke pelapor/.test(m.text) });
      ({ officer, citizen } = await start());
      await officer.send(
        { type: "text", text: { body: `/tanya ${number} Apakah ada foto pelat nomornya?` } },
        wamid,
      );
      await officer.text("/laporan");
      await stub.waitForMessage(OFFICER, { match: (m) => /Laporan terbuka/.test(m.text) });
      const db = app!.services.database.db;
      const [report] = await db.select().from(reports).where(eq(reports.number, number));
      const questions = await db
        .select()
        .from(outbox)
        .where(and(eq(outbox.reportId, report!.id), eq(outbox.kind, "notify_contact")));
      expect(
        questions
          .map((q) => (q.payload as { question?: string }).question)
          .filter((q) => q?.includes("pelat nomornya")),
      ).toHaveLength(1);

      // The card's rows, signed before two restarts, still work.
      await officer.chooseRow(card, row("Tindak lanjuti"));
      await stub.waitForMessage(OFFICER, {
        match: (m) => m.text.includes(`Laporan ${number} dicatat sedang ditindaklanjuti`),
      });
      const taken = await stub.waitForMessage(OFFICER, {
        match: (m) => m.text.startsWith(`📌 Laporan ${number}: Sedang ditindaklanjuti`),
      });
      expect(taken.text).toMatch(/\nDitindaklanjuti oleh Petugas Metro, .* WIB$/);
      expect(rowsOf(taken).map((r) => r.title)).not.toContain("✅ Tindak lanjuti");
    });
  });
}
