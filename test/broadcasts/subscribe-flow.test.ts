/**
 * Opting in through the flow (web channel through the conversation service, and Telegram through
 * the Bot API stand-in), and the opt-out words: with a subscription they unsubscribe (a complaint in
 * progress is kept), without one they cancel as before.
 */
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcastSubscribers, contacts } from "../../src/db/schema/index.js";
import { type BotApiStub, startBotApiStub } from "../support/bot-api-stub.js";
import { testDrivers } from "../support/db.js";
import { say, startTestApp } from "./support.js";

const TOKEN = "515151:TEST-token-for-broadcast-flow-tests";

describe.each(testDrivers())("subscribing and opting out on %s", (driver) => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let stub: BotApiStub;
  beforeAll(async () => {
    stub = await startBotApiStub({ token: TOKEN });
    t = await startTestApp(driver, { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: stub.apiRoot });
  });
  afterAll(async () => {
    await t?.drop();
    await stub?.close();
  });

  const subscriptionsOf = async (channel: "web" | "telegram", externalId: string) => {
    const db = t.app.services.database.db;
    return db
      .select({ s: broadcastSubscribers })
      .from(broadcastSubscribers)
      .innerJoin(contacts, eq(contacts.id, broadcastSubscribers.contactId))
      .where(and(eq(contacts.channel, channel), eq(contacts.externalId, externalId)))
      .orderBy(broadcastSubscribers.id)
      .then((rows) => rows.map((r) => r.s));
  };

  it("/langganan as a civil servant for a typed regency: one open subscription with its regions", async () => {
    const replies = await say(t.app, "v1", [
      { kind: "command", name: "langganan", args: "" },
      { kind: "choice", value: "asn" },
      { kind: "choice", value: "regency" },
      { kind: "text", text: "kota metro" },
      { kind: "choice", value: "yes" },
      { kind: "choice", value: "yes" },
    ]);
    expect(replies[0]).toMatch(/berlangganan sebagai/);
    expect(replies[4]).toMatch(/Kota Metro, Lampung.*Setuju\?/s);
    expect(replies[5]).toMatch(/sudah berlangganan/);
    const subs = await subscriptionsOf("web", "v1");
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({
      role: "asn",
      scope: "regency",
      regencyCode: "18.72",
      provinceCode: "18",
      lang: "id",
      optedInVia: "flow:subscribe",
      optedOutAt: null,
    });
  });

  it("from the main menu, for all of Indonesia; subscribing again replaces the old row (kept)", async () => {
    const replies = await say(
      t.app,
      "v1",
      [
        { kind: "text", text: "halo" },
        { kind: "choice", value: "subscribe" },
        { kind: "choice", value: "warga" },
        { kind: "choice", value: "national" },
        { kind: "text", text: "ya" },
      ],
      10,
    );
    expect(replies[0]).toMatch(/Langganan pengingat netralitas/);
    expect(replies[3]).toMatch(/seluruh Indonesia/);
    const subs = await subscriptionsOf("web", "v1");
    expect(subs).toHaveLength(2);
    expect(subs[0]).toMatchObject({ scope: "regency", optedOutVia: "replaced" });
    expect(subs[0]!.optedOutAt).toBeInstanceOf(Date);
    expect(subs[1]).toMatchObject({
      scope: "national",
      role: "warga",
      regencyCode: null,
      provinceCode: null,
      optedOutAt: null,
    });
  });

  it("declining at the confirmation subscribes nobody", async () => {
    const replies = await say(t.app, "v2", [
      { kind: "command", name: "langganan", args: "" },
      { kind: "choice", value: "warga" },
      { kind: "choice", value: "province" },
      { kind: "text", text: "lampung" },
      { kind: "choice", value: "yes" },
      { kind: "choice", value: "no" },
    ]);
    expect(replies.at(-1)).toMatch(/tidak berlangganan/);
    expect(await subscriptionsOf("web", "v2")).toHaveLength(0);
  });

  it("'berhenti' in the middle of a complaint unsubscribes and keeps the complaint", async () => {
    const before = await say(
      t.app,
      "v1",
      [
        { kind: "command", name: "lapor", args: "" },
        { kind: "choice", value: "tip" },
      ],
      20,
    );
    expect(before[1]).toMatch(/Apa yang dilakukan ASN/);
    const [stop] = await say(t.app, "v1", [{ kind: "text", text: "berhenti" }], 30);
    expect(stop).toMatch(/sudah berhenti berlangganan/);
    expect(stop).toMatch(/tetap tersimpan.*batal/s);
    const subs = await subscriptionsOf("web", "v1");
    expect(subs.filter((s) => s.optedOutAt === null)).toHaveLength(0);
    expect(subs.at(-1)).toMatchObject({ optedOutVia: "word", optedOutReason: "berhenti" });
    // The complaint goes on at the question it was at.
    const [next] = await say(t.app, "v1", [{ kind: "choice", value: "fasilitas_negara" }], 31);
    expect(next).toMatch(/Ceritakan kejadiannya/);
  });

  it("'berhenti' without a subscription cancels the complaint, as before", async () => {
    const [, , stop] = await say(t.app, "v3", [
      { kind: "command", name: "lapor", args: "" },
      { kind: "choice", value: "tip" },
      { kind: "text", text: "Berhenti" },
    ]);
    expect(stop).toMatch(/dibatalkan/);
    expect(stop).not.toMatch(/berlangganan/);
    const [after] = await say(t.app, "v3", [{ kind: "choice", value: "fasilitas_negara" }], 10);
    expect(after).not.toMatch(/Ceritakan kejadiannya/);
  });

  it("on Telegram: /langganan with the buttons, then /berhenti", async () => {
    const user = stub.user("Sari");
    const next = (re: RegExp) =>
      stub.waitForMessage(user.id, { timeoutMs: 15_000, match: (m) => re.test(m.text ?? "") });
    stub.sendCommand(user, "/langganan");
    stub.pressButton(user, await next(/berlangganan sebagai/), "c:warga");
    stub.pressButton(user, await next(/wilayah mana/), "c:province");
    await next(/provinsi mana/);
    stub.sendText(user, "lampung");
    stub.pressButton(user, await next(/Lampung\?/), "c:yes");
    stub.pressButton(user, await next(/Setuju\?/), "c:yes");
    await next(/sudah berlangganan/);
    const subs = await subscriptionsOf("telegram", String(user.id));
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({
      channel: "telegram",
      scope: "province",
      provinceCode: "18",
      regencyCode: null,
    });
    stub.sendCommand(user, "/berhenti");
    const bye = await next(/berhenti berlangganan/);
    expect(bye.text).not.toMatch(/tetap tersimpan/);
    const open = await t.app.services.database.db
      .select()
      .from(broadcastSubscribers)
      .where(and(eq(broadcastSubscribers.id, subs[0]!.id), isNull(broadcastSubscribers.optedOutAt)));
    expect(open).toHaveLength(0);
  });
});
