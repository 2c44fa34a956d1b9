#!/usr/bin/env node
/**
 * Runs the compiled program: `node src/cli/launch.mjs main|admin|flows-check [args…]` imports
 * `dist/<entry>.js`, first building dist/ with tsc (`tsconfig.build.json`) when it is missing or
 * older than src/ (a fresh clone, a `git pull`, an edit). Plain JavaScript, so it runs before any
 * build; `npm start`, `npm run admin` and `npm run build` (`--build`) go through it.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const stamp = join(root, "dist", ".built");
const ENTRIES = { main: "dist/main.js", admin: "dist/cli/admin.js", "flows-check": "dist/cli/flows-check.js" };

/** The newest modification time of the files under `dir`. */
function newest(dir) {
  let m = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    m = Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return m;
}

function stale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const sources = Math.max(
    newest(join(root, "src")),
    ...["tsconfig.json", "tsconfig.build.json", "package.json"].map((f) => statSync(join(root, f)).mtimeMs),
  );
  return sources > built;
}

function build() {
  const started = new Date();
  process.stderr.write("Building dist/ with tsc (src/ changed since the last build)…\n");
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
  if (r.status !== 0) {
    process.stderr.write("The build failed (see above); nothing was started.\n");
    process.exit(r.status ?? 1);
  }
  cpSync(join(root, "src", "web", "pages"), join(root, "dist", "web", "pages"), { recursive: true });
  writeFileSync(stamp, `${started.toISOString()}\n`);
  // Stamped with the time the build started: a file saved during the build makes the next run build again.
  utimesSync(stamp, started, started);
}

const [target, ...rest] = process.argv.slice(2);
if (target === "--build") build();
else {
  const entry = ENTRIES[target];
  if (!entry) {
    process.stderr.write(`usage: launch.mjs ${Object.keys(ENTRIES).join("|")} [args…] | --build\n`);
    process.exit(2);
  }
  if (stale()) build();
  process.argv = [process.argv[0], join(root, entry), ...rest];
  await import(pathToFileURL(join(root, entry)).href);
}
