import { Api, InlineKeyboard, InputFile } from "grammy";
import type { InputMediaDocument } from "grammy/types";
import { classifyTelegramFailure, type SendFailure } from "../failure.js";
import type {
  DeliveryButton,
  DeliveryContext,
  DeliveryTransport,
  OutgoingFile,
  TextLimits,
} from "../transport.js";

/** Telegram's limits: 4096 characters of text, 1024 of caption. */
export const TELEGRAM_LIMITS: TextLimits = { text: 4096, textWithButtons: 4096, caption: 1024 };

/**
 * Delivers to Telegram chats. Evidence files go as documents, so officers receive the original
 * bytes (Telegram recompresses "photos"); several files go as one album. Give it an `Api` that does
 * not sleep on `retry_after` itself (no auto-retry): the worker schedules the wait and moves on to
 * other chats.
 */
export class TelegramTransport implements DeliveryTransport {
  readonly limits = TELEGRAM_LIMITS;

  constructor(private readonly api: Api) {}

  /**
   * A transport with an `Api` of its own (the bot's has auto-retry, which would sleep through a
   * 40 s `retry_after` inside the send, holding the job): sends take slots of the channel's
   * limiter in the same lane as the bot's own messages, as before; a 429 comes back to the worker,
   * which schedules the job after exactly the `retry_after`.
   */
  static create(
    token: string,
    apiRoot: string | undefined,
    limiter?: {
      run<T>(task: () => Promise<T>, options: { priority: "reply"; key?: string }): Promise<T>;
    },
  ): TelegramTransport {
    const api = new Api(token, apiRoot ? { apiRoot } : undefined);
    if (limiter)
      api.config.use((prev, method, payload, signal) =>
        method.startsWith("send")
          ? limiter.run(() => prev(method, payload, signal), {
              priority: "reply",
              key: String((payload as { chat_id?: unknown }).chat_id ?? ""),
            })
          : prev(method, payload, signal),
      );
    return new TelegramTransport(api);
  }

  classify(e: unknown): SendFailure {
    return classifyTelegramFailure(e);
  }

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
    const caption = (c: string) => c.slice(0, this.limits.caption);
    if (files.length === 1) {
      const f = files[0]!;
      await this.api.sendDocument(address, new InputFile(f.bytes, f.fileName), {
        caption: caption(f.caption),
      });
      return;
    }
    const media: InputMediaDocument[] = files.map((f) => ({
      type: "document",
      media: new InputFile(f.bytes, f.fileName),
      caption: caption(f.caption),
    }));
    await this.api.sendMediaGroup(address, media);
  }

  async sendLocation(address: string, lat: number, lon: number): Promise<void> {
    await this.api.sendLocation(address, lat, lon);
  }
}
