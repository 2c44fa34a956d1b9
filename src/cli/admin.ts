/**
 * The admin command line: `npm run admin -- <command> --help`. Every command has `--json`.
 * Region lookups need no database; everything else opens the configured one (PGlite in DATA_DIR
 * or DATABASE_URL), migrating it first.
 */
import { Command, CommanderError } from "commander";
import { loadConfig } from "../config.js";
import { LaporError } from "../errors.js";
import { createLogger } from "../log.js";
import { loadRegions, openServices, type Regions, type Services } from "../services.js";
import { registerBroadcastCommands } from "./broadcasts.js";
import { registerClassifyCommand } from "./classify.js";
import { registerConsoleCommands } from "./console.js";
import { registerDeliveryCommands } from "./deliveries.js";
import { registerOfficerCommands } from "./officers.js";
import { registerOfficeCommands } from "./offices.js";
import { registerRegionCommands } from "./regions.js";
import { registerReportCommands } from "./reports.js";
import { registerRouteCommand } from "./route.js";

async function main(argv: string[]): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? "warn" });
  let services: Promise<Services> | undefined;
  let regions: Promise<Regions> | undefined;
  const getServices = () => (services ??= openServices(config, logger));
  const getRegions = () => (regions ??= services ? services : loadRegions(config, logger));

  const program = new Command("admin")
    .description("LaporNetral administration")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerOfficeCommands(program, getServices);
  registerRegionCommands(program, getRegions);
  registerRouteCommand(program, getServices);
  registerReportCommands(program, getServices);
  registerDeliveryCommands(program, getServices);
  registerOfficerCommands(program, getServices);
  registerClassifyCommand(program, config, logger);
  registerBroadcastCommands(program, getServices);
  registerConsoleCommands(program, getServices);
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof LaporError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    if (services) await (await services).close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`error: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
