/**
 * Delivery to Cloud API office destinations when the Graph API misbehaves: a 429 with Retry-After
 * and a 500 are retried (the wait honoured) until the card arrives; an unreachable recipient
 * (131026) fails the job for good with a readable reason and the report goes up the routing chain
 * to the provincial office.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox, reports } from "../../src/db/schema/index.js";
import { fileThroughWeb, tipInputs } from "../support/citizen.js";
import { testDrivers } from "../support/db.js";
import { type GraphApiStub, startGraphApiStub } from "../support/graph-api-stub.js";
import { startWaCloudApp, type WaCloudTestApp } from "../support/wacloud-app.js";

const METRO = "6281355500001";
const PROVINCE = "6281355500002";
const toMetro = (r: { json?: Record<string, unknown> }) => r.json?.to === METRO;

for (const driver of testDrivers()) {
  describe(`delivery over the Cloud API when the Graph API fails (${driver})`, { timeout: 90_000 }, () => {
    let stub: GraphApiStub;
    let t: WaCloudTestApp;

    beforeAll(async () => {
      stub = await startGraphApiStub();
      t = await startWaCloudApp(
        stub,
        driver,
        {},
        { retry: { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 200 } },
      );
      await t.app.services.directory.addDestination("18.72", "wacloud", METRO, { actor: "test" });
      await t.app.services.directory.addDestination("18", "wacloud", PROVINCE, { actor: "test" });
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await stub?.close();
    });

    const jobsOf = async (number: string) => {
      const db = t.app.services.database.db;
      const [report] = await db.select().from(reports).where(eq(reports.number, number));
      return db
        .select()
        .from(outbox)
        .where(and(eq(outbox.reportId, report!.id), eq(outbox.kind, "deliver_report")));
    };

    it("retries a 429 (after its Retry-After) and a 500 until the card arrives", async () => {
      stub.failNext({
        status: 429,
        code: 130429,
        message: "(#130429) Rate limit hit",
        retryAfter: 2,
        match: toMetro,
      });
      stub.failNext({ status: 500, code: 1, message: "An unknown error occurred", match: toMetro });
      const number = await fileThroughWeb(
        t.app,
        "visitor-429",
        tipInputs({ place: { kind: "text", text: "kota metro" } }),
      );
      const card = await stub.waitForMessage(METRO, {
        match: (m) => m.text.includes(number),
        timeoutMs: 20_000,
      });
      expect(card.type).toBe("interactive");
      const tries = stub.requests.filter((r) => r.path.endsWith("/messages") && toMetro(r));
      expect(tries.slice(0, 3).map((r) => r.status)).toEqual([429, 500, 200]);
      expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(1900);
      await expect
        .poll(async () => (await jobsOf(number)).map((j) => j.status), { timeout: 15_000 })
        .toEqual(["done"]);
      expect(stub.sentTo(PROVINCE).some((m) => m.text.includes(number))).toBe(false);
    });

    it("fails for good on an unreachable recipient (131026) and escalates to the province", async () => {
      stub.unreachable.add(METRO);
      const number = await fileThroughWeb(
        t.app,
        "visitor-gone",
        tipInputs({ place: { kind: "text", text: "kota metro" } }),
      );
      const card = await stub.waitForMessage(PROVINCE, {
        match: (m) => m.text.includes(number),
        timeoutMs: 20_000,
      });
      expect(card.text).toContain("Bawaslu Provinsi Lampung");
      const jobs = await jobsOf(number);
      const metro = jobs.find((j) => j.address === METRO)!;
      expect([metro.status, metro.attempts]).toEqual(["failed", 1]);
      expect(metro.lastError).toMatch(/recipient cannot be reached: .*131026.*undeliverable/i);
      stub.unreachable.delete(METRO);
    });

    it("a 4,000-character story: the card goes as texts under 4,096 and the actions list under 1,024, nothing cut", async () => {
      const sentence =
        "Kepala dinas mengumpulkan pegawai honorer di aula kantor dan meminta dukungan untuk calon nomor dua. ";
      const account = sentence.repeat(Math.floor(4000 / sentence.length)).trim();
      const number = await fileThroughWeb(
        t.app,
        "visitor-long",
        tipInputs({ place: { kind: "text", text: "kota metro" }, account }),
      );
      await expect
        .poll(async () => (await jobsOf(number)).map((j) => j.status), { timeout: 20_000 })
        .toEqual(["done"]);
      const sent = stub.sentTo(METRO);
      const first = sent.findIndex((m) => m.text.includes(number));
      const card = sent.slice(first).filter((m, i) => i === 0 || !m.text.startsWith("📋"));
      const list = card.findIndex((m) => m.type === "interactive");
      expect(list).toBeGreaterThan(0);
      const parts = card.slice(0, list + 1);
      for (const m of parts.slice(0, -1)) expect([m.type, m.text.length <= 4096]).toEqual(["text", true]);
      expect(parts.at(-1)!.text.length).toBeLessThanOrEqual(1024);
      const squash = (s: string) => s.replace(/\s+/g, "");
      expect(squash(parts.map((m) => m.text).join("\n"))).toContain(squash(account));
      const [report] = await t.app.services.database.db
        .select()
        .from(reports)
        .where(eq(reports.number, number));
      expect([report!.status, report!.officeCode]).toEqual(["delivered", "18.72"]);
    });
  });
}
