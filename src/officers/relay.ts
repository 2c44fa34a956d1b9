import { and, eq, isNull } from "drizzle-orm";
import type { Queryable } from "../db/client.js";
import { offices, relays, reports } from "../db/schema/index.js";
import { queueRelayMessage } from "../delivery/jobs/index.js";
import type { Inbound } from "../engine/types.js";
import type { OfficeDirectory } from "../offices/directory.js";
import { recordEvent } from "../reports/lifecycle.js";

/**
 * Sends a reporter's message to the office that asked them a question: one `relay_to_office` job
 * per active destination of the office, written in the caller's transaction (the text, or the
 * files by their stored keys: the office receives the same bytes). Resolves to the office's name,
 * or undefined when the relay is closed or the input is not something to pass on.
 */
export async function queueRelay(
  tx: Queryable,
  directory: OfficeDirectory,
  reportId: number,
  input: Inbound,
  messageId: string,
  now: Date,
): Promise<string | undefined> {
  const [relay] = await tx
    .select({ officeCode: relays.officeCode, number: reports.number, officeName: offices.name })
    .from(relays)
    .innerJoin(reports, eq(reports.id, relays.reportId))
    .innerJoin(offices, eq(offices.code, relays.officeCode))
    .where(and(eq(relays.reportId, reportId), isNull(relays.closedAt)));
  if (!relay) return undefined;
  const payload =
    input.kind === "text"
      ? { text: input.text }
      : input.kind === "media"
        ? { items: input.items }
        : input.kind === "location"
          ? { lat: input.lat, lon: input.lon }
          : undefined;
  if (!payload) return undefined;
  const destinations =
    (await directory.activeDestinations([relay.officeCode], tx)).get(relay.officeCode) ?? [];
  await queueRelayMessage(tx, {
    reportId,
    officeCode: relay.officeCode,
    messageId,
    destinations,
    payload,
    now,
  });
  await recordEvent(tx, reportId, {
    type: "reporter_answered",
    actor: "reporter",
    at: now,
    details: { kind: input.kind },
  });
  return relay.officeName;
}
