/**
 * Composition root: settings → logger → database (migrated) and regions → channels, workers, web.
 * `npm start` runs this. Telegram and WhatsApp start only when their settings are present; the web
 * simulator runs unless WEB_SIMULATOR=false.
 */

import { loadConfig } from "./config.js";
import { currentHolder, DataDirLockedError } from "./db/lock.js";
import { ConfigError, LaporError } from "./errors.js";
import { createLogger } from "./log.js";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(
        `Setting ${e.variable} is wrong: ${e.message}\nSee .env.example for every setting.\n`,
      );
      process.exit(78);
    }
    throw e;
  }
  // Another process holds the embedded database: say so before loading anything else.
  const holder = config.DATABASE_URL ? undefined : currentHolder(config.dataDir);
  if (holder) throw new DataDirLockedError(config.dataDir, holder);
  const logger = createLogger({ level: config.LOG_LEVEL });
  const started = performance.now();
  const { startApp } = await import("./app.js");
  const app = await startApp(config, logger);
  logger.info(
    {
      driver: app.services.database.driver,
      gps: app.services.gps.available,
      ms: Math.round(performance.now() - started),
      // Since the process started (Node's own start-up and the imports included): BENCHMARKS.md.
      readyMs: Math.round(performance.now()),
    },
    "LaporNetral started",
  );
  const served = app.services.database.served;
  if (served)
    logger.info(
      { socket: served.socket, host: served.host, port: served.port },
      "embedded database served to the admin command line (npm run admin) and psql",
    );
  if (app.web) logger.info({ url: app.web.url, inbox: `${app.web.url}/inbox` }, "web simulator listening");

  // Graceful shutdown: stop taking updates, finish the steps under way, stop the workers, close the
  // database (which removes the socket and the lock). A second signal, or 30 s, ends it at once.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    setTimeout(() => {
      logger.error("shutdown took more than 30 s: exiting now");
      process.exit(1);
    }, 30_000).unref();
    let code = 0;
    await app.close().catch((e: unknown) => {
      code = 1;
      logger.error({ err: e }, "shutdown failed");
    });
    logger.info("stopped");
    logger.flush?.();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((e: unknown) => {
  const message = e instanceof LaporError ? e.message : ((e as Error).stack ?? String(e));
  process.stderr.write(`LaporNetral could not start: ${message}\n`);
  process.exit(1);
});
