/**
 * The watchdog and the paced outbox, through the real app with the fake WhatsApp Web: the page
 * "dies" (getState throws "Execution context was destroyed" and sends fail with "Target closed",
 * or a `disconnected` event), the client is destroyed and a new one started, and every message
 * queued before or while it was dead is sent after the restart, once each; replies go before bulk.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pacer } from "../../src/channels/whatsapp/pacing.js";
import { startWhatsAppApp, type WhatsAppTestApp } from "../support/whatsapp-fake-client.js";

const OFFICE = "120363011111111111@g.us";
const CITIZEN = "6281234560001@c.us";

describe("WhatsApp Web watchdog and outbox", () => {
  let t: WhatsAppTestApp;

  beforeAll(async () => {
    t = await startWhatsAppApp("pglite", { WHATSAPP_PAIRING_PHONE: "6281299990000" });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const until = async (what: string, condition: () => boolean) => {
    const deadline = Date.now() + 15_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it("a dead page is restarted and what was queued goes out after, once each, replies first", async () => {
    const { network, app } = t;
    const channel = app.whatsapp!;
    await until("the first client to be ready", () => channel.status().state === "ready");
    const dead = network.current;
    network.autoReady = false; // the next client waits, so everything below is queued meanwhile
    dead.dead = true;
    const sends = [channel.send(OFFICE, { kind: "text", text: "bulk 1" }, "bulk")];
    // The watchdog's getState poll (or the failed send) finds the dead page and starts a new client.
    await until("a new client", () => network.clients.length === 2);
    expect(dead.destroyed).toBe(true);
    sends.push(
      channel.send(OFFICE, { kind: "text", text: "bulk 2" }, "bulk"),
      channel.send(CITIZEN, { kind: "text", text: "reply 1" }, "reply"),
      channel.send(OFFICE, { kind: "text", text: "bulk 3" }, "bulk"),
      channel.send(CITIZEN, { kind: "text", text: "reply 2" }, "reply"),
    );
    expect(channel.status().state).not.toBe("ready");
    network.current.becomeReady();
    await Promise.all(sends);
    const after = network.sent.filter((s) => s.client === 1).map((s) => s.text);
    expect(after).toEqual(["reply 1", "reply 2", "bulk 1", "bulk 2", "bulk 3"]);
    expect(network.sent.filter((s) => s.client === 0 && /bulk|reply/.test(s.text))).toHaveLength(0);
    expect(channel.status().restarts).toBe(1);
  }, 30_000);

  it("a disconnected event restarts the client; a citizen's reply queued meanwhile is sent after", async () => {
    const { network, app } = t;
    const channel = app.whatsapp!;
    network.autoReady = false;
    const old = network.current;
    const clients = network.clients.length;
    old.emit("disconnected", "NAVIGATION");
    await until("a new client", () => network.clients.length === clients + 1);
    expect(old.destroyed).toBe(true);
    const sent = channel.send(CITIZEN, { kind: "text", text: "while down" }, "reply");
    network.autoReady = true;
    network.current.becomeReady();
    await sent;
    expect(network.sent.filter((s) => s.text === "while down").map((s) => s.client)).toEqual([clients]);
  }, 30_000);

  it("a permanent error (no such chat) is not retried, and the queue goes on", async () => {
    const channel = t.app.whatsapp!;
    await expect(channel.send("0000@c.us", { kind: "text", text: "nowhere" }, "bulk")).rejects.toMatchObject({
      permanent: true,
    });
    await channel.send(CITIZEN, { kind: "text", text: "still going" }, "reply");
    expect(t.network.sent.filter((s) => s.text === "nowhere")).toHaveLength(0);
  });

  it("unpaired: the QR in the terminal and as an SVG on the admin page, with a pairing code", async () => {
    const { network, app } = t;
    const channel = app.whatsapp!;
    network.autoReady = false;
    network.showQr = true;
    const clients = network.clients.length;
    await channel.connection.restart("test: unpaired");
    await until("a QR", () => channel.status().state === "qr");
    expect(network.clients.length).toBe(clients + 1);
    const page = await app.web!.app.inject({
      method: "GET",
      url: "/admin/whatsapp",
      remoteAddress: "127.0.0.1",
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-state="qr"');
    expect(page.body).toMatch(/<svg[^>]*>[\s\S]*<path/);
    expect(t.terminal.some((line) => /Scan this QR/.test(line) && /[▀▄█]/.test(line))).toBe(true);
    await until("a pairing code", () => channel.status().pairingCode !== null);
    expect(t.terminal.some((line) => line.includes("ABCD1234"))).toBe(true);
    const withCode = await app.web!.app.inject({
      method: "GET",
      url: "/admin/whatsapp",
      remoteAddress: "127.0.0.1",
    });
    expect(withCode.body).toContain('id="code">ABCD1234<');
    const outsider = await app.web!.app.inject({
      method: "GET",
      url: "/admin/whatsapp",
      remoteAddress: "10.1.2.3",
    });
    expect(outsider.statusCode).toBe(403);
    network.showQr = false;
    network.autoReady = true;
    network.current.becomeReady();
    const state = await app.web!.app.inject({
      method: "GET",
      url: "/admin/whatsapp/status.json",
      remoteAddress: "127.0.0.1",
    });
    expect(state.json()).toMatchObject({ state: "ready", waitingForPairing: false });
  });
});

describe("pacing", () => {
  it("waits a random pause between min and max after each send, none before the first", () => {
    let now = 1_000_000;
    const draws = [0, 1, 0.5];
    const pacer = new Pacer(
      { minDelayMs: 1000, maxDelayMs: 3000 },
      () => draws.shift() ?? 0,
      () => now,
    );
    expect(pacer.delay()).toBe(0);
    pacer.sent();
    expect(pacer.delay()).toBe(3000); // the second draw (1) → max
    now += 2000;
    expect(pacer.delay()).toBe(1000);
    now += 1000;
    pacer.sent();
    expect(pacer.delay()).toBe(2000); // the third draw (0.5) → halfway
  });
});
