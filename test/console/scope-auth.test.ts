/**
 * The console's data layer on both drivers: scope (a regency office sees its reports, a province
 * its own and its regencies', Bawaslu RI and admins all), filters, full-text search, overdue view,
 * statistics and map counts; one-time links (single use, 10 minutes, rate-limited) and sessions
 * (renewed, ended when the officer is disabled); exports neutralise spreadsheet formulas.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleAuth, LINKS_PER_WINDOW, LinkRateLimited, SESSION_TTL_MS } from "../../src/console/auth.js";
import { clocksOf, loadDeadlines } from "../../src/console/deadlines.js";
import { neutralise, tableCsv, toCsv } from "../../src/console/exports.js";
import { listReports, mapCounts, parseFilters, statistics } from "../../src/console/queries.js";
import { inScope, type Scope, scopeOf } from "../../src/console/scope.js";
import { loadConsoleTexts } from "../../src/console/texts.js";
import { consoleSessions, contacts, officers, reports } from "../../src/db/schema/index.js";
import { syncOffices } from "../../src/offices/sync.js";
import { loadRegionCatalog } from "../../src/regions/catalog.js";
import { freshDatabase, testDrivers } from "../support/db.js";

const NOW = new Date("2026-12-03T05:00:00Z");
const DAY = 86_400_000;
const deadlines = loadDeadlines();

describe("scope rules", () => {
  it("regency office, province office, Bawaslu RI and admins", () => {
    expect(scopeOf({ code: "18.72", level: "regency" }, "officer")).toEqual({
      kind: "office",
      code: "18.72",
    });
    expect(scopeOf({ code: "18", level: "province" }, "officer")).toEqual({ kind: "province", code: "18" });
    expect(scopeOf({ code: "RI", level: "national" }, "officer")).toEqual({ kind: "all" });
    expect(scopeOf({ code: "18.72", level: "regency" }, "admin")).toEqual({ kind: "all" });
    const province: Scope = { kind: "province", code: "18" };
    expect(inScope(province, "18.72")).toBe(true);
    expect(inScope(province, "18")).toBe(true);
    expect(inScope(province, "17.01")).toBe(false);
    expect(inScope(province, "1")).toBe(false);
    expect(inScope({ kind: "office", code: "18.72" }, "18.02")).toBe(false);
    expect(inScope({ kind: "office", code: "18.72" }, null)).toBe(false);
  });

  it("the deadline clocks: kajian awal met, follow-up overdue, registration from the report", () => {
    const created = new Date(NOW.getTime() - 10 * DAY);
    const clocks = clocksOf(
      {
        track: "formal",
        status: "acknowledged",
        createdAt: created,
        updatedAt: created,
        deadline: { deadline: "2026-11-25", late: false },
        ackAt: new Date(created.getTime() + DAY),
        neededInfo: false,
      },
      deadlines,
      NOW,
    );
    expect(clocks.map((c) => [c.kind, c.state])).toEqual([
      ["registration", "met"],
      ["initial_review", "met"],
      ["follow_up", "overdue"],
    ]);
    // With more information needed, follow-up gets 14 more days.
    const more = clocksOf(
      {
        ...{ track: "tip", status: "needs_info", createdAt: created, updatedAt: created, deadline: null },
        ackAt: null,
        neededInfo: true,
      },
      deadlines,
      NOW,
    );
    expect(more.find((c) => c.kind === "follow_up")!.state).toBe("open");
    expect(more.find((c) => c.kind === "initial_review")!.state).toBe("overdue");
  });

  it("exports neutralise formulas", () => {
    expect(neutralise('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(neutralise("+62 812")).toBe("'+62 812");
    expect(neutralise("-1")).toBe("'-1");
    expect(neutralise("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(neutralise("Guru = PNS")).toBe("Guru = PNS");
    expect(neutralise(5)).toBe(5);
    const texts = loadConsoleTexts();
    const csv = toCsv(
      [
        {
          number: "LN-AAAA-BBBB",
          created_at: "1 Des 2026",
          track: "Informasi awal",
          status: "Selesai",
          category: "Lainnya",
          account: '=cmd|" /C calc"!A0',
          event_date: null,
          learned_date: null,
          region_code: "18.72",
          region_name: "Kota Metro",
          accused_name: "@budi",
          accused_position: null,
          agency: null,
          channel: "Telegram",
          office_code: "18.72",
          evidence: 0,
          status_code: "closed",
          category_code: "other",
          track_code: "tip",
        },
      ],
      texts,
      "id",
    );
    expect(csv).toContain(`"'=cmd|"" /C calc""!A0"`);
    expect(csv).toContain(",'@budi,");
    expect(csv.split("\r\n")[0]).toContain("Nomor,Diterima,Jalur");
    expect(tableCsv(["a"], [["=1"]])).toContain("'=1");
  });
});

describe.each(testDrivers())("console data on %s", (driver) => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  let contactId: number;
  const ctx = { officerId: null, deadlines, now: NOW };

  async function report(
    number: string,
    office: string,
    fields: Partial<typeof reports.$inferInsert> = {},
  ): Promise<void> {
    await h.db.insert(reports).values({
      number,
      track: "tip",
      category: "fasilitas_negara",
      account: "Mobil dinas dipakai mengangkut massa kampanye.",
      channel: "telegram",
      contactId,
      officeCode: office,
      regionCode: office.includes(".") ? office : null,
      provinceCode: office.slice(0, 2),
      status: "delivered",
      createdAt: NOW,
      ...fields,
    });
  }

  beforeAll(async () => {
    let catalog: Awaited<ReturnType<typeof loadRegionCatalog>>;
    [h, catalog] = await Promise.all([freshDatabase(driver), loadRegionCatalog()]);
    await syncOffices(h.db, catalog);
    [{ id: contactId }] = (await h.db
      .insert(contacts)
      .values({ channel: "telegram", externalId: "42" })
      .returning({ id: contacts.id })) as [{ id: number }];
    await report("LN-MTR0-0001", "18.72", {
      accusedName: "Budi Santoso",
      agencyNormalized: "Dinas Pendidikan Kota Metro",
      regionName: "Kota Metro",
    });
    await report("LN-MTR0-0002", "18.72", {
      category: "medsos_posting",
      createdAt: new Date(NOW.getTime() - 3 * DAY),
      regionName: "Kota Metro",
    });
    await report("LN-TGH0-0001", "18.02", { status: "acknowledged", regionName: "Kabupaten Lampung Tengah" });
    await report("LN-LPG0-0001", "18", { track: "formal" });
    await report("LN-JKT0-0001", "31.71", {
      agencyRaw: "dinas pendidikan jakarta",
      regionName: "Kota Jakarta Pusat",
    });
  }, 60_000);
  afterAll(() => h.drop());

  const numbers = async (scope: Scope, query: Record<string, string> = {}) =>
    (await listReports(h.db, scope, parseFilters(query), ctx)).rows.map((r) => r.number).sort();

  it("each scope sees its reports and no others", async () => {
    expect(await numbers({ kind: "office", code: "18.72" })).toEqual(["LN-MTR0-0001", "LN-MTR0-0002"]);
    expect(await numbers({ kind: "province", code: "18" })).toEqual([
      "LN-LPG0-0001",
      "LN-MTR0-0001",
      "LN-MTR0-0002",
      "LN-TGH0-0001",
    ]);
    expect(await numbers({ kind: "all" })).toHaveLength(5);
    expect(await numbers({ kind: "office", code: "31.71" }, { q: "LN-MTR0-0001" })).toEqual([]);
  });

  it("filters, search, counts per status and the overdue view", async () => {
    const province: Scope = { kind: "province", code: "18" };
    expect(await numbers(province, { q: "budi sant" })).toEqual(["LN-MTR0-0001"]);
    expect(await numbers({ kind: "all" }, { q: "pendidikan" })).toEqual(["LN-JKT0-0001", "LN-MTR0-0001"]);
    expect(await numbers(province, { q: "ln-mtr0-0002" })).toEqual(["LN-MTR0-0002"]);
    expect(await numbers(province, { regency: "18.72", category: "medsos_posting" })).toEqual([
      "LN-MTR0-0002",
    ]);
    expect(await numbers(province, { track: "formal" })).toEqual(["LN-LPG0-0001"]);
    expect(await numbers(province, { overdue: "1" })).toEqual(["LN-MTR0-0002"]);
    expect(await numbers(province, { from: "2026-12-01" })).toHaveLength(3);
    expect(await numbers(province, { evidence: "1" })).toEqual([]);
    const r = await listReports(h.db, province, parseFilters({ status: "acknowledged" }), ctx);
    expect(r.total).toBe(1);
    expect(r.byStatus).toEqual({ delivered: 3, acknowledged: 1 });
    // Junk in the query string is ignored, not an error.
    expect(parseFilters({ status: "drop table", regency: "x", page: "-1", sort: "evil" })).toEqual({
      sort: "new",
      page: 1,
    });
  });

  it("statistics and map counts stay in scope", async () => {
    const s = await statistics(h.db, { kind: "office", code: "18.72" }, parseFilters({}), ctx);
    expect(s.category).toEqual(
      expect.arrayContaining([
        { key: "fasilitas_negara", label: null, n: 1 },
        { key: "medsos_posting", label: null, n: 1 },
      ]),
    );
    expect(s.regency).toEqual([{ key: "18.72", label: "Kota Metro", n: 2 }]);
    expect(s.status).toEqual([{ key: "delivered", label: null, n: 2 }]);
    const all = await statistics(h.db, { kind: "all" }, parseFilters({}), ctx);
    expect(all.province.find((p) => p.key === "18")!.n).toBe(4);
    expect(all.agency.map((a) => a.key)).toContain("dinas pendidikan kota metro");
    expect(all.week.reduce((a, w) => a + w.n, 0)).toBe(5);
    expect(await mapCounts(h.db, { kind: "province", code: "18" }, parseFilters({}), ctx)).toEqual({
      "18.72": 2,
      "18.02": 1,
    });
  });

  it("one-time links: single use, 10 minutes, rate-limited; sessions renew and end with the officer", async () => {
    const auth = new ConsoleAuth(h.db);
    const [o] = await h.db
      .insert(officers)
      .values({ officeCode: "18.72", channel: "telegram", userId: "777", displayName: "Dewi" })
      .returning();
    const link = await auth.createLink(
      { officeCode: "18.72", officerId: o!.id, role: "officer", createdBy: "t" },
      NOW,
    );
    const r = await auth.redeem(link, new Date(NOW.getTime() + 60_000));
    expect(r?.user).toMatchObject({
      officeCode: "18.72",
      officerName: "Dewi",
      role: "officer",
      officer: { channel: "telegram", userId: "777" },
    });
    expect(await auth.redeem(link, new Date(NOW.getTime() + 61_000))).toBeUndefined();
    const late = await auth.createLink(
      { officeCode: "18.72", officerId: o!.id, role: "officer", createdBy: "t" },
      NOW,
    );
    expect(await auth.redeem(late, new Date(NOW.getTime() + 10 * 60_000 + 1))).toBeUndefined();
    expect(await auth.redeem("not-a-token", NOW)).toBeUndefined();
    // The stored values are hashes, never the tokens themselves.
    const [stored] = await h.db.select().from(consoleSessions);
    expect(stored!.tokenHash).not.toBe(r!.token);
    expect(stored!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    // Rate limit: at most LINKS_PER_WINDOW in 10 minutes (two made above).
    for (let i = 2; i < LINKS_PER_WINDOW; i++)
      await auth.createLink({ officeCode: "18.72", officerId: o!.id, role: "officer", createdBy: "t" }, NOW);
    await expect(
      auth.createLink({ officeCode: "18.72", officerId: o!.id, role: "officer", createdBy: "t" }, NOW),
    ).rejects.toBeInstanceOf(LinkRateLimited);
    // Renewed while used; expired after 12 hours without use.
    const later = new Date(NOW.getTime() + 6 * 3_600_000);
    const renewed = await auth.session(r!.token, later);
    expect(renewed!.expiresAt.getTime()).toBe(later.getTime() + SESSION_TTL_MS);
    expect(await auth.session(r!.token, new Date(later.getTime() + SESSION_TTL_MS + 1))).toBeUndefined();
    // Disabling the officer ends the session at once.
    const again = await auth.redeem(
      await auth.createLink(
        { officeCode: "18.72", officerId: o!.id, role: "officer", createdBy: "t" },
        later,
      ),
      later,
    );
    expect(again).toBeDefined();
    await h.db.update(officers).set({ active: false }).where(eq(officers.id, o!.id));
    expect(await auth.session(again!.token, later)).toBeUndefined();
    expect(
      await h.db.select().from(consoleSessions).where(eq(consoleSessions.officerId, o!.id)),
    ).toHaveLength(0);
  });
});
