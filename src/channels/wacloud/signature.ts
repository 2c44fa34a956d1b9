import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<hex>` header: the HMAC-SHA256 of the raw request
 * body keyed with the app secret, compared in constant time. False for a missing or malformed header.
 */
export function verifyHubSignature(
  rawBody: Uint8Array,
  header: string | undefined,
  appSecret: string,
): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? "");
  if (!m) return false;
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  const given = Buffer.from(m[1]!, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The header value Meta would send for `rawBody` (used by tests and stand-ins). */
export function hubSignature(rawBody: Uint8Array | string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}
