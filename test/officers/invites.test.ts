/**
 * `/petugas <code>` guesses: after five wrong codes a chat waits, longer with every further wrong
 * code (even a right code is not looked at meanwhile); each wrong code is logged and audited
 * without the code in full; `officers revoke-invite <code>` makes a code useless.
 */
import { Command } from "commander";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminServices } from "../../src/cli/context.js";
import { registerOfficerCommands } from "../../src/cli/officers.js";
import { auditLog } from "../../src/db/schema/index.js";
import { createLogger } from "../../src/log.js";
import { FREE_ATTEMPTS, InviteError, OfficerInvites } from "../../src/officers/invites.js";
import { OfficeDirectory } from "../../src/offices/directory.js";
import { syncOffices } from "../../src/offices/sync.js";
import { loadRegionCatalog } from "../../src/regions/catalog.js";
import { freshDatabase, testDrivers } from "../support/db.js";

describe.each(testDrivers())("officer invite codes on %s", (driver) => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  let directory: OfficeDirectory;
  const lines: string[] = [];
  let invites: OfficerInvites;
  beforeAll(async () => {
    h = await freshDatabase(driver);
    const catalog = await loadRegionCatalog();
    await syncOffices(h.db, catalog);
    directory = new OfficeDirectory(h.db, catalog);
    invites = new OfficerInvites(
      h.db,
      directory,
      createLogger({ destination: { write: (l: string) => void lines.push(l) } }),
    );
  });
  afterAll(() => h.drop());

  const use = (chatId: string, at: number) => ({
    channel: "whatsapp" as const,
    chatType: "private" as const,
    chatId,
    userId: chatId,
    now: new Date(at),
  });
  const reason = (p: Promise<unknown>) =>
    p.then(
      () => "ok",
      (e) => (e instanceof InviteError ? e.reason : Promise.reject(e)),
    );

  it("slows a chat after five wrong codes, longer each time; other chats are not held up", async () => {
    const { code } = await invites.create("18.72", { actor: "test", maxUses: 5 });
    const chat = "6281234567890@c.us";
    const t0 = Date.parse("2024-11-20T03:00:00Z");
    for (let i = 0; i < FREE_ATTEMPTS; i++)
      expect(await reason(invites.redeem(`WRONG${i}XXXXX`, use(chat, t0 + i)))).toBe("unknown");
    // Blocked: even the right code is not looked at now.
    expect(await reason(invites.redeem(code, use(chat, t0 + 10)))).toBe("slow_down");
    // Another chat is free.
    expect(await reason(invites.redeem(code, use("6289999999999@c.us", t0 + 10)))).toBe("ok");
    // After the first wait (30 s) a wrong code makes the next wait longer (60 s).
    expect(await reason(invites.redeem("WRONGAGAIN1", use(chat, t0 + 31_000)))).toBe("unknown");
    expect(await reason(invites.redeem(code, use(chat, t0 + 31_000 + 45_000)))).toBe("slow_down");
    expect(await reason(invites.redeem(code, use(chat, t0 + 31_000 + 61_000)))).toBe("ok");

    // Logged and audited, without the code in full and without the chat's phone number.
    const refused = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "officer invite code refused");
    expect(refused).toHaveLength(FREE_ATTEMPTS + 3);
    expect(refused.at(-1)).toMatchObject({ reason: "slow_down", chatType: "private" });
    const audits = await h.db.select().from(auditLog).where(eq(auditLog.action, "invite.failed"));
    expect(audits).toHaveLength(FREE_ATTEMPTS + 3);
    const everything = JSON.stringify([lines, audits]);
    expect(everything).not.toContain("6281234567890");
    expect(everything).not.toContain("WRONG0XXXXX");
    expect(everything).not.toContain(code);
    expect(audits[0]!.details).toMatchObject({ reason: "unknown", code: "WR…(11)" });
  });

  it("officers revoke-invite <code> makes the code useless, and is audited", async () => {
    const { code } = await invites.create("18.72", { actor: "test", maxUses: 3 });
    const program = new Command("admin").exitOverride();
    const services = { database: { db: h.db }, directory } as unknown as AdminServices;
    registerOfficerCommands(program, async () => services);
    const out: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
    try {
      await program.parseAsync(["officers", "revoke-invite", code.toLowerCase()], { from: "user" });
    } finally {
      process.stdout.write = write;
    }
    expect(out.join("")).toMatch(/invite #\d+ for office 18\.72 revoked/);
    expect(await reason(invites.redeem(code, use("628111@c.us", Date.now())))).toBe("unknown");
    const audits = await h.db.select().from(auditLog).where(eq(auditLog.action, "invite.revoke"));
    expect(audits).toHaveLength(1);
    await expect(invites.revoke("NOSUCHCODE", "test")).rejects.toThrow(/invite not found/);
  });
});
