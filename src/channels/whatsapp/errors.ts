import { LaporError } from "../../errors.js";

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

/** Errors of a page that died under puppeteer: the client must be destroyed and started again. */
const DEAD_PAGE =
  /detached Frame|Execution context was destroyed|Target closed|Session closed|Protocol error|page has been closed|Connection closed|browser has disconnected/i;

/** Errors WhatsApp gives for an address that can never receive (wrong id, not a WhatsApp number). */
const PERMANENT =
  /invalid wid|wid error|No LID for user|not a (?:valid )?whatsapp user|chat not found|not registered|invalid chat/i;

/** True when `e` says the browser page is dead. */
export function isDeadPageError(e: unknown): boolean {
  return DEAD_PAGE.test(errorText(e));
}

/** True when `e` says the address can never receive. */
export function isPermanentSendError(e: unknown): boolean {
  return e instanceof WhatsAppSendError ? e.permanent : PERMANENT.test(errorText(e));
}

/** The message of anything thrown. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
