/**
 * Starts the whole program with the WhatsApp Cloud API channel pointed at a Graph API stand-in,
 * on PGlite in a temporary folder or on a fresh PostgreSQL database (`TEST_DATABASE_URL`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type App, type AppOptions, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { freshDatabase, type TestDriver } from "./db.js";
import type { GraphApiStub } from "./graph-api-stub.js";
import { WaUser } from "./wacloud-user.js";

export const APP_SECRET = "test-app-secret-for-the-webhook";
export const VERIFY_TOKEN = "verify-token-of-the-tests";
export const WEBHOOK_PATH = "/wacloud/webhook";

/** A running app with its webhook URL, the captured log lines and a way to make WhatsApp users. */
export interface WaCloudTestApp {
  app: App;
  webhookUrl: string;
  logs: string[];
  user(waId: string, name?: string): WaUser;
  close(): Promise<void>;
}

/** Starts the app; `env` adds or overrides settings (e.g. a template, a Telegram token). */
export async function startWaCloudApp(
  stub: GraphApiStub,
  driver: TestDriver,
  env: Record<string, string> = {},
  options: AppOptions = {},
): Promise<WaCloudTestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), "lapor-wac-"));
  const database = driver === "postgres" ? await freshDatabase("postgres", { migrate: false }) : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    ...(database?.url ? { DATABASE_URL: database.url } : {}),
    WEB_SIMULATOR: "false",
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "info",
    GRAPH_API_ROOT: stub.root,
    GRAPH_API_VERSION: stub.version,
    WACLOUD_ACCESS_TOKEN: stub.token,
    WACLOUD_PHONE_NUMBER_ID: stub.phoneNumberId,
    WACLOUD_APP_SECRET: APP_SECRET,
    WACLOUD_VERIFY_TOKEN: VERIFY_TOKEN,
    WACLOUD_WEBHOOK_PATH: WEBHOOK_PATH,
    ...env,
  });
  const logs: string[] = [];
  const logger = createLogger({
    level: "info",
    destination: { write: (line: string) => void logs.push(line) },
  });
  const app = await startApp(config, logger, { workerIntervalMs: 50, ...options });
  const webhookUrl = `${app.web!.url}${WEBHOOK_PATH}`;
  return {
    app,
    webhookUrl,
    logs,
    user: (waId, name = "Warga") => new WaUser(waId, name, { url: webhookUrl, appSecret: APP_SECRET, stub }),
    async close() {
      await app.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
