/**
 * The one test that runs the real `npm run admin` command (`node src/cli/launch.mjs admin`, which
 * builds dist/ first when src/ changed): the entry point, the compiled program and the exit codes.
 * Every other admin test runs `runAdmin` in-process (test/support/admin-cli.ts).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dataDir = mkdtempSync(join(tmpdir(), "lapor-smoke-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const admin = (...args: string[]) =>
  spawnSync(process.execPath, ["src/cli/launch.mjs", "admin", ...args], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "silent" },
    encoding: "utf8",
    timeout: 300_000,
  });

describe("npm run admin (the real command)", () => {
  it("answers --help, a region lookup, and a usage error with exit code 2", () => {
    const help = admin("--help");
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/officers\s+Bawaslu officers and their invite codes/);
    const find = admin("regions", "find", "kota", "metro", "--json");
    expect(find.status, find.stderr).toBe(0);
    expect(JSON.parse(find.stdout)).toMatchObject({ code: "18.72", name: "Kota Metro" });
    expect(admin("nonsense").status).toBe(2);
  }, 300_000);
});
