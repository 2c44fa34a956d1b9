/**
 * ONE send limiter per bot (or per WhatsApp number) that knows the platform's limits, shared by
 * every send: citizens' replies, receipts, officer messages, deliveries to offices, broadcasts.
 *
 * - **Global**: at most `global.limit` sends start within any sliding `global.windowMs`. A slot
 *   comes back one window after the send it paid for *completed*: the platform counts arrivals,
 *   and a send arrives between its start and its completion, so the platform can never see more.
 * - **Per chat**: a token bucket (`perChat.ratePerSecond`, `perChat.burst`), debited when a send
 *   completes, so the platform's own bucket (debited on arrival) always has the token too.
 *   One send in flight per chat, and a chat's sends are granted strictly in the order they were
 *   submitted (a retried send keeps its place at the head), so replies of one chat never overtake
 *   each other. A chat waiting (for its bucket or a `retry_after`) never holds up another chat.
 * - **Per group**: an extra sliding window for group chats (Telegram: 20 per minute).
 * - **Spacing**: a minimum gap between any two sends, with random jitter (WhatsApp Web).
 * - **Priority**: among the chats that may send now, citizens' replies go before bulk work
 *   (deliveries, broadcasts).
 * - **Pauses**: `pause(ms, key)` holds one chat (a 429 for that chat), `pause(ms)` the whole bot.
 *
 * {@link OutboundLimiter.send} runs a send with the platform's retry rules: a send the platform
 * refused only because it is busy (429, 5xx, network) waits (exactly `retry_after` when given,
 * else a growing backoff) and goes again, as often as `maxAttempts` allows (replies: forever).
 *
 * @example
 * const limiter = new OutboundLimiter(TELEGRAM_PROFILE);
 * await limiter.send({ key: "12345", priority: "reply" }, () => api.sendMessage(12345, "Halo"), verdictOf);
 */

import { LaporError } from "../../errors.js";
import { OUTBOUND_CLOSED, type OutboundLine, type OutboundSendOptions, type SendVerdict } from "./types.js";

/** The limits of one platform account (a bot, a phone number). Every field is optional. */
export interface LimitProfile {
  /** For logs and tests. */
  name: string;
  /** Sends within a sliding window over all chats (Telegram: 30 per 1000 ms). */
  global?: { limit: number; windowMs: number };
  /** Each chat's bucket: sustained rate and short burst (Telegram private chat: ~1/s, a few at once). */
  perChat?: { ratePerSecond: number; burst: number };
  /** An extra sliding window for group chats (Telegram: 20 per 60 000 ms). */
  perGroup?: { limit: number; windowMs: number };
  /** Which keys are group chats (default: none). */
  isGroup?: (key: string) => boolean;
  /** Minimum ms between any two sends (WhatsApp Web), plus up to `jitterMs` at random. */
  minIntervalMs?: number;
  jitterMs?: number;
  /** Sends in flight at once (default 64). */
  maxConcurrent?: number;
  /** Added to every computed wait, for clock granularity (default 5 ms). */
  safetyMs?: number;
}

/** Who is asking: a citizen's reply goes before bulk work. */
export type SendPriority = OutboundSendOptions["priority"];

/** What the platform's answer to one attempt means. */
export type Verdict = SendVerdict;

/** How one send waits and retries. */
export type SendOptions = OutboundSendOptions;

/** A granted send; call `release()` when the request completed (success or failure). */
export interface Permit {
  release(): void;
}

/** The wait for a slot took longer than `maxWaitMs`; `retryAfterMs` estimates how long it may still take. */
export class LimiterWaitError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`send limiter: no slot within the wait allowed (about ${Math.ceil(retryAfterMs / 1000)} s more)`);
  }
}

/** The limiter was closed (the program is stopping): the send did not go and will not be tried here again. */
export class OutboundClosedError extends LaporError {
  constructor() {
    super(OUTBOUND_CLOSED, "send limiter closed");
  }
}

interface Waiter {
  seq: number;
  key: string | undefined;
  priority: SendPriority;
  notBefore: number;
  resolve: (p: Permit) => void;
  reject: (e: unknown) => void;
  timer?: NodeJS.Timeout;
}

interface ChatState {
  key: string | undefined;
  queue: Waiter[];
  busy: boolean;
  tokens: number;
  lastAt: number;
  pausedUntil: number;
  /** Completion times in the group window (group chats only). */
  group: number[] | undefined;
}

/** See the module comment. */
export class OutboundLimiter implements OutboundLine {
  private readonly chats = new Map<string, ChatState>();
  /** Chats with a waiting head and no send in flight. */
  private readonly ready = new Set<ChatState>();
  private recent: number[] = [];
  private recentHead = 0;
  private inFlight = 0;
  private nextStartAt = 0;
  private pausedUntil = 0;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private readonly safety: number;
  private closed = false;
  /** Counters for admins, tests and benchmarks. */
  readonly stats = { granted: 0, retries: 0, pauses: 0, replies: 0, bulk: 0 };

  constructor(
    readonly profile: LimitProfile,
    private readonly clock: () => number = () => performance.now(),
    private readonly random: () => number = Math.random,
  ) {
    this.safety = profile.safetyMs ?? 5;
  }

  /** Sends waiting for a slot. */
  get waiting(): number {
    let n = 0;
    for (const c of this.ready) n += c.queue.length;
    for (const c of this.chats.values()) if (c.busy) n += c.queue.length;
    return n;
  }

  /**
   * Waits for a slot for one attempt. Sends of one key are granted in the order asked, one at a
   * time; `front` puts a retried send back at the head of its chat.
   */
  acquire(
    options: { key?: string | undefined; priority?: SendPriority; maxWaitMs?: number; notBefore?: number },
    front = false,
  ): Promise<Permit> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new OutboundClosedError());
      const chat = this.chat(options.key);
      const w: Waiter = {
        seq: ++this.seq,
        key: options.key,
        priority: options.priority ?? "bulk",
        notBefore: options.notBefore ?? 0,
        resolve,
        reject,
      };
      if (front) chat.queue.unshift(w);
      else chat.queue.push(w);
      if (options.maxWaitMs !== undefined) {
        w.timer = setTimeout(() => {
          const i = chat.queue.indexOf(w);
          if (i < 0) return;
          chat.queue.splice(i, 1);
          if (chat.queue.length === 0) this.ready.delete(chat);
          reject(new LimiterWaitError(Math.max(1000, this.estimateWait(chat))));
          this.pump();
        }, options.maxWaitMs);
      }
      if (!chat.busy) this.ready.add(chat);
      this.pump();
    });
  }

  /** Runs `task` in one slot (a single attempt, no retry). */
  async run<T>(task: () => Promise<T>, options: { key?: string; priority?: SendPriority } = {}): Promise<T> {
    const permit = await this.acquire(options);
    try {
      return await task();
    } finally {
      permit.release();
    }
  }

  /**
   * Runs one send with the platform's retry rules (see the module comment): `verdict` says what a
   * thrown error means. Resolves with the send's result, or rejects with its last error.
   */
  async send<T>(
    options: SendOptions,
    attempt: () => Promise<T>,
    verdict: (e: unknown) => Verdict,
  ): Promise<T> {
    const max = options.maxAttempts ?? Number.POSITIVE_INFINITY;
    let next = this.acquire({
      key: options.key,
      priority: options.priority,
      ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
    });
    this.stats[options.priority === "reply" ? "replies" : "bulk"]++;
    for (let n = 1; ; n++) {
      const permit = await next;
      let error: unknown;
      try {
        const result = await attempt();
        permit.release();
        return result;
      } catch (e) {
        error = e;
      }
      const v = verdict(error);
      if (!v.retry || n >= max || this.closed) {
        permit.release();
        throw this.closed && v.retry ? new OutboundClosedError() : error;
      }
      let wait: number;
      if (v.afterMs !== undefined) {
        wait = v.afterMs;
        // Held before the permit is given back, so no send of that scope can slip in meanwhile.
        if (v.scope === "global" || options.key === undefined) this.pause(v.afterMs);
        else this.pause(v.afterMs, options.key);
      } else {
        wait = Math.min(
          options.maxBackoffMs ?? 30_000,
          (options.backoffMs ?? 500) * 2 ** Math.min(n - 1, 16),
        );
      }
      this.stats.retries++;
      options.onRetry?.({ attempt: n, waitMs: wait, error });
      // Back at the head of its chat's line before the chat is free again: nothing overtakes it.
      next = this.acquire(
        { key: options.key, priority: options.priority, notBefore: this.clock() + wait },
        true,
      );
      next.catch(() => {});
      permit.release();
    }
  }

  /**
   * Stops: every send waiting for a slot (or for its next attempt) rejects with
   * {@link OutboundClosedError}; sends in flight finish. Replies kept in the database stay pending
   * and go after the next start.
   */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const c of [...this.ready, ...this.chats.values()]) {
      for (const w of c.queue.splice(0)) {
        if (w.timer) clearTimeout(w.timer);
        w.reject(new OutboundClosedError());
      }
    }
    this.ready.clear();
  }

  /** Holds every send for `ms` (a platform-wide `retry_after`), or only the chat `key`'s sends. */
  pause(ms: number, key?: string): void {
    const until = this.clock() + ms + this.safety;
    if (key === undefined) {
      if (until > this.pausedUntil) this.pausedUntil = until;
    } else {
      const chat = this.chat(key);
      if (until > chat.pausedUntil) chat.pausedUntil = until;
    }
    this.stats.pauses++;
    this.pump();
  }

  /** The old name of {@link pause} for the whole bot (broadcast dispatcher). */
  pauseFor(ms: number): void {
    this.pause(ms);
  }

  /** A chat's state; a send without a key gets a state of its own (no order, no chat limits). */
  private chat(key: string | undefined): ChatState {
    let c = key === undefined ? undefined : this.chats.get(key);
    if (!c) {
      const burst = this.profile.perChat?.burst ?? 1;
      c = {
        key,
        queue: [],
        busy: false,
        tokens: burst,
        lastAt: Number.NEGATIVE_INFINITY,
        pausedUntil: 0,
        group: key !== undefined && this.profile.isGroup?.(key) ? [] : undefined,
      };
      if (key !== undefined) this.chats.set(key, c);
    }
    return c;
  }

  private countRecent(now: number, window: number): number {
    const cutoff = now - window;
    while (this.recentHead < this.recent.length && this.recent[this.recentHead]! <= cutoff) this.recentHead++;
    if (this.recentHead > 4096 && this.recentHead * 2 > this.recent.length) {
      this.recent = this.recent.slice(this.recentHead);
      this.recentHead = 0;
    }
    return this.recent.length - this.recentHead;
  }

  /** Ms until the platform-wide limits allow one more send (Infinity: when a send in flight completes). */
  private globalWait(now: number): number {
    const p = this.profile;
    if (this.inFlight >= (p.maxConcurrent ?? 64)) return Number.POSITIVE_INFINITY;
    let wait = Math.max(0, this.pausedUntil - now, this.nextStartAt - now);
    if (p.global) {
      const window = p.global.windowMs + this.safety;
      const used = this.inFlight + this.countRecent(now, window);
      if (used >= p.global.limit) {
        const index = this.recentHead + (used - p.global.limit);
        const t = this.recent[index];
        if (t === undefined) return Number.POSITIVE_INFINITY;
        wait = Math.max(wait, t + window - now);
      }
    }
    return wait;
  }

  /** Ms until chat `c`'s head may go, as far as the chat's own limits are concerned. */
  private chatWait(c: ChatState, now: number): number {
    const head = c.queue[0]!;
    let wait = Math.max(0, c.pausedUntil - now, head.notBefore - now);
    const per = this.profile.perChat;
    if (per && c.key !== undefined) {
      const tokens = Math.min(per.burst, c.tokens + ((now - c.lastAt) * per.ratePerSecond) / 1000);
      if (tokens < 1) wait = Math.max(wait, ((1 - tokens) * 1000) / per.ratePerSecond + this.safety);
    }
    const g = this.profile.perGroup;
    if (g && c.group) {
      const window = g.windowMs + this.safety;
      while (c.group.length > 0 && c.group[0]! <= now - window) c.group.shift();
      if (c.group.length >= g.limit) wait = Math.max(wait, c.group[c.group.length - g.limit]! + window - now);
    }
    return wait;
  }

  private estimateWait(c: ChatState): number {
    const now = this.clock();
    const g = this.globalWait(now);
    return Math.max(Number.isFinite(g) ? g : 1000, c.queue.length ? this.chatWait(c, now) : 0);
  }

  private pump(): void {
    if (this.closed) return;
    for (;;) {
      if (this.ready.size === 0) return;
      const now = this.clock();
      const global = this.globalWait(now);
      let best: ChatState | undefined;
      let soonest = Number.POSITIVE_INFINITY;
      for (const c of this.ready) {
        const wait = this.chatWait(c, now);
        if (wait > 0) {
          soonest = Math.min(soonest, wait);
          continue;
        }
        const head = c.queue[0]!;
        const b = best?.queue[0];
        if (
          !b ||
          (head.priority === "reply" && b.priority !== "reply") ||
          (head.priority === b.priority && head.seq < b.seq)
        )
          best = c;
      }
      if (!best) {
        if (Number.isFinite(soonest))
          this.wakeIn(Math.max(soonest, Number.isFinite(global) ? global : 0), now);
        return;
      }
      if (global > 0) {
        if (Number.isFinite(global)) this.wakeIn(global, now);
        return;
      }
      this.grant(best, now);
    }
  }

  private grant(c: ChatState, now: number): void {
    const w = c.queue.shift()!;
    if (w.timer) clearTimeout(w.timer);
    c.busy = true;
    this.ready.delete(c);
    this.inFlight++;
    this.stats.granted++;
    const p = this.profile;
    if (p.minIntervalMs) this.nextStartAt = now + p.minIntervalMs + this.random() * (p.jitterMs ?? 0);
    let released = false;
    w.resolve({
      release: () => {
        if (released) return;
        released = true;
        this.inFlight--;
        const at = this.clock();
        if (p.global) this.recent.push(at);
        if (p.perChat && c.key !== undefined) {
          const tokens = Math.min(
            p.perChat.burst,
            c.tokens + ((at - c.lastAt) * p.perChat.ratePerSecond) / 1000,
          );
          c.tokens = tokens - 1;
          c.lastAt = at;
        }
        c.group?.push(at);
        c.busy = false;
        if (c.queue.length > 0) this.ready.add(c);
        else this.forgetIfIdle(c, at);
        this.pump();
      },
    });
  }

  /** Drops the state of a chat that has nothing queued and whose limits are fully recovered. */
  private forgetIfIdle(c: ChatState, now: number): void {
    if (this.chats.size < 10_000 || c.key === undefined) return;
    const per = this.profile.perChat;
    const full = !per || c.tokens + ((now - c.lastAt) * per.ratePerSecond) / 1000 >= per.burst;
    if (full && !c.group && c.pausedUntil <= now) this.chats.delete(c.key);
  }

  private wakeIn(ms: number, now: number): void {
    const at = now + ms;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, Math.ceil(ms)),
    );
  }
}
