import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getTableName, is, sql } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../src/db/client.js";
import { MIGRATIONS_FOLDER, runMigrations } from "../../src/db/migrate.js";
import * as schema from "../../src/db/schema/index.js";
import { freshDatabase, testDrivers } from "../support/db.js";

/** A column type as drizzle writes it, the way PostgreSQL's format_type names it. */
function sqlType(t: string): string {
  return t
    .replace(/^serial$/, "integer")
    .replace(/^bigserial$/, "bigint")
    .replace(/^varchar/, "character varying")
    .replace(/^timestamp( with time zone)?$/, (_m, tz) => `timestamp ${tz ? "with" : "without"} time zone`)
    .replace(
      /^timestamp \((\d)\)( with time zone)?$/,
      (_m, p, tz) => `timestamp(${p}) ${tz ? "with" : "without"} time zone`,
    );
}

/** Every table the schema declares (one file per table in src/db/schema). */
const SCHEMA_TABLES = Object.values(schema)
  .filter((v) => is(v, PgTable))
  .map((t) => getTableName(t as PgTable))
  .sort();

describe("the schema and migrations/", () => {
  it("agree: generating a migration from the newest snapshot finds nothing to do (drizzle-kit generate)", async () => {
    const { generateDrizzleJson, generateMigration } = await import("drizzle-kit/api");
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as {
      entries: { idx: number }[];
    };
    const last = String(journal.entries.at(-1)!.idx).padStart(4, "0");
    const snapshot = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, `meta/${last}_snapshot.json`), "utf8"));
    const current = generateDrizzleJson(schema as Record<string, unknown>, snapshot.id);
    expect(await generateMigration(snapshot, current)).toEqual([]);
    expect(SCHEMA_TABLES.length).toBeGreaterThanOrEqual(19);
  }, 60_000);
});

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
    expect(tables).toEqual(SCHEMA_TABLES);
  });

  it("make the database the schema describes: every column with its type and nullability", async () => {
    const rows = rowsOf<{ t: string; c: string; type: string; nullable: boolean }>(
      await h.db.execute(sql`
        select c.relname as t, a.attname as c, format_type(a.atttypid, a.atttypmod) as type,
               not a.attnotnull as nullable
        from pg_attribute a join pg_class c on c.oid = a.attrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
        order by 1, 2`),
    );
    const inDatabase = rows.map((r) => `${r.t}.${r.c} ${r.type}${r.nullable ? "" : " not null"}`);
    const declared = Object.values(schema)
      .filter((v) => is(v, PgTable))
      .flatMap((t) => {
        const config = getTableConfig(t as PgTable);
        return config.columns.map(
          (c) => `${config.name}.${c.name} ${sqlType(c.getSQLType())}${c.notNull ? " not null" : ""}`,
        );
      })
      .sort((a, b) => (a.split(" ")[0]! < b.split(" ")[0]! ? -1 : 1));
    expect(declared.length).toBeGreaterThan(SCHEMA_TABLES.length * 3);
    expect(inDatabase).toEqual(declared);
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
