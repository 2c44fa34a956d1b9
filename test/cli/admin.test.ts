/**
 * The admin command line (in-process, `runAdmin`) against a PGlite DATA_DIR served the way the
 * running program serves it (`share: "serve"`), so every command goes through the socket as it does
 * while `npm start` runs. (test/cli/shared-database.test.ts runs the real program; the command line
 * opening the folder itself is covered there and in test/cli/reports.test.ts.)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.js";
import { runMigrations } from "../../src/db/migrate.js";
import { syncOffices } from "../../src/offices/sync.js";
import { loadRegionCatalog } from "../../src/regions/catalog.js";
import { runAdmin } from "../support/admin-cli.js";

const dataDir = mkdtempSync(join(tmpdir(), "lapor-cli-"));
let served: DatabaseHandle;
beforeAll(async () => {
  served = await openDatabase({ dataDir, share: "serve" });
  await runMigrations(served);
  await syncOffices(served.db, await loadRegionCatalog());
}, 300_000);
afterAll(async () => {
  await served?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const admin = (args: string[], stdin?: string) => runAdmin(dataDir, args, stdin);

describe("admin CLI", () => {
  it("regions find prints the best regency and flags ambiguity, in JSON", async () => {
    const r = await admin(["regions", "find", "kab", "solok", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ code: "13.02", name: "Kabupaten Solok", ambiguous: false });
    const amb = JSON.parse((await admin(["regions", "find", "solok", "--json"])).stdout);
    expect(amb.ambiguous).toBe(true);
    expect([amb.code, ...amb.candidates.map((c: { code: string }) => c.code)]).toEqual(
      expect.arrayContaining(["13.02", "13.72"]),
    );
  });

  it("batch modes answer one JSON line per input line, in order, with nulls for nothing found", async () => {
    const input = [
      '{"q":"pekan baru"}',
      "not json",
      '{"q":"asdfghjkl qwerty"}',
      '{"q":"Kota Metro"}',
      '{"x":1}',
    ].join("\n");
    const r = await admin(["regions", "find", "--batch"], input);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ code: "14.71", ambiguous: false });
    expect(lines[1]).toMatchObject({ code: null, name: null, ambiguous: false, error: "not valid JSON" });
    expect(lines[2]).toMatchObject({ code: null, name: null });
    expect(lines[3]).toMatchObject({ code: "18.72", name: "Kota Metro" });
    expect(lines[4]).toMatchObject({ code: null, error: expect.stringMatching(/"q"/) });

    const g = await admin(
      ["regions", "locate", "--batch"],
      '{"lat":-5.1131,"lon":105.3067}\n{"lat":"x","lon":1}\n{"lat":-20,"lon":90}\n',
    );
    const pts = g.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(pts.map((p) => p.code)).toEqual(["18.72", null, null]);
    expect(pts[1].error).toMatch(/lat must be a number/);
    expect(pts[2].status).toBe("outside");
  });

  it("route prints the chain with reasons; destinations and offices can be managed", async () => {
    const add = await admin([
      "destinations",
      "add",
      "Bawaslu Provinsi Lampung",
      "telegram",
      "-1001",
      "--json",
    ]);
    expect(add.code, add.stderr).toBe(0);
    const r = await admin(["route", "-5.1131", "105.3067"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Kota Metro \(18\.72\)/);
    expect(r.stdout).toMatch(/1\. × Bawaslu Kota Metro/);
    expect(r.stdout).toMatch(/2\. → Bawaslu Provinsi Lampung \[telegram:-1001\]/);
    const j = JSON.parse((await admin(["route", "metro", "lampung", "--json"])).stdout);
    expect(j.route.usable[0].officeCode).toBe("18");
    const show = await admin(["offices", "show", "18", "--json"]);
    expect(JSON.parse(show.stdout).destinations).toHaveLength(1);
  });

  it("offices import applies a good CSV and refuses a bad one with line and column", async () => {
    const good = join(dataDir, "good.csv");
    writeFileSync(good, "office,phone,email\n18.72,0725 41234,metro@example.org\n");
    expect((await admin(["offices", "import", good])).stdout).toMatch(/imported 1 rows/);
    const bad = join(dataDir, "bad.csv");
    writeFileSync(bad, "office,email\n18.72,x@y.org\n99.99,\n");
    const r = await admin(["offices", "import", bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 3, column office: no such office/);
    expect(JSON.parse((await admin(["offices", "show", "18.72", "--json"])).stdout).email).toBe(
      "metro@example.org",
    );
  });

  it("bad input gets a clear error and a non-zero exit", async () => {
    const r = await admin(["regions", "locate", "abc", "1"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/lat must be a number/);
    expect((await admin(["offices", "show", "Atlantis"])).stderr).toMatch(/office not found: Atlantis/);
    expect((await admin(["destinations", "add", "18.72", "fax", "123"])).stderr).toMatch(
      /channel must be one of/,
    );
    expect((await admin(["nonsense"])).code).toBe(2);
    const help = await admin(["offices", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/import/);
  });
});

describe("admin CLI: officers", () => {
  it("creates an invite code (shown once) and lists, disables and removes officers", async () => {
    const r = await admin([
      "officers",
      "invite",
      "Bawaslu Kota Metro",
      "--uses",
      "3",
      "--hours",
      "24",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const invite = JSON.parse(r.stdout);
    expect(invite).toMatchObject({ office: "18.72", maxUses: 3 });
    expect(invite.code).toMatch(/^[A-Z2-9]{10}$/);
    expect((await admin(["officers", "invite", "18.72", "--uses", "0"])).stderr).toMatch(
      /uses must be a positive whole number/,
    );
    expect(JSON.parse((await admin(["officers", "list", "--json"])).stdout)).toEqual([]);
    expect((await admin(["officers", "disable", "99"])).stderr).toMatch(/officer not found: 99/);
  });
});
