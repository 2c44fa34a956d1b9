import pino, { type Logger } from "pino";

/** Keys that may carry a reporter's identity or a secret; pino replaces their values in every log line. */
export const REDACTED_PATHS = [
  "phone",
  "*.phone",
  "reporterName",
  "*.reporterName",
  "reporterAddress",
  "*.reporterAddress",
  "nik",
  "*.nik",
  "token",
  "*.token",
  "apiKey",
  "*.apiKey",
  "secret",
  "*.secret",
];

/** Creates the root logger, writing to stdout (or `destination`). Tests pass `level: "silent"`. */
export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const settings = {
    level: options.level ?? "info",
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    base: { app: "lapornetral" },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

export type { Logger };
