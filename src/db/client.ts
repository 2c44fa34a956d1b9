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

/** The rows of a raw `execute`, whichever driver ran it (postgres-js returns an array, PGlite `{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** An open database and how to close it. */
export interface DatabaseHandle {
  db: Database;
  driver: "postgres" | "pglite";
  /** The server URL (postgres driver only); never logged, it may hold a password. */
  url?: string;
  close(): Promise<void>;
}

/**
 * Reads libpq's way of naming a Unix socket, `postgres://user@localhost/db?host=/var/run/postgresql`
 * (postgres-js does not understand it): the directory is returned apart and removed from the URL.
 * On one machine, a Unix socket spares each statement the loopback TCP stack.
 */
function splitSocketDir(databaseUrl: string): { url: string; socketDir?: string } {
  const url = new URL(databaseUrl);
  const host = url.searchParams.get("host");
  if (!host?.startsWith("/")) return { url: databaseUrl };
  url.searchParams.delete("host");
  return { url: url.toString(), socketDir: host };
}

/** A postgres-js client for `DATABASE_URL` (TCP, or a Unix socket named the libpq way). */
export function connectPostgres(databaseUrl: string, options: { max: number }): postgres.Sql {
  const { url, socketDir } = splitSocketDir(databaseUrl);
  return postgres(url, {
    ...(socketDir ? { host: socketDir } : {}),
    max: options.max,
    onnotice: () => {},
    connection: { application_name: "lapornetral" },
  });
}

/**
 * The postgres-js client as drizzle should see it: every statement with parameters is run as a
 * named prepared statement (parsed once per connection, then only bound and executed).
 *
 * Drizzle asks postgres-js for unnamed statements unless a query is given a name, and postgres-js
 * sends an unnamed statement with parameters in two round trips: Parse and Describe first (to learn
 * the parameter types), then Bind and Execute. Prepared, a repeated statement costs one round trip
 * and one socket write, which halves the cost of a conversation step (BENCHMARKS.md). Transactions
 * and savepoints get the same treatment. A connection's statements are forgotten when postgres-js
 * retires it (`max_lifetime`, 30 to 60 minutes), which bounds the few with varying text (multi-row
 * inserts).
 */
function preparing(client: postgres.Sql): postgres.Sql {
  // biome-ignore lint/suspicious/noExplicitAny: the wrapped methods keep postgres-js's own signatures.
  type Fn = (...args: any[]) => any;
  const scoped = (method: "begin" | "savepoint") =>
    ((...args: unknown[]) => {
      const body = args.pop() as Fn;
      return ((client as unknown as Record<string, Fn>)[method] as Fn)(...args, (inner: postgres.Sql) =>
        body(preparing(inner)),
      );
    }) as Fn;
  return new Proxy(client, {
    get(target, prop) {
      if (prop === "unsafe")
        return (query: string, params: unknown[] = [], opts: Record<string, unknown> = {}) =>
          target.unsafe(query, params as postgres.ParameterOrJSON<never>[], { ...opts, prepare: true });
      if (prop === "begin" || prop === "savepoint") return scoped(prop);
      return Reflect.get(target, prop, target);
    },
  });
}

/**
 * Opens the database: postgres-js when `databaseUrl` is given, otherwise the embedded PGlite
 * stored in `<dataDir>/pglite` (or in memory when `dataDir` is "memory://", for tests).
 */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir?: string;
  maxConnections?: number;
  /** Run statements prepared (the default); false behind a pooler that cannot keep them (PgBouncer in transaction mode). */
  prepare?: boolean;
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const client = connectPostgres(options.databaseUrl, { max: options.maxConnections ?? 10 });
    const driver = options.prepare === false ? client : preparing(client);
    const db = drizzlePostgres({ client: driver, schema }) as unknown as Database;
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
