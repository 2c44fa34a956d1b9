/**
 * The databases every database test runs on: the embedded PGlite always, and a real PostgreSQL
 * server when `TEST_DATABASE_URL` is set (`.ci/run` sets it to the local server). Each test file
 * gets a fresh database (a new PGlite in memory, or a new database on the server that is dropped
 * afterwards), migrated through the real `migrations/` folder.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.js";
import { runMigrations } from "../../src/db/migrate.js";

export type TestDriver = "pglite" | "postgres";

/** The drivers to run database tests on. */
export function testDrivers(): TestDriver[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

/** A fresh, migrated database on the given driver; `drop()` closes and removes it. */
export async function freshDatabase(
  driver: TestDriver,
  options: { migrate?: boolean } = {},
): Promise<DatabaseHandle & { drop(): Promise<void>; url?: string }> {
  if (driver === "pglite") {
    const handle = await openDatabase({ dataDir: "memory://" });
    if (options.migrate !== false) await runMigrations(handle);
    return { ...handle, drop: () => handle.close() };
  }
  const base = process.env.TEST_DATABASE_URL!;
  const name = `lapor_test_${randomBytes(5).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), maxConnections: 5 });
  if (options.migrate !== false) await runMigrations(handle);
  return {
    ...handle,
    url: url.toString(),
    drop: async () => {
      await handle.close();
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
