import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { OfficeDirectory } from "../../src/offices/directory.js";
import { syncOffices } from "../../src/offices/sync.js";
import { loadRegionCatalog, type RegionCatalog } from "../../src/regions/catalog.js";
import { Router } from "../../src/routing/route.js";
import { freshDatabase, testDrivers } from "../support/db.js";

describe.each(testDrivers())("routing on %s", (driver) => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  let catalog: RegionCatalog;
  let dir: OfficeDirectory;
  let router: Router;
  beforeAll(async () => {
    [h, catalog] = await Promise.all([freshDatabase(driver), loadRegionCatalog()]);
    await syncOffices(h.db, catalog);
    dir = new OfficeDirectory(h.db, catalog);
    router = new Router(h.db, catalog, { defaultAdminDestination: "telegram:-100999" });
  });
  afterAll(() => h.drop());

  it("with no destinations anywhere, walks kab/kota → provinsi → RI and ends at the admin fallback", async () => {
    const r = await router.forRegion("18.72");
    expect(r.steps.map((s) => [s.officeCode, s.role, s.usable])).toEqual([
      ["18.72", "regency", false],
      ["18", "province", false],
      ["RI", "national", false],
      [null, "default", true],
    ]);
    expect(r.steps[0]!.reason).toMatch(/Kota Metro adalah wilayah kerja Bawaslu Kota Metro; dilewati/);
    expect(r.usable).toHaveLength(1);
    expect(r.usable[0]!.destinations).toEqual([{ channel: "telegram", address: "-100999" }]);
  });

  it("a village or district code routes to its regency; the first office with a destination comes first", async () => {
    await dir.addDestination("18", "telegram", "-1001", { actor: "test" });
    const r = await router.forRegion("18.72.01");
    expect(r.regionCode).toBe("18.72");
    expect(r.usable.map((s) => s.officeCode)).toEqual(["18", null]);
    expect(r.usable[0]!.reason).toMatch(/Bawaslu Provinsi Lampung membawahi Kota Metro; 1 tujuan/);
    await dir.addDestination("18.72", "web", "18.72", { actor: "test" });
    const r2 = await router.forRegion("18.72.01.1001");
    expect(r2.usable.map((s) => s.officeCode)).toEqual(["18.72", "18", null]);
  });

  it("an office covering another regency comes first, with the override's reason", async () => {
    await dir.addDestination("96.01", "web", "96.01", { actor: "test" });
    await dir.addCoverage("96.01", "96.04", "batas disengketakan", "test");
    const r = await router.forRegion("96.04");
    expect(r.steps[0]).toMatchObject({ officeCode: "96.01", role: "override", usable: true });
    expect(r.steps[0]!.reason).toContain("batas disengketakan");
    expect(r.steps[1]).toMatchObject({ officeCode: "96.04", role: "regency" });
  });

  it("a province-only place starts at the province; an unknown place goes to RI", async () => {
    expect((await router.forRegion("18")).steps.map((s) => s.officeCode)).toEqual(["18", "RI", null]);
    const unknown = await router.forRegion(null);
    expect(unknown.steps.map((s) => s.officeCode)).toEqual(["RI", null]);
    expect(unknown.steps[0]!.reason).toMatch(/tidak diketahui/);
  });

  it("refuses codes that do not exist", async () => {
    await expect(router.forRegion("99.99")).rejects.toBeInstanceOf(InputError);
    await expect(router.forRegion("abc")).rejects.toBeInstanceOf(InputError);
  });
});
