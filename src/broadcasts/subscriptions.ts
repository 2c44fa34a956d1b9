/**
 * Subscriptions to the reminder broadcasts: opting in (from the `subscribe` flow step, in the same
 * transaction as the conversation step), opting out (one word, or automatically when the platform
 * says the contact blocked the bot or is gone), and whether a contact is subscribed.
 *
 * Rows are never deleted: leaving fills `opted_out_at/via/reason`, subscribing again closes the open
 * row as `replaced` and opens a new one, so every change stays accountable.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Queryable } from "../db/client.js";
import { type BroadcastSubscriber, broadcastSubscribers, contacts } from "../db/schema/index.js";
import type { SubscribeRequest } from "../engine/types.js";

/** How a subscription ended. */
export type OptOutVia = "word" | "blocked" | "replaced" | "admin";

/**
 * Records an opt-in (performs the `subscribe` effect). Closes the contact's open subscription, if
 * any, as `replaced`, then opens the new one. Runs in the caller's transaction.
 *
 * @example await recordSubscription(tx, { contactId: 7, channel: "telegram" }, effect, now)
 */
export async function recordSubscription(
  tx: Queryable,
  who: { contactId: number; channel: string },
  request: SubscribeRequest,
  now: Date,
): Promise<BroadcastSubscriber> {
  await closeSubscription(tx, who.contactId, "replaced", "subscribed again", now);
  const [row] = await tx
    .insert(broadcastSubscribers)
    .values({
      contactId: who.contactId,
      channel: who.channel,
      role: request.role,
      scope: request.scope,
      regencyCode: request.regencyCode,
      provinceCode: request.provinceCode,
      lang: request.lang,
      optedInAt: now,
      optedInVia: `flow:${request.flowId}`,
    })
    .returning();
  return row!;
}

/** Whether the contact has an open subscription. */
export async function hasActiveSubscription(q: Queryable, contactId: number): Promise<boolean> {
  const rows = await q
    .select({ id: broadcastSubscribers.id })
    .from(broadcastSubscribers)
    .where(and(eq(broadcastSubscribers.contactId, contactId), isNull(broadcastSubscribers.optedOutAt)))
    .limit(1);
  return rows.length > 0;
}

/**
 * Closes the contact's open subscription (performs the `unsubscribe` effect). Resolves to true when
 * there was one.
 */
export async function closeSubscription(
  q: Queryable,
  contactId: number,
  via: OptOutVia,
  reason: string,
  now: Date,
): Promise<boolean> {
  const rows = await q
    .update(broadcastSubscribers)
    .set({ optedOutAt: now, optedOutVia: via, optedOutReason: reason.slice(0, 200) })
    .where(and(eq(broadcastSubscribers.contactId, contactId), isNull(broadcastSubscribers.optedOutAt)))
    .returning({ id: broadcastSubscribers.id });
  return rows.length > 0;
}

/**
 * Closes the open subscription of whoever has this chat on this channel (a broadcast found the chat
 * blocked or gone). Resolves to true when there was one.
 */
export async function closeSubscriptionOfAddress(
  q: Queryable,
  channel: string,
  address: string,
  via: OptOutVia,
  reason: string,
  now: Date,
): Promise<boolean> {
  const rows = await q
    .update(broadcastSubscribers)
    .set({ optedOutAt: now, optedOutVia: via, optedOutReason: reason.slice(0, 200) })
    .where(
      and(
        isNull(broadcastSubscribers.optedOutAt),
        sql`${broadcastSubscribers.contactId} = (select c.id from ${contacts} c where c.channel = ${channel} and c.external_id = ${address})`,
      ),
    )
    .returning({ id: broadcastSubscribers.id });
  return rows.length > 0;
}
