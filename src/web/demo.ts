import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit.js";
import { officeDestinations, offices } from "../db/schema/index.js";
import type { Logger } from "../log.js";
import type { Services } from "../services.js";

/** Label that marks the inboxes demo mode created. */
export const SIMULATOR_LABEL = "simulator inbox";

/**
 * Demo mode (web simulator without Telegram): gives every office that has no destination at all a
 * `web:<office code>` inbox, so a report filed in the simulator shows up under its own office on
 * /inbox. Offices that already have a destination are left alone. Idempotent and audited.
 */
export async function ensureSimulatorInboxes(services: Services, logger: Logger): Promise<number> {
  const db = services.database.db;
  const added = await db.transaction(async (tx) => {
    const bare = await tx
      .select({ code: offices.code })
      .from(offices)
      .where(sql`not exists (select 1 from ${officeDestinations} d where d.office_code = ${offices.code})`);
    const rows = bare.length
      ? await tx
          .insert(officeDestinations)
          .values(
            bare.map((o) => ({
              officeCode: o.code,
              channel: "web" as const,
              address: o.code.toLowerCase(),
              label: SIMULATOR_LABEL,
            })),
          )
          .onConflictDoNothing()
          .returning({ id: officeDestinations.id })
      : [];
    if (rows.length) {
      await recordAudit(tx, {
        actor: "system:simulator",
        action: "destination.add_simulator_inboxes",
        entity: "office",
        entityKey: "*",
        details: { count: rows.length },
      });
    }
    return rows.length;
  });
  if (added) logger.info({ added }, "simulator inboxes created for offices without destinations");
  return added;
}

/**
 * Leaving demo mode (a channel is configured): turns the simulator inboxes off again, so reports
 * for offices without a real destination go up the routing chain as they should. Audited.
 */
export async function retireSimulatorInboxes(services: Services, logger: Logger): Promise<number> {
  const db = services.database.db;
  const n = await db.transaction(async (tx) => {
    const rows = await tx
      .update(officeDestinations)
      .set({ active: false })
      .where(
        and(
          eq(officeDestinations.channel, "web"),
          eq(officeDestinations.label, SIMULATOR_LABEL),
          eq(officeDestinations.active, true),
        ),
      )
      .returning({ id: officeDestinations.id });
    if (rows.length) {
      await recordAudit(tx, {
        actor: "system:simulator",
        action: "destination.retire_simulator_inboxes",
        entity: "office",
        entityKey: "*",
        details: { count: rows.length },
      });
    }
    return rows.length;
  });
  if (n) logger.info({ count: n }, "simulator inboxes turned off because a real channel is configured");
  return n;
}
