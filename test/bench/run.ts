/**
 * `npm run bench`: runs every `test/bench/*.bench.ts` as its own process (so memory figures are per
 * benchmark), one after another, and prints what each reports. Each bench script prints Markdown
 * table rows `| benchmark | figure | target |` on stdout; copy them into BENCHMARKS.md with the date.
 * Pass names to run a subset: `npm run bench -- gps place-search`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** The V8 settings `npm start` runs the program with (package.json), so benchmarks measure the same. */
const NODE_FLAGS = ["--max-semi-space-size=32"];
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

console.log(
  `# ${new Date().toISOString()} · ${cpus()[0]?.model ?? "?"} × ${cpus().length} · node ${process.version}`,
);
console.log("| benchmark | measured | target |\n|---|---|---|");
let failed = 0;
for (const f of files) {
  const r = spawnSync(process.execPath, [...NODE_FLAGS, "--import", "tsx", join(here, f)], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (r.status !== 0) {
    failed++;
    console.log(`| ${f} | FAILED (exit ${r.status}) | |`);
  }
}
process.exit(failed ? 1 : 0);
