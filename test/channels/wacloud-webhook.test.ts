/**
 * The Cloud API webhook of the real program, over HTTP, with the Graph API stand-in: Meta's
 * verification handshake, the `X-Hub-Signature-256` check on the raw body, de-duplication of a
 * redelivered message id, status callbacks, and reporter updates around the 24-hour window when
 * no template is configured.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCEPTED_MIME } from "../../src/channels/types.js";
import { GraphApiClient } from "../../src/channels/wacloud/graph-api.js";
import { waMessageToInbound } from "../../src/channels/wacloud/inbound.js";
import { hubSignature } from "../../src/channels/wacloud/signature.js";
import { contacts, outbox, reports } from "../../src/db/schema/index.js";
import { EvidenceStore } from "../../src/reports/evidence-store.js";
import { changeStatus } from "../../src/reports/status.js";
import { TRACKING_NUMBER, tipInputs } from "../support/citizen.js";
import { testDrivers } from "../support/db.js";
import { type GraphApiStub, startGraphApiStub } from "../support/graph-api-stub.js";
import { jpegBytes } from "../support/sample-files.js";
import { APP_SECRET, startWaCloudApp, VERIFY_TOKEN, type WaCloudTestApp } from "../support/wacloud-app.js";
import { postWebhook, webhookPayload } from "../support/wacloud-user.js";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

for (const driver of testDrivers()) {
  describe(`WhatsApp Cloud API webhook (${driver})`, { timeout: 60_000 }, () => {
    let stub: GraphApiStub;
    let t: WaCloudTestApp;

    beforeAll(async () => {
      stub = await startGraphApiStub();
      t = await startWaCloudApp(stub, driver);
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await stub?.close();
    });

    it("answers the verification challenge as text/plain for the right token, 403 otherwise", async () => {
      const ok = await fetch(
        `${t.webhookUrl}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
      );
      expect(ok.status).toBe(200);
      expect(ok.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await ok.text()).toBe("1158201444");
      const wrong = await fetch(`${t.webhookUrl}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=42`);
      expect(wrong.status).toBe(403);
      expect(await wrong.text()).not.toContain("42");
      const noMode = await fetch(`${t.webhookUrl}?hub.verify_token=${VERIFY_TOKEN}&hub.challenge=42`);
      expect(noMode.status).toBe(403);
    });

    it("accepts a good signature; refuses a bad, missing or stale one (body altered) with 401 and a clean log line", async () => {
      const waId = "6281200000001";
      const raw = JSON.stringify(
        webhookPayload(stub.phoneNumberId, {
          waId,
          name: "Rahasia",
          messages: [
            {
              from: waId,
              id: "wamid.sig-good",
              timestamp: String(Math.floor(Date.now() / 1000)),
              type: "text",
              text: { body: "/lapor" },
            },
          ],
        }),
      );
      const good = hubSignature(raw, APP_SECRET);
      const altered = raw.replace("/lapor", "/batal");
      const before = t.logs.length;
      expect(await postWebhook(t.webhookUrl, altered, good)).toBe(401);
      expect(await postWebhook(t.webhookUrl, raw, undefined)).toBe(401);
      expect(await postWebhook(t.webhookUrl, raw, hubSignature(raw, "another-secret"))).toBe(401);
      expect(await postWebhook(t.webhookUrl, raw, "sha256=zz")).toBe(401);
      const refusals = t.logs.slice(before).filter((l) => l.includes("webhook refused: bad signature"));
      expect(refusals).toHaveLength(4);
      for (const line of refusals) {
        expect(line).not.toContain(waId);
        expect(line).not.toContain("/lapor");
        expect(line).not.toContain("/batal");
        expect(line).not.toContain("Rahasia");
      }
      // Nothing of the refused bodies was handled.
      expect(stub.sentTo(waId)).toHaveLength(0);
      expect(await postWebhook(t.webhookUrl, raw, good)).toBe(200);
      const welcome = await stub.waitForMessage(waId, { match: (m) => /Pilih cara melapor/.test(m.text) });
      expect(welcome.type).toBe("interactive");
      // No log line carries the phone number.
      expect(t.logs.filter((l) => l.includes(waId))).toEqual([]);
    });

    it("tries a reply again after a 500 from the Graph API", async () => {
      const u = t.user("6281200000006");
      stub.failNext({
        status: 500,
        code: 1,
        message: "An unknown error occurred",
        match: (r) => r.json?.to === u.waId,
      });
      await u.text("/lapor");
      await stub.waitForMessage(u.waId, { match: (m) => /Pilih cara melapor/.test(m.text) });
      const tries = stub.requests.filter((r) => r.json?.to === u.waId).map((r) => r.status);
      expect(tries).toEqual([500, 200]);
    });

    it("handles a redelivered message id once, and acknowledges status callbacks without answering", async () => {
      const u = t.user("6281200000002");
      const wamid = await u.text("/lapor");
      await u.send({ type: "text", text: { body: "/lapor" } }, wamid);
      const statuses = JSON.stringify(
        webhookPayload(stub.phoneNumberId, {
          statuses: [
            { id: "wamid.out-1", status: "delivered", timestamp: "1700000000", recipient_id: u.waId },
          ],
        }),
      );
      expect(await postWebhook(t.webhookUrl, statuses, hubSignature(statuses, APP_SECRET))).toBe(200);
      // A later message of the same contact is answered after the earlier ones were handled.
      await u.text("halo");
      await stub.waitForMessage(u.waId, { match: (m) => /Pilih cara melapor/.test(m.text) });
      await t.app.wacloud!.idle();
      const welcomes = stub.sentTo(u.waId).filter((m) => /Selamat datang di LaporNetral/.test(m.text));
      expect(welcomes).toHaveLength(1);
      const answered = stub.sentTo(u.waId).length;
      expect(answered).toBeGreaterThanOrEqual(2);
    });

    it("media intake over the Graph API: stores good files by hash, refuses wrong type or size before download", async () => {
      const api = new GraphApiClient({
        root: stub.root,
        version: stub.version,
        token: stub.token,
        phoneNumberId: stub.phoneNumberId,
      });
      const dir = mkdtempSync(join(tmpdir(), "lapor-wac-intake-"));
      const intake = {
        policy: { maxBytes: 1024 * 1024, accepted: DEFAULT_ACCEPTED_MIME },
        store: new EvidenceStore(dir),
        mediaInfo: (id: string) => api.getMedia(id),
        download: (url: string) => api.downloadMedia(url),
      };
      const message = (type: string, ref: Record<string, unknown>) => ({
        from: "6281200000005",
        id: `wamid.intake-${type}-${String(ref.id)}`,
        timestamp: "1732070000",
        type,
        [type]: ref,
      });
      const photo = jpegBytes("small photo bytes");
      const good = await waMessageToInbound(
        message("image", { id: stub.addInboundMedia(photo, "image/jpeg"), caption: "lihat ini" }),
        intake,
      );
      expect(good).toMatchObject({
        kind: "media",
        items: [
          {
            kind: "photo",
            mime: "image/jpeg",
            sha256: sha(photo),
            size: photo.byteLength,
            caption: "lihat ini",
          },
        ],
      });
      const stored = (good as { items: { ref: string }[] }).items[0]!.ref;
      expect(sha(await intake.store.read(stored))).toBe(sha(photo));
      const downloads = () => stub.requests.filter((r) => r.path.startsWith("/media-download/")).length;
      const before = downloads();
      const exe = stub.addInboundMedia(Buffer.from("MZ program"), "application/x-msdownload");
      expect(
        await waMessageToInbound(message("document", { id: exe, filename: "hadiah.exe" }), intake),
      ).toEqual({
        kind: "media_rejected",
        reason: "unsupported_type",
        fileName: "hadiah.exe",
      });
      const big = stub.addInboundMedia(Buffer.alloc(2 * 1024 * 1024, 1), "video/mp4");
      expect(await waMessageToInbound(message("video", { id: big }), intake)).toMatchObject({
        kind: "media_rejected",
        reason: "too_large",
        size: 2 * 1024 * 1024,
      });
      expect(downloads()).toBe(before);
      expect(await waMessageToInbound(message("image", { id: "404404" }), intake)).toEqual({
        kind: "media_rejected",
        reason: "download_failed",
      });
      expect(await waMessageToInbound(message("sticker", { id: "1" }), intake)).toEqual({
        kind: "unsupported",
        what: "sticker",
      });
      rmSync(dir, { recursive: true, force: true });
    });

    it("tells a reporter within 24 h as text; after 25 h with no template the job fails with a readable reason", async () => {
      const waId = "6281200000003";
      let last = "";
      for (const [i, input] of tipInputs({ place: { kind: "text", text: "kota metro" } }).entries()) {
        const reply = await t.app.conversation.handle({
          channel: "wacloud",
          chatId: waId,
          messageId: `wamid.window-${i}`,
          receivedAt: new Date(),
          input,
        });
        last = reply?.outputs.map((o) => o.text).join("\n") ?? "";
      }
      const number = TRACKING_NUMBER.exec(last)?.[0];
      expect(number, last).toBeDefined();
      const db = t.app.services.database.db;
      const [report] = await db.select().from(reports).where(eq(reports.number, number!));
      await db.transaction((tx) =>
        changeStatus(tx, report!.id, { to: "acknowledged", actor: "test", now: new Date() }),
      );
      const told = await stub.waitForMessage(waId, { match: (m) => m.text.includes(number!) });
      expect(told.type).toBe("text");

      await db
        .update(contacts)
        .set({ lastSeenAt: new Date(Date.now() - 25 * 3_600_000) })
        .where(and(eq(contacts.channel, "wacloud"), eq(contacts.externalId, waId)));
      const sentBefore = stub.sentTo(waId).length;
      await db.transaction((tx) =>
        changeStatus(tx, report!.id, { to: "closed", detail: "bkn", actor: "test", now: new Date() }),
      );
      await expect
        .poll(
          async () =>
            (
              await db
                .select({ status: outbox.status, lastError: outbox.lastError })
                .from(outbox)
                .where(and(eq(outbox.reportId, report!.id), eq(outbox.kind, "notify_contact")))
            ).find((j) => j.status === "failed")?.lastError ?? "",
          { timeout: 15_000, interval: 50 },
        )
        .toMatch(/24-hour window closed \(reporter's last message 25 h ago\).*WACLOUD_NOTIFY_TEMPLATE/);
      expect(stub.sentTo(waId)).toHaveLength(sentBefore);
      expect(t.logs.some((l) => l.includes("24-hour window closed") && !l.includes(waId))).toBe(true);
    });
  });
}
