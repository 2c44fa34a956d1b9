/**
 * The per-channel limiter: never more than the limit within a sliding window (measured from
 * completions, so the platform cannot count more), replies first and counted in the same window, a channel-wide pause,
 * per-chat spacing and WhatsApp-style spacing (the generic limiter itself: test/delivery/outbound/). Assertions are about order and spacing, which a slow
 * machine can only make larger, never about how long anything took.
 */
import { describe, expect, it } from "vitest";
import { RateLimiter, type RateLimitSettings } from "../../src/broadcasts/rate-limiter.js";

const clock = () => performance.now();

interface Span {
  start: number;
  end: number;
  label: string;
}

async function runAll(
  limiter: RateLimiter,
  jobs: { label: string; priority?: "reply" | "broadcast"; key?: string; holdMs?: number }[],
): Promise<Span[]> {
  const spans: Span[] = [];
  await Promise.all(
    jobs.map((j) =>
      limiter.run(
        async () => {
          const start = clock();
          await new Promise((r) => setTimeout(r, j.holdMs ?? 1));
          spans.push({ start, end: clock(), label: j.label });
        },
        { ...(j.priority ? { priority: j.priority } : {}), ...(j.key ? { key: j.key } : {}) },
      ),
    ),
  );
  return spans.sort((a, b) => a.start - b.start);
}

describe("RateLimiter", () => {
  it("never lets more than the limit start while earlier sends are in flight or completed within the window", async () => {
    const settings: RateLimitSettings = { perSecond: 5, windowMs: 100, safetyMs: 0 };
    const spans = await runAll(
      new RateLimiter(settings, clock),
      Array.from({ length: 25 }, (_, i) => ({ label: `b${i}`, holdMs: i % 4 })),
    );
    expect(spans).toHaveLength(25);
    for (const [j, s] of spans.entries()) {
      const busy = spans.slice(0, j).filter((o) => o.end > s.start - 100).length;
      expect(busy).toBeLessThanOrEqual(4);
    }
  });

  it("serves waiting replies before waiting broadcasts", async () => {
    const limiter = new RateLimiter({ perSecond: 1, windowMs: 20, safetyMs: 0 }, clock);
    const order: string[] = [];
    const job = (label: string, priority: "reply" | "broadcast") =>
      limiter.run(async () => void order.push(label), { priority });
    const all = [job("b1", "broadcast"), job("b2", "broadcast"), job("b3", "broadcast"), job("r1", "reply")];
    await Promise.all(all);
    expect(order).toEqual(["b1", "r1", "b2", "b3"]);
  });

  it("replies count against the same window as broadcasts (the platform counts them all) and go first", async () => {
    const limiter = new RateLimiter({ perSecond: 2, windowMs: 40, safetyMs: 0 }, clock);
    const spans = await runAll(limiter, [
      { label: "b0", priority: "broadcast" as const },
      { label: "b1", priority: "broadcast" as const },
      { label: "b2", priority: "broadcast" as const },
      ...Array.from({ length: 5 }, (_, i) => ({ label: `r${i}`, priority: "reply" as const, holdMs: 5 })),
    ]);
    expect(spans).toHaveLength(8);
    // Never more than two sends within a window, replies included.
    for (const [j, s] of spans.entries()) {
      const busy = spans.slice(0, j).filter((o) => o.end > s.start - 40).length;
      expect(busy).toBeLessThanOrEqual(1);
    }
    // b0 and b1 filled the window at once (nothing was waiting); every reply then went before the
    // waiting broadcast b2.
    expect(spans.slice(0, 2).map((x) => x.label)).toEqual(["b0", "b1"]);
    const b2 = spans.find((x) => x.label === "b2")!;
    for (const r of spans.filter((x) => x.label.startsWith("r"))) expect(r.start).toBeLessThan(b2.start);
  });

  it("a pause (429 retry_after) holds every send, replies too, until it ends", async () => {
    const limiter = new RateLimiter({ perSecond: 100 }, clock);
    const pausedAt = clock();
    limiter.pauseFor(60);
    const spans = await runAll(limiter, [
      { label: "b", priority: "broadcast" },
      { label: "r", priority: "reply" },
    ]);
    for (const s of spans) expect(s.start).toBeGreaterThanOrEqual(pausedAt + 60 - 1);
    expect(limiter.stats.pauses).toBe(1);
  });

  it("spaces broadcasts to the same chat, but not replies", async () => {
    const limiter = new RateLimiter({ perSecond: 100, perChatIntervalMs: 50 }, clock);
    const spans = await runAll(limiter, [
      { label: "b1", key: "42" },
      { label: "b2", key: "42" },
      { label: "other", key: "43" },
    ]);
    const b1 = spans.find((s) => s.label === "b1")!;
    const b2 = spans.find((s) => s.label === "b2")!;
    const other = spans.find((s) => s.label === "other")!;
    expect(b2.start).toBeGreaterThanOrEqual(b1.end + 50 - 1);
    expect(other.start).toBeLessThan(b2.start);
    const replies = await runAll(limiter, [
      { label: "r1", key: "42", priority: "reply" },
      { label: "r2", key: "42", priority: "reply" },
    ]);
    expect(replies).toHaveLength(2);
  });

  it("WhatsApp Web style: one at a time, at least the interval apart, plus jitter", async () => {
    const limiter = new RateLimiter(
      { perSecond: 1000, minIntervalMs: 30, jitterMs: 20, maxConcurrent: 1 },
      clock,
      () => 0.5,
    );
    const spans = await runAll(limiter, [{ label: "1" }, { label: "2" }, { label: "3" }]);
    for (let i = 1; i < spans.length; i++) {
      expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.start + 40 - 1);
      expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
    }
  });
});
