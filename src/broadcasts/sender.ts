/**
 * How a broadcast reaches one channel's chats. One implementation per channel: Telegram
 * (`telegram-sender.ts`) and any {@link DeliveryTransport} (`transport-sender.ts`, for the WhatsApp
 * transports). A sender sends exactly once per call and never retries by itself: the dispatcher
 * decides (see `failures.ts`), so a retry is never hidden from the "at most once" bookkeeping.
 */
import type { Lang } from "../engine/types.js";

/** One message of a broadcast, in the recipient's language. */
export interface BroadcastMessage {
  /** Text in the light markup `*bold*` / `_italic_`; each sender renders it for its platform. */
  text: string;
  /** An image sent with the text as its caption (absolute path). */
  imagePath?: string;
  lang: Lang;
}

/** Sends broadcast messages on one channel. Throws on failure (classified by `failures.ts`). */
export interface BroadcastSender {
  /** The channel name used in `broadcast_deliveries.channel` ("telegram", "whatsapp", "wacloud"). */
  readonly channel: string;
  send(address: string, message: BroadcastMessage): Promise<void>;
}
