import { createHash, randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { webhookCallback } from "grammy";
import { type Ai, createAi } from "./ai/setup.js";
import { type Broadcasting, createBroadcasting, createLimiters } from "./broadcasts/service.js";
import { classifyWaCloudFailure, classifyWhatsAppWebFailure } from "./broadcasts/whatsapp-failures.js";
import { TelegramChannel } from "./channels/telegram/bot.js";
import { DEFAULT_ACCEPTED_MIME, type MediaPolicy } from "./channels/types.js";
import { WaCloudChannel } from "./channels/wacloud/channel.js";
import { GraphApiClient } from "./channels/wacloud/graph-api.js";
import { registerWaCloudWebhook } from "./channels/wacloud/webhook.js";
import { registerWhatsAppAdmin } from "./channels/whatsapp/admin-page.js";
import { WhatsAppChannel } from "./channels/whatsapp/channel.js";
import { type WhatsAppClientFactory, webJsClientFactory } from "./channels/whatsapp/client.js";
import { WhatsAppOfficerDesk } from "./channels/whatsapp/officer-desk.js";
import { type Config, PROJECT_ROOT } from "./config.js";
import { ConversationService } from "./conversation/service.js";
import { OfficeClock } from "./delivery/clock.js";
import { ReplyOutbox } from "./delivery/outbound/replies.js";
import type { DeliveryTransport } from "./delivery/transport.js";
import { TelegramTransport } from "./delivery/transports/telegram.js";
import { WaCloudTransport } from "./delivery/transports/wacloud.js";
import { WebInboxTransport } from "./delivery/transports/web.js";
import { WhatsAppTransport } from "./delivery/transports/whatsapp.js";
import { DeliveryWorker, type RetryPolicy } from "./delivery/worker.js";
import { type FlowRegistry, loadFlows } from "./engine/flow-schema.js";
import { type LocaleBundle, loadLocales } from "./engine/locale.js";
import { createLookups } from "./engine/lookups.js";
import { loadHolidays } from "./holidays.js";
import type { Logger } from "./log.js";
import { OfficerActions } from "./officers/actions.js";
import { OfficerCommands } from "./officers/commands.js";
import { OfficerInvites } from "./officers/invites.js";
import { queueRelay } from "./officers/relay.js";
import { EvidenceStore } from "./reports/evidence-store.js";
import { openServices, type Services } from "./services.js";
import { ensureSimulatorInboxes, retireSimulatorInboxes } from "./web/demo.js";
import { startWebServer, type WebServer } from "./web/server.js";

/** The folder of flow files and locale texts. */
export const FLOWS_DIR = resolve(PROJECT_ROOT, "flows");

/** Knobs tests use; production leaves them unset. */
export interface AppOptions {
  now?: () => Date;
  retry?: RetryPolicy;
  /** Delivery worker poll interval (ms); 0 = do not start the worker. */
  workerIntervalMs?: number;
  /** Makes the WhatsApp Web clients (tests pass a fake; default: whatsapp-web.js with Chromium). */
  whatsappClientFactory?: WhatsAppClientFactory;
  /** Where the WhatsApp QR and pairing code are printed (default: standard output). */
  whatsappTerminal?: (text: string) => void;
  /** Broadcast scheduler interval (ms); 0 = do not start the scheduler and sender. */
  broadcastIntervalMs?: number;
}

/** The running program. */
export interface App {
  services: Services;
  registry: FlowRegistry;
  locales: LocaleBundle;
  conversation: ConversationService;
  worker: DeliveryWorker;
  officers: { actions: OfficerActions; invites: OfficerInvites; commands: OfficerCommands };
  telegram?: TelegramChannel;
  /** The WhatsApp Cloud API channel, when its credentials are set. */
  wacloud?: WaCloudChannel;
  whatsapp?: WhatsAppChannel;
  broadcasts: Broadcasting;
  /** Replies kept with their step until sent; sent again after a restart. */
  replies: ReplyOutbox;
  web?: WebServer;
  /** AI help: rules answers, classifier, and the LLM parts when a model is configured. */
  ai: Ai;
  close(): Promise<void>;
}

/**
 * Builds and starts everything the settings ask for: database and regions, the conversation
 * service, the delivery worker, Telegram (when a token is set) and the web simulator.
 */
export async function startApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<App> {
  const [services, registry] = await Promise.all([openServices(config, logger), loadFlows(FLOWS_DIR)]);
  const locales = loadLocales(resolve(FLOWS_DIR, "locales"));
  const store = new EvidenceStore(config.dataDir);
  const ai = createAi(config, {
    flowsDir: FLOWS_DIR,
    registry,
    locales,
    logger,
    ...(options.now ? { now: options.now } : {}),
  });
  const policy: MediaPolicy = {
    maxBytes: Math.round(config.MAX_FILE_MB * 1024 * 1024),
    accepted: DEFAULT_ACCEPTED_MIME,
  };
  // Replies kept with their step until sent (channels wired to the reply outbox only).
  const replies = new ReplyOutbox({
    db: services.database.db,
    logger: logger.child({ part: "replies" }),
    recoverAfterMs: config.REPLY_RECOVER_AFTER_SECONDS * 1000,
    ...(options.now ? { now: options.now } : {}),
  });
  const conversation = new ConversationService({
    db: services.database.db,
    durableReplies: new Set(config.TELEGRAM_BOT_TOKEN ? (["telegram"] as const) : []),
    registry,
    locales,
    lookups: createLookups({
      catalog: services.catalog,
      places: services.places,
      gps: services.gps,
      holidays: loadHolidays(resolve(FLOWS_DIR, "calendar/holidays.yaml")),
    }),
    settings: {
      sessionTtlMs: config.SESSION_TTL_HOURS * 3_600_000,
      resumeAfterMs: config.SESSION_RESUME_AFTER_HOURS * 3_600_000,
      dayCounting: config.DAY_COUNTING,
      maxFileBytes: policy.maxBytes,
    },
    routeFor: (region, q) => services.router.forRegion(region, q),
    relay: (tx, reportId, input, messageId, now) =>
      queueRelay(tx, services.directory, reportId, input, messageId, now),
    logger,
    ...(options.now ? { now: options.now } : {}),
    rules: ai.rules,
    ...(ai.enrich ? { enrich: ai.enrich } : {}),
  });

  const secret =
    config.OFFICER_ACTION_SECRET ??
    createHash("sha256")
      .update(
        `lapornetral-officer-actions:${config.TELEGRAM_BOT_TOKEN ?? config.WACLOUD_APP_SECRET ?? randomUUID()}`,
      )
      .digest("hex");
  const officers = {
    actions: new OfficerActions(services.database.db, secret, logger.child({ part: "officers" })),
    invites: new OfficerInvites(services.database.db, services.directory),
    commands: new OfficerCommands({
      db: services.database.db,
      router: services.router,
      places: services.places,
      registry,
      locales,
      logger: logger.child({ part: "officers" }),
      onRelayChange: (contactId) => conversation.forgetContact(contactId),
    }),
  };
  const transports: Record<string, DeliveryTransport> = { web: new WebInboxTransport() };
  // One limiter per channel, shared by broadcasts and the channel's replies (replies go first).
  const limiters = createLimiters(config);
  let telegram: TelegramChannel | undefined;
  if (config.TELEGRAM_BOT_TOKEN) {
    telegram = new TelegramChannel({
      token: config.TELEGRAM_BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      conversation,
      store,
      policy,
      locales,
      logger: logger.child({ channel: "telegram" }),
      officers,
      limiter: limiters.telegram,
      replies,
    });
    transports.telegram = new TelegramTransport(telegram.bulkApi);
  }
  let wacloud: WaCloudChannel | undefined;
  if (config.WACLOUD_ACCESS_TOKEN && config.WACLOUD_PHONE_NUMBER_ID) {
    const api = new GraphApiClient({
      root: config.GRAPH_API_ROOT,
      version: config.GRAPH_API_VERSION,
      token: config.WACLOUD_ACCESS_TOKEN,
      phoneNumberId: config.WACLOUD_PHONE_NUMBER_ID,
    });
    const log = logger.child({ channel: "wacloud" });
    wacloud = new WaCloudChannel({ api, conversation, store, policy, locales, logger: log, officers });
    transports.wacloud = new WaCloudTransport({
      api,
      db: services.database.db,
      locales,
      logger: log,
      template: config.WACLOUD_NOTIFY_TEMPLATE
        ? { name: config.WACLOUD_NOTIFY_TEMPLATE, lang: config.WACLOUD_NOTIFY_TEMPLATE_LANG }
        : undefined,
      ...(options.now ? { now: options.now } : {}),
    });
  }
  let whatsapp: WhatsAppChannel | undefined;
  if (config.WHATSAPP_WEB_ENABLED) {
    whatsapp = new WhatsAppChannel({
      factory:
        options.whatsappClientFactory ??
        (await webJsClientFactory({
          dataDir: config.dataDir,
          executablePath: config.WHATSAPP_CHROMIUM_PATH,
        })),
      conversation,
      store,
      policy,
      locales,
      logger: logger.child({ channel: "whatsapp" }),
      pacing: {
        minDelayMs: config.WHATSAPP_SEND_MIN_DELAY_MS,
        maxDelayMs: config.WHATSAPP_SEND_MAX_DELAY_MS,
      },
      watchdogIntervalMs: config.WHATSAPP_WATCHDOG_INTERVAL_MS,
      pairingPhone: config.WHATSAPP_PAIRING_PHONE,
      bulkMaxWaitMs: 60_000,
      ...(options.whatsappTerminal ? { terminal: options.whatsappTerminal } : {}),
      officers: new WhatsAppOfficerDesk({ db: services.database.db, locales, ...officers }),
    });
    transports.whatsapp = new WhatsAppTransport(whatsapp, locales);
  }
  const worker = new DeliveryWorker({
    db: services.database.db,
    router: services.router,
    store,
    registry,
    locales,
    transports,
    actions: officers.actions,
    clock: new OfficeClock(
      services.database.db,
      services.router,
      { ackReminderHours: config.ACK_REMINDER_HOURS, digestHour: config.DIGEST_HOUR },
      logger.child({ part: "clock" }),
    ),
    logger: logger.child({ part: "delivery" }),
    ...cardNotesOption(ai, services, store),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.now ? { now: options.now } : {}),
  });

  const broadcasts = createBroadcasting({
    config,
    flowsDir: FLOWS_DIR,
    db: services.database.db,
    locales,
    logger,
    limiters,
    transports,
    classifiers: [classifyWhatsAppWebFailure, classifyWaCloudFailure],
    ...(options.now ? { now: options.now } : {}),
  });

  const realChannel = Boolean(config.TELEGRAM_BOT_TOKEN || wacloud || config.WHATSAPP_WEB_ENABLED);
  if (realChannel) await retireSimulatorInboxes(services, logger);
  const webhook = telegram && config.TELEGRAM_WEBHOOK_URL ? config.TELEGRAM_WEBHOOK_URL : undefined;
  let web: WebServer | undefined;
  if (config.WEB_SIMULATOR || webhook || wacloud || whatsapp) {
    if (config.WEB_SIMULATOR && !realChannel) await ensureSimulatorInboxes(services, logger);
    web = await startWebServer(services, {
      ...(config.WEB_SIMULATOR
        ? { simulator: { conversation, store, policy, registry, locales, db: services.database.db } }
        : {}),
      routes: (server) => {
        if (telegram && webhook) {
          const secretToken = config.TELEGRAM_WEBHOOK_SECRET!;
          server.post(new URL(webhook).pathname, webhookCallback(telegram.bot, "fastify", { secretToken }));
        }
        if (wacloud) {
          const channel = wacloud;
          registerWaCloudWebhook(server, {
            path: config.WACLOUD_WEBHOOK_PATH,
            verifyToken: config.WACLOUD_VERIFY_TOKEN!,
            appSecret: config.WACLOUD_APP_SECRET!,
            logger: logger.child({ channel: "wacloud", part: "webhook" }),
            onPayload: (payload) => channel.accept(payload),
          });
        }
        if (whatsapp) {
          const channel = whatsapp;
          registerWhatsAppAdmin(server, {
            status: () => channel.status(),
            token: config.WHATSAPP_ADMIN_TOKEN,
          });
        }
      },
    });
  }
  if (telegram) {
    replies.start(5000);
    if (webhook) await telegram.startWebhook(webhook, config.TELEGRAM_WEBHOOK_SECRET!);
    else await telegram.startPolling();
    logger.info({ mode: webhook ? "webhook" : "polling" }, "telegram started");
  }
  if (wacloud) logger.info({ path: config.WACLOUD_WEBHOOK_PATH }, "whatsapp cloud api started");
  if (whatsapp) {
    // Not awaited: the browser may take a while (or wait for pairing); the rest of the program runs meanwhile.
    whatsapp.start().catch((e: unknown) => logger.error({ err: e }, "whatsapp web failed to start"));
    logger.info({ page: web ? `${web.url}/admin/whatsapp` : null }, "whatsapp web starting");
  }
  if (options.workerIntervalMs !== 0) worker.start(options.workerIntervalMs ?? config.DELIVERY_POLL_MS);
  if (config.BROADCASTS && options.broadcastIntervalMs !== 0)
    broadcasts.start(options.broadcastIntervalMs ?? config.BROADCAST_POLL_MS);

  return {
    services,
    registry,
    locales,
    conversation,
    worker,
    officers,
    ...(telegram ? { telegram } : {}),
    ...(wacloud ? { wacloud } : {}),
    ...(whatsapp ? { whatsapp } : {}),
    broadcasts,
    replies,
    ...(web ? { web } : {}),
    ai,
    async close() {
      // Sends still waiting (Telegram busy or down) stop here; their replies stay saved for the next start.
      if (telegram) limiters.telegram.close();
      await telegram?.stop();
      await replies.stop();
      await wacloud?.idle();
      await conversation.drain();
      await broadcasts.stop();
      await worker.stop();
      await whatsapp?.stop();
      await web?.close();
      await services.close();
    },
  };
}

/** The delivery worker's `cardNotes` hook when the AI help makes notes (LLM mode). */
function cardNotesOption(
  ai: Ai,
  services: Services,
  store: EvidenceStore,
): { cardNotes?: NonNullable<ConstructorParameters<typeof DeliveryWorker>[0]["cardNotes"]> } {
  const notes = ai.cardNotes(services.database.db, store);
  return notes ? { cardNotes: (report, evidence) => notes.prepare(report, evidence) } : {};
}
