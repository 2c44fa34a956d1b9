import { type SQL, sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../db/client.js";
import type { ChannelName, StoredReply } from "../db/schema/index.js";
import type { Lang, Session } from "../engine/types.js";
import { LaporError } from "../errors.js";

/** Another writer saved this contact's session first (another process); the step is retried. */
export class SessionConflictError extends LaporError {
  constructor(readonly contactId: number) {
    super("session_conflict", `session of contact ${contactId} changed underneath`);
  }
}

/** What {@link openTurn} found: the contact, whether the message was handled before, and the session. */
export interface Turn {
  channel: ChannelName;
  messageId: string;
  contactId: number;
  lang: Lang;
  /** True when this platform message was already handled (a duplicate delivery). */
  seen: boolean;
  session: Session | null;
  /** The session row's version (0 when there is none yet), for optimistic concurrency. */
  version: number;
  /** A report whose office asked this contact a question: their messages go to that office. */
  relayReportId: number | null;
}

/**
 * Starts a conversation step in ONE statement: finds or creates the contact (marking it seen),
 * tells whether this platform message was handled before, and reads the stored session and its
 * version. Nothing of the step itself is written yet: see {@link commitTurn}.
 */
export async function openTurn(
  q: Queryable,
  channel: ChannelName,
  chatId: string,
  messageId: string,
  lang: Lang,
  now: Date,
): Promise<Turn> {
  const [turn] = await openTurns(q, [{ channel, chatId, messageId, lang, now }]);
  return turn!;
}

/** One contact whose turn {@link openTurns} opens. */
export interface PendingOpen {
  channel: ChannelName;
  chatId: string;
  messageId: string;
  /** The language for a contact seen for the first time. */
  lang: Lang;
  now: Date;
}

/**
 * {@link openTurn} for SEVERAL contacts in one statement (see `batcher.ts`): resolves to one
 * turn per item, in order. The contacts must be distinct.
 *
 * Its commit does not wait for the disk (it only creates a contact or notes when it was last seen):
 * a contact lost to a crash of the database server is created again by its next message, and
 * anything durable that refers to it (a report) flushes it to disk first.
 */
export async function openTurns(q: Queryable, items: readonly PendingOpen[]): Promise<Turn[]> {
  const input = items.map((o, n) => ({
    n,
    channel: o.channel,
    external_id: o.chatId,
    message_id: o.messageId,
    lang: o.lang,
    at: o.now.toISOString(),
  }));
  const result = await q.execute(sql`
    with cfg as (select set_config('synchronous_commit', 'off', true) as ok),
    i as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as i(
        n int, channel text, external_id text, message_id text, lang text, at timestamptz)
    ),
    c as (
      insert into contacts (channel, external_id, lang, last_seen_at)
      select i.channel, i.external_id, i.lang, i.at from i where exists (select 1 from cfg) order by i.n
      on conflict (channel, external_id) do update set last_seen_at = excluded.last_seen_at
      returning id, lang, channel, external_id
    )
    select i.n, c.id, c.lang, s.state, s.version,
      exists (select 1 from inbound_messages m where m.channel = i.channel and m.message_id = i.message_id) as seen,
      (select r.report_id from relays r where r.contact_id = c.id and r.closed_at is null
        order by r.opened_at desc limit 1) as relay_report_id
    from i join c on c.channel = i.channel and c.external_id = i.external_id
    left join sessions s on s.contact_id = c.id`);
  const rows = rowsOf<{
    n: number;
    id: number | string;
    lang: Lang;
    seen: boolean;
    state: Session | null;
    version: number | null;
    relay_report_id: number | string | null;
  }>(result);
  const byN = new Map(rows.map((r) => [Number(r.n), r]));
  return items.map((o, n) => {
    const row = byN.get(n);
    if (!row) throw new Error("openTurns returned no row for a contact");
    return {
      channel: o.channel,
      messageId: o.messageId,
      contactId: Number(row.id),
      lang: row.lang,
      seen: row.seen,
      session: row.state ?? null,
      version: row.version ?? 0,
      relayReportId: row.relay_report_id === null ? null : Number(row.relay_report_id),
    };
  });
}

/**
 * The writes that finish a step, as CTEs of a larger statement (so they are atomic even outside a
 * transaction): `s` saves the new session only if nobody saved it since {@link openTurn} read it
 * (`version`) and this platform message was not handled before; `m` records the message id only
 * together with that save, and has one row exactly when the step is recorded. Writes that must
 * happen only with the step (a report, see `reports/submit.ts`) select from `m`. `session` null (a
 * status query) records the message only.
 *
 * Unless `durable`, the statement's commit does not wait for the disk: a crash of the database
 * server may forget the last fraction of a second of conversation progress, and the citizen is
 * asked the last question again. A step that saves a report is durable ({@link commitTurnWith}),
 * so a receipt is only ever sent for a report that is on disk.
 */
function stepWrites(
  turn: Turn,
  session: Session | null,
  now: Date,
  durable: boolean,
  reply: StoredReply | undefined,
): SQL {
  const at = now.toISOString();
  const unseen = sql`not exists (select 1 from inbound_messages i where i.channel = ${turn.channel} and i.message_id = ${turn.messageId})`;
  const cfg = sql`select set_config('synchronous_commit', ${durable ? "on" : "off"}, true) as ok`;
  let save: SQL;
  let lang = sql``;
  if (session === null) {
    save = sql`select ${turn.contactId}::bigint as contact_id`;
  } else {
    const state = JSON.stringify(session);
    save =
      turn.version === 0
        ? sql`insert into sessions (contact_id, flow_id, state, version, updated_at)
            select ${turn.contactId}, ${session.flowId}, ${state}::jsonb, 1, ${at}::timestamptz where ${unseen}
            on conflict (contact_id) do nothing returning contact_id`
        : sql`update sessions set flow_id = ${session.flowId}, state = ${state}::jsonb, version = version + 1,
            updated_at = ${at} where contact_id = ${turn.contactId} and version = ${turn.version} and ${unseen}
            returning contact_id`;
    if (session.lang !== turn.lang)
      lang = sql`, l as (update contacts set lang = ${session.lang} where id = ${turn.contactId} and exists (select 1 from s) returning 1)`;
  }
  return sql`cfg as (${cfg}), s as (${save})${lang},
    m as (insert into inbound_messages (channel, message_id, contact_id, received_at, reply)
      select ${turn.channel}, ${turn.messageId}, ${turn.contactId}, ${at}::timestamptz,
        ${reply ? JSON.stringify(reply) : null}::jsonb
      where exists (select 1 from s) and exists (select 1 from cfg)
      on conflict do nothing returning 1)`;
}

/**
 * Finishes a step in ONE statement (see {@link stepWrites}). When the session changed underneath
 * (another process handled a message of the same contact, or this very message), nothing is
 * written and {@link SessionConflictError} is thrown: the caller opens the turn again and redoes
 * the step. The same happens when the message id was recorded already, so a turn kept in memory
 * from an earlier step still never handles a duplicate delivery twice. `session` null (a status
 * query) records the message only, and resolves to false when it was a duplicate.
 */
export async function commitTurn(
  q: Queryable,
  turn: Turn,
  session: Session | null,
  now: Date,
  options: { durable?: boolean; reply?: StoredReply | undefined } = {},
): Promise<boolean> {
  const result = await q.execute(
    sql`with ${stepWrites(turn, session, now, options.durable ?? false, options.reply)} select count(*)::int as n from m`,
  );
  const recorded = Number(rowsOf<{ n: number }>(result)[0]?.n) === 1;
  if (!recorded && session !== null) throw new SessionConflictError(turn.contactId);
  return recorded;
}

/** Further writes of a step, as CTEs that select from `m` (the recorded message), and what to return. */
export interface StepAlso {
  ctes: SQL;
  select: SQL;
}

/**
 * Finishes a step together with further writes that must happen only with it (a report and
 * everything that belongs to it), in ONE durable statement: all of it or nothing, and the commit
 * waits for the disk. Resolves to the rows of `also.select`; throws {@link SessionConflictError}
 * when the step could not be recorded (nothing was written then).
 */
export async function commitTurnWith<R>(
  q: Queryable,
  turn: Turn,
  session: Session,
  now: Date,
  also: StepAlso,
  reply?: StoredReply,
): Promise<R[]> {
  const result = await q.execute(
    sql`with ${stepWrites(turn, session, now, true, reply)}, ${also.ctes} ${also.select}`,
  );
  const rows = rowsOf<R>(result);
  if (rows.length === 0) throw new SessionConflictError(turn.contactId);
  return rows;
}

/** One conversation step waiting to be committed by {@link commitTurns}. */
export interface PendingCommit {
  turn: Turn;
  /** The new session, or null to record the message only (a status query). */
  session: Session | null;
  now: Date;
  /** The reply to keep until it is sent (see `inbound_messages.reply`). */
  reply?: StoredReply | undefined;
}

/**
 * Commits the steps of SEVERAL contacts in ONE statement, with the same rules as
 * {@link commitTurn} for each of them (version check, message id recorded only together with the
 * save, `synchronous_commit = off`). One statement instead of one per contact saves a round trip,
 * a socket write and a server-side parse per step, which is most of a step's cost under load.
 *
 * The contacts must be distinct (the conversation service runs one step per contact at a time).
 * Every table is reached by its key, one item at a time: the planner takes any batch for 100 rows
 * (`jsonb_to_recordset`), so a join would be a hash over the whole table, whose cost grows with it;
 * the lookups are written as scalar subqueries and `= any (array(…))`, which it keeps as index probes.
 *
 * Resolves to one boolean per item, in order: true when the step was recorded; false when its
 * message was handled before or its session changed underneath (the caller decides what that
 * means, see {@link CommitBatcher}).
 */
export async function commitTurns(q: Queryable, items: readonly PendingCommit[]): Promise<boolean[]> {
  const rows = items.map(({ turn, session, now, reply }) => ({
    channel: turn.channel,
    message_id: turn.messageId,
    contact_id: turn.contactId,
    version: turn.version,
    save: session !== null,
    flow_id: session?.flowId ?? null,
    state: session,
    at: now.toISOString(),
    lang: session && session.lang !== turn.lang ? session.lang : null,
    reply: reply ?? null,
  }));
  const result = await q.execute(sql`
    with cfg as (select set_config('synchronous_commit', 'off', true) as ok),
    i as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as i(
        channel text, message_id text, contact_id bigint, version int, save boolean,
        flow_id text, state jsonb, at timestamptz, lang text, reply jsonb)
    ),
    fresh as (
      select i.* from i where (
        select true from inbound_messages m where m.channel = i.channel and m.message_id = i.message_id) is null
    ),
    upd as (
      update sessions s set flow_id = f.flow_id, state = f.state, version = s.version + 1, updated_at = f.at
      from fresh f
      where f.save and f.version > 0 and s.contact_id = f.contact_id and s.version = f.version
      returning s.contact_id
    ),
    ins as (
      insert into sessions (contact_id, flow_id, state, version, updated_at)
      select f.contact_id, f.flow_id, f.state, 1, f.at from fresh f where f.save and f.version = 0
      on conflict (contact_id) do nothing
      returning contact_id
    ),
    ok as (
      select f.* from fresh f
      where not f.save or f.contact_id in (select contact_id from upd union all select contact_id from ins)
    ),
    l as (
      update contacts c set lang = (select ok.lang from ok where ok.contact_id = c.id)
      where c.id = any (array(select ok.contact_id from ok where ok.lang is not null))
      returning 1
    )
    insert into inbound_messages (channel, message_id, contact_id, received_at, reply)
    select ok.channel, ok.message_id, ok.contact_id, ok.at, ok.reply from ok where exists (select 1 from cfg)
    on conflict do nothing
    returning channel, message_id`);
  const recorded = new Set(
    rowsOf<{ channel: string; message_id: string }>(result).map((r) => `${r.channel}\u0000${r.message_id}`),
  );
  return items.map(({ turn }) => recorded.has(`${turn.channel}\u0000${turn.messageId}`));
}
