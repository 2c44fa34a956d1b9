import type { ChannelName } from "../db/schema/index.js";

// The message and reply shapes belong to the conversation service; the send shapes to the
// outbound path. Channels use both through this module.
export type { InboundMessage, Reply } from "../conversation/types.js";
export * from "../delivery/outbound/types.js";
export type { ChannelName };

/** What the media intake of a channel decides about a file before downloading it. */
export interface MediaPolicy {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** MIME types accepted as evidence, as exact types or "image/*"-style prefixes. */
  accepted: readonly string[];
}

/** Evidence types accepted on every channel: pictures, videos, audio, PDFs, office documents, text. */
export const DEFAULT_ACCEPTED_MIME = [
  "image/*",
  "video/*",
  "audio/*",
  "application/pdf",
  "application/msword",
  "application/vnd.openxmlformats-officedocument.*",
  "application/vnd.ms-excel",
  "application/vnd.ms-powerpoint",
  "application/vnd.oasis.opendocument.*",
  "text/plain",
  "text/csv",
  "application/zip",
] as const;

/** True when `mime` is accepted by the policy. */
export function mimeAccepted(policy: MediaPolicy, mime: string): boolean {
  const m = mime.toLowerCase();
  return policy.accepted.some((a) => (a.endsWith("*") ? m.startsWith(a.slice(0, -1)) : m === a));
}
