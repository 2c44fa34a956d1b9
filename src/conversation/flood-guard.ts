/**
 * A per-contact token bucket that notices floods: `burst` messages at once, refilled at `perSecond`.
 * Over the limit, a message is still handled (nothing is lost) but the contact is told, once per
 * flood, to slow down, and the host may delay processing by {@link FloodGuard.check}'s `delayMs`.
 */
export class FloodGuard {
  private readonly buckets = new Map<string, { tokens: number; at: number; warned: boolean }>();

  constructor(private readonly options: { burst: number; perSecond: number } = { burst: 20, perSecond: 1 }) {}

  /**
   * Takes one token for `key` at time `now` (ms). Returns whether the contact is flooding, whether
   * this is the first message of the flood (send the polite notice), and how long to wait.
   */
  check(key: string, now: number): { flooding: boolean; warn: boolean; delayMs: number } {
    const { burst, perSecond } = this.options;
    const b = this.buckets.get(key) ?? { tokens: burst, at: now, warned: false };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    b.tokens -= 1;
    // Most recently seen last, so the forgettable ones are at the front.
    this.buckets.delete(key);
    this.buckets.set(key, b);
    this.forgetRefilled(now);
    if (b.tokens >= 0) {
      if (b.tokens >= burst / 2) b.warned = false;
      return { flooding: false, warn: false, delayMs: 0 };
    }
    const warn = !b.warned;
    b.warned = true;
    return { flooding: true, warn, delayMs: Math.min(5000, Math.ceil((-b.tokens / perSecond) * 1000)) };
  }

  /** How many contacts are remembered (those seen within the time a bucket takes to refill). */
  get size(): number {
    return this.buckets.size;
  }

  /**
   * Forgets the contacts whose bucket has refilled since they were last seen: a fresh bucket would
   * behave the same, so the map holds only recently active contacts. Stops at the first recent one
   * (the map is in order of last use), so this costs next to nothing per message.
   */
  private forgetRefilled(now: number): void {
    const refillMs = (this.options.burst / this.options.perSecond) * 1000;
    for (const [key, b] of this.buckets) {
      if (now - b.at <= refillMs) break;
      this.buckets.delete(key);
    }
  }
}
