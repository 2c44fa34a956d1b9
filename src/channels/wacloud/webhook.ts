import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { Logger } from "../../log.js";
import type { WaWebhookPayload } from "./payload.js";
import { verifyHubSignature } from "./signature.js";

/** What the webhook routes need. */
export interface WaCloudWebhookOptions {
  /** URL path of the webhook, e.g. "/wacloud/webhook" (GET for verification, POST for events). */
  path: string;
  /** The verify token entered in the Meta app dashboard. */
  verifyToken: string;
  /** The Meta app secret, key of the `X-Hub-Signature-256` HMAC. */
  appSecret: string;
  logger: Logger;
  /** Takes a verified payload; must not wait for the conversation (the webhook answers at once). */
  onPayload(payload: WaWebhookPayload): void;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Registers the Cloud API webhook on the web server, in its own encapsulated scope so its content
 * parser keeps the RAW body bytes (the signature covers the bytes exactly as sent):
 * - `GET path`: Meta's verification handshake, answering `hub.challenge` as text/plain when
 *   `hub.mode=subscribe` and the verify token match, else 403;
 * - `POST path`: refuses a missing or wrong `X-Hub-Signature-256` with 401 (logged without the body),
 *   then hands the payload over and answers 200 at once.
 */
export function registerWaCloudWebhook(server: FastifyInstance, options: WaCloudWebhookOptions): void {
  const { logger } = options;
  server.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));

    scope.get(options.path, async (req, reply) => {
      const q = req.query as Record<string, string | undefined>;
      const token = q["hub.verify_token"] ?? "";
      if (q["hub.mode"] === "subscribe" && sameText(token, options.verifyToken)) {
        logger.info("webhook verified");
        return reply.type("text/plain").send(q["hub.challenge"] ?? "");
      }
      logger.warn({ mode: q["hub.mode"] ?? null }, "webhook verification refused: wrong verify token");
      return reply.code(403).type("text/plain").send("forbidden");
    });

    scope.post(options.path, async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const header = req.headers["x-hub-signature-256"];
      const signature = Array.isArray(header) ? header[0] : header;
      if (!verifyHubSignature(raw, signature, options.appSecret)) {
        logger.warn(
          { signature: signature ? "wrong" : "missing", bytes: raw.byteLength },
          "webhook refused: bad signature",
        );
        return reply.code(401).type("text/plain").send("bad signature");
      }
      let payload: WaWebhookPayload;
      try {
        payload = JSON.parse(raw.toString("utf8")) as WaWebhookPayload;
      } catch {
        logger.warn({ bytes: raw.byteLength }, "webhook refused: body is not JSON");
        return reply.code(400).type("text/plain").send("bad json");
      }
      options.onPayload(payload);
      return reply.code(200).type("text/plain").send("ok");
    });
  });
}
