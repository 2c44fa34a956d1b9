import type { Config } from "./config.js";
import { type DatabaseHandle, openDatabase } from "./db/client.js";
import { runMigrations } from "./db/migrate.js";
import type { Logger } from "./log.js";
import { OfficeDirectory } from "./offices/directory.js";
import { syncOffices } from "./offices/sync.js";
import { loadRegionCatalog, type RegionCatalog } from "./regions/catalog.js";
import { GpsLocator } from "./regions/gps.js";
import { PlaceSearch } from "./regions/place-search.js";
import { Router } from "./routing/route.js";

/** Region knowledge: the catalog, text search and GPS lookup. Needs no database. */
export interface Regions {
  catalog: RegionCatalog;
  places: PlaceSearch;
  gps: GpsLocator;
}

/** Everything the program's parts share, opened once by {@link openServices}. */
export interface Services extends Regions {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  directory: OfficeDirectory;
  router: Router;
  close(): Promise<void>;
}

/**
 * Loads the regions and the boundary file. Without a boundary file GPS lookups answer
 * "unavailable" (logged once) and nothing else changes.
 */
export async function loadRegions(config: Pick<Config, "boundariesPath">, logger: Logger): Promise<Regions> {
  // One after the other: the boundary file's temporary objects are collected before the region
  // list is parsed, which keeps the peak (and so the resident) memory lower than loading both at once.
  const gps = config.boundariesPath
    ? await GpsLocator.load(config.boundariesPath)
    : GpsLocator.unavailable("no boundary file (set BOUNDARIES_PATH)");
  const catalog = await loadRegionCatalog();
  if (!gps.available) logger.warn("GPS lookup unavailable: no boundary file; set BOUNDARIES_PATH");
  return { catalog, places: PlaceSearch.build(catalog), gps };
}

/**
 * Opens the database, migrates it, loads the regions and makes sure every office exists.
 * `share: "serve"` (the program) serves an embedded database to the admin command line (`db/serve.ts`).
 */
export async function openServices(
  config: Config,
  logger: Logger,
  options: { share?: "serve" | "lock" } = {},
): Promise<Services> {
  const [database, regions] = await Promise.all([
    openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.dataDir,
      prepare: config.DATABASE_PREPARE,
      share: options.share ?? "lock",
      port: config.PGLITE_PORT,
    }),
    loadRegions(config, logger),
  ]);
  try {
    await runMigrations(database);
    const added = await syncOffices(database.db, regions.catalog);
    if (added) logger.info({ added }, "offices created from the region list");
  } catch (e) {
    await database.close();
    throw e;
  }
  const directory = new OfficeDirectory(database.db, regions.catalog);
  const router = new Router(database.db, regions.catalog, {
    defaultAdminDestination: config.DEFAULT_ADMIN_DESTINATION,
  });
  return { ...regions, config, logger, database, directory, router, close: () => database.close() };
}
