import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { contacts } from "../../db/schema/index.js";
import { classifyWaCloudFailure, SendFailure } from "../../delivery/failure.js";
import type {
  DeliveryButton,
  DeliveryContext,
  DeliveryTransport,
  OutgoingFile,
  TextLimits,
} from "../../delivery/transport.js";
import { type LocaleBundle, t } from "../../engine/locale.js";
import type { Logger } from "../../log.js";
import type { CloudMessage, GraphApiClient } from "./graph-api.js";
import { listMessage, listRows, shorten, textMessages } from "./render.js";

/** WhatsApp's customer-service window: free-form messages only within 24 h of the user's last message. */
export const CUSTOMER_WINDOW_MS = 24 * 3_600_000;

/**
 * A reporter's update falls outside the 24-hour window and no template is configured
 * (`WACLOUD_NOTIFY_TEMPLATE`): WhatsApp would refuse a free-form message, so the job fails with
 * this reason, visible to admins in `deliveries failed`.
 */
export class CustomerWindowClosedError extends SendFailure {
  constructor(hoursSinceLastMessage: number) {
    super(
      "refused",
      "wacloud",
      `WhatsApp 24-hour window closed (reporter's last message ${hoursSinceLastMessage} h ago) and no template is configured: set WACLOUD_NOTIFY_TEMPLATE (and WACLOUD_NOTIFY_TEMPLATE_LANG) to an approved template`,
      { code: 131047 },
    );
  }
}

/** The Cloud API's limits: text 4096; the interactive list that carries officer actions, 1024; captions 1024. */
export const WACLOUD_LIMITS: TextLimits = { text: 4096, textWithButtons: 1024, caption: 1024 };

/** What the transport needs. */
export interface WaCloudTransportOptions {
  api: GraphApiClient;
  db: Database;
  locales: LocaleBundle;
  logger: Logger;
  /** The approved template for reporter updates outside the 24-hour window. */
  template?: { name: string; lang: string } | undefined;
  now?: () => Date;
}

/**
 * Delivers over the WhatsApp Cloud API: report cards as text with the officer actions as an
 * interactive LIST whose row ids are the signed action data (so officers choose rows as Telegram
 * officers press buttons); evidence uploaded with its original bytes and sent as documents (file
 * name, caption with the SHA-256); locations as location messages. A reporter's update sent more
 * than 24 h after their last message uses the configured template, or fails with
 * {@link CustomerWindowClosedError}. Graph errors are classified by code (`classifyWaCloudFailure`).
 */
export class WaCloudTransport implements DeliveryTransport {
  readonly limits = WACLOUD_LIMITS;
  private readonly now: () => Date;

  constructor(private readonly options: WaCloudTransportOptions) {
    this.now = options.now ?? (() => new Date());
  }

  classify(e: unknown): SendFailure {
    return classifyWaCloudFailure(e);
  }

  private async send(address: string, messages: CloudMessage[]): Promise<void> {
    try {
      for (const m of messages) await this.options.api.sendMessage(address, m);
    } catch (e) {
      throw classifyWaCloudFailure(e);
    }
  }

  async sendText(
    address: string,
    text: string,
    context: DeliveryContext,
    buttons?: DeliveryButton[],
  ): Promise<void> {
    if (buttons?.length) {
      const rows = listRows(buttons.map((b) => ({ value: b.data, label: b.label })));
      const label = t(this.options.locales, "id", "wacloud.officer_list_button");
      return this.send(address, listMessage(text, label, rows));
    }
    const hoursAgo = await this.notificationOutsideWindow(address, context);
    if (hoursAgo === undefined) return this.send(address, textMessages(text));
    const { template } = this.options;
    if (!template) {
      const err = new CustomerWindowClosedError(hoursAgo);
      this.options.logger.warn({ job: context.jobId, hours: hoursAgo }, err.message);
      throw err;
    }
    const update = shorten(text.replace(/\s+/g, " "), 1000);
    return this.send(address, [
      {
        type: "template",
        template: {
          name: template.name,
          language: { code: template.lang },
          components: [
            {
              type: "body",
              parameters: [
                { type: "text", text: context.reportNumber || "-" },
                { type: "text", text: update },
              ],
            },
          ],
        },
      },
    ]);
  }

  /**
   * Hours since the reporter's last message when this text is a reporter update (`notify_contact`)
   * outside the 24-hour window; undefined when a free-form message may be sent.
   */
  private async notificationOutsideWindow(
    address: string,
    context: DeliveryContext,
  ): Promise<number | undefined> {
    const { db } = this.options;
    if (context.kind !== "notify_contact") return undefined;
    const [contact] = await db
      .select({ lastSeenAt: contacts.lastSeenAt })
      .from(contacts)
      .where(and(eq(contacts.channel, "wacloud"), eq(contacts.externalId, address)));
    const since = this.now().getTime() - (contact?.lastSeenAt.getTime() ?? 0);
    return since > CUSTOMER_WINDOW_MS ? Math.floor(since / 3_600_000) : undefined;
  }

  async sendFiles(address: string, files: OutgoingFile[]): Promise<void> {
    try {
      for (const f of files) {
        const id = await this.options.api.uploadMedia(f.bytes, f.mime, f.fileName);
        await this.options.api.sendMessage(address, {
          type: "document",
          document: { id, filename: f.fileName, caption: shorten(f.caption, 1024) },
        });
      }
    } catch (e) {
      throw classifyWaCloudFailure(e);
    }
  }

  async sendLocation(address: string, lat: number, lon: number): Promise<void> {
    return this.send(address, [{ type: "location", location: { latitude: lat, longitude: lon } }]);
  }
}
