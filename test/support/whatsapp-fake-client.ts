/**
 * A fake WhatsApp Web for tests: clients that implement the project's narrow {@link WhatsAppClient}
 * and emit message objects shaped like whatsapp-web.js `Message` (id._serialized, from, to,
 * author in groups, body, type, hasMedia, location, timestamp, fromMe, hasQuotedMsg /
 * getQuotedMessage, downloadMedia() → { mimetype, data (base64), filename, filesize }). The
 * network records every send of every client, can make the page "die" (getState and sendMessage
 * throw what puppeteer throws for a dead page, or a `disconnected` event), and maps `@lid` ids.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type App, startApp } from "../../src/app.js";
import type {
  WhatsAppClient,
  WhatsAppContent,
  WhatsAppEvents,
  WhatsAppMedia,
  WhatsAppMessage,
  WhatsAppSendOptions,
} from "../../src/channels/whatsapp/client.js";
import { loadConfig } from "../../src/config.js";
import { createLogger, type Logger } from "../../src/log.js";
import { freshDatabase, type TestDriver } from "./db.js";

/** The bot's own number. */
export const BOT_ID = "6280000000001@c.us";

/** One message a client sent. */
export interface FakeSent {
  id: string;
  chatId: string;
  content: WhatsAppContent;
  options: WhatsAppSendOptions;
  /** Which client (0 = first, 1 = after the first restart …). */
  client: number;
  /** The text, or the caption of a file. */
  text: string;
}

type Listener = (...args: never[]) => void;

/** One fake client. */
export class FakeWhatsAppClient implements WhatsAppClient {
  dead = false;
  destroyed = false;
  initialized = 0;
  private listeners = new Map<string, Listener[]>();

  constructor(
    private readonly network: FakeWhatsAppNetwork,
    readonly index: number,
  ) {}

  async initialize(): Promise<void> {
    this.initialized++;
    await new Promise((r) => setImmediate(r));
    if (this.network.showQr) this.emit("qr", `2@fake-qr-payload-${this.index},key,more`);
    if (this.network.autoReady) this.becomeReady();
  }

  /** The phone scanned the QR / the session was restored: authenticated, then ready. */
  becomeReady(): void {
    this.emit("authenticated");
    this.emit("ready");
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
  }

  on<E extends keyof WhatsAppEvents>(event: E, listener: (...args: WhatsAppEvents[E]) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as Listener]);
  }

  removeAllListeners(): void {
    this.listeners.clear();
  }

  emit<E extends keyof WhatsAppEvents>(event: E, ...args: WhatsAppEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (...a: WhatsAppEvents[E]) => void)(...args);
  }

  async sendMessage(chatId: string, content: WhatsAppContent, options: WhatsAppSendOptions = {}) {
    await new Promise((r) => setImmediate(r));
    if (this.destroyed) throw new Error("Protocol error (Runtime.callFunctionOn): Session closed.");
    if (this.dead) throw new Error("Protocol error (Runtime.callFunctionOn): Target closed.");
    if (!/@(c\.us|g\.us|lid)$/.test(chatId) || chatId.startsWith("0"))
      throw new Error("wid error: invalid wid");
    const id = `true_${chatId}_3EB0${String(++this.network.counter).padStart(16, "0")}`;
    const text =
      content.kind === "text" ? content.text : content.kind === "media" ? (content.caption ?? "") : "";
    this.network.sent.push({ id, chatId, content, options, client: this.index, text });
    return id;
  }

  async getState(): Promise<string | null> {
    if (this.dead || this.destroyed)
      throw new Error("Execution context was destroyed, most likely because of a navigation.");
    return "CONNECTED";
  }

  async requestPairingCode(): Promise<string> {
    return "ABCD1234";
  }

  async getContactLidAndPhone(userIds: string[]): Promise<{ lid?: string; pn?: string }[]> {
    return userIds.map((lid) => {
      const pn = this.network.lids.get(lid);
      return pn ? { lid, pn } : { lid };
    });
  }
}

/** A file to send as a citizen. */
export interface FakeFile {
  type: "image" | "video" | "document" | "audio" | "ptt";
  mimetype: string;
  bytes: Buffer;
  filename?: string;
  caption?: string;
  /** downloadMedia() gives undefined, as for media that expired on the phone. */
  expired?: boolean;
}

/** Every fake client made, and every message they sent. */
export class FakeWhatsAppNetwork {
  readonly clients: FakeWhatsAppClient[] = [];
  readonly sent: FakeSent[] = [];
  /** `@lid` id → phone-number id, as WhatsApp would tell. */
  readonly lids = new Map<string, string>();
  /** New clients become ready by themselves (false: call `current.becomeReady()`). */
  autoReady = true;
  /** New clients emit a QR when they start. */
  showQr = false;
  counter = 0;

  /** The factory to pass to the app (`whatsappClientFactory`). */
  readonly factory = (): WhatsAppClient => {
    const c = new FakeWhatsAppClient(this, this.clients.length);
    this.clients.push(c);
    return c;
  };

  /** The client in use (the latest made). */
  get current(): FakeWhatsAppClient {
    const c = this.clients[this.clients.length - 1];
    if (!c) throw new Error("no client yet");
    return c;
  }

  /** Builds a message object shaped like whatsapp-web.js's. */
  message(
    from: string,
    fields: Partial<WhatsAppMessage> & { quoted?: FakeSent | WhatsAppMessage; file?: FakeFile } = {},
  ): WhatsAppMessage {
    const { quoted, file, ...rest } = fields;
    const remote = from;
    const id = `3A${String(++this.counter).padStart(18, "0")}`;
    const media: WhatsAppMedia | undefined = file
      ? {
          mimetype: file.mimetype,
          data: file.bytes.toString("base64"),
          filename: file.filename ?? null,
          filesize: file.bytes.byteLength,
        }
      : undefined;
    const quotedMessage = quoted
      ? "chatId" in quoted
        ? this.message(quoted.chatId, { body: quoted.text, fromMe: true, id: { _serialized: quoted.id } })
        : quoted
      : undefined;
    return {
      id: {
        _serialized: `false_${remote}_${id}${rest.author ? `_${rest.author}` : ""}`,
        id,
        fromMe: false,
        remote,
      },
      from,
      to: BOT_ID,
      body: file?.caption ?? "",
      type: file ? file.type : "chat",
      hasMedia: Boolean(file),
      timestamp: Math.floor(Date.now() / 1000),
      fromMe: false,
      isStatus: false,
      broadcast: false,
      hasQuotedMsg: Boolean(quotedMessage),
      getQuotedMessage: async () => quotedMessage,
      downloadMedia: async () => (file?.expired ? undefined : media),
      ...rest,
    };
  }

  /** Delivers a message to the bot (the `message` event of the current client). */
  deliver(message: WhatsAppMessage): WhatsAppMessage {
    this.current.emit("message", message);
    return message;
  }

  /** A citizen (or officer) types a text in their private chat. */
  text(from: string, body: string, quoted?: FakeSent): WhatsAppMessage {
    return this.deliver(this.message(from, { body, ...(quoted ? { quoted } : {}) }));
  }

  /** Someone types in a group. */
  groupText(group: string, author: string, body: string, quoted?: FakeSent): WhatsAppMessage {
    return this.deliver(this.message(group, { author, body, ...(quoted ? { quoted } : {}) }));
  }

  /** A shared location (📎 → Location). */
  location(from: string, latitude: number, longitude: number): WhatsAppMessage {
    return this.deliver(
      this.message(from, { type: "location", body: "", location: { latitude, longitude, description: "" } }),
    );
  }

  /** A file (picture, video, document, voice note). */
  file(from: string, file: FakeFile): WhatsAppMessage {
    return this.deliver(this.message(from, { file }));
  }

  /** A sticker. */
  sticker(from: string): WhatsAppMessage {
    return this.deliver(this.message(from, { type: "sticker", hasMedia: true }));
  }

  /** What was sent to a chat, oldest first. */
  sentTo(chatId: string): FakeSent[] {
    return this.sent.filter((s) => s.chatId === chatId);
  }

  /**
   * Waits (polling, generous timeout) for a message to `chatId` matching `match`, sent after the
   * first `after` messages of that chat (default: any).
   */
  async waitFor(
    chatId: string,
    match: RegExp | ((s: FakeSent) => boolean),
    options: { after?: number; timeoutMs?: number } = {},
  ): Promise<FakeSent> {
    const test = typeof match === "function" ? match : (s: FakeSent) => match.test(s.text);
    const deadline = Date.now() + (options.timeoutMs ?? 15_000);
    for (;;) {
      const hit = this.sentTo(chatId)
        .slice(options.after ?? 0)
        .find(test);
      if (hit) return hit;
      if (Date.now() > deadline) {
        const texts = this.sentTo(chatId).map((s) => s.text.slice(0, 120));
        throw new Error(`no message to ${chatId} matching ${String(match)}; sent:\n${texts.join("\n---\n")}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** The app started with the fake WhatsApp network, on one database driver. */
export interface WhatsAppTestApp {
  app: App;
  network: FakeWhatsAppNetwork;
  /** What the channel printed in the terminal (QR, pairing code). */
  terminal: string[];
  close(): Promise<void>;
}

/**
 * Starts the real app (flows, conversation service, delivery worker, WhatsApp channel) with the
 * fake network as its WhatsApp Web, on PGlite or on a fresh database of the real PostgreSQL.
 */
export async function startWhatsAppApp(
  driver: TestDriver,
  env: Record<string, string> = {},
  network = new FakeWhatsAppNetwork(),
  logger: Logger = createLogger({ level: "silent" }),
): Promise<WhatsAppTestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), "lapor-wa-"));
  const database = driver === "postgres" ? await freshDatabase("postgres", { migrate: false }) : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    WEB_SIMULATOR: "false",
    PORT: "0",
    LOG_LEVEL: "silent",
    WHATSAPP_WEB_ENABLED: "true",
    WHATSAPP_SEND_MIN_DELAY_MS: "0",
    WHATSAPP_SEND_MAX_DELAY_MS: "2",
    WHATSAPP_WATCHDOG_INTERVAL_MS: "100",
    ...(database?.url ? { DATABASE_URL: database.url } : {}),
    ...env,
  });
  const terminal: string[] = [];
  const app = await startApp(config, logger, {
    workerIntervalMs: 50,
    whatsappClientFactory: network.factory,
    whatsappTerminal: (text) => terminal.push(text),
  });
  return {
    app,
    network,
    terminal,
    async close() {
      await app.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The tracking number in a receipt. */
const RECEIPT = /LN-[0-9A-Z]{4}-[0-9A-Z]{4}/;

/**
 * Files a complete tip in Kota Metro as the WhatsApp user `chat` (typing numbers and words, the
 * place by name), optionally with one file; resolves to the tracking number.
 */
export async function fileTipOnWhatsApp(
  network: FakeWhatsAppNetwork,
  chat: string,
  options: { account?: string; file?: FakeFile } = {},
): Promise<string> {
  const step = async (send: () => void, re: RegExp) => {
    const before = network.sentTo(chat).length;
    send();
    return network.waitFor(chat, re, { after: before });
  };
  const say = (body: string, re: RegExp) => step(() => network.text(chat, body), re);
  await say("/lapor", /Pilih cara melapor/);
  await say("1", /Apa yang dilakukan ASN/);
  await say("8", /Ceritakan kejadiannya/);
  await say(options.account ?? "Kepala dinas memakai mobil dinas untuk mengangkut massa kampanye.", /Kapan/);
  await say("kemarin", /Di mana kejadiannya/);
  await say("kota metro", /Kota Metro, Lampung\?/);
  await say("ya", /Siapa nama ASN/);
  await say("tidak tahu", /Apa jabatannya/);
  await say("tidak tahu", /Di instansi/);
  await say("tidak tahu", /PNS atau PPPK/);
  await say("tidak tahu", /Kirim bukti/);
  if (options.file) {
    const file = options.file;
    await step(() => network.file(chat, file), /Diterima: 1 file/);
    await say("selesai", /ringkasan/i);
  } else {
    await say("tidak ada bukti", /ringkasan/i);
  }
  const receipt = await say("kirim", RECEIPT);
  return RECEIPT.exec(receipt.text)![0];
}
