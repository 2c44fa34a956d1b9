import { createHash, randomInt } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit.js";
import type { Database, Queryable } from "../db/client.js";
import { officerInvites, officers } from "../db/schema/index.js";
import { InputError, LaporError } from "../errors.js";
import type { OfficeDirectory } from "../offices/directory.js";

/** Why an invite code could not be used. */
export class InviteError extends LaporError {
  constructor(readonly reason: "unknown" | "expired" | "used_up") {
    super("invite", `invite code ${reason.replace("_", " ")}`);
  }
}

const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const hash = (code: string) => createHash("sha256").update(code.trim().toUpperCase()).digest("hex");

/** Where a code was sent, and by whom. */
export interface InviteUse {
  channel: "telegram" | "whatsapp" | "wacloud";
  chatType: "private" | "group";
  chatId: string;
  userId: string;
  displayName?: string | null;
  now: Date;
}

/** What redeeming a code did. */
export type InviteResult =
  | { kind: "destination"; officeCode: string; officeName: string }
  | { kind: "officer"; officeCode: string; officeName: string };

/** Invite codes: created by admins, redeemed with `/petugas <code>`. Every change is audited. */
export class OfficerInvites {
  constructor(
    private readonly db: Database,
    private readonly directory: OfficeDirectory,
  ) {}

  /** Creates a code for an office; the plain code is returned once and only its hash is stored. */
  async create(
    office: string,
    options: { maxUses?: number; expiresInHours?: number; actor: string; now?: Date },
  ) {
    const maxUses = options.maxUses ?? 1;
    const hours = options.expiresInHours ?? 72;
    if (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > 1000)
      throw new InputError("uses", "uses must be a whole number from 1 to 1000");
    if (!(hours > 0 && hours <= 24 * 90))
      throw new InputError("expires", "expiry must be between 1 hour and 90 days");
    const now = options.now ?? new Date();
    let code = "";
    for (let i = 0; i < 10; i++) code += ALPHABET[randomInt(ALPHABET.length)];
    return this.db.transaction(async (tx) => {
      const o = await this.directory.resolve(office, tx);
      const [invite] = await tx
        .insert(officerInvites)
        .values({
          officeCode: o.code,
          codeHash: hash(code),
          maxUses,
          expiresAt: new Date(now.getTime() + hours * 3_600_000),
          createdBy: options.actor,
        })
        .returning();
      await recordAudit(tx, {
        actor: options.actor,
        action: "invite.create",
        entity: "office",
        entityKey: o.code,
        details: { inviteId: invite!.id, maxUses, hours },
      });
      return { code, invite: invite!, officeName: o.name };
    });
  }

  /**
   * Redeems a code: in a group, the group becomes a destination of the office; in a private chat,
   * the sender becomes an officer of it. Throws {@link InviteError}; nothing changes then.
   */
  async redeem(code: string, use: InviteUse): Promise<InviteResult> {
    return this.db.transaction(async (tx) => {
      const [invite] = await tx
        .select()
        .from(officerInvites)
        .where(eq(officerInvites.codeHash, hash(code)))
        .for("update");
      if (!invite || invite.revokedAt) throw new InviteError("unknown");
      if (invite.expiresAt < use.now) throw new InviteError("expired");
      if (invite.uses >= invite.maxUses) throw new InviteError("used_up");
      const office = await this.directory.resolve(invite.officeCode, tx);
      await tx
        .update(officerInvites)
        .set({ uses: sql`${officerInvites.uses} + 1` })
        .where(eq(officerInvites.id, invite.id));
      const actor = `${use.channel}:${use.userId}`;
      if (use.chatType === "group") {
        await this.directory.addDestination(
          office.code,
          use.channel,
          use.chatId,
          { label: "via /petugas", actor },
          tx,
        );
        await recordAudit(tx, {
          actor,
          action: "invite.redeem_group",
          entity: "office",
          entityKey: office.code,
          details: { inviteId: invite.id, chatId: use.chatId },
        });
        return { kind: "destination" as const, officeCode: office.code, officeName: office.name };
      }
      await tx
        .insert(officers)
        .values({
          officeCode: office.code,
          channel: use.channel,
          userId: use.userId,
          displayName: use.displayName ?? null,
        })
        .onConflictDoUpdate({
          target: [officers.officeCode, officers.channel, officers.userId],
          set: { active: true },
        });
      await recordAudit(tx, {
        actor,
        action: "invite.redeem_officer",
        entity: "office",
        entityKey: office.code,
        details: { inviteId: invite.id },
      });
      return { kind: "officer" as const, officeCode: office.code, officeName: office.name };
    });
  }
}

/** True when `userId` is an active officer of `officeCode` on `channel`. */
export async function isOfficerOf(
  q: Queryable,
  officeCode: string,
  channel: string,
  userId: string,
): Promise<boolean> {
  const rows = await q
    .select({ id: officers.id })
    .from(officers)
    .where(
      and(
        eq(officers.officeCode, officeCode),
        eq(officers.channel, channel),
        eq(officers.userId, userId),
        eq(officers.active, true),
      ),
    )
    .limit(1);
  return rows.length > 0;
}
