/**
 * Broadcasts on Telegram through grammY's `Api` (no auto-retry: the dispatcher handles 429 by
 * pausing the whole channel). Texts are sent as HTML converted from the library's light markup;
 * an image goes with `sendPhoto` (uploaded once, then re-sent by its `file_id`). With paid
 * broadcasts on, every call carries `allow_paid_broadcast: true` (up to 1000 messages/s, billed
 * in Stars by Telegram).
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { type Api, InputFile } from "grammy";
import type { BroadcastMessage, BroadcastSender } from "./sender.js";

/** Escapes text for Telegram's HTML parse mode. */
function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * `*bold*` → `<b>bold</b>`, `_italic_` → `<i>italic</i>` (within one line), everything else escaped.
 *
 * @example toTelegramHtml("*Awas* <b>") // "<b>Awas</b> &lt;b&gt;"
 */
export function toTelegramHtml(text: string): string {
  return escapeHtml(text)
    .replace(/(^|[\s(])\*([^*\n]+?)\*(?=$|[\s.,;:!?)])/gm, "$1<b>$2</b>")
    .replace(/(^|[\s(])_([^_\n]+?)_(?=$|[\s.,;:!?)])/gm, "$1<i>$2</i>");
}

/** See the module comment. */
export class TelegramBroadcastSender implements BroadcastSender {
  readonly channel = "telegram";
  private readonly photoIds = new Map<string, string>();

  constructor(
    private readonly api: Api,
    private readonly options: { paidBroadcast?: boolean } = {},
  ) {}

  async send(address: string, message: BroadcastMessage): Promise<void> {
    const common = {
      parse_mode: "HTML" as const,
      ...(this.options.paidBroadcast ? { allow_paid_broadcast: true } : {}),
    };
    const text = toTelegramHtml(message.text);
    if (!message.imagePath) {
      await this.api.sendMessage(address, text, { ...common, link_preview_options: { is_disabled: true } });
      return;
    }
    const known = this.photoIds.get(message.imagePath);
    const photo = known ?? new InputFile(await readFile(message.imagePath), basename(message.imagePath));
    const sent = await this.api.sendPhoto(address, photo, { ...common, caption: text });
    if (!known) {
      const largest = sent.photo?.[sent.photo.length - 1];
      if (largest) this.photoIds.set(message.imagePath, largest.file_id);
    }
  }
}
