/**
 * The database as the program opens it.
 * - An embedded PGlite folder is opened by one process at a time (a lock file with the pid; a stale
 *   one is taken over), and the program serves it on a socket: a client's transaction is its own
 *   (the program's statements wait for it), and a client that disconnects in the middle is rolled back.
 * - On PostgreSQL (only when TEST_DATABASE_URL names a server; CI sets it): drizzle's statements run
 *   as named prepared statements (one round trip each, also inside transactions) unless
 *   DATABASE_PREPARE=false, and a Unix socket can be named the libpq way (`?host=/socket/dir`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase, rowsOf } from "../../src/db/client.js";
import { acquireDataDirLock, DataDirLockedError, lockPath } from "../../src/db/lock.js";
import { runMigrations } from "../../src/db/migrate.js";
import { offices } from "../../src/db/schema/index.js";
import { freshDatabase, testDrivers } from "../support/db.js";

describe("an embedded database folder", () => {
  let dir: string;
  let program: DatabaseHandle;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "lapor-lock-"));
    program = await openDatabase({ dataDir: dir, share: "serve" });
    await program.db.execute(sql`create table t (x int)`);
  }, 300_000);
  afterAll(async () => {
    await program?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const values = async (h: DatabaseHandle) =>
    rowsOf<{ x: number }>(await h.db.execute(sql`select x from t order by x`)).map((r) => r.x);

  it("is opened by one process: a second opening is refused, naming the folder and the holder", async () => {
    const second = openDatabase({ dataDir: dir });
    await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(second).rejects.toThrow(
      `the embedded database in ${dir} is in use by the running LaporNetral program (pid ${process.pid},`,
    );
    expect(program.served?.socket).toBe(join(dir, ".s.PGSQL.5432"));
  });

  it("a lock left by a dead process is taken over", async () => {
    const other = mkdtempSync(join(tmpdir(), "lapor-stale-"));
    try {
      const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
      const pid = Number(dead.stdout.toString());
      writeFileSync(lockPath(other), JSON.stringify({ pid, role: "program", startedAt: "2024-01-01" }));
      const lock = acquireDataDirLock(other, "admin");
      expect(JSON.parse(readFileSync(lockPath(other), "utf8"))).toMatchObject({
        pid: process.pid,
        role: "admin",
      });
      // Now held by a live process (this one): refused.
      expect(() => acquireDataDirLock(other, "program")).toThrow(DataDirLockedError);
      lock.release();
      expect(existsSync(lockPath(other))).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("serves it to a client whose transaction is its own: the program's statements wait for it", async () => {
    const client = await openDatabase({ dataDir: dir, share: "connect" });
    try {
      expect(client.viaProgram?.pid).toBe(process.pid);
      let programDone = false;
      let programWrite: Promise<unknown> | undefined;
      await client.db
        .transaction(async (tx) => {
          await tx.execute(sql`insert into t values (1)`);
          programWrite = program.db.execute(sql`insert into t values (10)`).then(() => (programDone = true));
          await new Promise((r) => setTimeout(r, 200));
          // Not run inside the client's transaction, and not run before it ends.
          expect(programDone).toBe(false);
          await tx.execute(sql`insert into t values (2)`);
          tx.rollback();
        })
        .catch(() => {});
      await programWrite;
      expect(await values(program)).toEqual([10]);
      await client.db.transaction(async (tx) => {
        await tx.execute(sql`insert into t values (3)`);
      });
      expect(await values(program)).toEqual([3, 10]);
    } finally {
      await client.close();
    }
  });

  it("rolls back a client that disconnects inside a transaction and lets the program go on", async () => {
    const raw = postgres({ path: program.served!.socket!, max: 1, prepare: false, onnotice: () => {} });
    const open = raw.begin(async (tx) => {
      await tx`insert into t values (99)`;
      await new Promise(() => {}); // never commits
    });
    open.catch(() => {});
    await new Promise((r) => setTimeout(r, 300));
    await raw.end({ timeout: 0 });
    await program.db.execute(sql`insert into t values (11)`);
    expect(await values(program)).toEqual([3, 10, 11]);
  });
});

// PostgreSQL-only: present when TEST_DATABASE_URL names a server (CI), absent otherwise.
describe.each(testDrivers().filter((d) => d === "postgres"))("the %s client", (driver) => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    h = await freshDatabase(driver);
  });
  afterAll(() => h.drop());

  it("prepares drizzle's statements, inside transactions too", async () => {
    const one = await openDatabase({ databaseUrl: h.url!, maxConnections: 1 });
    try {
      const prepared = async () =>
        rowsOf<{ statement: string }>(
          await one.db.execute(sql`select statement from pg_prepared_statements`),
        ).map((r) => r.statement);
      await one.db.select().from(offices).where(eq(offices.code, "18.72"));
      await one.db.transaction(async (tx) => {
        await tx.select({ name: offices.name }).from(offices).where(eq(offices.code, "18"));
      });
      const statements = await prepared();
      expect(statements.some((s) => s.startsWith('select "code", "level", "name"'))).toBe(true);
      expect(statements.some((s) => s.startsWith('select "name" from "offices"'))).toBe(true);
      // The same statement again reuses its preparation instead of adding one.
      await one.db.select().from(offices).where(eq(offices.code, "RI"));
      expect((await prepared()).length).toBe(statements.length);
    } finally {
      await one.close();
    }
  });

  it("prepares nothing with prepare: false (for PgBouncer in transaction mode)", async () => {
    const unprepared = await openDatabase({ databaseUrl: h.url!, maxConnections: 1, prepare: false });
    try {
      await unprepared.db.select().from(offices).where(eq(offices.code, "18.72"));
      const rows = rowsOf<{ n: number }>(
        await unprepared.db.execute(
          sql`select count(*)::int as n from pg_prepared_statements where statement like '%"offices"%'`,
        ),
      );
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await unprepared.close();
    }
  });

  it("connects through a Unix socket given as ?host=/dir, for queries and migrations", async () => {
    const [dirs] = rowsOf<{ unix_socket_directories: string }>(
      await h.db.execute(sql`show unix_socket_directories`),
    );
    const dir = dirs!.unix_socket_directories.split(",")[0]!.trim();
    expect(dir.startsWith("/")).toBe(true);
    const url = new URL(h.url!);
    url.hostname = "localhost";
    url.searchParams.set("host", dir);
    const viaSocket = await openDatabase({ databaseUrl: url.toString(), maxConnections: 1 });
    try {
      await runMigrations({ ...viaSocket, url: url.toString() });
      const [row] = rowsOf<{ addr: string | null; db: string }>(
        await viaSocket.db.execute(sql`select inet_server_addr() as addr, current_database() as db`),
      );
      expect(row).toEqual({ addr: null, db: new URL(h.url!).pathname.slice(1) });
    } finally {
      await viaSocket.close();
    }
  });
});
