import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import QRCode from "qrcode";
import { isLocalRequest } from "../../http/local-request.js";
import type { WhatsAppStatus } from "./connection.js";

/** What the page needs: the channel's status, and who may see it. */
export interface WhatsAppAdminDeps {
  status(): WhatsAppStatus;
  /** Required as `?token=` or `Authorization: Bearer`; without one, only loopback requests are served. */
  token?: string | undefined;
}

/** Admin wording (for Bawaslu admins, not citizens): state names in Indonesian. */
const STATE_TEXT: Record<WhatsAppStatus["state"], string> = {
  stopped: "berhenti",
  starting: "memulai…",
  qr: "menunggu dipindai (pairing)",
  authenticated: "terautentikasi, memuat…",
  ready: "terhubung",
  disconnected: "terputus",
  restarting: "memulai ulang…",
  auth_failure: "autentikasi gagal: pasangkan lagi",
  failed: "gagal memulai (cek Chromium); mencoba lagi",
};

function allowed(req: FastifyRequest, token: string | undefined): boolean {
  // Without a token: this machine only, and a request forwarded by an untrusted proxy is not local.
  if (!token) return isLocalRequest(req);
  const header = req.headers.authorization?.replace(/^Bearer\s+/i, "");
  const given = (req.query as { token?: string }).token ?? header ?? "";
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * `/admin/whatsapp`: the WhatsApp Web connection for the admin who pairs the bot's phone: the
 * state, the QR as an SVG image (or the pairing code), restarts so far; refreshes itself every
 * 5 s. `/admin/whatsapp/status.json` gives the same as JSON (without the QR payload).
 */
export function registerWhatsAppAdmin(app: FastifyInstance, deps: WhatsAppAdminDeps): void {
  app.get("/admin/whatsapp/status.json", async (req, reply) => {
    if (!allowed(req, deps.token)) return reply.code(403).send({ error: "forbidden" });
    const s = deps.status();
    return {
      state: s.state,
      waitingForPairing: s.qr !== null,
      pairingCode: s.pairingCode,
      restarts: s.restarts,
      lastError: s.lastError,
      since: s.since.toISOString(),
    };
  });
  app.get("/admin/whatsapp", async (req, reply) => {
    if (!allowed(req, deps.token)) return reply.code(403).type("text/plain").send("forbidden");
    const s = deps.status();
    const qr = s.qr
      ? await QRCode.toString(s.qr, { type: "svg", margin: 2, width: 320, errorCorrectionLevel: "L" })
      : "";
    const body = [
      `<h1>WhatsApp Web</h1>`,
      `<p>Status: <strong id="state" data-state="${s.state}">${escapeHtml(STATE_TEXT[s.state])}</strong> sejak ${escapeHtml(s.since.toISOString())}</p>`,
      `<p>Dimulai ulang: ${s.restarts} kali${s.lastError ? ` (terakhir: ${escapeHtml(s.lastError)})` : ""}</p>`,
      qr
        ? `<p>Pindai dengan WhatsApp di ponsel: <em>Perangkat tertaut → Tautkan perangkat</em>.</p><div id="qr">${qr}</div>`
        : "",
      s.pairingCode
        ? `<p>Atau tautkan dengan nomor telepon, kode: <strong id="code">${escapeHtml(s.pairingCode)}</strong></p>`
        : "",
    ].join("\n");
    return reply
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .send(
        `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>WhatsApp Web · LaporNetral</title></head><body>${body}</body></html>`,
      );
  });
}
