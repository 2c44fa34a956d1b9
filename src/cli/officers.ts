import type { Command } from "commander";
import { and, asc, eq } from "drizzle-orm";
import { recordAudit } from "../audit.js";
import { officers } from "../db/schema/index.js";
import { NotFoundError } from "../errors.js";
import { OfficerInvites } from "../officers/invites.js";
import type { AdminServices } from "./context.js";
import { io, output, table } from "./output.js";
import { positiveInt } from "./reports.js";

const ACTOR = "admin-cli";

/** `officers invite|revoke-invite|list|disable|enable|remove`. */
export function registerOfficerCommands(program: Command, services: () => Promise<AdminServices>): void {
  const cmd = program.command("officers").description("Bawaslu officers and their invite codes");
  cmd
    .command("invite")
    .description(
      "create an invite code: /petugas <code> links a group (as a destination) or registers an officer",
    )
    .argument("<office>", 'code or name, e.g. 18.72 or "Bawaslu Kota Metro"')
    .option("--uses <n>", "how many times the code can be used", "1")
    .option("--hours <n>", "hours until the code expires", "72")
    .option("--json", "print JSON")
    .action(async (office: string, o: { uses: string; hours: string; json?: boolean }) => {
      const s = await services();
      const invites = new OfficerInvites(s.database.db, s.directory);
      const r = await invites.create(office, {
        maxUses: positiveInt("uses", o.uses),
        expiresInHours: positiveInt("hours", o.hours),
        actor: ACTOR,
      });
      output(
        {
          code: r.code,
          office: r.invite.officeCode,
          maxUses: r.invite.maxUses,
          expiresAt: r.invite.expiresAt,
        },
        o.json,
        (x) => [
          `invite for ${r.officeName}: /petugas ${x.code}`,
          `  usable ${x.maxUses} time(s), until ${x.expiresAt.toISOString()}; the code is shown only now`,
        ],
      );
    });
  cmd
    .command("revoke-invite")
    .description("revoke an invite code: /petugas with it is refused from now on")
    .argument("<code>", "the code as given to the officer")
    .option("--json", "print JSON")
    .action(async (code: string, o: { json?: boolean }) => {
      const s = await services();
      const r = await new OfficerInvites(s.database.db, s.directory).revoke(code, ACTOR);
      output({ revoked: true, office: r.officeCode, inviteId: r.inviteId }, o.json, (x) => [
        `invite #${x.inviteId} for office ${x.office} revoked`,
      ]);
    });
  cmd
    .command("list")
    .description("list officers")
    .option("--office <office>", "only this office")
    .option("--json", "print JSON")
    .action(async (o: { office?: string; json?: boolean }) => {
      const s = await services();
      const where = o.office
        ? eq(officers.officeCode, (await s.directory.resolve(o.office)).code)
        : undefined;
      const rows = await s.database.db
        .select()
        .from(officers)
        .where(where)
        .orderBy(asc(officers.officeCode), asc(officers.id));
      output(rows, o.json, (list) => [
        ...table([
          ["id", "office", "channel", "user", "name", "active"],
          ...list.map((x) => [
            x.id,
            x.officeCode,
            x.channel,
            x.userId,
            x.displayName,
            x.active ? "yes" : "no",
          ]),
        ]),
        `${list.length} officers`,
      ]);
    });
  for (const [name, active] of [
    ["disable", false],
    ["enable", true],
  ] as const) {
    cmd
      .command(name)
      .description(`${name} an officer by id (see officers list)`)
      .argument("<id>")
      .action(async (id: string) => {
        const s = await services();
        await s.database.db.transaction(async (tx) => {
          const [row] = await tx
            .update(officers)
            .set({ active })
            .where(eq(officers.id, positiveInt("id", id)))
            .returning();
          if (!row) throw new NotFoundError("officer", id);
          await recordAudit(tx, {
            actor: ACTOR,
            action: `officer.${name}`,
            entity: "office",
            entityKey: row.officeCode,
            details: { officerId: row.id },
          });
        });
        io().stdout.write(`officer #${id} ${name}d\n`);
      });
  }
  cmd
    .command("remove")
    .description("delete an officer by id")
    .argument("<id>")
    .action(async (id: string) => {
      const s = await services();
      await s.database.db.transaction(async (tx) => {
        const [row] = await tx
          .delete(officers)
          .where(and(eq(officers.id, positiveInt("id", id))))
          .returning();
        if (!row) throw new NotFoundError("officer", id);
        await recordAudit(tx, {
          actor: ACTOR,
          action: "officer.remove",
          entity: "office",
          entityKey: row.officeCode,
          details: { officerId: row.id },
        });
      });
      io().stdout.write(`officer #${id} removed\n`);
    });
}
