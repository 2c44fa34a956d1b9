/**
 * The rate limits of each channel, from the settings: Telegram ~30 messages/s overall, one per
 * second per chat after a short burst, 20 per minute per group (or the paid-broadcast rate),
 * WhatsApp Web one message every few seconds with jitter, the WhatsApp Cloud API at its tier's
 * rate and Meta's pair rate (one message every 6 s to the same user, after a burst). One limiter
 * per channel carries every send of it (see `src/delivery/outbound/`).
 */
import type { Config } from "../config.js";
import type { RateLimitSettings } from "./rate-limiter.js";

/** Telegram: a private chat takes a few messages at once, then about one per second; groups 20 a minute. */
const telegramChats = (config: Config) => ({
  perChatBurst: 3,
  perGroupPerMinute: config.TELEGRAM_GROUP_PER_MINUTE,
  isGroup: (chat: string) => chat.startsWith("-"),
});

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
          ...telegramChats(config),
        }
      : {
          perSecond: config.TELEGRAM_BROADCAST_PER_SECOND,
          perChatIntervalMs: config.TELEGRAM_BROADCAST_PER_CHAT_MS,
          ...telegramChats(config),
        },
    whatsapp: {
      perSecond: 1,
      minIntervalMs: config.WHATSAPP_BROADCAST_INTERVAL_MS,
      jitterMs: config.WHATSAPP_BROADCAST_JITTER_MS,
      maxConcurrent: 1,
    },
    // Meta's pair rate: one message every 6 s to the same user, bursts of up to 45 allowed.
    wacloud: { perSecond: config.WACLOUD_BROADCAST_PER_SECOND, perChatIntervalMs: 6000, perChatBurst: 45 },
  };
}
