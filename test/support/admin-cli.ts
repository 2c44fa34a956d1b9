/**
 * Runs the admin command line in-process (`runAdmin` of src/cli/run-admin.ts), as `npm run admin`
 * would with these settings and this stdin, capturing what it prints. Region data is loaded once per
 * test file and shared between runs (the command line loads it again at every start).
 */
import { Readable, Writable } from "node:stream";
import { type RegionLoader, regionLoader } from "../../src/cli/context.js";
import { runAdmin as run } from "../../src/cli/run-admin.js";
import { loadConfig } from "../../src/config.js";
import type { DatabaseHandle } from "../../src/db/client.js";
import { createLogger } from "../../src/log.js";

/** What a CLI run printed and how it ended. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written to it. */
function collector(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(w, { text: () => chunks.join("") });
}

const loaders = new Map<string, RegionLoader>();

/**
 * Runs `npm run admin -- <args>` against the PGlite database in `dataDir` (through the program's
 * socket when a program serves it), with `stdin` piped in; `env` adds settings (no LLM unless it
 * names one). `database` runs the command on an already open database instead.
 */
export async function runAdmin(
  dataDir: string,
  args: string[],
  stdin = "",
  env: Record<string, string> = {},
  database?: DatabaseHandle,
): Promise<CliResult> {
  const settings = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: "",
    LOG_LEVEL: "silent",
    OPENAI_MODEL: "",
    OPENAI_BASE_URL: "",
    ...env,
  };
  const boundaries = loadConfig(settings).boundariesPath ?? "";
  let regions = loaders.get(boundaries);
  if (!regions) {
    regions = regionLoader({ boundariesPath: boundaries || undefined }, createLogger({ level: "silent" }));
    loaders.set(boundaries, regions);
  }
  const stdout = collector();
  const stderr = collector();
  const code = await run(args, {
    env: settings,
    stdout,
    stderr,
    stdin: Readable.from([stdin]),
    regions,
    ...(database ? { database } : {}),
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
