import { classifyWhatsAppWebFailure, SendFailure } from "../../delivery/failure.js";
import type {
  DeliveryButton,
  DeliveryContext,
  DeliveryTransport,
  OutgoingFile,
  TextLimits,
} from "../../delivery/transport.js";
import { type LocaleBundle, t } from "../../engine/locale.js";
import type { WhatsAppContent } from "./client.js";
import type { SendPriority } from "./outbox.js";
import { numberedMenu } from "./render.js";

/**
 * WhatsApp's own limit is 65,536 characters a message; cards stay far below it, and the numbered
 * actions appended under a card get room of their own.
 */
export const WHATSAPP_WEB_LIMITS: TextLimits = { text: 65_000, textWithButtons: 60_000, caption: 1024 };

/** What the transport sends through: the WhatsApp channel's paced queue. */
export interface WhatsAppSender {
  send(chatId: string, content: WhatsAppContent, priority: SendPriority): Promise<string>;
}

/** A chat id whatsapp-web.js accepts; a bare number (as admins type it) becomes `<number>@c.us`. */
export function whatsAppChatId(address: string): string {
  const a = address.trim().replace(/^\+/, "");
  if (/^\d{8,15}$/.test(a)) return `${a}@c.us`;
  if (/^\d{8,15}@c\.us$/.test(a) || /^\d{8,25}(-\d+)?@g\.us$/.test(a) || /^\d{6,25}@lid$/.test(a)) return a;
  throw new SendFailure("gone", "whatsapp", `not a WhatsApp chat id: ${a.slice(0, 40)}`, {
    code: "bad_address",
  });
}

/**
 * Delivers to WhatsApp chats through the WhatsApp Web channel, at bulk priority (after replies to
 * citizens) and paced like every other send. The card's officer buttons become numbered actions
 * at its end; files go one by one (WhatsApp has no albums) as documents with their original bytes,
 * name and caption; a location as a location. Errors are classified for the worker: an address
 * that can never receive is gone, everything else (not connected, dead page) is retried.
 */
export class WhatsAppTransport implements DeliveryTransport {
  readonly limits = WHATSAPP_WEB_LIMITS;

  constructor(
    private readonly sender: WhatsAppSender,
    private readonly locales: LocaleBundle,
  ) {}

  classify(e: unknown): SendFailure {
    return classifyWhatsAppWebFailure(e);
  }

  async sendText(
    address: string,
    text: string,
    context?: DeliveryContext,
    buttons?: DeliveryButton[],
  ): Promise<void> {
    const body = buttons?.length
      ? numberedMenu(
          text,
          buttons.map((b) => b.label),
          t(this.locales, "id", "whatsapp.card_actions_hint", {
            number: context?.reportNumber ?? "LN-XXXX-XXXX",
          }),
        )
      : text;
    await this.send(address, { kind: "text", text: body });
  }

  async sendFiles(address: string, files: OutgoingFile[]): Promise<void> {
    for (const f of files) {
      await this.send(address, {
        kind: "media",
        media: {
          mimetype: f.mime,
          data: Buffer.from(f.bytes).toString("base64"),
          filename: f.fileName,
          filesize: f.bytes.byteLength,
        },
        caption: f.caption,
      });
    }
  }

  async sendLocation(address: string, lat: number, lon: number): Promise<void> {
    await this.send(address, { kind: "location", latitude: lat, longitude: lon });
  }

  private async send(address: string, content: WhatsAppContent): Promise<void> {
    const chatId = whatsAppChatId(address);
    try {
      await this.sender.send(chatId, content, "bulk");
    } catch (e) {
      throw classifyWhatsAppWebFailure(e);
    }
  }
}
