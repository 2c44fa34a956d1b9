import { and, eq } from "drizzle-orm";
import type { Queryable } from "../../db/client.js";
import { officeDestinations, outbox } from "../../db/schema/index.js";

/**
 * Queues one job of `kind` to every active destination of an office (reminders, digests), once
 * per `key` and destination (`<key>:<channel>:<address>`). Resolves to how many were new.
 */
export async function queueForOffice(
  tx: Queryable,
  job: {
    kind: "reminder" | "digest";
    officeCode: string;
    key: string;
    reportId: number | null;
    payload: Record<string, unknown>;
    now: Date;
  },
): Promise<number> {
  const dests = await tx
    .select()
    .from(officeDestinations)
    .where(and(eq(officeDestinations.officeCode, job.officeCode), eq(officeDestinations.active, true)));
  if (!dests.length) return 0;
  const rows = await tx
    .insert(outbox)
    .values(
      dests.map((d) => ({
        kind: job.kind,
        dedupeKey: `${job.key}:${d.channel}:${d.address}`,
        reportId: job.reportId,
        channel: d.channel,
        address: d.address,
        officeCode: job.officeCode,
        payload: job.payload,
        nextAttemptAt: job.now,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: outbox.id });
  return rows.length;
}
