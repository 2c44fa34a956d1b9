import type { DeliveryTransport } from "../transport.js";

/**
 * The web simulator's office inbox: nothing to send, the inbox page reads delivered jobs from the
 * outbox. Every part succeeds at once.
 */
export class WebInboxTransport implements DeliveryTransport {
  async sendText(): Promise<void> {}
  async sendFiles(): Promise<void> {}
  async sendLocation(): Promise<void> {}
}
