/**
 * Webhook destinations: a report is POSTed as signed JSON (the CSV export's fields, evidence as
 * links with SHA-256) to a local HTTP server that checks the signature as a receiver would; a 503
 * is retried, a 404 sends the report up the routing chain, and an office whose only destination is
 * not usable (not HTTPS, or no secret) is skipped by routing.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evidence, outbox, reports } from "../../src/db/schema/index.js";
import { fileThroughWeb, tipInputs } from "../support/citizen.js";
import { startHarness } from "./harness.js";

const SECRET = "a-webhook-secret-of-bawaslu-metro";
const DEFAULT_SECRET = "the-default-webhook-secret-123";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
  signatureOk: boolean;
}

/** A receiver: checks the signature with the secret of its path, answers what `answer` says. */
function startReceiver(secrets: Record<string, string>) {
  const received: Received[] = [];
  const answers: Record<string, number[]> = {};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "";
      const ts = String(req.headers["x-lapornetral-timestamp"] ?? "");
      const given = Buffer.from(String(req.headers["x-lapornetral-signature"] ?? ""));
      const expected = Buffer.from(
        `sha256=${createHmac("sha256", secrets[path] ?? "")
          .update(`${ts}.${body}`)
          .digest("hex")}`,
      );
      const signatureOk = given.length === expected.length && timingSafeEqual(given, expected);
      received.push({ path, headers: req.headers, body, json: JSON.parse(body), signatureOk });
      const status = signatureOk ? (answers[path]?.shift() ?? 200) : 401;
      res.writeHead(status, { "content-type": "application/json" }).end("{}");
    });
  });
  return new Promise<{
    url: (p: string) => string;
    received: Received[];
    answers: typeof answers;
    close(): Promise<void>;
  }>((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: (p) => `http://127.0.0.1:${port}${p}`,
        received,
        answers,
        close: () => new Promise((r) => server.close(() => r())),
      });
    }),
  );
}

describe("webhook destinations", { timeout: 60_000 }, () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let n = 0;
  const fileTip = (place: string) =>
    fileThroughWeb(h.app, `visitor-hook-${++n}`, tipInputs({ place: { kind: "text", text: place } }));

  beforeAll(async () => {
    receiver = await startReceiver({ "/metro": SECRET, "/lampung": DEFAULT_SECRET });
    h = await startHarness({
      WEBHOOK_SECRET: DEFAULT_SECRET,
      WEBHOOK_SECRETS: JSON.stringify({ [receiver.url("/metro")]: SECRET }),
      PUBLIC_BASE_URL: "https://lapor.example.org",
    });
    const add = (office: string, url: string) =>
      h.app.services.directory.addDestination(office, "webhook", url, { actor: "test" });
    await add("18.72", receiver.url("/metro"));
    await add("18", receiver.url("/lampung"));
    await add("18.71", "http://bawaslu.example.org/hook"); // plain HTTP to another host: unusable
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  it("posts the report as signed JSON with the export's fields and evidence links with SHA-256; 503 is retried", async () => {
    receiver.answers["/metro"] = [503];
    const number = await fileTip("kota metro");
    const [report] = await h.db.select().from(reports).where(eq(reports.number, number));
    const sha = "ab".repeat(32);
    await h.db.insert(evidence).values({
      reportId: report!.id,
      kind: "photo",
      sha256: sha,
      mime: "image/jpeg",
      size: 1234,
      fileName: "bukti.jpg",
      storageKey: `${sha}.jpg`,
      channel: "web",
      receivedAt: new Date(),
    });
    for (let i = 0; i < 20 && !(await delivered(number)); i++) {
      await h.app.worker.runOnce();
      await new Promise((r) => setTimeout(r, 30));
    }
    const posts = receiver.received.filter((r) => r.path === "/metro");
    expect(posts).toHaveLength(2);
    expect(posts.every((p) => p.signatureOk)).toBe(true);
    // A retry of the same part carries the same delivery id, so the receiver can ignore a repeat.
    expect(posts[0]!.headers["x-lapornetral-delivery"]).toBe(posts[1]!.headers["x-lapornetral-delivery"]);
    const doc = posts[1]!.json as {
      event: string;
      report_number: string;
      fields: Record<string, unknown>;
      evidence: { sha256: string; url: string; file_name: string }[];
      office: { code: string };
    };
    expect(doc.event).toBe("report");
    expect(doc.report_number).toBe(number);
    expect(doc.fields).toMatchObject({
      number,
      category: "fasilitas_negara",
      region_code: "18.72",
      office_code: "18.72",
    });
    expect(doc.fields).toHaveProperty("account");
    expect(doc.evidence).toEqual([
      expect.objectContaining({
        sha256: sha,
        file_name: "bukti.jpg",
        url: expect.stringMatching(/^https:\/\/lapor\.example\.org\/api\/evidence\/[0-9a-f-]{36}$/),
      }),
    ]);
    expect(doc.office.code).toBe("18.72");
    expect((await h.db.select().from(reports).where(eq(reports.number, number)))[0]!.status).toBe(
      "delivered",
    );
  });

  it("a 404 is permanent: the report goes up the chain to the province's webhook", async () => {
    receiver.answers["/metro"] = [404];
    const number = await fileTip("kota metro");
    await h.app.worker.drain();
    await h.app.worker.drain();
    const [report] = await h.db.select().from(reports).where(eq(reports.number, number));
    expect(report!.officeCode).toBe("18");
    const jobs = await h.db.select().from(outbox).where(eq(outbox.reportId, report!.id));
    expect(jobs.map((j) => [j.officeCode, j.status, j.attempts])).toEqual([
      ["18.72", "failed", 1],
      ["18", "done", 1],
    ]);
    expect(jobs[0]!.lastError).toMatch(/recipient cannot be reached: webhook 404/);
    const lampung = receiver.received.filter((r) => r.path === "/lampung" && r.json.report_number === number);
    expect(lampung).toHaveLength(1);
    expect(lampung[0]!.signatureOk).toBe(true);
  });

  it("an office whose only destination cannot be used is not counted as reachable", async () => {
    const route = await h.app.services.router.forRegion("18.71");
    expect(route.steps.map((s) => [s.officeCode, s.usable])).toEqual([
      ["18.71", false],
      ["18", true],
      ["RI", false],
      [null, true],
    ]);
    const number = await fileTip("kota bandar lampung");
    const [report] = await h.db.select().from(reports).where(eq(reports.number, number));
    expect(report!.officeCode).toBe("18");
  });

  const delivered = async (number: string) =>
    (await h.db.select().from(reports).where(eq(reports.number, number)))[0]!.status === "delivered";
});
