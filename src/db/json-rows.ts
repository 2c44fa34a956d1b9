import { getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Rows of one table carried by ONE jsonb parameter, for `insert … select` inside a larger
 * statement (see `reports/submit.ts`): the column list is fixed once per call site, so the
 * statement text never varies and stays prepared, and the rows are one JSON value however many
 * there are. The columns named here are the ones written; a row without a key writes NULL there.
 *
 * @example
 * const EVENT = new JsonRows(reportEvents, ["at", "actor", "type"]);
 * const EVENT_FIELDS = EVENT.fields("x");
 * sql`insert into ${EVENT.table} (report_id, ${EVENT.columns})
 *     select r.id, ${EVENT_FIELDS} from r, ${EVENT.records(rows, "x")}`
 */
export class JsonRows<T extends PgTable> {
  /** The table's quoted name. */
  readonly table: SQL;
  /** `"a", "b"`: the columns, by their database names. */
  readonly columns: SQL;
  private readonly names: [key: string, column: string][];

  constructor(table: T, keys: readonly (keyof T["$inferInsert"] & string)[]) {
    const columns = getTableColumns(table);
    this.names = keys.map((k) => [k, columns[k]!.name]);
    this.table = sql.raw(ident(getTableName(table)));
    this.columns = sql.raw(this.names.map(([, c]) => ident(c)).join(", "));
  }

  /**
   * `x."a", x."b"`: the same columns read from the records aliased `alias`, except those given in
   * `computed`, whose values come from these SQL expressions instead (which may read `x.<column>`).
   * Written once per call site: keep the result in a constant.
   */
  fields(alias: string, computed: Partial<Record<keyof T["$inferInsert"] & string, string>> = {}): SQL {
    const list = this.names.map(
      ([key, c]) => (computed as Record<string, string | undefined>)[key] ?? `${alias}.${ident(c)}`,
    );
    return sql.raw(list.join(", "));
  }

  /**
   * `jsonb_populate_recordset(null::t, $1) as alias`: the rows as records of the table's type
   * (so every value is read by its column's type: dates and timestamps from ISO strings, jsonb
   * columns from nested JSON).
   */
  records(rows: readonly Partial<T["$inferInsert"]>[], alias: string): SQL {
    const values = rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const [key, column] of this.names) out[column] = (row as Record<string, unknown>)[key] ?? null;
      return out;
    });
    return sql`jsonb_populate_recordset(null::${this.table}, ${JSON.stringify(values)}::jsonb) as ${sql.raw(alias)}`;
  }
}
