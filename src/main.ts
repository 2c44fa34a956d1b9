/**
 * Composition root: settings → logger → database (migrated) and regions → channels, workers, web.
 * `npm start` runs this. Telegram and WhatsApp start only when their settings are present; the web
 * simulator runs unless WEB_SIMULATOR=false.
 */

import { startApp } from "./app.js";
import { loadConfig } from "./config.js";
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
  const logger = createLogger({ level: config.LOG_LEVEL });
  const started = performance.now();
  const app = await startApp(config, logger);
  logger.info(
    {
      driver: app.services.database.driver,
      gps: app.services.gps.available,
      ms: Math.round(performance.now() - started),
    },
    "LaporNetral started",
  );
  if (app.web) logger.info({ url: app.web.url, inbox: `${app.web.url}/inbox` }, "web simulator listening");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    await app.close().catch((e: unknown) => logger.error({ err: e }, "shutdown failed"));
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((e: unknown) => {
  const message = e instanceof LaporError ? e.message : ((e as Error).stack ?? String(e));
  process.stderr.write(`LaporNetral could not start: ${message}\n`);
  process.exit(1);
});
