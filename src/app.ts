import { resolve } from "node:path";
import { createLookups } from "./ai/lookups.js";
import { type Ai, createAi } from "./ai/setup.js";
import { type Broadcasting, createBroadcasting, createLimiters } from "./broadcasts/service.js";
import { classifyWaCloudFailure, classifyWhatsAppWebFailure } from "./broadcasts/whatsapp-failures.js";
import type { TelegramChannel } from "./channels/telegram/bot.js";
import { DEFAULT_ACCEPTED_MIME, type MediaPolicy } from "./channels/types.js";
import type { WaCloudChannel } from "./channels/wacloud/channel.js";
import type { WhatsAppChannel } from "./channels/whatsapp/channel.js";
import type { WhatsAppClientFactory } from "./channels/whatsapp/client.js";
import { type Config, PROJECT_ROOT } from "./config.js";
import { ConsoleAuth } from "./console/auth.js";
import { loadDeadlines } from "./console/deadlines.js";
import { consoleLinker } from "./console/links.js";
import { loadConsoleTexts } from "./console/texts.js";
import { ConversationService } from "./conversation/service.js";
import { OfficeClock } from "./delivery/clock.js";
import { ReplyOutbox } from "./delivery/outbound/replies.js";
import type { DeliveryTransport } from "./delivery/transport.js";
import { WebInboxTransport } from "./delivery/transports/web.js";
import { WebhookTransport, webhookSecrets } from "./delivery/transports/webhook.js";
import { DeliveryWorker, type RetryPolicy } from "./delivery/worker.js";
import { type FlowRegistry, loadFlows } from "./engine/flow-schema.js";
import { type LocaleBundle, loadLocales } from "./engine/locale.js";
import { type HealthState, registerHealthRoutes } from "./health.js";
import { loadHolidays } from "./holidays.js";
import type { Logger } from "./log.js";
import { OfficerActions } from "./officers/actions.js";
import { OfficerCommands } from "./officers/commands.js";
import { OfficerDesk } from "./officers/desk.js";
import { OfficerInvites } from "./officers/invites.js";
import { queueRelay } from "./officers/relay.js";
import { officerActionSecret } from "./officers/secret.js";
import { EvidenceStore } from "./reports/evidence-store.js";
import { openServices, type Services } from "./services.js";
import type { AppChannelParts, ChannelDeps } from "./setup/deps.js";
import { createTelegram } from "./setup/telegram.js";
import { MODULE_TEXT_KEYS } from "./setup/text-keys.js";
import { createWaCloud } from "./setup/wacloud.js";
import { createWhatsAppWeb } from "./setup/whatsapp.js";
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
  /** The officers' desk every channel hands officers' messages to. */
  desk: OfficerDesk;
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
  const [services, registry] = await Promise.all([
    openServices(config, logger, { share: "serve" }),
    loadFlows(FLOWS_DIR, MODULE_TEXT_KEYS),
  ]);
  const locales = loadLocales(resolve(FLOWS_DIR, "locales"), MODULE_TEXT_KEYS);
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

  const secret = await officerActionSecret(
    services.database.db,
    config.OFFICER_ACTION_SECRET,
    config.TELEGRAM_BOT_TOKEN ?? config.WACLOUD_APP_SECRET,
  );
  const officerLog = logger.child({ part: "officers" });
  // The office console runs with the simulator unless CONSOLE says otherwise.
  const consoleAuth =
    (config.CONSOLE ?? config.WEB_SIMULATOR) ? new ConsoleAuth(services.database.db) : undefined;
  let web: WebServer | undefined;
  const officers = {
    actions: new OfficerActions(services.database.db, secret, officerLog),
    invites: new OfficerInvites(services.database.db, services.directory, logger.child({ part: "invites" })),
    commands: new OfficerCommands({
      db: services.database.db,
      router: services.router,
      places: services.places,
      registry,
      locales,
      logger: officerLog,
      onRelayChange: (contactId) => conversation.forgetContact(contactId),
      ...(consoleAuth
        ? {
            consoleLink: consoleLinker(
              services.database.db,
              consoleAuth,
              () => config.CONSOLE_URL ?? web?.url ?? "",
            ),
          }
        : {}),
    }),
  };
  const desk = new OfficerDesk({ db: services.database.db, locales, logger: officerLog, ...officers });
  // One factory per channel (src/setup/): each returns the channel with its transport and routes.
  const channelDeps: ChannelDeps = {
    config,
    services,
    conversation,
    store,
    policy,
    locales,
    logger,
    desk,
    // One limiter per channel, shared by broadcasts and the channel's replies (replies go first).
    limiters: createLimiters(config),
    replies,
    ...(options.now ? { now: options.now } : {}),
    ...(options.whatsappClientFactory ? { whatsappClientFactory: options.whatsappClientFactory } : {}),
    ...(options.whatsappTerminal ? { whatsappTerminal: options.whatsappTerminal } : {}),
  };
  const telegram = createTelegram(channelDeps);
  const wacloud = createWaCloud(channelDeps);
  const whatsapp = await createWhatsAppWeb(channelDeps);
  const channels: AppChannelParts[] = [telegram, wacloud, whatsapp].filter((c) => c !== undefined);
  const transports: Record<string, DeliveryTransport> = { web: new WebInboxTransport() };
  for (const c of channels) if (c.transport) transports[c.channel.name] = c.transport;
  const webhooks = new WebhookTransport({
    secretFor: webhookSecrets(config),
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
  });
  transports.webhook = webhooks;
  services.router.useDeliverable((d) =>
    d.channel === "webhook" ? webhooks.usable(d.address) : transports[d.channel] !== undefined,
  );
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
    lockMs: config.DELIVERY_LEASE_SECONDS * 1000,
    ...(config.PUBLIC_BASE_URL
      ? {
          evidenceUrl: (e) =>
            e.storageKey ? new URL(`/api/evidence/${e.publicId}`, config.PUBLIC_BASE_URL).href : null,
        }
      : {}),
  });

  const broadcasts = createBroadcasting({
    config,
    flowsDir: FLOWS_DIR,
    db: services.database.db,
    locales,
    logger,
    limiters: channelDeps.limiters,
    transports,
    classifiers: [classifyWhatsAppWebFailure, classifyWaCloudFailure],
    ...(options.now ? { now: options.now } : {}),
  });

  const health: HealthState = { phase: "starting", db: services.database.db, channels: [] };
  const realChannel = channels.some((c) => c.real);
  if (realChannel) await retireSimulatorInboxes(services, logger);
  const routed = channels.filter((c) => c.routes);
  if (config.WEB_SIMULATOR || consoleAuth || routed.length) {
    if (config.WEB_SIMULATOR && !realChannel) await ensureSimulatorInboxes(services, logger);
    web = await startWebServer(services, {
      ...(config.WEB_SIMULATOR
        ? { simulator: { conversation, store, policy, registry, locales, db: services.database.db } }
        : {}),
      ...(consoleAuth
        ? {
            console: {
              db: services.database.db,
              auth: consoleAuth,
              actions: officers.actions,
              commands: officers.commands,
              locales,
              registry,
              store,
              texts: loadConsoleTexts(),
              deadlines: loadDeadlines(),
              boundariesPath: config.boundariesPath,
              secureCookie: (config.CONSOLE_URL ?? "").startsWith("https://"),
              demo: config.WEB_SIMULATOR && !realChannel && config.HOST === "127.0.0.1",
              logger: logger.child({ part: "console" }),
              ...(options.now ? { now: options.now } : {}),
            },
          }
        : {}),
      routes: (server) => {
        registerHealthRoutes(server, health);
        for (const c of routed) c.routes!(server);
      },
    });
  }
  for (const c of channels) {
    if (c.background) {
      // Not awaited: the channel may take a while (or wait for pairing); the rest runs meanwhile.
      c.channel
        .start()
        .catch((e: unknown) => logger.error({ err: e, channel: c.channel.name }, "channel failed to start"));
      logger.info({ channel: c.channel.name }, "channel starting");
    } else {
      await c.channel.start();
      logger.info({ channel: c.channel.name }, "channel started");
    }
  }
  if (telegram) replies.start(5000);
  if (options.workerIntervalMs !== 0) worker.start(options.workerIntervalMs ?? config.DELIVERY_POLL_MS);
  if (config.BROADCASTS && options.broadcastIntervalMs !== 0)
    broadcasts.start(options.broadcastIntervalMs ?? config.BROADCAST_POLL_MS);
  health.channels = [
    telegram && "telegram",
    wacloud && "wacloud",
    whatsapp && "whatsapp",
    web && "web",
  ].filter((c): c is string => typeof c === "string");
  health.phase = "ready";

  return {
    services,
    registry,
    locales,
    conversation,
    worker,
    officers,
    desk,
    ...(telegram ? { telegram: telegram.channel } : {}),
    ...(wacloud ? { wacloud: wacloud.channel } : {}),
    ...(whatsapp ? { whatsapp: whatsapp.channel } : {}),
    broadcasts,
    replies,
    ...(web ? { web } : {}),
    ai,
    /** Stops taking updates, lets the steps under way finish, stops the workers, closes the database. */
    async close() {
      health.phase = "stopping";
      // Sends still waiting (Telegram busy or down) stop here; their replies stay saved for the next start.
      if (telegram) channelDeps.limiters.telegram.close();
      // Stop receiving first; a background channel (WhatsApp Web) keeps sending until the worker stopped.
      for (const c of channels) if (!c.background) await c.channel.stop();
      await replies.stop();
      await conversation.drain();
      await broadcasts.stop();
      await worker.stop();
      for (const c of channels) if (c.background) await c.channel.stop();
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
