/**
 * `npm run admin -- console link --office …` as an admin runs it: a one-time link on CONSOLE_URL,
 * audited, stored only as a hash, that signs in as an admin acting for the office (seeing all).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { ConsoleAuth } from "../../src/console/auth.js";
import { scopeOf } from "../../src/console/scope.js";
import { openDatabase } from "../../src/db/client.js";
import { auditLog, consoleLinks } from "../../src/db/schema/index.js";
import { runAdmin } from "../support/admin-cli.js";

describe("admin console link", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "lapor-console-cli-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("prints a one-time link, audits it, and the link signs in as an admin", async () => {
    const r = await runAdmin(dataDir, ["console", "link", "--office", "Bawaslu Kota Metro", "--json"], "", {
      CONSOLE_URL: "https://lapor.example.org/",
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { url: string; office: string };
    expect(out.office).toBe("18.72");
    const m = /^https:\/\/lapor\.example\.org\/konsol\/masuk\/([A-Za-z0-9_-]{43})$/.exec(out.url);
    expect(m).not.toBeNull();
    const token = m![1]!;

    const bad = await runAdmin(dataDir, ["console", "link", "--office", "Kota Atlantis"]);
    expect(bad.code).toBe(1);

    const h = await openDatabase({ dataDir });
    try {
      const links = await h.db.select().from(consoleLinks);
      expect(links).toHaveLength(1);
      expect(links[0]).toMatchObject({
        officeCode: "18.72",
        officerId: null,
        role: "admin",
        createdBy: "admin-cli",
        tokenHash: createHash("sha256").update(token).digest("hex"),
      });
      const audit = await h.db.select().from(auditLog).where(eq(auditLog.action, "console.link"));
      expect(audit).toMatchObject([{ actor: "admin-cli", entity: "office", entityKey: "18.72" }]);
      expect(JSON.stringify(audit)).not.toContain(token);
      const signed = await new ConsoleAuth(h.db).redeem(token);
      expect(signed?.user).toMatchObject({ role: "admin", officeCode: "18.72", officerId: null });
      expect(scopeOf({ code: signed!.user.officeCode, level: signed!.user.officeLevel }, "admin")).toEqual({
        kind: "all",
      });
      expect(await new ConsoleAuth(h.db).redeem(token)).toBeUndefined();
    } finally {
      await h.close();
    }
  }, 300_000);
});
