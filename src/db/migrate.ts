import { resolve } from "node:path";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { PROJECT_ROOT } from "../config.js";
import { connectPostgres, type DatabaseHandle } from "./client.js";

/** The folder drizzle-kit writes to and the program migrates from. */
export const MIGRATIONS_FOLDER = resolve(PROJECT_ROOT, "migrations");

/** Arbitrary constant for `pg_advisory_lock`, so two processes starting together migrate one at a time. */
const MIGRATION_LOCK_ID = 73_011_945;

/**
 * Applies every migration in `migrations/` that the database has not seen. Idempotent: running it
 * again (or from a second process at the same time) changes nothing.
 */
export async function runMigrations(handle: DatabaseHandle, folder = MIGRATIONS_FOLDER): Promise<void> {
  if (handle.driver === "pglite") {
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder: folder });
    return;
  }
  // Migrate on a dedicated connection holding an advisory lock, so concurrent starts queue up.
  const client = connectPostgres(handle.url!, { max: 1 });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migratePostgres(drizzle({ client }), { migrationsFolder: folder });
  } finally {
    await client.end({ timeout: 5 });
  }
}
