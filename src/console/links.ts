import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { officers, offices } from "../db/schema/index.js";
import type { ConsoleLinkResult } from "../officers/commands.js";
import { type ConsoleAuth, LinkRateLimited } from "./auth.js";

/**
 * What `/masuk` calls: a one-time link for the active officer `channel:userId` of `officeCode`, on
 * the console's public address (CONSOLE_URL, else the web server's own address).
 */
export function consoleLinker(
  db: Database,
  auth: ConsoleAuth,
  baseUrl: () => string,
): (officeCode: string, channel: string, userId: string) => Promise<ConsoleLinkResult> {
  return async (officeCode, channel, userId) => {
    const [row] = await db
      .select({ id: officers.id, officeName: offices.name })
      .from(officers)
      .innerJoin(offices, eq(offices.code, officers.officeCode))
      .where(
        and(
          eq(officers.officeCode, officeCode),
          eq(officers.channel, channel),
          eq(officers.userId, userId),
          eq(officers.active, true),
        ),
      );
    if (!row) throw new Error("not an active officer");
    try {
      const token = await auth.createLink({
        officeCode,
        officerId: row.id,
        role: "officer",
        createdBy: `${channel}:${userId}`,
      });
      return {
        kind: "link",
        url: `${baseUrl().replace(/\/$/, "")}/konsol/masuk/${token}`,
        officeName: row.officeName,
      };
    } catch (e) {
      if (e instanceof LinkRateLimited) return { kind: "too_many" };
      throw e;
    }
  };
}
