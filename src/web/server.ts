import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { type ConsoleDeps, registerConsole } from "../console/routes.js";
import type { Services } from "../services.js";
import { demoGuard, registerSecurityHeaders, warnIfExposed } from "./security.js";
import { registerSimulator, type SimulatorDeps } from "./simulator.js";

/** A running web server: the simulator, the office inbox and (later) webhooks. */
export interface WebServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** Starts the HTTP server on HOST:PORT (PORT=0 picks a free port, for tests). */
export async function startWebServer(
  services: Services,
  parts: { simulator?: SimulatorDeps; console?: ConsoleDeps; routes?: (app: FastifyInstance) => void } = {},
): Promise<WebServer> {
  const { simulator } = parts;
  const { config } = services;
  // Request logs stay off (level warn): simulator URLs carry visitor ids.
  const app = Fastify({
    loggerInstance: services.logger.child({ part: "web" }, { level: "warn" }) as FastifyBaseLogger,
    // X-Forwarded-For is believed only from the proxies named in TRUST_PROXY.
    trustProxy: config.TRUST_PROXY,
  });
  registerSecurityHeaders(app);
  app.get("/health", async () => ({
    ok: true,
    database: services.database.driver,
    gps: services.gps.available,
  }));
  // The demo pages have no login: this machine only, unless WEB_PUBLIC_DEMO=true.
  if (simulator)
    await app.register(async (scope) => {
      scope.addHook("onRequest", demoGuard(config.WEB_PUBLIC_DEMO));
      registerSimulator(scope, simulator);
    });
  if (parts.console) registerConsole(app, parts.console);
  parts.routes?.(app);
  await app.listen({ host: config.HOST, port: config.PORT });
  warnIfExposed(services.logger, {
    host: config.HOST,
    simulator: Boolean(simulator),
    publicDemo: config.WEB_PUBLIC_DEMO,
  });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  return { app, url: `http://${config.HOST}:${port}`, close: () => app.close() };
}
