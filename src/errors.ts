/**
 * The project's error taxonomy. Every failure the program expects to meet has its own class, so
 * callers can tell a bad setting from bad user input from a database or channel failure, and each
 * error carries the details needed to act on it (never secrets or a reporter's identity).
 */

/** Base class of every error the project throws on purpose. `code` is stable and machine-readable. */
export class LaporError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A setting in the environment is missing or malformed. `variable` names it. */
export class ConfigError extends LaporError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super("config", `${variable}: ${message}`);
  }
}

/** Input from a user or an admin that cannot be used as given. `field` names what is wrong. */
export class InputError extends LaporError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super("input", message);
  }
}

/** A file the program reads (boundaries, flows, CSV imports) is missing or unreadable. */
export class DataFileError extends LaporError {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super("data_file", `${path}: ${message}`, options);
  }
}

/** Something looked up by id or code does not exist (office, report, region, destination). */
export class NotFoundError extends LaporError {
  constructor(
    readonly entity: string,
    readonly key: string,
  ) {
    super("not_found", `${entity} not found: ${key}`);
  }
}

/**
 * A call to the Graph API failed. `status` is the HTTP status, `code`/`subcode` the Graph error
 * codes (e.g. 131026 undeliverable, 130429 throughput limit), `retryAfterMs` the wait the server
 * asked for in `Retry-After`, when it said one. The message never contains the token.
 */
export class GraphApiError extends LaporError {
  constructor(
    readonly status: number,
    readonly graphCode: number | undefined,
    readonly subcode: number | undefined,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super("graph_api", message);
  }
}

/** The network itself failed (connection refused, reset, DNS): always worth retrying. */
export class GraphNetworkError extends LaporError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("graph_network", message, options);
  }
}

/**
 * A WhatsApp send failed. `permanent` when trying again cannot help (no such chat, not a WhatsApp
 * number); otherwise the outbox keeps the message and tries again after the client recovers.
 */
export class WhatsAppSendError extends LaporError {
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(permanent ? "whatsapp_send_permanent" : "whatsapp_send_retryable", message, options);
  }
}

/** The client was not connected in time for a bulk message; it was taken back out of the queue unsent. */
export class WhatsAppNotReadyError extends LaporError {
  constructor(waitedMs: number) {
    super("whatsapp_not_ready", `WhatsApp Web was not connected within ${waitedMs} ms; not sent`);
  }
}
