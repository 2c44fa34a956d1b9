import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { sql } from "drizzle-orm";
import { parse as parseYaml } from "yaml";
import { PROJECT_ROOT } from "../config.js";
import { type Database, type Queryable, rowsOf } from "../db/client.js";
import { type DestinationChannel, NATIONAL_OFFICE_CODE } from "../db/schema/index.js";
import { InputError } from "../errors.js";
import { parseDestinationSpec } from "../offices/destination-address.js";
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

/** What {@link readChain} found for the offices of a chain. */
interface ChainRows {
  /** The office an admin set to cover the regency instead of its own (null when none or itself). */
  override: { officeCode: string; reason: string } | null;
  rows: { code: string; name: string }[];
  destinations: Map<string, RouteDestination[]>;
}

/**
 * Reads, in ONE statement, the override for a regency and the names and active destinations of
 * the chain's offices (and of the override office).
 */
async function readChain(q: Queryable, regency: string | null, codes: readonly string[]): Promise<ChainRows> {
  const result = await q.execute(sql`
    with cov as (
      select office_code, reason from office_coverage
      where region_code = ${regency} and office_code <> ${regency} limit 1
    ),
    codes as (
      select jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb) as code
      union select office_code from cov
    )
    select
      (select json_build_object('officeCode', office_code, 'reason', reason) from cov) as override,
      (select coalesce(json_agg(json_build_object('code', o.code, 'name', o.name)), '[]')
        from offices o where o.code = any (array(select code from codes))) as offices,
      (select coalesce(json_agg(json_build_object('id', d.id, 'officeCode', d.office_code,
          'channel', d.channel, 'address', d.address, 'label', d.label) order by d.id), '[]')
        from office_destinations d where d.active and d.office_code = any (array(select code from codes))) as destinations`);
  const [row] = rowsOf<{
    override: ChainRows["override"];
    offices: ChainRows["rows"];
    destinations: (RouteDestination & { id: number; officeCode: string })[];
  }>(result);
  const destinations = new Map<string, RouteDestination[]>();
  for (const { officeCode, ...d } of row!.destinations)
    destinations.set(officeCode, [...(destinations.get(officeCode) ?? []), d]);
  return { override: row!.override, rows: row!.offices, destinations };
}

/**
 * Decides which Bawaslu office receives a report from a region: kabupaten/kota (or the office an
 * admin set to cover it) → provinsi → RI → the admin fallback destination from the settings,
 * skipping offices without an active destination.
 */
export class Router {
  private readonly fallback: RouteDestination;
  private deliverable: (d: RouteDestination) => boolean = () => true;

  constructor(
    private readonly db: Database,
    private readonly catalog: RegionCatalog,
    options: { defaultAdminDestination: string; reasons?: Reasons },
    private readonly reasons: Reasons = options.reasons ?? loadRouteReasons("id"),
  ) {
    this.fallback = parseDestinationSpec(options.defaultAdminDestination);
  }

  /**
   * Tells the router which destinations can be delivered to (a channel with a transport, a webhook
   * with a usable URL and a secret): an office whose destinations all fail it is skipped, like one
   * with none. Set once at start, by the composition root.
   */
  useDeliverable(deliverable: (d: RouteDestination) => boolean): void {
    this.deliverable = deliverable;
  }

  /**
   * The route for a region code of any level ("18.72", "18.72.01.1001", "18"), or null when the
   * place is unknown. Throws {@link InputError} for a code that does not exist.
   */
  async forRegion(regionCode: string | null, q: Queryable = this.db): Promise<Route> {
    const candidates: { code: string; role: RouteRole; reason: string }[] = [];
    let region: string | null = null;
    let regency: string | null = null;
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
        regency = this.catalog.regencyOf(regionCode)!.code;
        region = regency;
        candidates.push({ code: regency, role: "regency", reason: "regency" });
        candidates.push({ code: province.code, role: "province", reason: "province" });
      }
    }
    candidates.push({
      code: NATIONAL_OFFICE_CODE,
      role: "national",
      reason: region ? "national" : "no_region",
    });

    const { override, rows, destinations } = await readChain(
      q,
      regency,
      candidates.map((c) => c.code),
    );
    if (override) {
      candidates.unshift({
        code: override.officeCode,
        role: "override",
        reason: `override|${override.reason}`,
      });
    }
    const names = new Map(rows.map((r) => [r.code, r.name]));
    const regionName = region ? (this.catalog.describe(region) ?? region) : "";
    const steps: RouteStep[] = [];
    const seen = new Set<string>();
    for (const c of candidates) {
      if (seen.has(c.code)) continue;
      seen.add(c.code);
      const officeName = names.get(c.code) ?? c.code;
      const dests = (destinations.get(c.code) ?? []).filter(this.deliverable);
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
