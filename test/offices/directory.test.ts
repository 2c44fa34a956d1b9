import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, officeDestinations, offices } from "../../src/db/schema/index.js";
import { InputError, NotFoundError } from "../../src/errors.js";
import { OfficeDirectory } from "../../src/offices/directory.js";
import { syncOffices } from "../../src/offices/sync.js";
import { loadRegionCatalog, type RegionCatalog } from "../../src/regions/catalog.js";
import { freshDatabase, testDrivers } from "../support/db.js";

describe.each(testDrivers())("office directory on %s", (driver) => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  let catalog: RegionCatalog;
  let dir: OfficeDirectory;
  beforeAll(async () => {
    [h, catalog] = await Promise.all([freshDatabase(driver), loadRegionCatalog()]);
    dir = new OfficeDirectory(h.db, catalog);
  });
  afterAll(() => h.drop());

  it("generates 1 national, 38 provincial and 514 kabupaten/kota offices, idempotently", async () => {
    expect(await syncOffices(h.db, catalog)).toBe(553);
    expect(await syncOffices(h.db, catalog)).toBe(0);
    expect(await dir.list({ level: "province" })).toHaveLength(38);
    expect(await dir.list({ level: "regency" })).toHaveLength(514);
    const metro = await dir.resolve("18.72");
    expect(metro).toMatchObject({ name: "Bawaslu Kota Metro", level: "regency", parentCode: "18" });
    expect((await dir.resolve("18")).name).toBe("Bawaslu Provinsi Lampung");
    expect((await dir.resolve("ri")).name).toBe("Bawaslu Republik Indonesia");
  });

  it("finds an office by its name with or without 'Bawaslu', and refuses unknown ones", async () => {
    expect((await dir.resolve("Bawaslu Kabupaten Solok")).code).toBe("13.02");
    expect((await dir.resolve("kota solok")).code).toBe("13.72");
    await expect(dir.resolve("Bawaslu Atlantis")).rejects.toBeInstanceOf(NotFoundError);
    await expect(dir.resolve("'; drop table offices; --")).rejects.toBeInstanceOf(NotFoundError);
    expect(await h.db.$count(offices)).toBe(553);
  });

  it("updates contacts with an audit entry, and keeps them through a re-sync", async () => {
    await dir.updateContact(
      "18.72",
      { phone: " 0725 41234 ", email: "metro@bawaslu.go.id", hours: "Senin–Jumat 08.00–16.00" },
      "test",
    );
    await syncOffices(h.db, catalog);
    const o = await dir.details("18.72");
    expect(o).toMatchObject({ phone: "0725 41234", email: "metro@bawaslu.go.id" });
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.entityKey, "18.72"));
    expect(audit.map((a) => a.action)).toContain("office.update");
    expect(audit.find((a) => a.action === "office.update")!.details).toMatchObject({
      after: { phone: "0725 41234" },
    });
  });

  it("refuses a bad e-mail and changes nothing", async () => {
    await expect(
      dir.updateContact("18.72", { email: "not-an-email", phone: "1" }, "test"),
    ).rejects.toBeInstanceOf(InputError);
    expect((await dir.resolve("18.72")).phone).toBe("0725 41234");
  });

  it("adds, disables and removes destinations, each audited; validates addresses per channel", async () => {
    const d = await dir.addDestination("Bawaslu Kota Metro", "telegram", "-1001234567890", {
      label: "Grup petugas",
      actor: "test",
    });
    const again = await dir.addDestination("18.72", "telegram", "-1001234567890", { actor: "test" });
    expect(again.id).toBe(d.id);
    await expect(dir.addDestination("18.72", "telegram", "@metro", { actor: "test" })).rejects.toThrow(
      /telegram destination/,
    );
    await expect(dir.addDestination("18.72", "webhook", "ftp://x", { actor: "test" })).rejects.toBeInstanceOf(
      InputError,
    );
    await dir.addDestination("18.72", "whatsapp", "6281234567890@c.us", { actor: "test" });
    expect((await dir.activeDestinations(["18.72"])).get("18.72")).toHaveLength(2);
    await dir.setDestinationActive(d.id, false, "test");
    expect((await dir.activeDestinations(["18.72"])).get("18.72")).toHaveLength(1);
    await dir.removeDestination(d.id, "test");
    await expect(dir.removeDestination(d.id, "test")).rejects.toBeInstanceOf(NotFoundError);
    const rows = await h.db
      .select()
      .from(officeDestinations)
      .where(eq(officeDestinations.officeCode, "18.72"));
    expect(rows).toHaveLength(1);
    const actions = (await h.db.select().from(auditLog)).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(["destination.add", "destination.disable", "destination.remove"]),
    );
  });

  it("records coverage overrides for known regencies only", async () => {
    await dir.addCoverage("96.01", "96.04", "Batas Sorong–Tambrauw disengketakan", "test");
    expect((await dir.details("96.01")).coverage.map((c) => c.regionCode)).toEqual(["96.04"]);
    await expect(dir.addCoverage("96.01", "99.99", "x y z", "test")).rejects.toThrow(
      /unknown kabupaten\/kota/,
    );
    await dir.removeCoverage("96.04", "test");
    expect((await dir.details("96.01")).coverage).toEqual([]);
  });
});
