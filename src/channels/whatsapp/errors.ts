import { WhatsAppSendError } from "../../errors.js";

export { WhatsAppNotReadyError, WhatsAppSendError } from "../../errors.js";

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
