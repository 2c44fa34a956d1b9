import { type SQL, sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../db/client.js";
import { REPORT_STATUSES, type ReportStatus, TRACKS } from "../db/schema/index.js";
import type { DeadlineSettings } from "./deadlines.js";
import { type Scope, scopeSql } from "./scope.js";

/** The full-text document of a report; the same expression as the GIN index `reports_search_idx`. */
export const SEARCH_VECTOR = sql.raw(
  `to_tsvector('simple'::regconfig, r.number || ' ' || r.account || ' ' || coalesce(r.accused_name, '') || ' ' || coalesce(r.accused_position, '') || ' ' || coalesce(r.agency_raw, '') || ' ' || coalesce(r.agency_normalized, ''))`,
);

export const SORTS = ["new", "old", "updated", "status", "region"] as const;
export type Sort = (typeof SORTS)[number];
export const PAGE_SIZE = 50;

/** The list's filters, as read from the query string (anything invalid is dropped). */
export interface Filters {
  status?: ReportStatus;
  category?: string;
  track?: (typeof TRACKS)[number];
  regency?: string;
  province?: string;
  from?: string;
  to?: string;
  channel?: string;
  overdue?: boolean;
  evidence?: boolean;
  mine?: boolean;
  q?: string;
  sort: Sort;
  page: number;
}

const CODE = /^[0-9]{2}(\.[0-9]{2})?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const WORD = /^[a-z_]{2,40}$/;

/** Reads filters from a query string; unknown or malformed values are ignored. */
export function parseFilters(q: Record<string, unknown>): Filters {
  const s = (k: string) => (typeof q[k] === "string" ? (q[k] as string).trim() : "");
  const f: Filters = { sort: "new", page: 1 };
  const status = s("status");
  if ((REPORT_STATUSES as readonly string[]).includes(status)) f.status = status as ReportStatus;
  const track = s("track");
  if ((TRACKS as readonly string[]).includes(track)) f.track = track as Filters["track"];
  if (WORD.test(s("category"))) f.category = s("category");
  if (WORD.test(s("channel"))) f.channel = s("channel");
  if (CODE.test(s("regency")) && s("regency").includes(".")) f.regency = s("regency");
  if (/^[0-9]{2}$/.test(s("province"))) f.province = s("province");
  if (DAY.test(s("from"))) f.from = s("from");
  if (DAY.test(s("to"))) f.to = s("to");
  if (s("overdue") === "1") f.overdue = true;
  if (s("evidence") === "1") f.evidence = true;
  if (s("mine") === "1") f.mine = true;
  const text = s("q").slice(0, 200);
  if (text) f.q = text;
  if ((SORTS as readonly string[]).includes(s("sort"))) f.sort = s("sort") as Sort;
  const page = Number(s("page"));
  if (Number.isInteger(page) && page >= 1 && page <= 10_000) f.page = page;
  return f;
}

/** The filters as a query string (for links that keep them), without `page` unless asked. */
export function filterQuery(
  f: Partial<Filters>,
  extra: Record<string, string | number | undefined> = {},
): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) {
    if (
      v === undefined ||
      v === false ||
      v === "" ||
      (k === "page" && v === 1) ||
      (k === "sort" && v === "new")
    )
      continue;
    p.set(k, v === true ? "1" : String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** A `to_tsquery` of the words typed, each as a prefix ("kota metr" finds "Kota Metro"). */
export function searchQuery(text: string): string | undefined {
  const words =
    text
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu)
      ?.slice(0, 8) ?? [];
  return words.length ? words.map((w) => `${w}:*`).join(" & ") : undefined;
}

/** A time as a typed SQL parameter (postgres-js does not bind a Date in a raw statement). */
const ts = (d: Date): SQL => sql`${d.toISOString()}::timestamptz`;

/** The condition of the overdue view: open reports past their kajian awal or follow-up clock. */
function overdueSql(d: DeadlineSettings, now: Date): SQL {
  const review = new Date(now.getTime() - d.initial_review_days * 86_400_000);
  const follow = new Date(now.getTime() - d.follow_up_days * 86_400_000);
  const followExtra = new Date(now.getTime() - (d.follow_up_days + d.follow_up_extra_days) * 86_400_000);
  return sql`((r.status in ('received', 'delivered', 'forwarded') and r.created_at < ${ts(review)})
    or (r.status = 'acknowledged' and r.created_at < ${ts(follow)})
    or (r.status = 'needs_info' and r.created_at < ${ts(followExtra)}))`;
}

/** The WHERE clause of the list for a scope and filters (`except` leaves one filter out, for counts). */
export function whereOf(
  scope: Scope,
  f: Partial<Filters>,
  ctx: { officerId: number | null; deadlines: DeadlineSettings; now: Date },
  except?: keyof Filters,
): SQL {
  const parts: SQL[] = [scopeSql(scope)];
  const use = (k: keyof Filters) => f[k] !== undefined && k !== except;
  if (use("status")) parts.push(sql`r.status = ${f.status}`);
  if (use("category")) parts.push(sql`r.category = ${f.category}`);
  if (use("track")) parts.push(sql`r.track = ${f.track}`);
  if (use("regency")) parts.push(sql`r.region_code = ${f.regency}`);
  if (use("province")) parts.push(sql`r.province_code = ${f.province}`);
  if (use("channel")) parts.push(sql`r.channel = ${f.channel}`);
  if (use("from")) parts.push(sql`r.created_at >= ${ts(new Date(`${f.from}T00:00:00+07:00`))}`);
  if (use("to"))
    parts.push(
      sql`r.created_at < ${ts(new Date(new Date(`${f.to}T00:00:00+07:00`).getTime() + 86_400_000))}`,
    );
  if (use("overdue")) parts.push(overdueSql(ctx.deadlines, ctx.now));
  if (use("evidence")) parts.push(sql`exists (select 1 from evidence v where v.report_id = r.id)`);
  if (use("mine"))
    parts.push(
      sql`exists (select 1 from report_assignments a where a.report_id = r.id and a.officer_id = ${ctx.officerId ?? -1})`,
    );
  if (use("q")) {
    const tsq = searchQuery(f.q!);
    const number = f.q!.trim().toUpperCase();
    parts.push(
      tsq
        ? sql`(${SEARCH_VECTOR} @@ to_tsquery('simple'::regconfig, ${tsq}) or r.number = ${number})`
        : sql`r.number = ${number}`,
    );
  }
  return sql.join(parts, sql` and `);
}

/** A row of the list. */
export interface ListRow {
  id: number;
  number: string;
  track: string;
  status: ReportStatus;
  category: string;
  region_name: string | null;
  office_code: string | null;
  created_at: Date;
  updated_at: Date;
  channel: string;
  accused_name: string | null;
  agency_normalized: string | null;
  deadline: { deadline: string; late: boolean } | null;
  ack_at: Date | null;
  needed_info: boolean;
  evidence_count: number;
  assignee: string | null;
}

const ORDER: Record<Sort, SQL> = {
  new: sql`r.created_at desc, r.id desc`,
  old: sql`r.created_at asc, r.id asc`,
  updated: sql`r.updated_at desc, r.id desc`,
  status: sql`r.status asc, r.created_at desc`,
  region: sql`r.region_name asc nulls last, r.created_at desc`,
};

/** One page of the list, the total, and the counts per status (under every filter but status). */
export async function listReports(
  q: Queryable,
  scope: Scope,
  f: Filters,
  ctx: { officerId: number | null; deadlines: DeadlineSettings; now: Date },
): Promise<{ rows: ListRow[]; total: number; byStatus: Record<string, number> }> {
  const where = whereOf(scope, f, ctx);
  const [rows, total, counts] = await Promise.all([
    q.execute(sql`select r.id, r.number, r.track, r.status, r.category, r.region_name, r.office_code,
        r.created_at, r.updated_at, r.channel, r.accused_name, r.agency_normalized, r.deadline,
        (select min(e.at) from report_events e where e.report_id = r.id and e.to_status = 'acknowledged') as ack_at,
        exists (select 1 from report_events e where e.report_id = r.id and e.to_status = 'needs_info') as needed_info,
        (select count(*)::int from evidence v where v.report_id = r.id) as evidence_count,
        (select coalesce(o.display_name, o.user_id) from report_assignments a join officers o on o.id = a.officer_id
          where a.report_id = r.id) as assignee
      from reports r where ${where} order by ${ORDER[f.sort]}
      limit ${PAGE_SIZE} offset ${(f.page - 1) * PAGE_SIZE}`),
    q.execute(sql`select count(*)::int as n from reports r where ${where}`),
    q.execute(
      sql`select r.status, count(*)::int as n from reports r where ${whereOf(scope, f, ctx, "status")} group by r.status`,
    ),
  ]);
  return {
    rows: rowsOf<ListRow>(rows).map((r) => ({
      ...r,
      created_at: new Date(r.created_at),
      updated_at: new Date(r.updated_at),
      ack_at: r.ack_at ? new Date(r.ack_at) : null,
    })),
    total: rowsOf<{ n: number }>(total)[0]?.n ?? 0,
    byStatus: Object.fromEntries(rowsOf<{ status: string; n: number }>(counts).map((c) => [c.status, c.n])),
  };
}

/** The dimensions of the statistics page. */
export const STAT_DIMENSIONS = [
  "category",
  "province",
  "regency",
  "agency",
  "channel",
  "track",
  "status",
  "week",
] as const;
export type StatDimension = (typeof STAT_DIMENSIONS)[number];

/** The grouping expression of each dimension (its label, where it has one, comes from the same rows). */
const DIMENSION_SQL: Record<StatDimension, { key: string; label?: string }> = {
  category: { key: "r.category" },
  province: { key: "r.province_code" },
  regency: { key: "r.region_code", label: "min(r.region_name)" },
  agency: { key: "lower(r.agency_normalized)", label: "min(r.agency_normalized)" },
  channel: { key: "r.channel" },
  track: { key: "r.track" },
  status: { key: "r.status" },
  week: { key: "to_char(date_trunc('week', r.created_at at time zone 'Asia/Jakarta'), 'YYYY-MM-DD')" },
};

/**
 * Counts by every dimension: one small GROUP BY per dimension, run side by side on the pool (one
 * statement with GROUPING SETS measured three to four times slower: it hashes all eight at once).
 */
export async function statistics(
  q: Queryable,
  scope: Scope,
  f: Partial<Filters>,
  ctx: { officerId: number | null; deadlines: DeadlineSettings; now: Date },
): Promise<Record<StatDimension, { key: string | null; label: string | null; n: number }[]>> {
  const where = whereOf(scope, f, ctx);
  const results = await Promise.all(
    STAT_DIMENSIONS.map(async (d) => {
      const { key, label } = DIMENSION_SQL[d];
      const rows = rowsOf<{ key: string | null; label: string | null; n: number }>(
        await q.execute(sql`select ${sql.raw(key)} as key, ${sql.raw(label ?? "null::text")} as label, count(*)::int as n
          from reports r where ${where} group by 1 order by ${sql.raw(d === "week" ? "1" : "3 desc, 1")} limit 500`),
      );
      return [d, rows.map((r) => ({ key: r.key, label: r.label, n: Number(r.n) }))] as const;
    }),
  );
  return Object.fromEntries(results) as Record<
    StatDimension,
    { key: string | null; label: string | null; n: number }[]
  >;
}

/** Counts per regency code under the filters, for the map. */
export async function mapCounts(
  q: Queryable,
  scope: Scope,
  f: Partial<Filters>,
  ctx: { officerId: number | null; deadlines: DeadlineSettings; now: Date },
): Promise<Record<string, number>> {
  const rows = await q.execute(sql`select r.region_code as code, count(*)::int as n from reports r
    where ${whereOf(scope, f, ctx, "regency")} and r.region_code like '__.__' group by r.region_code`);
  return Object.fromEntries(rowsOf<{ code: string; n: number }>(rows).map((r) => [r.code, Number(r.n)]));
}

/** Per office in scope: open reports, overdue ones, and the share of finished reports that met the follow-up clock. */
export async function deadlineShares(
  q: Queryable,
  scope: Scope,
  d: DeadlineSettings,
  now: Date,
): Promise<
  { office_code: string; name: string; open: number; overdue: number; finished: number; met: number }[]
> {
  const rows = await q.execute(sql`select r.office_code, min(o.name) as name,
      count(*) filter (where r.status not in ('closed', 'rejected'))::int as open,
      count(*) filter (where ${overdueSql(d, now)})::int as overdue,
      count(*) filter (where r.status in ('closed', 'rejected'))::int as finished,
      count(*) filter (where r.status in ('closed', 'rejected') and r.updated_at <= r.created_at
        + make_interval(days => ${d.follow_up_days} + case when exists (select 1 from report_events e
          where e.report_id = r.id and e.to_status = 'needs_info') then ${d.follow_up_extra_days} else 0 end))::int as met
    from reports r join offices o on o.code = r.office_code
    where ${scopeSql(scope)} group by r.office_code order by overdue desc, open desc limit 600`);
  return rowsOf(rows);
}
