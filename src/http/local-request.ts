/**
 * "This machine only", safe behind a reverse proxy. A request is from this machine when its
 * address is a loopback address and it was not forwarded by a proxy we were not told about: a
 * proxy on the same host connects from 127.0.0.1, so without `TRUST_PROXY` a request carrying
 * forwarding headers (X-Forwarded-For, Forwarded, X-Real-IP) is never local, whoever sent them.
 * With `TRUST_PROXY` set, Fastify reads the client's address from the headers the trusted proxy
 * wrote (`request.ip`), and only a loopback client is local.
 */
import type { FastifyRequest } from "fastify";

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;
const FORWARDING_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host"];

/** True when the request comes from this machine (see the module comment). */
export function isLocalRequest(req: FastifyRequest): boolean {
  if (!LOOPBACK.test(req.ip)) return false;
  const forwarded = FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined);
  // `request.ips` exists only when a proxy is trusted: then `request.ip` already is the client.
  return !forwarded || req.ips !== undefined;
}

/** True for a host address that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || LOOPBACK.test(host.replace(/^\[|\]$/g, ""));
}
