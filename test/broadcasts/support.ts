/**
 * Helpers for the broadcast tests: the real app on either database driver (PGlite in a temporary
 * folder, or a fresh database on the PostgreSQL server), and fast seeding of many subscribers in SQL.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { type App, type AppOptions, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { Database } from "../../src/db/client.js";
import type { Inbound } from "../../src/engine/types.js";
import { createLogger } from "../../src/log.js";
import { freshDatabase, type TestDriver } from "../support/db.js";

export const silent = createLogger({ level: "silent" });

/** The real app on `driver`, with the given settings; `drop()` closes it and removes its data. */
export async function startTestApp(
  driver: TestDriver,
  env: Record<string, string> = {},
  options: AppOptions = {},
): Promise<{ app: App; dataDir: string; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "lapor-bc-"));
  const pg = driver === "postgres" ? await freshDatabase(driver, { migrate: false }) : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    WEB_SIMULATOR: "false",
    ...(pg?.url ? { DATABASE_URL: pg.url } : {}),
    ...env,
  });
  const app = await startApp(config, silent, { workerIntervalMs: 0, broadcastIntervalMs: 0, ...options });
  return {
    app,
    dataDir,
    async drop() {
      await app.close();
      await pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sends inputs as one web visitor; resolves to each reply's texts (and button labels) joined. */
export async function say(app: App, visitor: string, inputs: Inbound[], from = 0): Promise<string[]> {
  const replies: string[] = [];
  for (const [i, input] of inputs.entries()) {
    const reply = await app.conversation.handle({
      channel: "web",
      chatId: visitor,
      messageId: `${visitor}-${from + i}`,
      receivedAt: new Date(),
      input,
    });
    replies.push(
      reply?.outputs
        .map((o) => [o.text, ...(o.choices ?? []).map((c) => `[${c.label}]`)].join("\n"))
        .join("\n") ?? "",
    );
  }
  return replies;
}

/**
 * Adds `count` Telegram contacts with open subscriptions in one statement; chat ids are
 * `firstChat`, `firstChat + 1`, … Resolves to the chat ids.
 */
export async function seedSubscribers(
  db: Database,
  count: number,
  scope: {
    scope: "regency" | "province" | "national";
    regencyCode?: string | null;
    provinceCode?: string | null;
    lang?: "id" | "en";
  },
  firstChat: number,
): Promise<number[]> {
  await db.execute(sql`with c as (
      insert into contacts (channel, external_id, lang)
      select 'telegram', (${firstChat}::bigint + g)::text, ${scope.lang ?? "id"} from generate_series(0, ${count - 1}) g
      returning id, lang)
    insert into broadcast_subscribers (contact_id, channel, role, scope, regency_code, province_code, lang, opted_in_via)
    select c.id, 'telegram', 'warga', ${scope.scope}, ${scope.regencyCode ?? null}, ${scope.provinceCode ?? null}, c.lang, 'test'
    from c`);
  return Array.from({ length: count }, (_, i) => firstChat + i);
}
