import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../src/db/client.js";
import { runMigrations } from "../../src/db/migrate.js";
import { freshDatabase, testDrivers } from "../support/db.js";

describe.each(testDrivers())("migrations on %s", (driver) => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    h = await freshDatabase(driver, { migrate: false });
  });
  afterAll(() => h.drop());

  it("apply from an empty database and create every table", async () => {
    await runMigrations(h);
    const rows = await h.db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    const tables = rowsOf<{ table_name: string }>(rows).map((r) => r.table_name);
    expect(tables).toEqual(
      expect.arrayContaining(["audit_log", "office_coverage", "office_destinations", "offices"]),
    );
  });

  it("are idempotent: running them again (twice at once) changes nothing", async () => {
    const count = async () => {
      const r = await h.db.execute<{ n: number }>(
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      return rowsOf<{ n: number }>(r)[0]!.n;
    };
    const before = await count();
    expect(before).toBeGreaterThan(0);
    await Promise.all([runMigrations(h), runMigrations(h)]);
    expect(await count()).toBe(before);
  });
});
