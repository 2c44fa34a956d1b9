import { registerWhatsAppAdmin } from "../channels/whatsapp/admin-page.js";
import { WhatsAppChannel } from "../channels/whatsapp/channel.js";
import { webJsClientFactory } from "../channels/whatsapp/client.js";
import { WhatsAppTransport } from "../channels/whatsapp/transport.js";
import { classifyWhatsAppWebFailure } from "../delivery/failure.js";
import type { AppChannelParts, ChannelDeps } from "./deps.js";

/**
 * WhatsApp Web, when `WHATSAPP_WEB_ENABLED=true`: a phone paired by QR code, started in the
 * background (the browser may take a while, or wait for pairing), with its admin page.
 */
export async function createWhatsAppWeb(
  deps: ChannelDeps,
): Promise<AppChannelParts<WhatsAppChannel> | undefined> {
  const { config, logger } = deps;
  if (!config.WHATSAPP_WEB_ENABLED) return undefined;
  const channel = new WhatsAppChannel({
    factory:
      deps.whatsappClientFactory ??
      (await webJsClientFactory({ dataDir: config.dataDir, executablePath: config.WHATSAPP_CHROMIUM_PATH })),
    conversation: deps.conversation,
    store: deps.store,
    policy: deps.policy,
    locales: deps.locales,
    logger: logger.child({ channel: "whatsapp" }),
    pacing: { minDelayMs: config.WHATSAPP_SEND_MIN_DELAY_MS, maxDelayMs: config.WHATSAPP_SEND_MAX_DELAY_MS },
    watchdogIntervalMs: config.WHATSAPP_WATCHDOG_INTERVAL_MS,
    pairingPhone: config.WHATSAPP_PAIRING_PHONE,
    bulkMaxWaitMs: 60_000,
    ...(deps.whatsappTerminal ? { terminal: deps.whatsappTerminal } : {}),
    desk: deps.desk,
    classifyFailure: classifyWhatsAppWebFailure,
  });
  return {
    channel,
    real: true,
    background: true,
    transport: new WhatsAppTransport(channel, deps.locales),
    routes: (server) =>
      registerWhatsAppAdmin(server, { status: () => channel.status(), token: config.WHATSAPP_ADMIN_TOKEN }),
  };
}
