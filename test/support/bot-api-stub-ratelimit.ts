/**
 * Sliding-window counters for the Bot API stand-in's flood control.
 */

/** Timestamps (ms) of events in the last `windowMs`, stored in a compacting array queue. */
export class SlidingWindow {
  private times: number[] = [];
  private head = 0;
  constructor(readonly windowMs: number) {}

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    const t = this.times;
    while (this.head < t.length && t[this.head]! <= cutoff) this.head++;
    if (this.head > 1024 && this.head * 2 > t.length) {
      this.times = t.slice(this.head);
      this.head = 0;
    }
  }

  /** Number of events within the window ending at `now`. */
  count(now: number): number {
    this.prune(now);
    return this.times.length - this.head;
  }

  /** Milliseconds until the window holds fewer than `limit` events (0 if it already does). */
  msUntilBelow(limit: number, now: number): number {
    this.prune(now);
    const n = this.times.length - this.head;
    if (n < limit) return 0;
    // the (n - limit + 1)-th oldest event has to leave the window
    const t = this.times[this.head + (n - limit)]!;
    return Math.max(1, t + this.windowMs - now);
  }

  add(now: number): void {
    this.times.push(now);
  }

  /** True if no event is within the window (the window may be forgotten). */
  isIdle(now: number): boolean {
    return this.count(now) === 0;
  }
}

/** Sliding windows keyed by chat id, with periodic sweeping of idle chats. */
export class KeyedWindows {
  private readonly windows = new Map<number | string, SlidingWindow>();
  private adds = 0;
  constructor(readonly windowMs: number) {}

  get(key: number | string): SlidingWindow {
    let w = this.windows.get(key);
    if (!w) {
      w = new SlidingWindow(this.windowMs);
      this.windows.set(key, w);
    }
    return w;
  }

  peek(key: number | string): SlidingWindow | undefined {
    return this.windows.get(key);
  }

  add(key: number | string, now: number): void {
    this.get(key).add(now);
    if (++this.adds % 4096 === 0) this.sweep(now);
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (w.isIdle(now)) this.windows.delete(k);
  }
}

/**
 * Token buckets keyed by chat id: `burst` sends at once, refilled at `perSecond` (Telegram's "about
 * one message per second in a chat, short bursts allowed"). A send takes a token when it arrives.
 */
export class KeyedBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private takes = 0;
  constructor(
    readonly perSecond: number,
    readonly burst: number,
  ) {}

  private level(key: string, now: number): number {
    const b = this.buckets.get(key);
    if (!b) return this.burst;
    return Math.min(this.burst, b.tokens + ((now - b.at) * this.perSecond) / 1000);
  }

  /** Milliseconds until the chat has a token (0 if it has one now). */
  msUntilToken(key: string, now: number): number {
    const tokens = this.level(key, now);
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil(((1 - tokens) * 1000) / this.perSecond));
  }

  take(key: string, now: number): void {
    this.buckets.set(key, { tokens: this.level(key, now) - 1, at: now });
    if (++this.takes % 4096 === 0) {
      for (const [k] of this.buckets) if (this.level(k, now) >= this.burst) this.buckets.delete(k);
    }
  }
}
