import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, officeDestinations } from "../../src/db/schema/index.js";
import { OfficeDirectory } from "../../src/offices/directory.js";
import { ImportError, importOfficesCsv } from "../../src/offices/import-csv.js";
import { syncOffices } from "../../src/offices/sync.js";
import { loadRegionCatalog } from "../../src/regions/catalog.js";
import { freshDatabase, testDrivers } from "../support/db.js";

const GOOD = `office,address,phone,email,hours,telegram,whatsapp,webhook
18.72,"Jl. Ahmad Yani No. 1, Metro",0725-41234,metro@bawaslu.go.id,Senin–Jumat,-1001234,6281234567890@c.us,
Bawaslu Provinsi Lampung,,,lampung@bawaslu.go.id,,-1005555 -1006666,,https://example.org/hook
`;

async function problemsOf(p: Promise<unknown>) {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ImportError);
  return (e as ImportError).problems;
}

describe.each(testDrivers())("CSV import on %s", (driver) => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  let dir: OfficeDirectory;
  beforeAll(async () => {
    const [db, catalog] = await Promise.all([freshDatabase(driver), loadRegionCatalog()]);
    h = db;
    await syncOffices(h.db, catalog);
    dir = new OfficeDirectory(h.db, catalog);
  });
  afterAll(() => h.drop());

  it("applies contacts and destinations, all in one go", async () => {
    const s = await importOfficesCsv(h.db, dir, GOOD, "test");
    expect(s).toEqual({ rows: 2, contactsUpdated: 2, destinationsAdded: 5 });
    const metro = await dir.details("18.72");
    expect(metro).toMatchObject({ address: "Jl. Ahmad Yani No. 1, Metro", email: "metro@bawaslu.go.id" });
    expect(metro.destinations.map((d) => `${d.channel}:${d.address}`)).toEqual([
      "telegram:-1001234",
      "whatsapp:6281234567890@c.us",
    ]);
    expect((await dir.details("18")).destinations).toHaveLength(3);
    const audit = await h.db.select().from(auditLog);
    expect(audit.some((a) => a.action === "offices.import")).toBe(true);
  });

  it("is idempotent: importing the same file again adds no destination", async () => {
    await importOfficesCsv(h.db, dir, GOOD, "test");
    expect(await h.db.$count(officeDestinations)).toBe(5);
  });

  it("refuses a wrong header, naming the column, and applies nothing", async () => {
    const p = await problemsOf(importOfficesCsv(h.db, dir, "kantor,telepon\n18.72,0725\n", "test"));
    expect(p).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          line: 1,
          column: "kantor",
          message: expect.stringMatching(/unknown column/),
        }),
        expect.objectContaining({ line: 1, column: "office", message: "required column is missing" }),
      ]),
    );
  });

  it("refuses the whole file when one row is bad, naming line and column", async () => {
    const csv = `office,email,telegram
13.02,solok@bawaslu.go.id,-100777
13.72,bukan-email,-100778
Bawaslu Atlantis,,
13.02,,
71.09,,@grup
`;
    const p = await problemsOf(importOfficesCsv(h.db, dir, csv, "test"));
    expect(p.map((x) => [x.line, x.column])).toEqual([
      [3, "email"],
      [4, "office"],
      [5, "office"],
      [6, "telegram"],
    ]);
    expect(p[2]!.message).toMatch(/already on line 2/);
    expect((await dir.details("13.02")).email).toBeNull();
    expect(await h.db.$count(officeDestinations)).toBe(5);
  });

  it("refuses an empty file, a header-only file and broken quoting", async () => {
    await problemsOf(importOfficesCsv(h.db, dir, "", "test"));
    await problemsOf(importOfficesCsv(h.db, dir, "office,phone\n", "test"));
    const p = await problemsOf(importOfficesCsv(h.db, dir, 'office,address\n18.72,"unclosed\n', "test"));
    expect(p[0]!.message).toMatch(/not valid CSV/);
  });
});
