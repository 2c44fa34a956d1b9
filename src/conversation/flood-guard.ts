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
    this.buckets.set(key, b);
    if (b.tokens >= 0) {
      if (b.tokens >= burst / 2) b.warned = false;
      return { flooding: false, warn: false, delayMs: 0 };
    }
    const warn = !b.warned;
    b.warned = true;
    return { flooding: true, warn, delayMs: Math.min(5000, Math.ceil((-b.tokens / perSecond) * 1000)) };
  }

  /** Forgets contacts idle for a while, so the map does not grow forever. */
  prune(now: number, idleMs = 10 * 60_000): void {
    for (const [k, b] of this.buckets) if (now - b.at > idleMs) this.buckets.delete(k);
  }
}
