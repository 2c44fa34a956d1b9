/**
 * A per-channel send limiter shared by broadcasts and citizens' replies, with replies first.
 *
 * It is a token bucket whose tokens come back one window after the send they paid for has
 * *completed*: at most `perSecond` sends start within any sliding `windowMs`, measured so that the
 * platform, which counts arrivals, can never see more (a send arrives between its start and its
 * completion). A plain bucket with a burst of N admits up to N + rate sends in one second, which is
 * exactly what Telegram answers with 429; this one does not, and still runs at the full rate.
 *
 * Also, optionally: a minimum gap between two sends to the same chat (broadcasts only: Telegram
 * asks for about one message per second per chat), a minimum gap between any two sends with random
 * jitter (WhatsApp Web, which must look like a person), a cap on sends in flight, and a pause of the
 * whole channel (a 429 `retry_after`). Replies go first and are never slowed: they wait only
 * for a pause, and the sends they make count against the window, so broadcasts yield to them.
 *
 * @example
 * const limiter = new RateLimiter({ perSecond: 30, perChatIntervalMs: 1000 });
 * await limiter.run(() => api.sendMessage(chat, text), { priority: "broadcast", key: chat });
 */

/** How many waiting broadcasts are looked at for one whose chat is free. */
const HEAD_SCAN = 32;

/** Settings of one channel's limiter. */
export interface RateLimitSettings {
  /** Sends per sliding window (default window 1 s). `Infinity` = no rate limit. */
  perSecond: number;
  windowMs?: number;
  /** Added to the window, for clock granularity (default 5 ms). */
  safetyMs?: number;
  /** Minimum ms between two broadcast sends to the same chat. */
  perChatIntervalMs?: number;
  /** Minimum ms between any two sends (WhatsApp Web). */
  minIntervalMs?: number;
  /** Up to this many ms are added at random to `minIntervalMs`. */
  jitterMs?: number;
  /** Sends in flight at once (default 64). */
  maxConcurrent?: number;
}

/** Who is asking: a citizen's reply goes before a broadcast. */
export type SendPriority = "reply" | "broadcast";

/** A granted send; call `release()` when the request completed (success or failure). */
export interface Permit {
  release(): void;
}

interface Waiter {
  key: string | undefined;
  resolve: (p: Permit) => void;
}

/** See the module comment. */
export class RateLimiter {
  private readonly window: number;
  private readonly maxConcurrent: number;
  private readonly replies: Waiter[] = [];
  private readonly broadcasts: Waiter[] = [];
  /** Completion times of recent sends, oldest first. */
  private recent: number[] = [];
  private recentHead = 0;
  private inFlight = 0;
  private nextStartAt = 0;
  private pausedUntil = 0;
  private readonly lastByChat = new Map<string, number>();
  /** Chats with a broadcast send in flight. */
  private readonly busyChats = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  /** Counters for admins and benchmarks. */
  readonly stats = { granted: 0, pauses: 0 };

  constructor(
    readonly settings: RateLimitSettings,
    private readonly clock: () => number = () => performance.now(),
    private readonly random: () => number = Math.random,
  ) {
    if (!(settings.perSecond > 0)) throw new RangeError("perSecond must be more than 0");
    this.window = (settings.windowMs ?? 1000) + (settings.safetyMs ?? 5);
    this.maxConcurrent = settings.maxConcurrent ?? 64;
  }

  /** Waits for a send slot. Replies are served before broadcasts. */
  acquire(options: { priority?: SendPriority; key?: string } = {}): Promise<Permit> {
    return new Promise((resolve) => {
      const w: Waiter = { key: options.key, resolve };
      if (options.priority === "reply") this.replies.push(w);
      else this.broadcasts.push(w);
      this.pump();
    });
  }

  /** Runs `task` in a slot and gives the slot back when it settles. */
  async run<T>(task: () => Promise<T>, options: { priority?: SendPriority; key?: string } = {}): Promise<T> {
    const permit = await this.acquire(options);
    try {
      return await task();
    } finally {
      permit.release();
    }
  }

  /** Holds every send (replies too) for `ms`: the platform asked for it (429 retry_after). */
  pauseFor(ms: number): void {
    const until = this.clock() + ms;
    if (until > this.pausedUntil) {
      this.pausedUntil = until;
      this.stats.pauses++;
    }
    this.pump();
  }

  /** Sends waiting for a slot. */
  get waiting(): number {
    return this.replies.length + this.broadcasts.length;
  }

  private countRecent(now: number): number {
    const cutoff = now - this.window;
    while (this.recentHead < this.recent.length && this.recent[this.recentHead]! <= cutoff) this.recentHead++;
    if (this.recentHead > 4096 && this.recentHead * 2 > this.recent.length) {
      this.recent = this.recent.slice(this.recentHead);
      this.recentHead = 0;
    }
    return this.recent.length - this.recentHead;
  }

  /** Ms until `w` may start (0: now; Infinity: when a send in flight completes). */
  private waitFor(w: Waiter, broadcast: boolean, now: number): number {
    // A citizen's reply never waits for the rate or the spacing, only for a pause the platform
    // asked for; it is counted, so broadcasts make room for it.
    if (!broadcast) return Math.max(0, this.pausedUntil - now);
    let wait = Math.max(0, this.pausedUntil - now, this.nextStartAt - now);
    if (this.inFlight >= this.maxConcurrent) return Number.POSITIVE_INFINITY;
    if (Number.isFinite(this.settings.perSecond)) {
      const used = this.inFlight + this.countRecent(now);
      if (used >= this.settings.perSecond) {
        if (this.recent.length - this.recentHead === 0) return Number.POSITIVE_INFINITY;
        // Enough of the oldest completions must leave the window.
        const index = this.recentHead + (used - this.settings.perSecond);
        const t = this.recent[index];
        if (t === undefined) return Number.POSITIVE_INFINITY;
        wait = Math.max(wait, t + this.window - now);
      }
    }
    if (broadcast && w.key !== undefined && this.settings.perChatIntervalMs) {
      if (this.busyChats.has(w.key)) return Number.POSITIVE_INFINITY;
      const last = this.lastByChat.get(w.key);
      if (last !== undefined) wait = Math.max(wait, last + this.settings.perChatIntervalMs - now);
    }
    return wait;
  }

  private pump(): void {
    for (;;) {
      const now = this.clock();
      if (this.replies.length > 0) {
        const wait = this.waitFor(this.replies[0]!, false, now);
        if (wait > 0) {
          if (Number.isFinite(wait)) this.wakeIn(wait, now);
          return;
        }
        this.grant(this.replies.shift()!, false, now);
        continue;
      }
      // The first broadcast that may go; a chat waiting for its own spacing does not hold up
      // the others behind it (within the first few).
      let best = Number.POSITIVE_INFINITY;
      let index = -1;
      const scan = Math.min(this.broadcasts.length, HEAD_SCAN);
      for (let i = 0; i < scan; i++) {
        const wait = this.waitFor(this.broadcasts[i]!, true, now);
        if (wait === 0) {
          index = i;
          break;
        }
        best = Math.min(best, wait);
        // Waits that are not about one chat hold for every waiter alike.
        if (this.broadcasts[i]!.key === undefined || !this.settings.perChatIntervalMs) break;
      }
      if (index === -1) {
        if (Number.isFinite(best)) this.wakeIn(best, now);
        return;
      }
      const [w] = this.broadcasts.splice(index, 1);
      this.grant(w!, true, now);
    }
  }

  private grant(w: Waiter, broadcast: boolean, now: number): void {
    this.inFlight++;
    this.stats.granted++;
    if (this.settings.minIntervalMs)
      this.nextStartAt = now + this.settings.minIntervalMs + this.random() * (this.settings.jitterMs ?? 0);
    let released = false;
    const perChat = broadcast && w.key !== undefined && !!this.settings.perChatIntervalMs;
    if (perChat) this.busyChats.add(w.key!);
    w.resolve({
      release: () => {
        if (released) return;
        released = true;
        this.inFlight--;
        const at = this.clock();
        if (Number.isFinite(this.settings.perSecond)) this.recent.push(at);
        if (perChat) {
          this.busyChats.delete(w.key!);
          this.lastByChat.set(w.key!, at);
          if (this.lastByChat.size > 50_000) this.sweepChats(at);
        }
        this.pump();
      },
    });
  }

  private sweepChats(now: number): void {
    const keep = this.settings.perChatIntervalMs ?? 0;
    for (const [k, t] of this.lastByChat) if (t + keep <= now) this.lastByChat.delete(k);
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
