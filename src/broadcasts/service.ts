/**
 * Broadcasting as one part of the program: loads the reminder library and the election calendar
 * (both checked at start-up), builds one sender and one rate limiter per channel that can
 * broadcast, and runs the scheduler and the dispatcher. Started from `src/app.ts`.
 */
import { resolve } from "node:path";
import { Api } from "grammy";
import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import type { DeliveryTransport } from "../delivery/transport.js";
import type { LocaleBundle } from "../engine/locale.js";
import type { Logger } from "../log.js";
import { type ElectionCalendar, loadCalendar } from "./calendar.js";
import { BroadcastDispatcher } from "./dispatcher.js";
import type { FailureClassifier } from "./failures.js";
import { loadLibrary, type Reminder } from "./library.js";
import { channelLimits } from "./limits.js";
import { RateLimiter } from "./rate-limiter.js";
import { BroadcastScheduler } from "./scheduler.js";
import type { BroadcastSender } from "./sender.js";
import { TelegramBroadcastSender } from "./telegram-sender.js";
import { TransportBroadcastSender } from "./transport-sender.js";

/** The reminder library's folder, under the flows folder. */
export const libraryDir = (flowsDir: string) => resolve(flowsDir, "broadcasts");
/** The election calendar's file, under the flows folder. */
export const calendarFile = (flowsDir: string) => resolve(flowsDir, "calendar/elections.yaml");

/** Channels whose delivery transport can carry broadcasts (the web inbox cannot). */
const TRANSPORT_CHANNELS = ["whatsapp", "wacloud"] as const;

/** The per-channel limiters, made before the channels so a channel's replies can share its limiter. */
export function createLimiters(config: Config): Record<"telegram" | "whatsapp" | "wacloud", RateLimiter> {
  const limits = channelLimits(config);
  return {
    telegram: new RateLimiter(limits.telegram),
    whatsapp: new RateLimiter(limits.whatsapp),
    wacloud: new RateLimiter(limits.wacloud),
  };
}

/** What {@link createBroadcasting} needs. */
export interface BroadcastingOptions {
  config: Config;
  flowsDir: string;
  db: Database;
  locales: LocaleBundle;
  logger: Logger;
  limiters: Record<string, RateLimiter>;
  /** Delivery transports by channel; WhatsApp ones become broadcast senders. */
  transports: Readonly<Record<string, DeliveryTransport>>;
  classifiers?: readonly FailureClassifier[];
  now?: () => Date;
}

/** The running broadcast part. */
export interface Broadcasting {
  library: readonly Reminder[];
  calendar: ElectionCalendar;
  scheduler: BroadcastScheduler;
  dispatcher: BroadcastDispatcher;
  senders: readonly BroadcastSender[];
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

/** Builds the senders of every configured channel. */
export function createSenders(
  config: Config,
  transports: Readonly<Record<string, DeliveryTransport>>,
): BroadcastSender[] {
  const senders: BroadcastSender[] = [];
  if (config.TELEGRAM_BOT_TOKEN) {
    // Its own Api without auto-retry: the dispatcher handles 429 for the whole channel.
    const api = new Api(
      config.TELEGRAM_BOT_TOKEN,
      config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {},
    );
    senders.push(new TelegramBroadcastSender(api, { paidBroadcast: config.TELEGRAM_PAID_BROADCAST }));
  }
  for (const channel of TRANSPORT_CHANNELS) {
    const transport = transports[channel];
    if (transport) senders.push(new TransportBroadcastSender(channel, transport));
  }
  return senders;
}

/** Loads the library and calendar (throwing on a bad file) and builds the scheduler and dispatcher. */
export function createBroadcasting(options: BroadcastingOptions): Broadcasting {
  const { config, db, locales, logger } = options;
  const library = loadLibrary(libraryDir(options.flowsDir));
  const calendar = loadCalendar(calendarFile(options.flowsDir));
  const senders = createSenders(config, options.transports);
  const dispatcher = new BroadcastDispatcher({
    db,
    senders,
    limiters: options.limiters,
    locales,
    logger: logger.child({ part: "broadcasts" }),
    pollMs: config.BROADCAST_POLL_MS,
    ...(options.classifiers ? { classifiers: options.classifiers } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const scheduler = new BroadcastScheduler({
    db,
    calendar,
    logger: logger.child({ part: "broadcasts" }),
    leaseMs: config.BROADCAST_CLAIM_LEASE_SECONDS * 1000,
    onRunCreated: () => dispatcher.wake(),
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    library,
    calendar,
    scheduler,
    dispatcher,
    senders,
    start(intervalMs) {
      scheduler.start(intervalMs);
      dispatcher.start();
    },
    async stop() {
      await scheduler.stop();
      await dispatcher.stop();
    },
  };
}
