import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { type ConsoleDeps, registerConsole } from "../console/routes.js";
import type { Services } from "../services.js";
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
  });
  app.get("/health", async () => ({
    ok: true,
    database: services.database.driver,
    gps: services.gps.available,
  }));
  if (simulator) registerSimulator(app, simulator);
  if (parts.console) registerConsole(app, parts.console);
  parts.routes?.(app);
  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  return { app, url: `http://${config.HOST}:${port}`, close: () => app.close() };
}
