import { describe, expect, it } from "vitest";
import { FloodGuard } from "../../src/conversation/flood-guard.js";
import { SerialQueue } from "../../src/conversation/serial-queue.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("SerialQueue", () => {
  it("runs one key's tasks strictly in arrival order, even when earlier ones are slower", async () => {
    const q = new SerialQueue();
    const done: string[] = [];
    await Promise.all([
      q.run("a", async () => {
        await sleep(30);
        done.push("a1");
      }),
      q.run("a", async () => {
        done.push("a2");
      }),
      q.run("a", async () => {
        await sleep(5);
        done.push("a3");
      }),
    ]);
    expect(done).toEqual(["a1", "a2", "a3"]);
  });

  it("lets different keys run at the same time", async () => {
    const q = new SerialQueue();
    const done: string[] = [];
    const slow = q.run("a", async () => {
      await sleep(40);
      done.push("a");
    });
    await q.run("b", async () => {
      done.push("b");
    });
    expect(done).toEqual(["b"]);
    await slow;
    expect(done).toEqual(["b", "a"]);
  });

  it("a failing task rejects its caller but does not block the next one", async () => {
    const q = new SerialQueue();
    const failed = q.run("a", async () => {
      throw new Error("boom");
    });
    const next = q.run("a", async () => "ok");
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("ok");
    await q.idle();
    expect(q.activeKeys).toBe(0);
  });
});

describe("FloodGuard", () => {
  it("lets a burst through, then flags the flood once and asks to wait", () => {
    const g = new FloodGuard({ burst: 5, perSecond: 1 });
    const results = Array.from({ length: 8 }, () => g.check("c", 1000));
    expect(results.slice(0, 5).every((r) => !r.flooding)).toBe(true);
    expect(results.slice(5).map((r) => r.warn)).toEqual([true, false, false]);
    expect(results[7]!.delayMs).toBeGreaterThan(results[5]!.delayMs);
    expect(g.check("other", 1000).flooding).toBe(false);
  });

  it("refills over time and warns again after a calm period", () => {
    const g = new FloodGuard({ burst: 4, perSecond: 1 });
    for (let i = 0; i < 6; i++) g.check("c", 0);
    expect(g.check("c", 10_000)).toMatchObject({ flooding: false, warn: false });
    for (let i = 0; i < 3; i++) g.check("c", 10_000);
    expect(g.check("c", 10_000).warn).toBe(true);
  });

  it("remembers only contacts whose bucket has not refilled yet, however many have written", () => {
    const g = new FloodGuard({ burst: 4, perSecond: 1 }); // refilled after 4 s
    for (let i = 0; i < 10_000; i++) g.check(`c${i}`, i); // 10,000 contacts over 10 s
    expect(g.size).toBeLessThanOrEqual(4_001);
    expect(g.size).toBeGreaterThan(3_900);
    // A contact forgotten after refilling starts with a full bucket, as it would have had anyway.
    for (let i = 0; i < 4; i++) expect(g.check("c0", 20_000).flooding).toBe(false);
    expect(g.check("c0", 20_000)).toMatchObject({ flooding: true, warn: true });
  });
});
