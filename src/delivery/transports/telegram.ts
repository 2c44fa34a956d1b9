import { type Api, InlineKeyboard, InputFile } from "grammy";
import type { InputMediaDocument } from "grammy/types";
import type { DeliveryButton, DeliveryContext, DeliveryTransport, OutgoingFile } from "../transport.js";

/**
 * Delivers to Telegram chats. Evidence files go as documents, so officers receive the original
 * bytes (Telegram recompresses "photos"); several files go as one album.
 */
export class TelegramTransport implements DeliveryTransport {
  constructor(private readonly api: Api) {}

  async sendText(
    address: string,
    text: string,
    _context?: DeliveryContext,
    buttons?: DeliveryButton[],
  ): Promise<void> {
    const keyboard = buttons?.length
      ? InlineKeyboard.from(buttons.map((b) => [InlineKeyboard.text(b.label, b.data)]))
      : undefined;
    await this.api.sendMessage(address, text, {
      link_preview_options: { is_disabled: true },
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
  }

  async sendFiles(address: string, files: OutgoingFile[]): Promise<void> {
    if (files.length === 1) {
      const f = files[0]!;
      await this.api.sendDocument(address, new InputFile(f.bytes, f.fileName), { caption: f.caption });
      return;
    }
    const media: InputMediaDocument[] = files.map((f) => ({
      type: "document",
      media: new InputFile(f.bytes, f.fileName),
      caption: f.caption,
    }));
    await this.api.sendMediaGroup(address, media);
  }

  async sendLocation(address: string, lat: number, lon: number): Promise<void> {
    await this.api.sendLocation(address, lat, lon);
  }
}
