/**
 * The rate limits of each channel, from the settings: Telegram ~30 messages/s overall and one per
 * second per chat (or the paid-broadcast rate), WhatsApp Web one message every few seconds with
 * jitter, the WhatsApp Cloud API at its tier's rate.
 */
import type { Config } from "../config.js";
import type { RateLimitSettings } from "./rate-limiter.js";

/** The limiter settings of every channel that can broadcast. */
export function channelLimits(
  config: Config,
): Record<"telegram" | "whatsapp" | "wacloud", RateLimitSettings> {
  return {
    telegram: config.TELEGRAM_PAID_BROADCAST
      ? {
          perSecond: config.TELEGRAM_PAID_BROADCAST_PER_SECOND,
          perChatIntervalMs: config.TELEGRAM_BROADCAST_PER_CHAT_MS,
          maxConcurrent: 256,
        }
      : {
          perSecond: config.TELEGRAM_BROADCAST_PER_SECOND,
          perChatIntervalMs: config.TELEGRAM_BROADCAST_PER_CHAT_MS,
        },
    whatsapp: {
      perSecond: 1,
      minIntervalMs: config.WHATSAPP_BROADCAST_INTERVAL_MS,
      jitterMs: config.WHATSAPP_BROADCAST_JITTER_MS,
      maxConcurrent: 1,
    },
    wacloud: { perSecond: config.WACLOUD_BROADCAST_PER_SECOND },
  };
}
