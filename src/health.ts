/**
 * `/healthz` and `/readyz` for a load balancer or a process supervisor, on the web server.
 * - `/healthz`: the process is alive and its event loop answers (always 200 while it runs).
 * - `/readyz`: 200 when the program has started its channels and workers, is not shutting down,
 *   and the database answers `select 1` within {@link READY_DB_TIMEOUT_MS}; 503 with the reason
 *   otherwise. The answer names no secret and no address.
 */
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import type { Database } from "./db/client.js";

/** How long `/readyz` waits for the database before calling it unreachable. */
export const READY_DB_TIMEOUT_MS = 2000;

export interface HealthState {
  /** "starting" until every channel and worker started, "ready", then "stopping" at shutdown. */
  phase: "starting" | "ready" | "stopping";
  db: Database;
  /** The channels started (telegram, wacloud, whatsapp, web). */
  channels: string[];
}

async function databaseAnswers(db: Database): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${READY_DB_TIMEOUT_MS} ms`), READY_DB_TIMEOUT_MS);
  });
  try {
    return await Promise.race([db.execute(sql`select 1`).then(() => undefined), timeout]);
  } catch (e) {
    return (e as Error).message.split("\n")[0];
  } finally {
    clearTimeout(timer);
  }
}

export function registerHealthRoutes(server: FastifyInstance, state: HealthState): void {
  server.get("/healthz", async () => ({ ok: true, phase: state.phase }));
  server.get("/readyz", async (_request, reply) => {
    if (state.phase !== "ready") return reply.code(503).send({ ready: false, reason: state.phase });
    const problem = await databaseAnswers(state.db);
    if (problem) return reply.code(503).send({ ready: false, reason: `database: ${problem}` });
    return { ready: true, channels: state.channels };
  });
}
