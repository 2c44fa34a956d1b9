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
  // A failed statement's values (drizzle, PGlite, postgres-js): whole sessions, reports, identities.
  "params",
  "*.params",
  "parameters",
  "*.parameters",
];

/** Fields of an error that hold a statement's values or a row's contents: dropped from logs. */
const ERROR_VALUE_FIELDS = new Set(["params", "parameters", "queryOptions", "detail", "values", "row"]);

/**
 * A text with a failed statement's values taken out: drizzle's "Failed query: … params: …"
 * (the values up to the end of the message), PostgreSQL's "Key (col)=(value)" and "Failing row
 * contains (…)". The statement itself (placeholders only) is kept, it helps to find the fault.
 */
export function scrubText(text: string): string {
  return text
    .replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/g, "\nparams: [redacted]")
    .replace(/Failing row contains \([\s\S]*?\)(?=\.?(\n|$))/g, "Failing row contains ([redacted])")
    .replace(/(Key \([^)]*\))=\((?:[^()]|\([^()]*\))*\)/g, "$1=([redacted])");
}

/** An error (or the text of one) as logged: pino's standard form without any statement values. */
export function serializeError(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubText(value);
  if (!(value instanceof Error) && (typeof value !== "object" || value === null)) return value;
  const plain = (value instanceof Error ? pino.stdSerializers.err(value) : value) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(plain)) {
    if (ERROR_VALUE_FIELDS.has(key)) continue;
    if (typeof v === "string") out[key] = scrubText(v);
    else if (depth < 5 && typeof v === "object" && v !== null) out[key] = serializeError(v, depth + 1);
    else out[key] = v;
  }
  return out;
}

/** Creates the root logger, writing to stdout (or `destination`). Tests pass `level: "silent"`. */
export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const settings: pino.LoggerOptions = {
    level: options.level ?? "info",
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    base: { app: "lapornetral" },
    serializers: { err: serializeError, error: serializeError, cause: serializeError },
    hooks: {
      // A message built from an error's text loses the statement's values too.
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === "string" ? scrubText(a) : a)) as Parameters<typeof method>,
        );
      },
    },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

export type { Logger };
