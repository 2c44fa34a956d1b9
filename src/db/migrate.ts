import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { sql } from "drizzle-orm";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { PROJECT_ROOT } from "../config.js";
import { connectPostgres, type DatabaseHandle, rowsOf } from "./client.js";

/** The folder drizzle-kit writes to and the program migrates from. */
export const MIGRATIONS_FOLDER = resolve(PROJECT_ROOT, "migrations");

/** Arbitrary constant for `pg_advisory_lock`, so two processes starting together migrate one at a time. */
const MIGRATION_LOCK_ID = 73_011_945;

/** The creation times of the migrations in `folder` (drizzle-kit's journal), oldest first. */
function journal(folder: string): number[] {
  const j = JSON.parse(readFileSync(resolve(folder, "meta/_journal.json"), "utf8")) as {
    entries: { when: number }[];
  };
  return j.entries.map((e) => e.when);
}

/** The newest migration the database has applied (its creation time), or undefined for a new database. */
async function lastApplied(handle: DatabaseHandle): Promise<number | undefined> {
  try {
    const [row] = rowsOf<{ last: string | number | null }>(
      await handle.db.execute(sql`select max(created_at) as last from drizzle.__drizzle_migrations`),
    );
    return row?.last === null || row?.last === undefined ? undefined : Number(row.last);
  } catch {
    return undefined; // no migrations table yet
  }
}

/**
 * Applies every migration in `migrations/` that the database has not seen and returns how many it
 * applied. Idempotent: running it again (or from a second process at the same time) changes nothing.
 * With nothing to do it costs one small query (the newest applied migration against the journal).
 */
export async function runMigrations(handle: DatabaseHandle, folder = MIGRATIONS_FOLDER): Promise<number> {
  // Through the running program's socket: the program migrated its database when it started.
  if (handle.viaProgram) return 0;
  const wanted = journal(folder);
  const before = await lastApplied(handle);
  if (before !== undefined && before >= (wanted.at(-1) ?? 0)) return 0;
  if (handle.driver === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(handle.db as unknown as PgliteDatabase, { migrationsFolder: folder });
  } else {
    const [{ drizzle }, { migrate }] = await Promise.all([
      import("drizzle-orm/postgres-js"),
      import("drizzle-orm/postgres-js/migrator"),
    ]);
    // Migrate on a dedicated connection holding an advisory lock, so concurrent starts queue up.
    const client = connectPostgres(handle.url!, { max: 1 });
    try {
      await client`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
      await migrate(drizzle({ client }), { migrationsFolder: folder });
    } finally {
      await client.end({ timeout: 5 });
    }
  }
  return wanted.filter((when) => before === undefined || when > before).length;
}
