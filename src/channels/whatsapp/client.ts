/**
 * The project's own narrow view of a WhatsApp Web client: the few events and calls the channel
 * needs, so the channel is tested with a fake client and never with a browser. The real
 * implementation, {@link WebJsClient}, wraps whatsapp-web.js with `LocalAuth` in DATA_DIR and
 * Debian's Chromium (puppeteer never downloads a browser: see `.puppeteerrc.cjs`).
 */
import { join } from "node:path";
import type WAWebJS from "whatsapp-web.js";

/** A file as whatsapp-web.js hands it over (`MessageMedia`): base64 data, MIME type, name, size. */
export interface WhatsAppMedia {
  mimetype: string;
  /** Base64 of the file's bytes. */
  data: string;
  filename?: string | null;
  filesize?: number | null;
}

/**
 * The part of a whatsapp-web.js `Message` the channel reads. A real `Message` fits this shape; the
 * test fake builds objects of the same shape.
 */
export interface WhatsAppMessage {
  id: { _serialized: string; id?: string; fromMe?: boolean; remote?: string };
  /** The chat: `<number>@c.us`, `<lid>@lid`, `<id>@g.us` for a group, `status@broadcast`. */
  from: string;
  to: string;
  /** The sender in a group chat. */
  author?: string | undefined;
  /** The text, or the caption of a file. */
  body: string;
  /** "chat", "location", "image", "video", "document", "audio", "ptt", "sticker", "vcard" … */
  type: string;
  hasMedia: boolean;
  location?: { latitude: number | string; longitude: number | string; description?: string } | undefined;
  /** Seconds since the epoch. */
  timestamp: number;
  fromMe: boolean;
  isStatus?: boolean;
  broadcast?: boolean;
  hasQuotedMsg: boolean;
  getQuotedMessage(): Promise<WhatsAppMessage | undefined>;
  /** The file of a media message; undefined (or a throw) when it expired on the phone. */
  downloadMedia(): Promise<WhatsAppMedia | undefined>;
}

/** What can be sent: a text, a file, or a GPS point. */
export type WhatsAppContent =
  | { kind: "text"; text: string }
  | { kind: "media"; media: WhatsAppMedia; caption?: string }
  | { kind: "location"; latitude: number; longitude: number; description?: string };

/** Options of one send. */
export interface WhatsAppSendOptions {
  /** Quote this message (serialized id). */
  quotedMessageId?: string;
}

/** The events the channel listens to, with their arguments (as whatsapp-web.js emits them). */
export interface WhatsAppEvents {
  message: [message: WhatsAppMessage];
  qr: [qr: string];
  ready: [];
  authenticated: [];
  auth_failure: [message: string];
  disconnected: [reason: string];
  change_state: [state: string];
}

/** The project's narrow WhatsApp Web client. */
export interface WhatsAppClient {
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  on<E extends keyof WhatsAppEvents>(event: E, listener: (...args: WhatsAppEvents[E]) => void): void;
  removeAllListeners(): void;
  /** Sends and resolves to the sent message's serialized id. */
  sendMessage(chatId: string, content: WhatsAppContent, options?: WhatsAppSendOptions): Promise<string>;
  /** "CONNECTED", "OPENING", "PAIRING", "TIMEOUT" …; throws when the page is dead. */
  getState(): Promise<string | null>;
  /** Asks WhatsApp for an 8-character code to link the phone `phoneNumber` (digits only). */
  requestPairingCode(phoneNumber: string): Promise<string>;
  /** The phone-number ids (`…@c.us`) of `@lid` ids, where WhatsApp tells them. */
  getContactLidAndPhone(userIds: string[]): Promise<{ lid?: string; pn?: string }[]>;
}

/** Settings of the real client. */
export interface WebJsClientSettings {
  /** DATA_DIR: the session is kept in `<dataDir>/whatsapp` (LocalAuth). */
  dataDir: string;
  /** Chromium to drive (Debian's `/usr/bin/chromium`). */
  executablePath: string;
}

/** Makes a fresh client; the watchdog calls it again after destroying a dead one. */
export type WhatsAppClientFactory = () => WhatsAppClient;

/** Chromium flags for a headless server: no sandbox (root in a container), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-setuid-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-extensions",
  "--disable-sync",
  "--no-first-run",
  "--no-default-browser-check",
  "--mute-audio",
] as const;

/** The whatsapp-web.js module, loaded only when the channel is enabled (it brings puppeteer). */
type WebJsModule = typeof WAWebJS;

/**
 * The factory of real clients. whatsapp-web.js is imported here, on first use, so a program
 * without WhatsApp never loads it.
 */
export async function webJsClientFactory(settings: WebJsClientSettings): Promise<WhatsAppClientFactory> {
  const lib = ((await import("whatsapp-web.js")) as { default: WebJsModule }).default;
  return () => new WebJsClient(lib, settings);
}

/** The real client: whatsapp-web.js driving headless Chromium, session saved by LocalAuth. */
export class WebJsClient implements WhatsAppClient {
  private readonly client: WAWebJS.Client;

  constructor(
    private readonly lib: WebJsModule,
    settings: WebJsClientSettings,
  ) {
    this.client = new lib.Client({
      authStrategy: new lib.LocalAuth({ dataPath: join(settings.dataDir, "whatsapp") }),
      puppeteer: {
        headless: true,
        executablePath: settings.executablePath,
        args: [...CHROMIUM_ARGS],
      },
    });
  }

  initialize(): Promise<void> {
    return this.client.initialize();
  }

  destroy(): Promise<void> {
    return this.client.destroy();
  }

  on<E extends keyof WhatsAppEvents>(event: E, listener: (...args: WhatsAppEvents[E]) => void): void {
    this.client.on(event, listener as (...args: unknown[]) => void);
  }

  removeAllListeners(): void {
    this.client.removeAllListeners();
  }

  async sendMessage(chatId: string, content: WhatsAppContent, options: WhatsAppSendOptions = {}) {
    const sendOptions: WAWebJS.MessageSendOptions = {};
    if (options.quotedMessageId) sendOptions.quotedMessageId = options.quotedMessageId;
    let body: string | WAWebJS.MessageMedia | WAWebJS.Location;
    if (content.kind === "text") body = content.text;
    else if (content.kind === "location")
      body = new this.lib.Location(
        content.latitude,
        content.longitude,
        content.description ? { name: content.description } : {},
      );
    else {
      const m = content.media;
      body = new this.lib.MessageMedia(m.mimetype, m.data, m.filename ?? null, m.filesize ?? null);
      // Sent as documents, so officers get the original bytes (WhatsApp recompresses pictures and videos).
      sendOptions.sendMediaAsDocument = true;
      if (content.caption) sendOptions.caption = content.caption;
    }
    const sent = await this.client.sendMessage(chatId, body, sendOptions);
    return sent.id._serialized;
  }

  async getState(): Promise<string | null> {
    return (await this.client.getState()) ?? null;
  }

  requestPairingCode(phoneNumber: string): Promise<string> {
    return this.client.requestPairingCode(phoneNumber);
  }

  getContactLidAndPhone(userIds: string[]): Promise<{ lid?: string; pn?: string }[]> {
    return this.client.getContactLidAndPhone(userIds);
  }
}
