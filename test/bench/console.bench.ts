/**
 * The office console with 100,000 reports in PostgreSQL (BENCH_DATABASE_URL, a scratch database
 * created and dropped here): server time of the filtered and searched list (one page, the total and
 * the counts per status), the statistics (every dimension) and the map's data, each for Bawaslu RI
 * (all reports) and a provincial office, p50 / p95 over repeated runs with varying searches.
 *
 * Size: BENCH_CONSOLE_REPORTS (default 100,000).
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { loadDeadlines } from "../../src/console/deadlines.js";
import { listReports, mapCounts, parseFilters, statistics } from "../../src/console/queries.js";
import type { Scope } from "../../src/console/scope.js";
import { openDatabase } from "../../src/db/client.js";
import { runMigrations } from "../../src/db/migrate.js";
import { syncOffices } from "../../src/offices/sync.js";
import { loadRegionCatalog } from "../../src/regions/catalog.js";

const N = Number(process.env.BENCH_CONSOLE_REPORTS ?? 100_000);
const RUNS = 40;
const fmt = (n: number, d = 1) =>
  n.toLocaleString("en", { maximumFractionDigits: d, minimumFractionDigits: d });
const deadlines = loadDeadlines();

const base = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `lapor_bench_console_${randomBytes(4).toString("hex")}`;
const admin = postgres(base, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(base);
url.pathname = `/${name}`;
const h = await openDatabase({ databaseUrl: url.toString(), maxConnections: 5 });

async function measure(label: string, target: string, run: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await run(i);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  console.log(
    `| console, ${fmt(N, 0)} reports: ${label} (p50 / p95) | ${fmt(p(0.5))} / ${fmt(p(0.95))} ms | ${target} |`,
  );
}

try {
  await runMigrations(h);
  const catalog = await loadRegionCatalog();
  await syncOffices(h.db, catalog);
  await h.db.execute(
    sql`insert into contacts (channel, external_id) select 'telegram', g::text from generate_series(1, 5000) g`,
  );
  // Reports spread over every regency office, 120 days, every status, category and channel.
  await h.db.execute(sql`
    with regencies as (select code, row_number() over (order by code) as i, count(*) over () as n
                       from offices where level = 'regency'),
         names as (select array['Budi Santoso','Siti Aminah','Agus Salim','Dewi Lestari','Joko Widodo','Rina Wulandari',
                                'Andi Saputra','Sri Mulyani','Hendra Gunawan','Yusuf Hamid'] as a),
         agencies as (select array['Dinas Pendidikan','Dinas Kesehatan','Dinas Perhubungan','Kecamatan','Kelurahan',
                                   'Sekretariat Daerah','Dinas Sosial','RSUD','SD Negeri 1','Badan Kepegawaian'] as a)
    insert into reports (number, track, status, category, account, channel, contact_id, office_code, region_code,
                         region_name, province_code, accused_name, accused_position, agency_normalized, created_at, updated_at)
    select 'LN-' || upper(substr(md5(g::text), 1, 4)) || '-' || upper(substr(md5(g::text), 5, 4)),
           case when g % 5 = 0 then 'formal' else 'tip' end,
           (array['received','delivered','acknowledged','needs_info','forwarded','closed','rejected'])[1 + g % 7],
           (array['fasilitas_negara','medsos_posting','medsos_interaksi','kampanye','apk','lainnya'])[1 + g % 6],
           'Kejadian nomor ' || g || ': ASN ikut kampanye dan memakai fasilitas negara di depan warga.',
           (array['telegram','whatsapp','wacloud','web'])[1 + g % 4],
           1 + g % 5000,
           r.code, r.code, 'Wilayah ' || r.code, split_part(r.code, '.', 1),
           (select a[1 + g % 10] from names), 'Kepala ' || (g % 37),
           (select a[1 + (g / 7) % 10] from agencies) || ' ' || r.code,
           now() - (g % 120) * interval '1 day' - (g % 1440) * interval '1 minute',
           now() - (g % 100) * interval '1 day'
    from generate_series(1, ${N}) g join regencies r on r.i = 1 + (g * 7919) % r.n
    on conflict (number) do nothing`);
  await h.db.execute(sql`insert into evidence (report_id, kind, sha256, mime, channel, received_at)
    select id, 'photo', md5(id::text) || md5(id::text), 'image/jpeg', channel, created_at from reports where id % 2 = 0`);
  await h.db.execute(sql`insert into report_events (report_id, at, actor, type, from_status, to_status)
    select id, created_at + interval '1 day', 'telegram:1', 'status', 'delivered', 'acknowledged'
    from reports where status in ('acknowledged','needs_info','closed')`);
  await h.db.execute(sql`analyze`);
  if (process.env.BENCH_CONSOLE_SEED_ONLY) throw new Error("seeded only");

  const all: Scope = { kind: "all" };
  const province: Scope = { kind: "province", code: "32" };
  const ctx = { officerId: null, deadlines, now: new Date() };
  const searches = [
    "budi",
    "dinas pendidikan",
    "siti aminah",
    "kepala 12",
    "kesehatan",
    "agus",
    "rsud",
    "kelurahan",
  ];
  // Calibration: one plain scan of the table on this machine now (shared machines vary ten-fold).
  await measure("calibration: select count(*) from reports", "—", () =>
    h.db.execute(sql`select count(*) from reports`),
  );
  await measure("list, searched, all (RI)", "< 150 ms", (i) =>
    listReports(h.db, all, parseFilters({ q: searches[i % searches.length]! }), ctx),
  );
  await measure("list, searched + status + category, province", "< 150 ms", (i) =>
    listReports(
      h.db,
      province,
      parseFilters({ q: searches[i % searches.length]!, status: "delivered", category: "kampanye" }),
      ctx,
    ),
  );
  await measure("list, overdue + has evidence, all, page 3", "< 150 ms", () =>
    listReports(h.db, all, parseFilters({ overdue: "1", evidence: "1", page: "3" }), ctx),
  );
  await measure("statistics (8 dimensions), all", "< 150 ms", () =>
    statistics(h.db, all, parseFilters({}), ctx),
  );
  await measure("statistics, province, filtered by track", "< 150 ms", () =>
    statistics(h.db, province, parseFilters({ track: "tip" }), ctx),
  );
  await measure("map data, all", "< 100 ms", () => mapCounts(h.db, all, parseFilters({}), ctx));
  await measure("map data, searched", "< 100 ms", (i) =>
    mapCounts(h.db, all, parseFilters({ q: searches[i % searches.length]! }), ctx),
  );
} finally {
  await h.close();
  if (process.env.BENCH_CONSOLE_KEEP) console.error(`kept database ${name}`);
  else await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
