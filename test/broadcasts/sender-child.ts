/**
 * A broadcast sender process for the kill test: the real dispatcher and Telegram sender against the
 * database given by DATABASE_URL (or the PGlite in DATA_DIR) and the Bot API at API_ROOT, at RATE
 * messages per second. Prints "sending" once it runs and "drained <json>" when nothing is left.
 */
import { Api } from "grammy";
import { BroadcastDispatcher } from "../../src/broadcasts/dispatcher.js";
import { RateLimiter } from "../../src/broadcasts/rate-limiter.js";
import { TelegramBroadcastSender } from "../../src/broadcasts/telegram-sender.js";
import { openDatabase } from "../../src/db/client.js";
import { loadLocales } from "../../src/engine/locale.js";
import { createLogger } from "../../src/log.js";

const env = process.env;
const handle = await openDatabase(
  env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.DATA_DIR ?? "./data" },
);
const dispatcher = new BroadcastDispatcher({
  db: handle.db,
  senders: [new TelegramBroadcastSender(new Api(env.TOKEN!, { apiRoot: env.API_ROOT! }))],
  limiters: { telegram: new RateLimiter({ perSecond: Number(env.RATE ?? 30) }) },
  locales: loadLocales("flows/locales"),
  logger: createLogger({ level: "silent" }),
  pageSize: Number(env.PAGE ?? 25),
});
process.stdout.write("sending\n");
const result = await dispatcher.drain();
process.stdout.write(`drained ${JSON.stringify(result)}\n`);
await handle.close();
process.exit(0);
