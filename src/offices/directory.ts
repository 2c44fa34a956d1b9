import { and, asc, eq, ilike, inArray, or, sql } from "drizzle-orm";
import { recordAudit } from "../audit.js";
import type { Database, Queryable } from "../db/client.js";
import {
  type DestinationChannel,
  type Office,
  type OfficeCoverage,
  type OfficeDestination,
  type OfficeLevel,
  officeCoverage,
  officeDestinations,
  offices,
} from "../db/schema/index.js";
import { InputError, NotFoundError } from "../errors.js";
import { RegionCatalog } from "../regions/catalog.js";
import { validateDestinationAddress } from "./destination-address.js";

/** Contact details an admin can set on an office. `null` clears a field. */
export interface OfficeContact {
  address?: string | null;
  phone?: string | null;
  email?: string | null;
  hours?: string | null;
}

/** An office with its destinations and the regions it covers by override. */
export interface OfficeDetails extends Office {
  destinations: OfficeDestination[];
  coverage: OfficeCoverage[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The office directory: looking offices up and changing their contacts, destinations and coverage.
 * Every change is written to the audit log in the same transaction, with the given `actor`.
 */
export class OfficeDirectory {
  constructor(
    private readonly db: Database,
    private readonly catalog: RegionCatalog,
  ) {}

  /** Offices ordered by code, optionally filtered by level, province, or text in the name. */
  async list(filter: { level?: OfficeLevel; province?: string; search?: string } = {}): Promise<Office[]> {
    const where = [];
    if (filter.level) where.push(eq(offices.level, filter.level));
    if (filter.province)
      where.push(or(eq(offices.code, filter.province), eq(offices.parentCode, filter.province)));
    if (filter.search) where.push(ilike(offices.name, `%${filter.search.replace(/[%_\\]/g, "\\$&")}%`));
    return this.db
      .select()
      .from(offices)
      .where(and(...where))
      .orderBy(asc(offices.code));
  }

  /**
   * Finds one office by code ("18.72", "RI") or by name, with or without "Bawaslu"
   * ("Bawaslu Kota Metro", "kota metro"). Throws {@link NotFoundError}.
   */
  async resolve(codeOrName: string, q: Queryable = this.db): Promise<Office> {
    const key = codeOrName.trim();
    const name = key.replace(/^bawaslu\s+/i, "");
    const rows = await q
      .select()
      .from(offices)
      .where(
        or(
          eq(offices.code, key.toUpperCase() === "RI" ? "RI" : key),
          ilike(offices.name, `Bawaslu ${name.replace(/[%_\\]/g, "\\$&")}`),
        ),
      )
      .limit(2);
    if (rows.length !== 1) throw new NotFoundError("office", key);
    return rows[0]!;
  }

  /** One office with its destinations and coverage overrides. */
  async details(codeOrName: string): Promise<OfficeDetails> {
    const office = await this.resolve(codeOrName);
    const [destinations, coverage] = await Promise.all([
      this.db
        .select()
        .from(officeDestinations)
        .where(eq(officeDestinations.officeCode, office.code))
        .orderBy(asc(officeDestinations.id)),
      this.db
        .select()
        .from(officeCoverage)
        .where(eq(officeCoverage.officeCode, office.code))
        .orderBy(asc(officeCoverage.regionCode)),
    ]);
    return { ...office, destinations, coverage };
  }

  /** Sets contact details. Throws {@link InputError} for a malformed e-mail. */
  async updateContact(
    codeOrName: string,
    contact: OfficeContact,
    actor: string,
    q?: Queryable,
  ): Promise<Office> {
    const run = async (tx: Queryable) => {
      const office = await this.resolve(codeOrName, tx);
      const patch = normalizeContact(contact);
      if (Object.keys(patch).length === 0) return office;
      const [updated] = await tx.update(offices).set(patch).where(eq(offices.code, office.code)).returning();
      const before = Object.fromEntries(Object.keys(patch).map((k) => [k, office[k as keyof OfficeContact]]));
      await recordAudit(tx, {
        actor,
        action: "office.update",
        entity: "office",
        entityKey: office.code,
        details: { before, after: patch },
      });
      return updated!;
    };
    return q ? run(q) : this.db.transaction(run);
  }

  /** Adds a destination (or re-activates the same one). Throws {@link InputError} for a bad address. */
  async addDestination(
    codeOrName: string,
    channel: DestinationChannel,
    address: string,
    options: { label?: string | null; actor: string },
    q?: Queryable,
  ): Promise<OfficeDestination> {
    const value = validateDestinationAddress(channel, address);
    const run = async (tx: Queryable) => {
      const office = await this.resolve(codeOrName, tx);
      const [row] = await tx
        .insert(officeDestinations)
        .values({ officeCode: office.code, channel, address: value, label: options.label ?? null })
        .onConflictDoUpdate({
          target: [officeDestinations.officeCode, officeDestinations.channel, officeDestinations.address],
          set: { active: true, label: sql`coalesce(excluded.label, ${officeDestinations.label})` },
        })
        .returning();
      await recordAudit(tx, {
        actor: options.actor,
        action: "destination.add",
        entity: "office",
        entityKey: office.code,
        details: { destinationId: row!.id, channel, address: value, label: options.label ?? null },
      });
      return row!;
    };
    return q ? run(q) : this.db.transaction(run);
  }

  /** Turns a destination off (kept for the record) or back on. */
  async setDestinationActive(id: number, active: boolean, actor: string): Promise<OfficeDestination> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(officeDestinations)
        .set({ active })
        .where(eq(officeDestinations.id, id))
        .returning();
      if (!row) throw new NotFoundError("destination", String(id));
      await recordAudit(tx, {
        actor,
        action: active ? "destination.enable" : "destination.disable",
        entity: "office",
        entityKey: row.officeCode,
        details: { destinationId: id },
      });
      return row;
    });
  }

  /** Deletes a destination. */
  async removeDestination(id: number, actor: string): Promise<OfficeDestination> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.delete(officeDestinations).where(eq(officeDestinations.id, id)).returning();
      if (!row) throw new NotFoundError("destination", String(id));
      await recordAudit(tx, {
        actor,
        action: "destination.remove",
        entity: "office",
        entityKey: row.officeCode,
        details: { destinationId: id, channel: row.channel, address: row.address },
      });
      return row;
    });
  }

  /** Marks `codeOrName` as the first office for reports from `regionCode` (a regency), replacing any earlier override. */
  async addCoverage(
    codeOrName: string,
    regionCode: string,
    reason: string,
    actor: string,
  ): Promise<OfficeCoverage> {
    if (RegionCatalog.levelOf(regionCode) !== "regency" || !this.catalog.has(regionCode)) {
      throw new InputError(
        "region",
        `unknown kabupaten/kota code: ${JSON.stringify(regionCode.slice(0, 40))} (expected a code such as 18.72)`,
      );
    }
    if (reason.trim().length < 3) throw new InputError("reason", "give a reason for the override");
    return this.db.transaction(async (tx) => {
      const office = await this.resolve(codeOrName, tx);
      const [row] = await tx
        .insert(officeCoverage)
        .values({ officeCode: office.code, regionCode, reason: reason.trim() })
        .onConflictDoUpdate({
          target: officeCoverage.regionCode,
          set: { officeCode: office.code, reason: reason.trim() },
        })
        .returning();
      await recordAudit(tx, {
        actor,
        action: "coverage.add",
        entity: "office",
        entityKey: office.code,
        details: { regionCode, reason },
      });
      return row!;
    });
  }

  /** Removes the override for a region. */
  async removeCoverage(regionCode: string, actor: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [row] = await tx
        .delete(officeCoverage)
        .where(eq(officeCoverage.regionCode, regionCode))
        .returning();
      if (!row) throw new NotFoundError("coverage", regionCode);
      await recordAudit(tx, {
        actor,
        action: "coverage.remove",
        entity: "office",
        entityKey: row.officeCode,
        details: { regionCode },
      });
    });
  }

  /** Active destinations of the given offices, keyed by office code. */
  async activeDestinations(
    codes: readonly string[],
    q: Queryable = this.db,
  ): Promise<Map<string, OfficeDestination[]>> {
    const map = new Map<string, OfficeDestination[]>();
    if (codes.length === 0) return map;
    const rows = await q
      .select()
      .from(officeDestinations)
      .where(and(inArray(officeDestinations.officeCode, [...codes]), eq(officeDestinations.active, true)))
      .orderBy(asc(officeDestinations.id));
    for (const r of rows) map.set(r.officeCode, [...(map.get(r.officeCode) ?? []), r]);
    return map;
  }
}

/** Trims contact fields, turns "" into null, and checks the e-mail. */
export function normalizeContact(contact: OfficeContact): OfficeContact {
  const out: OfficeContact = {};
  for (const key of ["address", "phone", "email", "hours"] as const) {
    const v = contact[key];
    if (v === undefined) continue;
    const t = v === null ? null : v.trim() || null;
    if (t && t.length > 500) throw new InputError(key, `${key} is too long (at most 500 characters)`);
    out[key] = t;
  }
  if (out.email && !EMAIL.test(out.email))
    throw new InputError("email", `not an e-mail address: ${JSON.stringify(out.email.slice(0, 80))}`);
  return out;
}
