/**
 * The broadcasts' view of a channel's ONE send limiter ({@link OutboundLimiter} in
 * `src/delivery/outbound/limiter.ts`): the same object paces citizens' replies, deliveries and
 * broadcasts, so together they stay within the platform's limits, and replies go first.
 *
 * Settings keep the broadcasts' vocabulary (`perSecond`, `perChatIntervalMs` …) and are turned
 * into a limit profile; a broadcast asks with priority `"broadcast"` (bulk work).
 *
 * @example
 * const limiter = new RateLimiter({ perSecond: 30, perChatIntervalMs: 1000 });
 * await limiter.run(() => api.sendMessage(chat, text), { priority: "broadcast", key: chat });
 */
import { type LimitProfile, OutboundLimiter, type Permit } from "../delivery/outbound/limiter.js";

export type { Permit };

/** Settings of one channel's limiter. */
export interface RateLimitSettings {
  /** Sends per sliding window (default window 1 s). `Infinity` = no rate limit. */
  perSecond: number;
  windowMs?: number;
  /** Added to computed waits, for clock granularity (default 5 ms). */
  safetyMs?: number;
  /** Minimum ms between two sends to the same chat (sustained; see `perChatBurst`). */
  perChatIntervalMs?: number;
  /** Sends a chat may receive at once before `perChatIntervalMs` applies (default 1). */
  perChatBurst?: number;
  /** Sends per minute to one group chat (Telegram: 20). */
  perGroupPerMinute?: number;
  /** Which addresses are group chats (Telegram: negative chat ids). */
  isGroup?: (key: string) => boolean;
  /** Minimum ms between any two sends (WhatsApp Web). */
  minIntervalMs?: number;
  /** Up to this many ms are added at random to `minIntervalMs`. */
  jitterMs?: number;
  /** Sends in flight at once (default 64). */
  maxConcurrent?: number;
}

/** Who is asking: a citizen's reply goes before a broadcast (and any other bulk work). */
export type SendPriority = "reply" | "broadcast" | "bulk";

/** The limit profile that the settings describe. */
export function profileOf(settings: RateLimitSettings, name = "channel"): LimitProfile {
  if (!(settings.perSecond > 0)) throw new RangeError("perSecond must be more than 0");
  return {
    name,
    ...(Number.isFinite(settings.perSecond)
      ? { global: { limit: settings.perSecond, windowMs: settings.windowMs ?? 1000 } }
      : {}),
    ...(settings.perChatIntervalMs
      ? {
          perChat: { ratePerSecond: 1000 / settings.perChatIntervalMs, burst: settings.perChatBurst ?? 1 },
        }
      : {}),
    ...(settings.perGroupPerMinute
      ? { perGroup: { limit: settings.perGroupPerMinute, windowMs: 60_000 } }
      : {}),
    ...(settings.isGroup ? { isGroup: settings.isGroup } : {}),
    ...(settings.minIntervalMs !== undefined ? { minIntervalMs: settings.minIntervalMs } : {}),
    ...(settings.jitterMs !== undefined ? { jitterMs: settings.jitterMs } : {}),
    ...(settings.maxConcurrent !== undefined ? { maxConcurrent: settings.maxConcurrent } : {}),
    ...(settings.safetyMs !== undefined ? { safetyMs: settings.safetyMs } : {}),
  };
}

/** See the module comment. */
export class RateLimiter extends OutboundLimiter {
  constructor(
    readonly settings: RateLimitSettings,
    clock?: () => number,
    random?: () => number,
  ) {
    super(profileOf(settings), clock, random);
  }

  /** Waits for a send slot. Replies are served before broadcasts. */
  override acquire(
    options: {
      priority?: SendPriority;
      key?: string | undefined;
      maxWaitMs?: number;
      notBefore?: number;
    } = {},
    front = false,
  ): Promise<Permit> {
    return super.acquire({ ...options, priority: options.priority === "reply" ? "reply" : "bulk" }, front);
  }

  /** Runs `task` in a slot and gives the slot back when it settles. */
  override run<T>(
    task: () => Promise<T>,
    options: { priority?: SendPriority; key?: string } = {},
  ): Promise<T> {
    return super.run(task, { ...options, priority: options.priority === "reply" ? "reply" : "bulk" });
  }
}
