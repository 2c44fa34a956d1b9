/**
 * The outbox of citizens' replies. A reply the bot decided to send is written with its
 * conversation step, in the same statement (`inbound_messages.reply`, see
 * `src/conversation/store.ts`), so it exists before anyone tries to send it. The channel sends it
 * through {@link ReplyOutbox.deliver}, which clears it once it went out (or can never go out: a
 * citizen who blocked the bot). A reply still set after a crash, a shutdown during an outage or a
 * reply that another process gave up on is sent again by {@link ReplyOutbox.recover}, which runs
 * at start and then every few seconds for replies older than `recoverAfterMs`.
 *
 * Delivery is at least once: a process that dies between the platform's "ok" and the clearing
 * sends that reply again after the restart. Clearing is batched (one statement for all the
 * replies that went out in the same turn of the event loop) and does not wait for the disk.
 */
import { sql } from "drizzle-orm";
import { type Database, rowsOf } from "../../db/client.js";
import type { StoredReply } from "../../db/schema/index.js";
import type { Logger } from "../../log.js";
import { OutboundClosedError } from "./limiter.js";
import type { ReplyDelivery } from "./types.js";

/** Which stored reply: the inbound message it answers. */
export interface StoredReplyRef {
  channel: string;
  messageId: string;
}

/** Sends a stored reply to a chat of a channel (the channel renders it). */
export type ReplySend = (chatId: string, reply: StoredReply, ref: StoredReplyRef) => Promise<void>;

/** What the outbox needs. */
export interface ReplyOutboxDeps {
  db: Database;
  logger: Logger;
  /** A pending reply is taken over by {@link ReplyOutbox.recover} once it is this old (default 30 s). */
  recoverAfterMs?: number;
  now?: () => Date;
}

const refKey = (r: StoredReplyRef) => `${r.channel}\u0000${r.messageId}`;

/** See the module comment. */
export class ReplyOutbox implements ReplyDelivery {
  private readonly senders = new Map<string, ReplySend>();
  /** Replies this process is sending now (never taken over by its own recovery). */
  private readonly sending = new Set<string>();
  private settling: StoredReplyRef[] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly now: () => Date;
  /** Counters for tests and benchmarks. */
  readonly stats = { delivered: 0, recovered: 0, undeliverable: 0, leftPending: 0 };

  constructor(private readonly deps: ReplyOutboxDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The channel's way to send a stored reply again (after a restart). */
  register(channel: string, send: ReplySend): void {
    this.senders.set(channel, send);
  }

  /**
   * Runs `send` for a reply and marks it sent. A reply without `ref` (not kept: the simulator,
   * an apology for a failed step) is only sent. When the sender is closing
   * ({@link OutboundClosedError}) the reply stays pending for the next start; any other failure
   * is final (the platform refused it for good) and is logged, then the reply is cleared.
   */
  async deliver(ref: StoredReplyRef | undefined, send: () => Promise<void>): Promise<void> {
    if (!ref) return send();
    const key = refKey(ref);
    this.sending.add(key);
    try {
      await send();
      this.stats.delivered++;
      this.settle(ref);
    } catch (e) {
      if (e instanceof OutboundClosedError) {
        this.stats.leftPending++;
        return;
      }
      this.stats.undeliverable++;
      this.deps.logger.warn({ err: (e as Error)?.message, channel: ref.channel }, "reply could not be sent");
      this.settle(ref);
    } finally {
      this.sending.delete(key);
    }
  }

  /**
   * Sends the replies still pending (older than `recoverAfterMs`, or all with `all`) of every
   * registered channel, in each chat's order. Resolves to how many were taken up; the sends
   * themselves go on in the background (see {@link idle}).
   */
  async recover(options: { all?: boolean } = {}): Promise<number> {
    const channels = [...this.senders.keys()];
    if (channels.length === 0) return 0;
    const cutoff = new Date(this.now().getTime() - (options.all ? 0 : (this.deps.recoverAfterMs ?? 30_000)));
    const rows = rowsOf<{ channel: string; message_id: string; reply: StoredReply; chat_id: string }>(
      await this.deps.db.execute(sql`select m.channel, m.message_id, m.reply, c.external_id as chat_id
        from inbound_messages m join contacts c on c.id = m.contact_id
        where m.reply is not null
          and m.channel in (select jsonb_array_elements_text(${JSON.stringify(channels)}::jsonb))
          and (m.reply->>'at')::timestamptz <= ${cutoff.toISOString()}::timestamptz
        order by m.contact_id, m.reply->>'at', m.received_at
        limit 2000`),
    ).filter((r) => !this.sending.has(refKey({ channel: r.channel, messageId: r.message_id })));
    // One chain per chat, so a chat's replies go in their order; chats run side by side.
    const chats = new Map<string, typeof rows>();
    for (const r of rows) {
      const k = `${r.channel}\u0000${r.chat_id}`;
      chats.set(k, [...(chats.get(k) ?? []), r]);
    }
    const chains = [...chats.values()].map(async (list) => {
      for (const r of list) {
        const ref = { channel: r.channel, messageId: r.message_id };
        const send = this.senders.get(r.channel)!;
        this.stats.recovered++;
        await this.deliver(ref, () => send(r.chat_id, r.reply, ref));
      }
    });
    this.running = Promise.all([this.running, ...chains]);
    if (rows.length > 0) this.deps.logger.info({ replies: rows.length }, "pending replies sent again");
    return rows.length;
  }

  /** Recovers now, then every `intervalMs`. */
  start(intervalMs: number): void {
    const tick = () => {
      this.recover()
        .catch((e: unknown) => this.deps.logger.error({ err: e }, "reply recovery failed"))
        .finally(() => {
          if (this.timer !== undefined) {
            this.timer = setTimeout(tick, intervalMs);
            this.timer.unref?.();
          }
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Resolves when the recovered sends settled and every "sent" mark is written. */
  async idle(): Promise<void> {
    await this.running;
    await this.flush();
  }

  /** Stops recovering and writes the "sent" marks still waiting. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private settle(ref: StoredReplyRef): void {
    this.settling.push(ref);
    if (this.settling.length === 1) setImmediate(() => void this.flush());
  }

  /** Clears the replies sent since the last flush, in one statement. */
  private async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.settling.length === 0) return;
    const batch = this.settling;
    this.settling = [];
    const rows = JSON.stringify(batch.map((r) => ({ channel: r.channel, message_id: r.messageId })));
    this.flushing = this.deps.db
      .execute(sql`with cfg as (select set_config('synchronous_commit', 'off', true) as ok)
        update inbound_messages m set reply = null
        from jsonb_to_recordset(${rows}::jsonb) as v(channel text, message_id text)
        where m.channel = v.channel and m.message_id = v.message_id and exists (select 1 from cfg)`)
      .then(
        () => undefined,
        (e: unknown) => this.deps.logger.error({ err: (e as Error)?.message }, "marking replies sent failed"),
      )
      .finally(() => {
        this.flushing = undefined;
      });
    await this.flushing;
  }
}
