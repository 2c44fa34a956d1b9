/**
 * The admin command line as a function: `runAdmin(argv, options)` parses the arguments, runs the
 * command and resolves to its exit code (0 done, 1 refused or failed, 2 bad usage). The `admin`
 * command (`npm run admin -- …`, src/cli/admin.ts) calls it with the process's streams; tests call it
 * in-process with their own streams, settings and database.
 */
import type { Readable, Writable } from "node:stream";
import { Command, CommanderError } from "commander";
import { loadConfig } from "../config.js";
import type { DatabaseHandle } from "../db/client.js";
import { LaporError } from "../errors.js";
import { createLogger } from "../log.js";
import { COMMANDS } from "./commands.js";
import {
  type AdminContext,
  type AdminServices,
  openAdminServices,
  type RegionLoader,
  regionLoader,
} from "./context.js";
import { output, withIO } from "./output.js";

export interface RunAdminOptions {
  /** Settings (default: the process's environment). */
  env?: NodeJS.ProcessEnv;
  stdout?: Writable;
  stderr?: Writable;
  stdin?: Readable;
  /** Use this open database instead of the configured one (it is not closed at the end). */
  database?: DatabaseHandle;
  /** Region data already loaded (shared between runs; default: loaded on demand for this run). */
  regions?: RegionLoader;
}

/** The first word that is not an option: the top-level command. */
function topCommand(argv: string[]): string | undefined {
  return argv.find((a) => !a.startsWith("-"));
}

/** Runs one admin command line; resolves to the exit code. */
export async function runAdmin(argv: string[], options: RunAdminOptions = {}): Promise<number> {
  const streams = {
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    stdin: options.stdin ?? process.stdin,
  };
  return withIO(streams, async () => {
    const fail = (message: string, code: number) => {
      streams.stderr.write(`error: ${message}\n`);
      return code;
    };
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig(options.env ?? process.env);
    } catch (e) {
      if (e instanceof LaporError) return fail(`${e.message}\nSee .env.example for every setting.`, 1);
      throw e;
    }
    const env = options.env ?? process.env;
    const logger = createLogger({ level: env.LOG_LEVEL ?? "warn" });
    const regions = options.regions ?? regionLoader(config, logger);
    let opened: Promise<AdminServices & { close(): Promise<void> }> | undefined;
    const ctx: AdminContext = {
      ...streams,
      ...regions,
      config,
      logger,
      services: () => (opened ??= openAdminServices(config, logger, regions, options.database)),
      output,
    };

    const program = new Command("admin")
      .description("LaporNetral administration")
      .showHelpAfterError()
      .exitOverride()
      .configureOutput({
        writeOut: (s) => streams.stdout.write(s),
        writeErr: (s) => streams.stderr.write(s),
      });
    const wanted = topCommand(argv);
    const entry = COMMANDS.find((c) => c.name === wanted);
    if (entry) (await entry.load())(program, ctx);
    // The other commands appear in `--help` by name and summary, without loading their modules.
    const registered = new Set(program.commands.map((c) => c.name()));
    for (const c of COMMANDS) if (!registered.has(c.name)) program.command(c.name).description(c.summary);

    try {
      await program.parseAsync(argv, { from: "user" });
      return 0;
    } catch (e) {
      if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
      if (e instanceof LaporError) return fail(e.message, 1);
      throw e;
    } finally {
      if (opened) await (await opened.catch(() => undefined))?.close();
    }
  });
}
