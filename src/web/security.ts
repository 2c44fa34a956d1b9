/**
 * What every response of the web server carries, and who may see the pages without a login.
 *
 * - Every response: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
 *   `X-Frame-Options: DENY`, and a strict Content-Security-Policy unless the route set its own
 *   (the simulator pages allow their own nonce-marked script and nothing else).
 * - The demo pages (simulator, inbox, evidence files) answer only this machine
 *   ({@link isLocalRequest}, safe behind a proxy) unless `WEB_PUBLIC_DEMO=true`.
 * - `HOST` on a non-loopback address with the simulator on: a loud warning at start.
 */
import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isLocalRequest, isLoopbackHost } from "../http/local-request.js";
import type { Logger } from "../log.js";

/** The policy of any response that does not set one: nothing may load, run or frame it. */
export const DEFAULT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The policy of a simulator page: its own scripts (by nonce), calls to this server, nothing else. */
export function pageCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    "style-src 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join("; ");
}

/** The policy of an evidence file: shown (a safe image or a PDF) but never run, sandboxed. */
export const EVIDENCE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";
/** A PDF is shown by the browser's viewer, which a sandbox would block; it still loads nothing. */
export const PDF_CSP = "default-src 'none'; frame-ancestors 'self'";

/** A fresh nonce for one page. */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/** Marks every `<script>` of a page with the nonce its policy allows. */
export function withNonce(html: string, nonce: string): string {
  return html.replace(/<script(?=[\s>])/g, `<script nonce="${nonce}"`);
}

/** Adds the headers every response carries. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook("onSend", async (_req, reply, payload) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    if (!reply.hasHeader("x-frame-options")) reply.header("x-frame-options", "DENY");
    if (!reply.hasHeader("content-security-policy")) reply.header("content-security-policy", DEFAULT_CSP);
    return payload;
  });
}

/** An `onRequest` hook that answers 403 to anyone but this machine, unless the demo is public. */
export function demoGuard(publicDemo: boolean) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (publicDemo || isLocalRequest(req)) return;
    await reply
      .code(403)
      .type("text/plain; charset=utf-8")
      .send("Halaman ini hanya untuk komputer server ini (WEB_PUBLIC_DEMO=false).");
  };
}

/** Warns, loudly, when the pages without a login can be reached from other machines. */
export function warnIfExposed(
  logger: Logger,
  settings: { host: string; simulator: boolean; publicDemo: boolean },
): void {
  if (!settings.simulator || isLoopbackHost(settings.host)) return;
  const open = settings.publicDemo;
  logger.warn(
    { host: settings.host, publicDemo: open },
    open
      ? "WARNING: the simulator, the office inbox and the evidence files have no login and are open to every machine that can reach HOST (WEB_PUBLIC_DEMO=true); never run this with real reports"
      : "WARNING: HOST is not a loopback address and the simulator is on: its pages (no login) answer only this machine; set WEB_SIMULATOR=false on a public server",
  );
}
