/**
 * Who a run goes to, written as delivery rows in SQL (INSERT … SELECT: subscribers are never loaded
 * into memory), in the transaction that creates the run, before anything is sent.
 *
 * - `all`: every open subscription.
 * - `province` (codes "18", …): subscriptions whose regency or province is in one of them.
 * - `regency` (codes "18.72", …): subscriptions of those regencies, and province-wide subscriptions
 *   of their provinces.
 * - `officers`: every active officer (an audience of its own, no opt-in), once per chat.
 * - `test`: one chat (`telegram:<id>`), for previews.
 *
 * Subscribers who chose all of Indonesia receive only `all` broadcasts. Web simulator visitors may
 * subscribe (to try the flow) but get no rows: the simulator cannot push a message to a visitor. The unique constraint
 * (run, channel, address) keeps one row per chat even if a chat appears twice.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../db/client.js";
import type { Broadcast } from "../db/schema/index.js";

/** "telegram:123" → { channel: "telegram", address: "123" }, or undefined. */
export function parseAddress(text: string): { channel: string; address: string } | undefined {
  const m = /^([a-z]+):(.+)$/.exec(text.trim());
  return m ? { channel: m[1]!, address: m[2]! } : undefined;
}

/** Writes the delivery rows of a run; resolves to how many were written. */
export async function insertDeliveries(
  tx: Queryable,
  runId: number,
  target: Pick<Broadcast, "audience" | "regions" | "testAddress">,
): Promise<number> {
  const regions = JSON.stringify(target.regions ?? []);
  const codes = sql`(select jsonb_array_elements_text(${regions}::jsonb))`;
  let select: SQL;
  switch (target.audience) {
    case "officers":
      select = sql`select distinct on (o.channel, o.user_id) ${runId}::bigint, o.channel, o.user_id,
          coalesce(c.lang, 'id'), null::bigint, o.id
        from officers o left join contacts c on c.channel = o.channel and c.external_id = o.user_id
        where o.active order by o.channel, o.user_id, o.id`;
      break;
    case "test": {
      const to = parseAddress(target.testAddress ?? "");
      if (!to) return 0;
      select = sql`select ${runId}::bigint, ${to.channel}, ${to.address},
          coalesce((select c.lang from contacts c where c.channel = ${to.channel} and c.external_id = ${to.address}), 'id'),
          null::bigint, null::bigint`;
      break;
    }
    default: {
      const filter =
        target.audience === "province"
          ? sql`and s.province_code in ${codes}`
          : target.audience === "regency"
            ? sql`and (s.regency_code in ${codes} or (s.scope = 'province'
                and s.province_code in (select split_part(x, '.', 1) from jsonb_array_elements_text(${regions}::jsonb) x)))`
            : sql``;
      select = sql`select ${runId}::bigint, s.channel, c.external_id, s.lang, s.id, null::bigint
        from broadcast_subscribers s join contacts c on c.id = s.contact_id
        where s.opted_out_at is null and s.channel <> 'web' ${filter}`;
    }
  }
  const result = await tx.execute(sql`with ins as (insert into broadcast_deliveries
      (run_id, channel, address, lang, subscriber_id, officer_id) ${select}
      on conflict do nothing returning 1) select count(*)::int as n from ins`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}
