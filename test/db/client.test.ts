/**
 * The PostgreSQL client as the program opens it: drizzle's statements run as named prepared
 * statements (one round trip each, also inside transactions) unless DATABASE_PREPARE=false, and a
 * Unix socket can be named the libpq way (`?host=/socket/dir`), for the program and its migrations.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, rowsOf } from "../../src/db/client.js";
import { runMigrations } from "../../src/db/migrate.js";
import { offices } from "../../src/db/schema/index.js";
import { freshDatabase, testDrivers } from "../support/db.js";

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
