/**
 * "This machine only" behind a reverse proxy: forwarding headers are believed only from the proxies
 * named in TRUST_PROXY, and a forwarded request is never local otherwise. The WhatsApp admin page
 * (no token) uses the same rule.
 */
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { registerWhatsAppAdmin } from "../../src/channels/whatsapp/admin-page.js";
import { loadConfig } from "../../src/config.js";
import { isLocalRequest } from "../../src/http/local-request.js";
import { createLogger } from "../../src/log.js";
import { warnIfExposed } from "../../src/web/security.js";

async function server(trustProxy: boolean | string[]) {
  const app = Fastify({ trustProxy });
  app.get("/local", async (req) => ({ local: isLocalRequest(req) }));
  registerWhatsAppAdmin(app, {
    status: () => ({
      state: "ready",
      qr: null,
      pairingCode: null,
      restarts: 0,
      lastError: null,
      since: new Date(0),
    }),
  });
  await app.ready();
  return app;
}

describe("this machine only, behind a proxy", () => {
  it("without TRUST_PROXY, a spoofed X-Forwarded-For from a proxy on this host is refused", async () => {
    const app = await server(loadConfig({}).TRUST_PROXY);
    const local = (headers: Record<string, string> = {}) =>
      app.inject({ url: "/local", remoteAddress: "127.0.0.1", headers }).then((r) => r.json().local);
    expect(await local()).toBe(true);
    expect(await local({ "x-forwarded-for": "127.0.0.1" })).toBe(false);
    expect(await local({ "x-real-ip": "127.0.0.1" })).toBe(false);
    const admin = await app.inject({
      url: "/admin/whatsapp",
      remoteAddress: "127.0.0.1",
      headers: { "x-forwarded-for": "127.0.0.1" },
    });
    expect(admin.statusCode).toBe(403);
    expect((await app.inject({ url: "/admin/whatsapp", remoteAddress: "127.0.0.1" })).statusCode).toBe(200);
    expect((await app.inject({ url: "/admin/whatsapp", remoteAddress: "203.0.113.5" })).statusCode).toBe(403);
    await app.close();
  });

  it("with TRUST_PROXY naming the proxy, the client the proxy saw decides", async () => {
    const trust = loadConfig({ TRUST_PROXY: "127.0.0.1" }).TRUST_PROXY;
    expect(trust).toEqual(["127.0.0.1"]);
    const app = await server(trust);
    const local = (xff: string, from = "127.0.0.1") =>
      app
        .inject({ url: "/local", remoteAddress: from, headers: { "x-forwarded-for": xff } })
        .then((r) => r.json().local);
    // nginx appends the real client: a spoofed first address does not count.
    expect(await local("127.0.0.1, 203.0.113.5")).toBe(false);
    expect(await local("203.0.113.5")).toBe(false);
    expect(await local("127.0.0.1")).toBe(true);
    // Headers from a machine that is not the proxy are not believed.
    expect(await local("127.0.0.1", "198.51.100.7")).toBe(false);
    await app.close();
  });

  it("refuses a TRUST_PROXY that is not an address list", () => {
    expect(() => loadConfig({ TRUST_PROXY: "everyone" })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({ TRUST_PROXY: "true" }).TRUST_PROXY).toBe(true);
    expect(loadConfig({}).WEB_PUBLIC_DEMO).toBe(false);
  });

  it("HOST=0.0.0.0 with the simulator on warns loudly at start; loopback does not", () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (l: string) => void lines.push(l) } });
    warnIfExposed(logger, { host: "127.0.0.1", simulator: true, publicDemo: false });
    warnIfExposed(logger, { host: "0.0.0.0", simulator: false, publicDemo: false });
    expect(lines).toEqual([]);
    warnIfExposed(logger, { host: "0.0.0.0", simulator: true, publicDemo: false });
    warnIfExposed(logger, { host: "0.0.0.0", simulator: true, publicDemo: true });
    expect(lines.map((l) => JSON.parse(l).level)).toEqual([40, 40]);
    expect(JSON.parse(lines[1]!).msg).toMatch(/^WARNING: .*open to every machine/);
  });
});
