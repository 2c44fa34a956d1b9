import { type Api, InputFile } from "grammy";
import type { InputMediaDocument } from "grammy/types";
import type { DeliveryTransport, OutgoingFile } from "../transport.js";

/**
 * Delivers to Telegram chats. Evidence files go as documents, so officers receive the original
 * bytes (Telegram recompresses "photos"); several files go as one album.
 */
export class TelegramTransport implements DeliveryTransport {
  constructor(private readonly api: Api) {}

  async sendText(address: string, text: string): Promise<void> {
    await this.api.sendMessage(address, text, { link_preview_options: { is_disabled: true } });
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
