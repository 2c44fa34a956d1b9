import { sql } from "drizzle-orm";
import type { Queryable } from "../db/client.js";
import { NATIONAL_OFFICE_CODE, type NewOffice, offices } from "../db/schema/index.js";
import type { RegionCatalog } from "../regions/catalog.js";

/** The office list the regions imply: Bawaslu RI, one per province, one per kabupaten/kota. */
export function officesFromRegions(catalog: RegionCatalog): NewOffice[] {
  const list: NewOffice[] = [
    {
      code: NATIONAL_OFFICE_CODE,
      level: "national",
      name: "Bawaslu Republik Indonesia",
      regionCode: null,
      parentCode: null,
    },
  ];
  for (const p of catalog.provinces) {
    list.push({
      code: p.code,
      level: "province",
      name: `Bawaslu Provinsi ${p.name}`,
      regionCode: p.code,
      parentCode: NATIONAL_OFFICE_CODE,
    });
  }
  for (const r of catalog.regencies) {
    list.push({
      code: r.code,
      level: "regency",
      name: `Bawaslu ${r.name}`,
      regionCode: r.code,
      parentCode: r.provinceCode,
    });
  }
  return list;
}

/**
 * Makes sure every office the regions imply exists, keeping contact details admins entered and
 * refreshing names if the region list renamed a region. Idempotent; returns how many were added.
 */
export async function syncOffices(q: Queryable, catalog: RegionCatalog): Promise<number> {
  const wanted = officesFromRegions(catalog);
  const before = await q.$count(offices);
  await q
    .insert(offices)
    .values(wanted)
    .onConflictDoUpdate({
      target: offices.code,
      set: { name: sql`excluded.name`, level: sql`excluded.level`, parentCode: sql`excluded.parent_code` },
      setWhere: sql`${offices.name} is distinct from excluded.name or ${offices.parentCode} is distinct from excluded.parent_code`,
    });
  return (await q.$count(offices)) - before;
}
