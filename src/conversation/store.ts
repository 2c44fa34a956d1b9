import { sql } from "drizzle-orm";
import type { ChannelName } from "../channels/types.js";
import type { Queryable } from "../db/client.js";
import type { Lang, Session } from "../engine/types.js";
import { LaporError } from "../errors.js";

/** Another writer saved this contact's session first (another process); the step is retried. */
export class SessionConflictError extends LaporError {
  constructor(readonly contactId: number) {
    super("session_conflict", `session of contact ${contactId} changed underneath`);
  }
}

/** What {@link openTurn} found: the contact, whether the message is new, and the stored session. */
export interface Turn {
  contactId: number;
  lang: Lang;
  /** False when the platform delivered this message before (it was already handled). */
  fresh: boolean;
  session: Session | null;
  /** The session row's version (0 when there is none yet), for optimistic concurrency. */
  version: number;
}

/** Rows of a raw query, whichever driver ran it (postgres-js returns an array, PGlite `{ rows }`). */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * Makes the current transaction's commit wait for the disk again. Ordinary steps commit without
 * waiting for the write-ahead log to reach the disk (`synchronous_commit = off`, set by
 * {@link openTurn}): a crash of the database server may forget the last fraction of a second of
 * conversation progress, and the citizen is asked the last question again. A step that saves a
 * report calls this first, so a receipt is only sent for a report that is on disk.
 */
export async function requireDurableCommit(tx: Queryable): Promise<void> {
  await tx.execute(sql`select set_config('synchronous_commit', 'on', true)`);
}

/**
 * Starts a conversation step in ONE statement: finds or creates the contact, records the platform
 * message id (a duplicate delivery is detected here) and reads the stored session. Run it inside the
 * step's transaction, so a step that fails leaves the message unrecorded and a redelivery is handled.
 */
export async function openTurn(
  tx: Queryable,
  channel: ChannelName,
  chatId: string,
  messageId: string,
  lang: Lang,
  now: Date,
): Promise<Turn> {
  const at = now.toISOString();
  const result = await tx.execute(sql`
    with c as (
      insert into contacts (channel, external_id, lang, last_seen_at)
      values (${channel}, ${chatId}, ${lang}, ${at})
      on conflict (channel, external_id) do update set last_seen_at = excluded.last_seen_at
      returning id, lang
    ), m as (
      insert into inbound_messages (channel, message_id, contact_id, received_at)
      select ${channel}, ${messageId}, c.id, ${at} from c
      on conflict do nothing
      returning 1
    )
    select c.id, c.lang, exists (select 1 from m) as fresh, s.state, s.version,
      set_config('synchronous_commit', 'off', true) as async_commit
    from c left join sessions s on s.contact_id = c.id`);
  const [row] = rowsOf<{
    id: number | string;
    lang: Lang;
    fresh: boolean;
    state: Session | null;
    version: number | null;
  }>(result);
  if (!row) throw new Error("openTurn returned no row");
  return {
    contactId: Number(row.id),
    lang: row.lang,
    fresh: row.fresh,
    session: row.state ?? null,
    version: row.version ?? 0,
  };
}

/**
 * Saves the session after a step, only if nobody else saved it since {@link openTurn} read it
 * (`version`); otherwise throws {@link SessionConflictError} and the transaction rolls back.
 * Also keeps the contact's language in step with the session's.
 */
export async function saveTurn(tx: Queryable, turn: Turn, session: Session, now: Date): Promise<void> {
  const state = JSON.stringify(session);
  const at = now.toISOString();
  const result =
    turn.version === 0
      ? await tx.execute(sql`
          insert into sessions (contact_id, flow_id, state, version, updated_at)
          values (${turn.contactId}, ${session.flowId}, ${state}::jsonb, 1, ${at})
          on conflict (contact_id) do nothing
          returning 1`)
      : await tx.execute(sql`
          update sessions set flow_id = ${session.flowId}, state = ${state}::jsonb, version = version + 1, updated_at = ${at}
          where contact_id = ${turn.contactId} and version = ${turn.version}
          returning 1`);
  if (rowsOf(result).length !== 1) throw new SessionConflictError(turn.contactId);
  if (session.lang !== turn.lang) {
    await tx.execute(sql`update contacts set lang = ${session.lang} where id = ${turn.contactId}`);
  }
}
