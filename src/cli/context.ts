/**
 * What an admin command is given: settings, where to write, and lazy access to the database and the
 * region data. Each part is loaded on first use, so a command pays only for what it needs: `--help`
 * nothing, an office command the database (through the running program when there is one) and the
 * 38 provinces and 514 regencies, `regions find` the place search, `regions locate` the boundaries.
 */
import type { Readable, Writable } from "node:stream";
import type { Config } from "../config.js";
import type { DatabaseHandle } from "../db/client.js";
import type { Logger } from "../log.js";
import type { OfficeDirectory } from "../offices/directory.js";
import type { RegionCatalog } from "../regions/catalog.js";
import type { GpsLocator } from "../regions/gps.js";
import type { PlaceSearch } from "../regions/place-search.js";
import type { Router } from "../routing/route.js";

/** The database and what is built on it, for commands. */
export interface AdminServices {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  directory: OfficeDirectory;
  /** The router (loaded on first call: it reads the routing texts). */
  router(): Promise<Router>;
  /** Provinces and regencies (no districts or villages: see {@link AdminContext.places}). */
  catalog: RegionCatalog;
}

/** Region data loaded on demand, kept between runs when the caller shares it (tests do). */
export interface RegionLoader {
  /** Provinces and regencies only: enough for offices, routing and audiences. */
  offices(): Promise<RegionCatalog>;
  /** The full catalog (with districts and villages) and the place search built on it. */
  places(): Promise<{ catalog: RegionCatalog; places: PlaceSearch }>;
  /** GPS lookup (the boundary file, or "unavailable" without one). */
  gps(): Promise<GpsLocator>;
}

/** Where commands write, and what they read. */
export interface AdminIO {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
}

/** Everything a command registration receives. */
export interface AdminContext extends AdminIO, RegionLoader {
  config: Config;
  logger: Logger;
  /** The database, directory and router (opened on first call, closed when the command ends). */
  services(): Promise<AdminServices>;
  /** Prints `data` as JSON when `json` is set, otherwise the human-readable lines from `human`. */
  output<T>(data: T, json: boolean | undefined, human: (data: T) => string | string[]): void;
}

/** A loader of region data for these settings; every part is loaded once. */
export function regionLoader(config: Pick<Config, "boundariesPath">, logger: Logger): RegionLoader {
  let offices: Promise<RegionCatalog> | undefined;
  let places: Promise<{ catalog: RegionCatalog; places: PlaceSearch }> | undefined;
  let gps: Promise<GpsLocator> | undefined;
  return {
    offices: () =>
      (offices ??= places
        ? places.then((p) => p.catalog)
        : (async () => {
            const [{ getProvinces, getRegencies }, { RegionCatalog, splitRegencyName }] = await Promise.all([
              import("idn-area-data"),
              import("../regions/catalog.js"),
            ]);
            const [provinces, regencies] = await Promise.all([getProvinces(), getRegencies()]);
            return new RegionCatalog(
              provinces.map((p) => ({ code: p.code, name: p.name })),
              regencies.map((r) => ({
                code: r.code,
                provinceCode: r.province_code,
                name: r.name,
                ...splitRegencyName(r.name),
              })),
              [],
              [],
            );
          })()),
    places: () =>
      (places ??= (async () => {
        const [{ loadRegionCatalog }, { PlaceSearch }] = await Promise.all([
          import("../regions/catalog.js"),
          import("../regions/place-search.js"),
        ]);
        const catalog = await loadRegionCatalog();
        return { catalog, places: PlaceSearch.build(catalog) };
      })()),
    gps: () =>
      (gps ??= (async () => {
        const { GpsLocator } = await import("../regions/gps.js");
        if (config.boundariesPath) return GpsLocator.load(config.boundariesPath);
        logger.warn("GPS lookup unavailable: no boundary file; set BOUNDARIES_PATH");
        return GpsLocator.unavailable("no boundary file (set BOUNDARIES_PATH)");
      })()),
  };
}

/**
 * Opens the configured database for an admin command: through the running program's socket when
 * the program holds the embedded folder, otherwise the folder itself (taking its lock) or
 * DATABASE_URL; migrates it and creates the offices when it is new (the program does both at
 * start, so through its socket nothing is to do).
 */
export async function openAdminServices(
  config: Config,
  logger: Logger,
  regions: RegionLoader,
  given?: DatabaseHandle,
): Promise<AdminServices & { close(): Promise<void> }> {
  const [{ openDatabase }, { runMigrations }, { OfficeDirectory }] = await Promise.all([
    import("../db/client.js"),
    import("../db/migrate.js"),
    import("../offices/directory.js"),
  ]);
  const database =
    given ??
    (await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.dataDir,
      prepare: config.DATABASE_PREPARE,
      maxConnections: 2,
      share: "connect",
    }));
  try {
    const [catalog] = await Promise.all([
      regions.offices(),
      (async () => {
        if (given || database.viaProgram) return;
        const applied = await runMigrations(database);
        if (applied === 0 && (await hasOffices(database))) return;
        const { syncOffices } = await import("../offices/sync.js");
        await syncOffices(database.db, await regions.offices());
      })(),
    ]);
    const directory = new OfficeDirectory(database.db, catalog);
    let router: Promise<Router> | undefined;
    return {
      config,
      logger,
      database,
      directory,
      router: () =>
        (router ??= import("../routing/route.js").then(
          ({ Router }) =>
            new Router(database.db, catalog, { defaultAdminDestination: config.DEFAULT_ADMIN_DESTINATION }),
        )),
      catalog,
      close: () => (given ? Promise.resolve() : database.close()),
    };
  } catch (e) {
    if (!given) await database.close();
    throw e;
  }
}

async function hasOffices(database: DatabaseHandle): Promise<boolean> {
  const { offices } = await import("../db/schema/index.js");
  const rows = await database.db.select({ code: offices.code }).from(offices).limit(1);
  return rows.length > 0;
}
