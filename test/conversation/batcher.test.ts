/**
 * Batched statements of conversation steps (group commit): many contacts' steps in one statement must behave, for each
 * contact, exactly like committing that step alone (version check, duplicate message ids, new
 * sessions, status-only steps, language changes), on PGlite and on PostgreSQL.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Batcher } from "../../src/conversation/batcher.js";
import {
  commitTurns,
  openTurn,
  openTurns,
  type PendingCommit,
  type Turn,
} from "../../src/conversation/store.js";
import { rowsOf } from "../../src/db/client.js";
import type { Session } from "../../src/engine/types.js";
import { freshDatabase, testDrivers } from "../support/db.js";

const NOW = new Date("2024-11-20T03:00:00Z");

function session(stepId: string, lang: "id" | "en" = "id"): Session {
  return {
    flowId: "complaint",
    stepId,
    lang,
    answers: { step: stepId },
    vars: {},
    history: [],
    status: "active",
    startedAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
}

describe.each(testDrivers())("group commit on %s", (driver) => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    h = await freshDatabase(driver);
  });
  afterAll(() => h.drop());

  const open = (chat: string, message: string) => openTurn(h.db, "web", chat, message, "id", NOW);
  const stored = async (contactId: number) => {
    const result = await h.db.execute(
      sql`select state->>'stepId' as step, version from sessions where contact_id = ${contactId}`,
    );
    return rowsOf<{ step: string; version: number }>(result)[0];
  };
  const handled = async (message: string) => {
    const result = await h.db.execute(
      sql`select count(*)::int as n from inbound_messages where channel = 'web' and message_id = ${message}`,
    );
    return rowsOf<{ n: number }>(result)[0]!.n;
  };

  it("commits new sessions, updates, status-only steps and language changes of many contacts at once", async () => {
    const a = await open("a", "a1");
    const b = await open("b", "b1");
    const c = await open("c", "c1");
    const first = await commitTurns(h.db, [
      { turn: a, session: session("category"), now: NOW },
      { turn: b, session: session("category", "en"), now: NOW },
      { turn: c, session: null, now: NOW },
    ]);
    expect(first).toEqual([true, true, true]);
    expect(await stored(a.contactId)).toEqual({ step: "category", version: 1 });
    expect(await stored(c.contactId)).toBeUndefined();
    expect(await handled("c1")).toBe(1);
    const b2 = await open("b", "b2");
    expect(b2.lang).toBe("en");

    const a2: Turn = { ...a, messageId: "a2", version: 1 };
    const second = await commitTurns(h.db, [
      { turn: a2, session: session("account"), now: NOW },
      { turn: b2, session: session("account", "en"), now: NOW },
    ]);
    expect(second).toEqual([true, true]);
    expect(await stored(a.contactId)).toEqual({ step: "account", version: 2 });
    expect(await stored(b.contactId)).toEqual({ step: "account", version: 2 });
  });

  it("a stale version or an already handled message fails only that contact's step", async () => {
    const d = await open("d", "d1");
    const e = await open("e", "e1");
    expect(
      await commitTurns(h.db, [
        { turn: d, session: session("category"), now: NOW },
        { turn: e, session: session("category"), now: NOW },
      ]),
    ).toEqual([true, true]);
    // d's cached turn is stale (another process saved version 2); e repeats a handled message id.
    await h.db.execute(sql`update sessions set version = 2 where contact_id = ${d.contactId}`);
    const results = await commitTurns(h.db, [
      { turn: { ...d, messageId: "d2", version: 1 }, session: session("account"), now: NOW },
      { turn: { ...e, messageId: "e1", version: 1 }, session: session("account"), now: NOW },
      { turn: { ...e, messageId: "e-status", contactId: e.contactId, version: 1 }, session: null, now: NOW },
    ]);
    expect(results).toEqual([false, false, true]);
    expect(await stored(d.contactId)).toEqual({ step: "category", version: 2 });
    expect(await stored(e.contactId)).toEqual({ step: "category", version: 1 });
    expect(await handled("d2")).toBe(0);
  });

  it("opens the turns of many contacts at once: new and known contacts, sessions, handled messages", async () => {
    const known = await open("g0", "g0-1");
    await commitTurns(h.db, [{ turn: known, session: session("category"), now: NOW }]);
    const turns = await openTurns(h.db, [
      { channel: "web", chatId: "g1", messageId: "g1-1", lang: "en", now: NOW },
      { channel: "web", chatId: "g0", messageId: "g0-1", lang: "id", now: NOW },
      { channel: "web", chatId: "g0x", messageId: "g0x-1", lang: "id", now: NOW },
    ]);
    expect(turns.map((t) => [t.lang, t.version, t.seen, t.session?.stepId ?? null])).toEqual([
      ["en", 0, false, null],
      ["id", 1, true, "category"],
      ["id", 0, false, null],
    ]);
    expect(turns[1]!.contactId).toBe(known.contactId);
    expect(new Set(turns.map((t) => t.contactId)).size).toBe(3);
  });

  it("the batcher gives each caller its own result, and a failing batch is retried item by item", async () => {
    const turns = await Promise.all(Array.from({ length: 30 }, (_, i) => open(`f${i}`, `f${i}-1`)));
    const sizes: number[] = [];
    const batcher = new Batcher<PendingCommit, boolean>((items) => {
      sizes.push(items.length);
      return commitTurns(h.db, items);
    });
    const results = await Promise.all(
      turns.map((turn) => batcher.submit({ turn, session: session("category"), now: NOW })),
    );
    expect(results.every((r) => r === true)).toBe(true);
    expect(sizes).toEqual([30]);
    for (const t of turns.slice(0, 3))
      expect(await stored(t.contactId)).toEqual({ step: "category", version: 1 });

    // A duplicate delivery of a step is not recorded; the other contacts in the same batch are.
    const again = await Promise.all([
      batcher.submit({ turn: { ...turns[0]!, version: 1 }, session: session("account"), now: NOW }),
      batcher.submit({
        turn: { ...turns[1]!, messageId: "f1-2", version: 1 },
        session: session("account"),
        now: NOW,
      }),
    ]);
    expect(again).toEqual([false, true]);
    expect(await stored(turns[1]!.contactId)).toEqual({ step: "account", version: 2 });

    // At most two statements run at once; what arrives meanwhile goes together in the next one.
    let running = 0;
    let most = 0;
    const calls: number[][] = [];
    const slow = new Batcher<number, number>(async (items) => {
      calls.push(items);
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return items;
    });
    const first = [slow.submit(1)];
    await new Promise((r) => setImmediate(r));
    const second = [slow.submit(2)];
    await new Promise((r) => setImmediate(r));
    const rest = [3, 4, 5, 6].map((n) => slow.submit(n));
    expect(await Promise.all([...first, ...second, ...rest])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(most).toBe(2);
    expect(calls).toEqual([[1], [2], [3, 4, 5, 6]]);

    // A batch that fails as a whole is run again one item at a time: only the bad item fails.
    const picky = new Batcher<number, number>(async (items) => {
      if (items.includes(13)) throw new Error("unlucky");
      return items.map((n) => n * 2);
    });
    const settled = await Promise.allSettled([1, 13, 3].map((n) => picky.submit(n)));
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((settled[2] as PromiseFulfilledResult<number>).value).toBe(6);
  });
});
