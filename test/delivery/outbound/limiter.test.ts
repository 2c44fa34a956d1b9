/**
 * The one send limiter of a bot: a chat's sends in order even when one is retried, a chat held by
 * its `retry_after` never holding up another, the per-chat burst and the group window, replies
 * before bulk among chats, retries that honour `retry_after` exactly, and closing. Assertions are
 * about order and spacing (which a slow machine can only make larger), never about durations.
 */
import { describe, expect, it } from "vitest";
import {
  type LimitProfile,
  OutboundClosedError,
  OutboundLimiter,
  type Verdict,
} from "../../../src/delivery/outbound/limiter.js";

const clock = () => performance.now();
const busy = (afterMs?: number): Verdict => ({ retry: true, ...(afterMs ? { afterMs, scope: "chat" } : {}) });
class Busy extends Error {
  constructor(readonly afterMs?: number) {
    super("busy");
  }
}
const verdict = (e: unknown): Verdict => (e instanceof Busy ? busy(e.afterMs) : { retry: false });
const open: LimitProfile = { name: "test", global: { limit: 1000, windowMs: 1000 } };

describe("OutboundLimiter", () => {
  it("keeps one chat's sends in order while the first is retried after a retry_after", async () => {
    const limiter = new OutboundLimiter(open, clock);
    const log: { label: string; at: number }[] = [];
    let refusals = 2;
    let refusedAt = 0;
    const send = (label: string) =>
      limiter.send(
        { key: "7", priority: "reply", backoffMs: 1 },
        async () => {
          log.push({ label, at: clock() });
          if (label === "a" && refusals-- > 0) {
            refusedAt = clock();
            throw new Busy(40);
          }
          return label;
        },
        verdict,
      );
    const results = await Promise.all([send("a"), send("b"), send("c")]);
    expect(results).toEqual(["a", "b", "c"]);
    expect(log.map((l) => l.label)).toEqual(["a", "a", "a", "b", "c"]);
    // Each retry waited the retry_after from the refusal before it (never earlier).
    expect(log[1]!.at - log[0]!.at).toBeGreaterThanOrEqual(40);
    expect(log[2]!.at).toBeGreaterThanOrEqual(refusedAt + 40);
  });

  it("a chat waiting out a long retry_after does not hold up another chat", async () => {
    const limiter = new OutboundLimiter(open, clock);
    let slowDone = false;
    let first = true;
    const slow = limiter
      .send(
        { key: "1", priority: "reply" },
        async () => {
          if (first) {
            first = false;
            throw new Busy(300);
          }
        },
        verdict,
      )
      .then(() => {
        slowDone = true;
      });
    await new Promise((r) => setTimeout(r, 5));
    await limiter.send({ key: "2", priority: "reply" }, async () => "ok", verdict);
    expect(slowDone).toBe(false);
    await slow;
    expect(slowDone).toBe(true);
  });

  it("a chat's burst, then its sustained rate; a group's window", async () => {
    const limiter = new OutboundLimiter(
      {
        name: "t",
        perChat: { ratePerSecond: 20, burst: 3 },
        perGroup: { limit: 2, windowMs: 150 },
        isGroup: (k) => k.startsWith("-"),
        safetyMs: 0,
      },
      clock,
    );
    const spans: { key: string; start: number; end: number }[] = [];
    const send = (key: string) =>
      limiter.run(
        async () => {
          const start = clock();
          await new Promise((r) => setTimeout(r, 1));
          spans.push({ key, start, end: clock() });
        },
        { key },
      );
    await Promise.all([
      ...Array.from({ length: 5 }, () => send("5")),
      ...Array.from({ length: 3 }, () => send("-9")),
    ]);
    const chat = spans.filter((s) => s.key === "5");
    expect(chat).toHaveLength(5);
    // One in flight at a time, and the bucket (3 at once, then one per 50 ms, counted from
    // completions): sends i..j never outnumber the burst plus what the time between allows.
    for (let j = 1; j < chat.length; j++) {
      expect(chat[j]!.start).toBeGreaterThanOrEqual(chat[j - 1]!.end);
      for (let i = 0; i < j; i++)
        expect(j - i + 1).toBeLessThanOrEqual(3 + (chat[j]!.start - chat[i]!.end) / 50 + 1e-6);
    }
    // The fourth had to wait for a token: three at once is the most the burst allows.
    expect(chat[3]!.start - chat[0]!.end).toBeGreaterThanOrEqual(50 - 1);
    const group = spans.filter((s) => s.key === "-9");
    expect(group[2]!.start - group[0]!.end).toBeGreaterThanOrEqual(150 - 1);
  });

  it("among chats that may send, replies go before bulk work", async () => {
    const limiter = new OutboundLimiter(
      { name: "t", global: { limit: 1, windowMs: 30 }, safetyMs: 0 },
      clock,
    );
    const order: string[] = [];
    const job = (label: string, key: string, priority: "reply" | "bulk") =>
      limiter.run(async () => void order.push(label), { key, priority });
    await Promise.all([
      job("b0", "1", "bulk"),
      job("b1", "2", "bulk"),
      job("b2", "3", "bulk"),
      job("r0", "4", "reply"),
      job("r1", "5", "reply"),
    ]);
    expect(order).toEqual(["b0", "r0", "r1", "b1", "b2"]);
  });

  it("gives up after maxAttempts for bulk work, and never for a reply while the platform is busy", async () => {
    const limiter = new OutboundLimiter(open, clock);
    let bulkTries = 0;
    await expect(
      limiter.send(
        { key: "1", priority: "bulk", maxAttempts: 1 },
        async () => {
          bulkTries++;
          throw new Busy();
        },
        verdict,
      ),
    ).rejects.toBeInstanceOf(Busy);
    expect(bulkTries).toBe(1);
    let replyTries = 0;
    await limiter.send(
      { key: "1", priority: "reply", backoffMs: 1, maxBackoffMs: 2 },
      async () => {
        if (++replyTries < 25) throw new Busy();
      },
      verdict,
    );
    expect(replyTries).toBe(25);
    // A refusal that is not "busy" is final at once.
    await expect(
      limiter.send(
        { key: "1", priority: "reply" },
        async () => {
          throw new Error("403 blocked");
        },
        verdict,
      ),
    ).rejects.toThrow("403 blocked");
  });

  it("close() stops sends waiting for a slot or a retry, so their replies stay saved", async () => {
    const limiter = new OutboundLimiter(open, clock);
    const waiting = limiter.send(
      { key: "1", priority: "reply" },
      async () => {
        throw new Busy(10_000);
      },
      verdict,
    );
    await new Promise((r) => setTimeout(r, 5));
    limiter.close();
    await expect(waiting).rejects.toBeInstanceOf(OutboundClosedError);
    await expect(limiter.run(async () => 1, { key: "2" })).rejects.toBeInstanceOf(OutboundClosedError);
  });
});
