/**
 * Saving a report with the conversation step that confirmed it, in one statement: everything is
 * written (report, identity, evidence, first event, delivery jobs, session, message id) or
 * nothing; a tracking number that is already taken is drawn again; a session changed underneath
 * writes nothing at all.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitTurnWith, openTurn, SessionConflictError } from "../../src/conversation/store.js";
import { rowsOf } from "../../src/db/client.js";
import { reports } from "../../src/db/schema/index.js";
import type { Answers, Session } from "../../src/engine/types.js";
import { OfficeDirectory } from "../../src/offices/directory.js";
import { syncOffices } from "../../src/offices/sync.js";
import { loadRegionCatalog } from "../../src/regions/catalog.js";
import { submitReport } from "../../src/reports/submit.js";
import { Router } from "../../src/routing/route.js";
import { freshDatabase, testDrivers } from "../support/db.js";

const NOW = new Date("2026-11-20T03:00:00Z");

/** A formal report in Kota Metro with one photo and one link. */
const ANSWERS: Answers = {
  track: "formal",
  category: "fasilitas_negara",
  account: "Mobil dinas dipakai mengangkut massa kampanye ke lapangan kota.",
  event_date: "2026-11-19",
  learned_date: "2026-11-19",
  place: {
    source: "gps",
    lat: -5.1131,
    lon: 105.3067,
    regencyCode: "18.72",
    regencyName: "Kota Metro",
    provinceCode: "18",
    provinceName: "Lampung",
  },
  accused_name: "Budi",
  accused_position: "Kepala Dinas",
  accused_agency: { raw: "dishub kota metro", normalized: "Dinas Perhubungan Kota Metro", kind: "dinas" },
  asn_type: "pns",
  evidence: {
    items: [
      {
        ref: "ab/abcdef",
        kind: "photo",
        mime: "image/jpeg",
        size: 1234,
        sha256: "ab".repeat(32),
        receivedAt: "2026-11-20T02:59:00.000Z",
        messageId: "web:m7",
      },
    ],
    links: [{ url: "https://www.instagram.com/p/xyz", platform: "instagram" }],
    none: false,
  },
  reporter_name: "Siti",
  reporter_address: "Jl. Merdeka 1, Metro",
  reporter_phone: { e164: "+6281234567890", display: "0812-3456-7890" },
  consent: true,
};

const session = (stepId: string): Session => ({
  flowId: "complaint",
  stepId,
  lang: "id",
  status: "done",
  answers: ANSWERS,
  vars: {},
  history: [],
  startedAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
});

describe.each(testDrivers())("saving a report on %s", (driver) => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  let router: Router;
  const count = async (table: string) =>
    rowsOf<{ n: number }>(await h.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;
  const tables = ["reports", "report_identities", "evidence", "report_events", "outbox", "inbound_messages"];
  const counts = async () =>
    Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t)])));

  beforeAll(async () => {
    let catalog: Awaited<ReturnType<typeof loadRegionCatalog>>;
    [h, catalog] = await Promise.all([freshDatabase(driver), loadRegionCatalog()]);
    await syncOffices(h.db, catalog);
    await new OfficeDirectory(h.db, catalog).addDestination("18.72", "telegram", "-100123", {
      actor: "test",
    });
    router = new Router(h.db, catalog, { defaultAdminDestination: "telegram:-100999" });
  });
  afterAll(() => h.drop());

  /** Opens a turn for a new contact whose session waits at the summary (version 1). */
  async function turnAtSummary(chat: string) {
    const first = await openTurn(h.db, "web", chat, `${chat}-0`, "id", NOW);
    await h.db.execute(
      sql`insert into sessions (contact_id, flow_id, state, version) values (${first.contactId}, 'complaint', ${JSON.stringify(session("summary"))}::jsonb, 1)`,
    );
    return openTurn(h.db, "web", chat, `${chat}-1`, "id", NOW);
  }

  const submit = (turn: Awaited<ReturnType<typeof turnAtSummary>>, numbers: string[]) =>
    submitReport(
      h.db,
      ANSWERS,
      { channel: "web", contactId: turn.contactId, lang: "id", now: NOW },
      {
        routeFor: (region, q) => router.forRegion(region, q),
        deadline: {
          counting: "calendar",
          check: () => ({ deadline: "2026-11-26", daysUsed: 1, daysLeft: 6, late: false }),
        },
        commit: (also) => commitTurnWith(h.db, turn, session("submit"), NOW, also),
        newNumber: () => numbers.shift()!,
      },
    );

  it("writes every part at once, and draws again when the tracking number is taken", async () => {
    const first = await submit(await turnAtSummary("a"), ["LN-AAAA-0001"]);
    expect(first.report).toMatchObject({ number: "LN-AAAA-0001", track: "formal", officeCode: "18.72" });
    expect(first.jobs).toBe(1);
    const before = await counts();

    // The first number drawn is taken: the whole statement fails and is run again with another.
    const turn = await turnAtSummary("b");
    const second = await submit(turn, ["LN-AAAA-0001", "LN-BBBB-0002"]);
    expect(second.report.number).toBe("LN-BBBB-0002");
    const after = await counts();
    expect(after).toEqual({
      reports: before.reports + 1,
      report_identities: before.report_identities + 1,
      evidence: before.evidence + 2,
      report_events: before.report_events + 1,
      outbox: before.outbox + 1,
      inbound_messages: before.inbound_messages + 1,
    });
    const [row] = await h.db.select().from(reports).where(eq(reports.number, "LN-BBBB-0002"));
    expect(row).toMatchObject({
      track: "formal",
      regionCode: "18.72",
      agencyNormalized: "Dinas Perhubungan Kota Metro",
      learnedDate: "2026-11-19",
      deadline: { deadline: "2026-11-26", daysUsed: 1, late: false, counting: "calendar" },
      noEvidence: false,
    });
    const jobs = rowsOf<{ dedupe_key: string; address: string }>(
      await h.db.execute(sql`select dedupe_key, address from outbox where report_id = ${row!.id}`),
    );
    expect(jobs).toEqual([{ dedupe_key: `deliver:${row!.id}:0:telegram:-100123`, address: "-100123" }]);
  });

  it("writes nothing when the session changed underneath", async () => {
    const turn = await turnAtSummary("c");
    await h.db.execute(sql`update sessions set version = version + 1 where contact_id = ${turn.contactId}`);
    const before = await counts();
    await expect(submit(turn, ["LN-CCCC-0003"])).rejects.toBeInstanceOf(SessionConflictError);
    expect(await counts()).toEqual(before);
  });
});
