import { createHash, randomBytes } from "node:crypto";
import { and, count, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { consoleLinks, consoleSessions, type OfficeLevel, officers, offices } from "../db/schema/index.js";
import { LaporError } from "../errors.js";

/** A one-time link works once, within this time. */
export const LINK_TTL_MS = 10 * 60_000;
/** A session lasts this long after sign-in or its last renewal. */
export const SESSION_TTL_MS = 12 * 3_600_000;
/** At most this many links per officer (or office, for admins) within {@link LINK_TTL_MS}. */
export const LINKS_PER_WINDOW = 5;

export type ConsoleRole = "officer" | "admin" | "demo";

/** Too many links asked for in a short time. */
export class LinkRateLimited extends LaporError {
  constructor() {
    super("rate_limited", "too many console links in 10 minutes");
  }
}

/** Who is signed in, for what office. */
export interface ConsoleUser {
  sessionId: number;
  officeCode: string;
  officeName: string;
  officeLevel: OfficeLevel;
  role: ConsoleRole;
  officerId: number | null;
  officerName: string | null;
  /** The officer's chat identity (the same actor as in chat), null for admins and the demo. */
  officer: { channel: string; userId: string } | null;
  csrf: string;
  lang: "id" | "en";
  expiresAt: Date;
}

const hash = (token: string) => createHash("sha256").update(token).digest("hex");
const token = () => randomBytes(32).toString("base64url");

/**
 * Password-less sign-in: one-time links (stored hashed, single use, 10 minutes) open a session
 * (stored hashed, 12 hours, renewed while used). An officer's sessions end when the officer is
 * disabled: every request checks that the officer is still active, and removes the sessions if not.
 */
export class ConsoleAuth {
  constructor(private readonly db: Database) {}

  /** A new link token for an officer (or an admin / the demo acting for an office). */
  async createLink(
    input: { officeCode: string; officerId: number | null; role: ConsoleRole; createdBy: string },
    now = new Date(),
  ): Promise<string> {
    const since = new Date(now.getTime() - LINK_TTL_MS);
    const [recent] = await this.db
      .select({ n: count() })
      .from(consoleLinks)
      .where(
        and(
          input.officerId === null
            ? and(isNull(consoleLinks.officerId), eq(consoleLinks.officeCode, input.officeCode))
            : eq(consoleLinks.officerId, input.officerId),
          gt(consoleLinks.createdAt, since),
        ),
      );
    if ((recent?.n ?? 0) >= LINKS_PER_WINDOW) throw new LinkRateLimited();
    const t = token();
    await this.db.insert(consoleLinks).values({
      tokenHash: hash(t),
      officeCode: input.officeCode,
      officerId: input.officerId,
      role: input.role,
      createdBy: input.createdBy,
      createdAt: now,
      expiresAt: new Date(now.getTime() + LINK_TTL_MS),
    });
    return t;
  }

  /**
   * Uses a link: resolves to a new session's token and user, or undefined when the link is unknown,
   * used, expired, or its officer is no longer active. The link is spent either way.
   */
  async redeem(
    linkToken: string,
    now = new Date(),
  ): Promise<{ token: string; user: ConsoleUser } | undefined> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(linkToken)) return undefined;
    const [link] = await this.db
      .update(consoleLinks)
      .set({ usedAt: now })
      .where(
        and(
          eq(consoleLinks.tokenHash, hash(linkToken)),
          isNull(consoleLinks.usedAt),
          gt(consoleLinks.expiresAt, now),
        ),
      )
      .returning();
    if (!link) return undefined;
    if (link.officerId !== null) {
      const [o] = await this.db.select().from(officers).where(eq(officers.id, link.officerId));
      if (!o?.active) return undefined;
    }
    const t = token();
    await this.db.insert(consoleSessions).values({
      tokenHash: hash(t),
      officeCode: link.officeCode,
      officerId: link.officerId,
      role: link.role,
      csrf: token(),
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    });
    const user = await this.session(t, now);
    return user ? { token: t, user } : undefined;
  }

  /** The signed-in user of a session token, renewing the session; undefined when it is not valid. */
  async session(sessionToken: string | undefined, now = new Date()): Promise<ConsoleUser | undefined> {
    if (!sessionToken || !/^[A-Za-z0-9_-]{20,100}$/.test(sessionToken)) return undefined;
    const [row] = await this.db
      .select({ s: consoleSessions, office: offices, officer: officers })
      .from(consoleSessions)
      .innerJoin(offices, eq(offices.code, consoleSessions.officeCode))
      .leftJoin(officers, eq(officers.id, consoleSessions.officerId))
      .where(eq(consoleSessions.tokenHash, hash(sessionToken)));
    if (!row || row.s.expiresAt <= now) return undefined;
    if (row.s.officerId !== null && !row.officer?.active) {
      await this.endOfficer(row.s.officerId);
      return undefined;
    }
    let expiresAt = row.s.expiresAt;
    // Renewed while used (at most once a minute, to keep reads cheap).
    if (expiresAt.getTime() - now.getTime() < SESSION_TTL_MS - 60_000) {
      expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
      await this.db.update(consoleSessions).set({ expiresAt }).where(eq(consoleSessions.id, row.s.id));
    }
    return {
      sessionId: row.s.id,
      officeCode: row.office.code,
      officeName: row.office.name,
      officeLevel: row.office.level,
      role: row.s.role,
      officerId: row.s.officerId,
      officerName: row.officer?.displayName ?? null,
      officer: row.officer ? { channel: row.officer.channel, userId: row.officer.userId } : null,
      csrf: row.s.csrf,
      lang: row.s.lang,
      expiresAt,
    };
  }

  /** Switches the session's language. */
  async setLang(sessionId: number, lang: "id" | "en"): Promise<void> {
    await this.db.update(consoleSessions).set({ lang }).where(eq(consoleSessions.id, sessionId));
  }

  /** Signs out one session. */
  async end(sessionId: number): Promise<void> {
    await this.db.delete(consoleSessions).where(eq(consoleSessions.id, sessionId));
  }

  /** Ends every session of an officer (disabled or removed). */
  async endOfficer(officerId: number): Promise<void> {
    await this.db.delete(consoleSessions).where(eq(consoleSessions.officerId, officerId));
  }

  /** Deletes expired sessions and old links. */
  async prune(now = new Date()): Promise<void> {
    await this.db.delete(consoleSessions).where(lt(consoleSessions.expiresAt, now));
    await this.db
      .delete(consoleLinks)
      .where(or(lt(consoleLinks.expiresAt, new Date(now.getTime() - 86_400_000))));
  }
}
