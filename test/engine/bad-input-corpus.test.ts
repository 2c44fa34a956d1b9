/**
 * The bad-input corpus: at every step of a tip, each bad input (disguised and empty files, huge
 * texts, control characters, broken Unicode, zero-width text, gibberish dates, places outside
 * Indonesia, invalid points, floods …) gets a clear Indonesian answer (never the "not saved"
 * apology), keeps every answer already given, and the process keeps running. Texts go through
 * the channels' own intake (Telegram, WhatsApp Web, the Cloud API, the simulator) before the
 * conversation service, as in production.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../../src/app.js";
import { cleanInbound } from "../../src/channels/clean-inbound.js";
import { MediaIntake } from "../../src/channels/media-intake.js";
import { messageToInbound as telegramInbound } from "../../src/channels/telegram/inbound.js";
import { DEFAULT_ACCEPTED_MIME } from "../../src/channels/types.js";
import { waMessageToInbound } from "../../src/channels/wacloud/inbound.js";
import { messageToInbound as whatsappInbound } from "../../src/channels/whatsapp/inbound.js";
import { loadConfig } from "../../src/config.js";
import { contacts, sessions } from "../../src/db/schema/index.js";
import type { Inbound } from "../../src/engine/types.js";
import { createLogger } from "../../src/log.js";
import { EvidenceStore } from "../../src/reports/evidence-store.js";
import { tipInputs } from "../support/citizen.js";
import { exeBytes, svgBytes } from "../support/sample-files.js";

const BAD_TEXTS = [
  "\u0000",
  "Pak Budi\u0000 datang",
  "\uD800\uDC00\uDFFF",
  "\uD83D",
  "\u200B".repeat(30),
  "\u202Eevil",
  "x".repeat(100_000),
  "🙂".repeat(3000),
  "\r\n\r\n\t",
  "32/13/2024",
  "kemarin lusa besok",
  "Kuala Lumpur",
  "Singapore",
  '=HYPERLINK("http://evil")',
  "<script>alert(1)</script>",
  "'; drop table reports; --",
];

type Channel = "telegram" | "whatsapp" | "wacloud" | "web";

describe("bad-input corpus", () => {
  let app: App;
  let dataDir: string;
  let intake: MediaIntake;
  const policy = { maxBytes: 1024 * 1024, accepted: DEFAULT_ACCEPTED_MIME };
  let n = 0;

  /** A typed text as the channel's own intake hands it to the conversation service. */
  async function viaChannel(channel: Channel, text: string): Promise<Inbound> {
    const store = new EvidenceStore(dataDir);
    if (channel === "telegram")
      return telegramInbound({ message_id: 1, date: 1, chat: { id: 1, type: "private" }, text } as never, {
        policy,
        store,
        download: async () => new Uint8Array(),
      });
    if (channel === "whatsapp")
      return whatsappInbound(
        {
          id: { id: "x", _serialized: "x" },
          from: "1@c.us",
          type: "chat",
          body: text,
          timestamp: 1,
        } as never,
        { policy, store },
      );
    if (channel === "wacloud")
      return waMessageToInbound(
        { id: "w", from: "62", timestamp: "1", type: "text", text: { body: text } } as never,
        {
          policy,
          store,
          mediaInfo: async () => ({ url: "x" }) as never,
          download: async () => new Uint8Array(),
        },
      );
    return cleanInbound({ kind: "text", text });
  }

  async function badInputs(channel: Channel): Promise<Inbound[]> {
    const file = (bytes: Uint8Array, declaredMime: string, fileName: string) =>
      intake.take({
        declaredMime,
        fileName,
        messageId: `f${n++}`,
        receivedAt: new Date(),
        download: async () => bytes,
      });
    return [
      ...(await Promise.all(BAD_TEXTS.map((t) => viaChannel(channel, t)))),
      await file(exeBytes(), "image/jpeg", "foto.jpg"),
      await file(new Uint8Array(), "image/jpeg", "kosong.jpg"),
      await file(Buffer.alloc(policy.maxBytes + 10, 1), "video/mp4", "besar.mp4"),
      await file(svgBytes(), "image/svg+xml", "gambar.svg"),
      { kind: "location", lat: 999, lon: 999 },
      { kind: "location", lat: Number.NaN, lon: 105 },
      { kind: "location", lat: 51.5, lon: -0.12 },
      { kind: "choice", value: "no-such-button" },
      { kind: "unsupported", what: "sticker" },
      { kind: "command", name: "tidakada", args: "\u0000" },
    ];
  }

  async function answers(visitor: string): Promise<Record<string, unknown>> {
    const [row] = await app.services.database.db
      .select({ state: sessions.state })
      .from(sessions)
      .innerJoin(contacts, eq(contacts.id, sessions.contactId))
      .where(and(eq(contacts.channel, "web"), eq(contacts.externalId, visitor)));
    return ((row?.state as { answers?: Record<string, unknown> } | undefined)?.answers ?? {}) as Record<
      string,
      unknown
    >;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "lapor-corpus-"));
    app = await startApp(
      loadConfig({ DATA_DIR: dataDir, PORT: "0", WEB_SIMULATOR: "false" }),
      createLogger({ level: "silent" }),
      { workerIntervalMs: 0 },
    );
    intake = new MediaIntake(policy, new EvidenceStore(dataDir));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const tip = tipInputs();
  // Steps of a tip: category, account, date, place, confirm, accused, position, agency, ASN, evidence, summary.
  const steps = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const channels: Channel[] = ["telegram", "whatsapp", "wacloud", "web"];

  it.each(steps)("at step %i every bad input gets a clear answer and nothing given is lost", async (k) => {
    const channel = channels[k % channels.length]!;
    const visitor = `corpus-${k}`;
    const send = async (input: Inbound) =>
      app.conversation.handle({
        channel: "web",
        chatId: visitor,
        messageId: `${visitor}-${n++}`,
        receivedAt: new Date(),
        input,
      });
    for (const input of tip.slice(0, k)) await send(input);
    const before = await answers(visitor);
    let cases = 0;
    for (const bad of await badInputs(channel)) {
      const reply = await send(bad);
      const said = reply?.outputs.map((o) => o.text).join("\n") ?? "";
      expect(said.trim().length, JSON.stringify(bad).slice(0, 80)).toBeGreaterThan(0);
      expect(said).not.toContain("belum tersimpan");
      const now = await answers(visitor);
      for (const [key, value] of Object.entries(before)) expect(now[key], key).toEqual(value);
      cases++;
    }
    expect(cases).toBeGreaterThanOrEqual(26);
    expect(JSON.stringify(await answers(visitor))).not.toContain("\\u0000");
    // Still running: a health check of the conversation service.
    expect((await send({ kind: "command", name: "bantuan", args: "" }))?.outputs.length).toBeGreaterThan(0);
  });
});
