import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { eq, inArray } from "drizzle-orm";
import { parse as parseYaml } from "yaml";
import { PROJECT_ROOT } from "../config.js";
import type { Database, Queryable } from "../db/client.js";
import {
  type DestinationChannel,
  NATIONAL_OFFICE_CODE,
  officeCoverage,
  offices,
} from "../db/schema/index.js";
import { InputError } from "../errors.js";
import { parseDestinationSpec } from "../offices/destination-address.js";
import type { OfficeDirectory } from "../offices/directory.js";
import { RegionCatalog } from "../regions/catalog.js";

/** Where one step of a route would deliver. `id` is absent for the admin fallback from the settings. */
export interface RouteDestination {
  id?: number;
  channel: DestinationChannel;
  address: string;
  label?: string | null;
}

/** Why an office is in the chain. */
export type RouteRole = "override" | "regency" | "province" | "national" | "default";

/** One link of a routing chain, with its human-readable reason. */
export interface RouteStep {
  /** Office code, or null for the admin fallback destination. */
  officeCode: string | null;
  officeName: string;
  role: RouteRole;
  /** False when the office has no active destination and is skipped. */
  usable: boolean;
  destinations: RouteDestination[];
  reason: string;
}

/**
 * The full chain for a region: every office considered, in order, with reasons. Delivery starts at
 * the first usable step and falls back along the rest; the admin fallback is always last, so a
 * report is never dropped.
 */
export interface Route {
  regionCode: string | null;
  steps: RouteStep[];
  /** The usable steps only, in order: `usable[0]` receives the report first. */
  usable: RouteStep[];
}

type Reasons = Record<string, string>;

/** Loads `flows/locales/routing.yaml` (reason wording lives with the other texts, not in code). */
export function loadRouteReasons(
  lang: "id" | "en" = "id",
  file = resolve(PROJECT_ROOT, "flows/locales/routing.yaml"),
): Reasons {
  const all = parseYaml(readFileSync(file, "utf8")) as Record<string, Reasons>;
  const reasons = all[lang];
  if (!reasons) throw new InputError("lang", `no routing texts for language ${lang}`);
  return reasons;
}

function fill(template: string | undefined, vars: Record<string, string | number>): string {
  return (template ?? "").replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k] ?? ""));
}

/**
 * Decides which Bawaslu office receives a report from a region: kabupaten/kota (or the office an
 * admin set to cover it) → provinsi → RI → the admin fallback destination from the settings,
 * skipping offices without an active destination.
 */
export class Router {
  private readonly fallback: RouteDestination;

  constructor(
    private readonly db: Database,
    private readonly catalog: RegionCatalog,
    private readonly directory: OfficeDirectory,
    options: { defaultAdminDestination: string; reasons?: Reasons },
    private readonly reasons: Reasons = options.reasons ?? loadRouteReasons("id"),
  ) {
    this.fallback = parseDestinationSpec(options.defaultAdminDestination);
  }

  /**
   * The route for a region code of any level ("18.72", "18.72.01.1001", "18"), or null when the
   * place is unknown. Throws {@link InputError} for a code that does not exist.
   */
  async forRegion(regionCode: string | null, q: Queryable = this.db): Promise<Route> {
    const candidates: { code: string; role: RouteRole; reason: string }[] = [];
    let region: string | null = null;
    let coverage: Promise<{ officeCode: string; reason: string } | undefined> = Promise.resolve(undefined);
    if (regionCode !== null) {
      const level = RegionCatalog.levelOf(regionCode);
      if (!level || !this.catalog.has(regionCode)) {
        throw new InputError("region", `unknown region code: ${JSON.stringify(regionCode.slice(0, 40))}`);
      }
      const province = this.catalog.provinceOf(regionCode)!;
      if (level === "province") {
        region = province.code;
        candidates.push({ code: province.code, role: "province", reason: "province_direct" });
      } else {
        const regency = this.catalog.regencyOf(regionCode)!;
        region = regency.code;
        coverage = q
          .select({ officeCode: officeCoverage.officeCode, reason: officeCoverage.reason })
          .from(officeCoverage)
          .where(eq(officeCoverage.regionCode, regency.code))
          .limit(1)
          .then((rows) => (rows[0]?.officeCode === regency.code ? undefined : rows[0]));
        candidates.push({ code: regency.code, role: "regency", reason: "regency" });
        candidates.push({ code: province.code, role: "province", reason: "province" });
      }
    }
    candidates.push({
      code: NATIONAL_OFFICE_CODE,
      role: "national",
      reason: region ? "national" : "no_region",
    });

    // The override, the offices' names and their destinations are read together (one round trip);
    // only an override office outside the usual chain needs a second read.
    const officesOf = (codes: string[]) =>
      Promise.all([
        q
          .select({ code: offices.code, name: offices.name })
          .from(offices)
          .where(inArray(offices.code, codes)),
        this.directory.activeDestinations(codes, q),
      ]);
    const usual = candidates.map((c) => c.code);
    const [override, [rows, destinations]] = await Promise.all([coverage, officesOf(usual)]);
    if (override) {
      candidates.unshift({
        code: override.officeCode,
        role: "override",
        reason: `override|${override.reason}`,
      });
      if (!usual.includes(override.officeCode)) {
        const [extraRows, extraDestinations] = await officesOf([override.officeCode]);
        rows.push(...extraRows);
        for (const [code, list] of extraDestinations) destinations.set(code, list);
      }
    }
    const names = new Map(rows.map((r) => [r.code, r.name]));
    const regionName = region ? (this.catalog.describe(region) ?? region) : "";
    const steps: RouteStep[] = [];
    const seen = new Set<string>();
    for (const c of candidates) {
      if (seen.has(c.code)) continue;
      seen.add(c.code);
      const officeName = names.get(c.code) ?? c.code;
      const dests = (destinations.get(c.code) ?? []).map((d) => ({
        id: d.id,
        channel: d.channel,
        address: d.address,
        label: d.label,
      }));
      const [key, extra] = c.reason.split("|");
      const why = fill(this.reasons[key!], { office: officeName, region: regionName, reason: extra ?? "" });
      const status = dests.length
        ? fill(this.reasons.has_destinations, { count: dests.length })
        : this.reasons.no_destination;
      steps.push({
        officeCode: c.code,
        officeName,
        role: c.role,
        usable: dests.length > 0,
        destinations: dests,
        reason: `${why}; ${status}`,
      });
    }
    const anyUsable = steps.some((s) => s.usable);
    steps.push({
      officeCode: null,
      officeName: "Admin",
      role: "default",
      usable: true,
      destinations: [this.fallback],
      reason: fill(this.reasons[anyUsable ? "default_admin_standby" : "default_admin"], {
        destination: `${this.fallback.channel}:${this.fallback.address}`,
      }),
    });
    return { regionCode: region, steps, usable: steps.filter((s) => s.usable) };
  }
}
