import { createHash, randomInt } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit.js";
import type { Database, Queryable } from "../db/client.js";
import { officerInvites, officers } from "../db/schema/index.js";
import { InputError, LaporError, NotFoundError } from "../errors.js";
import type { Logger } from "../log.js";
import type { OfficeDirectory } from "../offices/directory.js";

/** Why an invite code could not be used; `slow_down`: too many wrong codes from this chat lately. */
export class InviteError extends LaporError {
  constructor(readonly reason: "unknown" | "expired" | "used_up" | "slow_down") {
    super("invite", `invite code ${reason.replace("_", " ")}`);
  }
}

/** Wrong codes a chat may try before it has to wait. */
export const FREE_ATTEMPTS = 5;
/** The first wait after the free attempts; it doubles with every further wrong code, up to an hour. */
const FIRST_WAIT_MS = 30_000;
const MAX_WAIT_MS = 3_600_000;
/** A chat's count of wrong codes is forgotten after a day without any. */
const FORGET_AFTER_MS = 24 * 3_600_000;

/**
 * Wrong invite codes per chat: after {@link FREE_ATTEMPTS}, each wrong code makes the chat wait
 * longer (30 s, 1 min, 2 min … up to 1 h) before the next one is even looked at, so guessing a
 * code of 10 characters from 31 is hopeless. In memory, per process.
 */
export class InviteAttempts {
  private readonly chats = new Map<string, { failures: number; until: number; last: number }>();

  /** How long the chat must still wait, in ms (0: it may try). */
  waitMs(key: string, now: number): number {
    const c = this.chats.get(key);
    return c ? Math.max(0, c.until - now) : 0;
  }

  /** Wrong codes counted for the chat. */
  count(key: string): number {
    return this.chats.get(key)?.failures ?? 0;
  }

  /** Counts a wrong code; returns the failures so far. */
  failed(key: string, now: number): number {
    this.prune(now);
    const c = this.chats.get(key) ?? { failures: 0, until: 0, last: now };
    c.failures++;
    c.last = now;
    if (c.failures >= FREE_ATTEMPTS)
      c.until = now + Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (c.failures - FREE_ATTEMPTS));
    this.chats.delete(key);
    this.chats.set(key, c);
    return c.failures;
  }

  /** A right code: the chat starts afresh. */
  succeeded(key: string): void {
    this.chats.delete(key);
  }

  private prune(now: number): void {
    // The map is in order of last failure: forget from the oldest until one is recent.
    for (const [key, c] of this.chats) {
      if (now - c.last < FORGET_AFTER_MS || c.until > now) break;
      this.chats.delete(key);
    }
  }
}

/** The start of a code, enough to tell codes apart in a log line, never enough to use one. */
export function codeHint(code: string): string {
  const c = code
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "");
  return c.length > 3 ? `${c.slice(0, 2)}…(${c.length})` : `…(${c.length})`;
}

/** A chat named without its platform id (a WhatsApp chat id is a phone number). */
const chatRef = (use: InviteUse) =>
  createHash("sha256").update(`${use.channel}:${use.chatId}`).digest("hex").slice(0, 12);

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
  private readonly attempts = new InviteAttempts();

  constructor(
    private readonly db: Database,
    private readonly directory: OfficeDirectory,
    private readonly logger?: Logger,
  ) {}

  /**
   * Revokes a code (`npm run admin -- officers revoke-invite <code>`): it can no longer be used.
   * Throws {@link NotFoundError} for a code that does not exist. Audited.
   */
  async revoke(
    code: string,
    actor: string,
    now = new Date(),
  ): Promise<{ officeCode: string; inviteId: number }> {
    return this.db.transaction(async (tx) => {
      const [invite] = await tx
        .update(officerInvites)
        .set({ revokedAt: now })
        .where(eq(officerInvites.codeHash, hash(code)))
        .returning();
      if (!invite) throw new NotFoundError("invite", codeHint(code));
      await recordAudit(tx, {
        actor,
        action: "invite.revoke",
        entity: "office",
        entityKey: invite.officeCode,
        details: { inviteId: invite.id },
      });
      return { officeCode: invite.officeCode, inviteId: invite.id };
    });
  }

  /** Logs and audits a wrong code, without the code itself (only its start) and without the chat id. */
  private async failed(code: string, use: InviteUse, reason: InviteError["reason"], failures: number) {
    const details = { reason, chat: chatRef(use), chatType: use.chatType, code: codeHint(code), failures };
    this.logger?.warn({ channel: use.channel, ...details }, "officer invite code refused");
    await recordAudit(this.db, {
      actor: `${use.channel}:${chatRef(use)}`,
      action: "invite.failed",
      entity: "chat",
      entityKey: chatRef(use),
      details,
    }).catch((err) => this.logger?.error({ err }, "could not audit a refused invite code"));
  }

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
   * the sender becomes an officer of it. Throws {@link InviteError}; nothing changes then. Wrong
   * codes are logged and audited, and slowed per chat ({@link InviteAttempts}).
   */
  async redeem(code: string, use: InviteUse): Promise<InviteResult> {
    const key = `${use.channel}:${use.chatId}`;
    const now = use.now.getTime();
    if (this.attempts.waitMs(key, now) > 0) {
      // Refused unread; tries during the wait do not lengthen it.
      await this.failed(code, use, "slow_down", this.attempts.count(key));
      throw new InviteError("slow_down");
    }
    try {
      const r = await this.use(code, use);
      this.attempts.succeeded(key);
      return r;
    } catch (e) {
      if (e instanceof InviteError) await this.failed(code, use, e.reason, this.attempts.failed(key, now));
      throw e;
    }
  }

  private use(code: string, use: InviteUse): Promise<InviteResult> {
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
