import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.js";

/** The schema object, as drizzle sees it. */
export type Schema = typeof schema;

/** A drizzle database on either driver. Code outside `db/` only ever sees this type. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

/** A transaction handle, as given to `db.transaction(async (tx) => …)`. */
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/** A database handle or a transaction: functions that may run inside a caller's transaction take this. */
export type Queryable = Database | Transaction;

/** An open database and how to close it. */
export interface DatabaseHandle {
  db: Database;
  driver: "postgres" | "pglite";
  /** The server URL (postgres driver only); never logged, it may hold a password. */
  url?: string;
  close(): Promise<void>;
}

/**
 * Opens the database: postgres-js when `databaseUrl` is given, otherwise the embedded PGlite
 * stored in `<dataDir>/pglite` (or in memory when `dataDir` is "memory://", for tests).
 */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir?: string;
  maxConnections?: number;
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      connection: { application_name: "lapornetral" },
    });
    const db = drizzlePostgres({ client, schema }) as unknown as Database;
    return { db, driver: "postgres", url: options.databaseUrl, close: () => client.end({ timeout: 5 }) };
  }
  let dataDir: string | undefined;
  if (options.dataDir && options.dataDir !== "memory://") {
    dataDir = join(options.dataDir, "pglite");
    mkdirSync(dataDir, { recursive: true });
  }
  const client = await PGlite.create(dataDir ? { dataDir } : {});
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  return { db, driver: "pglite", close: () => client.close() };
}
