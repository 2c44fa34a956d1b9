/**
 * WhatsApp Web message → engine input, on whatsapp-web.js-shaped messages from the fake network:
 * commands and texts, locations, files checked against the size limit and the accepted types
 * before anything is stored, expired media, and the types the engine cannot read.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCEPTED_MIME } from "../../src/channels/types.js";
import { messageToInbound, parseCommand } from "../../src/channels/whatsapp/inbound.js";
import { EvidenceStore } from "../../src/reports/evidence-store.js";
import { oggBytes } from "../support/sample-files.js";
import { FakeWhatsAppNetwork } from "../support/whatsapp-fake-client.js";

const dir = mkdtempSync(join(tmpdir(), "lapor-wa-in-"));
const store = new EvidenceStore(dir);
const intake = { store, policy: { maxBytes: 1000, accepted: DEFAULT_ACCEPTED_MIME } };
const net = new FakeWhatsAppNetwork();
const from = "6281234599999@c.us";
const stored = () => (existsSync(join(dir, "evidence")) ? readdirSync(join(dir, "evidence")).length : 0);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("WhatsApp Web inbound", () => {
  it("reads commands, texts and locations", async () => {
    expect(await messageToInbound(net.message(from, { body: "/Status LN-ABCD-EFGH" }), intake)).toEqual({
      kind: "command",
      name: "status",
      args: "LN-ABCD-EFGH",
    });
    expect(await messageToInbound(net.message(from, { body: "laporan resmi" }), intake)).toEqual({
      kind: "text",
      text: "laporan resmi",
    });
    const loc = net.message(from, {
      type: "location",
      location: { latitude: "-5.1131", longitude: "105.3067" },
    });
    expect(await messageToInbound(loc, intake)).toEqual({ kind: "location", lat: -5.1131, lon: 105.3067 });
    expect(parseCommand("lapor")).toBeUndefined();
  });

  it("stores an accepted file with its SHA-256; a voice note is audio", async () => {
    const bytes = oggBytes("voice note bytes");
    const r = await messageToInbound(
      net.message(from, { file: { type: "ptt", mimetype: "audio/ogg; codecs=opus", bytes } }),
      intake,
    );
    expect(r).toMatchObject({
      kind: "media",
      items: [
        {
          kind: "audio",
          mime: "audio/ogg",
          size: bytes.byteLength,
          sha256: createHash("sha256").update(bytes).digest("hex"),
        },
      ],
    });
  });

  it("refuses too large and unaccepted files before storing them, and expired media", async () => {
    const before = stored();
    const big = Buffer.alloc(1001, 1);
    expect(
      await messageToInbound(
        net.message(from, { file: { type: "video", mimetype: "video/mp4", bytes: big } }),
        intake,
      ),
    ).toMatchObject({ kind: "media_rejected", reason: "too_large", size: 1001, limit: 1000 });
    const exe = net.message(from, {
      file: {
        type: "document",
        mimetype: "application/x-msdownload",
        bytes: Buffer.from("MZ"),
        filename: "a.exe",
      },
    });
    expect(await messageToInbound(exe, intake)).toEqual({
      kind: "media_rejected",
      reason: "unsupported_type",
      fileName: "a.exe",
    });
    const expired = net.message(from, {
      file: { type: "image", mimetype: "image/jpeg", bytes: Buffer.from("x"), expired: true },
    });
    expect(await messageToInbound(expired, intake)).toEqual({
      kind: "media_rejected",
      reason: "download_failed",
    });
    const throwing = { ...expired, downloadMedia: async () => Promise.reject(new Error("media not found")) };
    expect(await messageToInbound(throwing, intake)).toEqual({
      kind: "media_rejected",
      reason: "download_failed",
    });
    expect(stored()).toBe(before);
  });

  it("stickers, contacts and polls are unsupported", async () => {
    for (const [type, what] of [
      ["sticker", "sticker"],
      ["vcard", "contact"],
      ["poll_creation", "poll"],
    ] as const) {
      expect(
        await messageToInbound(net.message(from, { type, hasMedia: type === "sticker" }), intake),
      ).toEqual({
        kind: "unsupported",
        what,
      });
    }
  });
});
