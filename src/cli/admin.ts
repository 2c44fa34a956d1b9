/**
 * The admin command line: `npm run admin -- <command> --help`. Every command has `--json`.
 * Region lookups need no database; everything else opens the configured one: through the running
 * program when it serves its embedded database, otherwise PGlite in DATA_DIR or DATABASE_URL.
 */
import { runAdmin } from "./run-admin.js";

runAdmin(process.argv.slice(2)).then(
  (code) => exit(code),
  (e: unknown) => {
    process.stderr.write(`error: ${(e as Error).stack ?? String(e)}\n`);
    exit(1);
  },
);

/** Ends with `code` once the output is written (a pipe is written asynchronously), at most 1 s later. */
function exit(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 1000).unref();
}
