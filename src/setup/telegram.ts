import { webhookCallback } from "grammy";
import { TelegramChannel } from "../channels/telegram/bot.js";
import { classifyTelegramFailure } from "../delivery/failure.js";
import { TelegramTransport } from "../delivery/transports/telegram.js";
import type { AppChannelParts, ChannelDeps } from "./deps.js";

/**
 * Telegram, when `TELEGRAM_BOT_TOKEN` is set: long polling, or a webhook (with its secret token)
 * served by the web server when `TELEGRAM_WEBHOOK_URL` is set.
 */
export function createTelegram(deps: ChannelDeps): AppChannelParts<TelegramChannel> | undefined {
  const { config, logger } = deps;
  if (!config.TELEGRAM_BOT_TOKEN) return undefined;
  const webhook = config.TELEGRAM_WEBHOOK_URL
    ? { url: config.TELEGRAM_WEBHOOK_URL, secretToken: config.TELEGRAM_WEBHOOK_SECRET! }
    : undefined;
  const channel = new TelegramChannel({
    token: config.TELEGRAM_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    conversation: deps.conversation,
    store: deps.store,
    policy: deps.policy,
    locales: deps.locales,
    logger: logger.child({ channel: "telegram" }),
    desk: deps.desk,
    webhook,
    classifyFailure: classifyTelegramFailure,
    limiter: deps.limiters.telegram,
    replies: deps.replies,
  });
  return {
    channel,
    real: true,
    // Deliveries share the bot's limiter at bulk priority, one attempt per call (the worker retries).
    transport: new TelegramTransport(channel.bulkApi),
    ...(webhook
      ? {
          routes: (server) => {
            const { secretToken } = webhook;
            server.post(
              new URL(webhook.url).pathname,
              webhookCallback(channel.bot, "fastify", { secretToken }),
            );
          },
        }
      : {}),
  };
}
