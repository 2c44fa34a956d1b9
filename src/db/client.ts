import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { acquireDataDirLock, currentHolder, DataDirLockedError, type LockInfo } from "./lock.js";
import * as schema from "./schema/index.js";
import type { PgliteServer, ServedAddress } from "./serve.js";

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
  /** Where this process serves its embedded database to others (`share: "serve"`). */
  served?: ServedAddress;
  /** Connected through the running program's socket: its database is already migrated. */
  viaProgram?: LockInfo;
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

/** How long an admin command waits for a program that has taken the folder to start serving it. */
const SERVE_WAIT_MS = 15_000;

/**
 * Opens the database: postgres-js when `databaseUrl` is given, otherwise the embedded PGlite
 * stored in `<dataDir>/pglite` (or in memory when `dataDir` is "memory://", for tests).
 *
 * An embedded folder is opened by one process at a time (`DATA_DIR/pglite.lock`, see `lock.ts`):
 * - `share: "serve"` (the program): takes the lock and serves the database on a socket in DATA_DIR
 *   (or 127.0.0.1:`port`) for the admin command line and psql;
 * - `share: "connect"` (the admin command line): connects through the running program's socket
 *   when there is one, otherwise takes the lock and opens the folder itself;
 * - `share: "lock"` (the default): takes the lock.
 * Taking a lock another live process holds throws {@link DataDirLockedError}.
 */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir?: string;
  maxConnections?: number;
  /** Run statements prepared (the default); false behind a pooler that cannot keep them (PgBouncer in transaction mode). */
  prepare?: boolean;
  share?: "serve" | "connect" | "lock";
  /** With `share: "serve"`: listen on 127.0.0.1 and this port instead of the Unix socket. */
  port?: number | undefined;
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const client = connectPostgres(options.databaseUrl, { max: options.maxConnections ?? 10 });
    const driver = options.prepare === false ? client : preparing(client);
    const db = drizzlePostgres({ client: driver, schema }) as unknown as Database;
    return { db, driver: "postgres", url: options.databaseUrl, close: () => client.end({ timeout: 5 }) };
  }
  // Loaded only here: an admin command that goes through the program's socket never needs them.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
  ]);
  if (!options.dataDir || options.dataDir === "memory://") {
    const client = await PGlite.create();
    const db = drizzlePglite({ client, schema }) as unknown as Database;
    return { db, driver: "pglite", close: () => client.close() };
  }
  const folder = options.dataDir;
  mkdirSync(folder, { recursive: true });
  const share = options.share ?? "lock";
  if (share === "connect") {
    const through = await connectToProgram(folder);
    if (through) return through;
  }
  const lock = acquireDataDirLock(folder, share === "serve" ? "program" : "admin");
  try {
    const dataDir = join(folder, "pglite");
    mkdirSync(dataDir, { recursive: true });
    const client = await PGlite.create({ dataDir });
    const db = drizzlePglite({ client, schema }) as unknown as Database;
    let server: PgliteServer | undefined;
    if (share === "serve") {
      try {
        const { servePglite } = await import("./serve.js");
        server = await servePglite(client, folder, options.port);
      } catch (e) {
        await client.close();
        throw e;
      }
      lock.update(server.address);
    }
    return {
      db,
      driver: "pglite",
      ...(server ? { served: server.address } : {}),
      async close() {
        try {
          await server?.close();
          await client.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (e) {
    lock.release();
    throw e;
  }
}

/**
 * The running program's database, through its socket, with one connection and no named prepared
 * statements (see `serve.ts`); undefined when no live program holds the folder. A program that
 * took the folder a moment ago is given a little time to start serving it.
 */
async function connectToProgram(folder: string): Promise<DatabaseHandle | undefined> {
  const deadline = Date.now() + SERVE_WAIT_MS;
  let holder = currentHolder(folder);
  while (holder && holder.role === "program" && !holder.socket && !holder.port && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    holder = currentHolder(folder);
  }
  if (!holder) return undefined;
  if (holder.role !== "program" || (!holder.socket && !holder.port))
    throw new DataDirLockedError(folder, holder);
  const client = postgres({
    ...(holder.socket ? { path: holder.socket } : { host: holder.host ?? "127.0.0.1", port: holder.port! }),
    database: "postgres",
    username: "postgres",
    max: 1,
    prepare: false,
    onnotice: () => {},
    connection: { application_name: "lapornetral-admin" },
  });
  const db = drizzlePostgres({ client, schema }) as unknown as Database;
  return { db, driver: "postgres", viaProgram: holder, close: () => client.end({ timeout: 5 }) };
}
