/**
 * Broadcasts over any {@link DeliveryTransport} (the WhatsApp Web and Cloud API transports plug in
 * here with no extra code): a text with `sendText`, or the image with the text as its caption with
 * `sendFiles`. WhatsApp shows `*bold*` and `_italic_` itself, so the text goes as written.
 */
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import type { DeliveryContext, DeliveryTransport } from "../delivery/transport.js";
import type { BroadcastMessage, BroadcastSender } from "./sender.js";

const CONTEXT: DeliveryContext = { jobId: 0, kind: "broadcast", reportId: null, officeCode: null, part: 0 };

/** See the module comment. */
export class TransportBroadcastSender implements BroadcastSender {
  private readonly images = new Map<string, Uint8Array>();

  constructor(
    readonly channel: string,
    private readonly transport: DeliveryTransport,
  ) {}

  async send(address: string, message: BroadcastMessage): Promise<void> {
    if (!message.imagePath) {
      await this.transport.sendText(address, message.text, CONTEXT);
      return;
    }
    let bytes = this.images.get(message.imagePath);
    if (!bytes) {
      bytes = new Uint8Array(await readFile(message.imagePath));
      this.images.set(message.imagePath, bytes);
    }
    const ext = extname(message.imagePath).toLowerCase();
    await this.transport.sendFiles(
      address,
      [
        {
          bytes,
          kind: "photo",
          mime: ext === ".png" ? "image/png" : "image/jpeg",
          fileName: basename(message.imagePath),
          caption: message.text,
        },
      ],
      CONTEXT,
    );
  }
}
