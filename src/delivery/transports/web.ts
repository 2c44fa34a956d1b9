import { classifySendFailure, type SendFailure } from "../failure.js";
import type { DeliveryTransport, TextLimits } from "../transport.js";

/**
 * The web simulator's office inbox: nothing to send, the inbox page reads delivered jobs from the
 * outbox. Every part succeeds at once.
 */
export class WebInboxTransport implements DeliveryTransport {
  readonly limits: TextLimits = { text: 100_000, textWithButtons: 100_000, caption: 100_000 };
  classify(e: unknown): SendFailure {
    return classifySendFailure("web", e);
  }
  async sendText(): Promise<void> {}
  async sendFiles(): Promise<void> {}
  async sendLocation(): Promise<void> {}
}
