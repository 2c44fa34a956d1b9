import type { BroadcastSender } from "../broadcasts/sender.js";
import type { createLimiters } from "../broadcasts/service.js";
import type { ChannelParts } from "../channels/channel.js";
import type { MediaPolicy } from "../channels/types.js";
import type { WhatsAppClientFactory } from "../channels/whatsapp/client.js";
import type { Config } from "../config.js";
import type { ConversationService } from "../conversation/service.js";
import type { ReplyOutbox } from "../delivery/outbound/replies.js";
import type { DeliveryTransport } from "../delivery/transport.js";
import type { LocaleBundle } from "../engine/locale.js";
import type { Logger } from "../log.js";
import type { OfficerDesk } from "../officers/desk.js";
import type { EvidenceStore } from "../reports/evidence-store.js";
import type { Services } from "../services.js";

/** What every channel factory gets from the composition root (`src/app.ts`). */
export interface ChannelDeps {
  config: Config;
  services: Services;
  conversation: ConversationService;
  store: EvidenceStore;
  policy: MediaPolicy;
  locales: LocaleBundle;
  logger: Logger;
  desk: OfficerDesk;
  /** The per-channel send limiters shared by replies and broadcasts. */
  limiters: ReturnType<typeof createLimiters>;
  /** Replies kept with their step until sent (Telegram), sent again after a restart. */
  replies: ReplyOutbox;
  now?: () => Date;
  /** Tests: a fake WhatsApp Web client and where its QR is printed. */
  whatsappClientFactory?: WhatsAppClientFactory;
  whatsappTerminal?: (text: string) => void;
}

/** A channel as the program wires it: with its delivery transport and broadcast sender. */
export type AppChannelParts<C extends ChannelParts["channel"] = ChannelParts["channel"]> = ChannelParts<
  DeliveryTransport,
  BroadcastSender
> & { channel: C };
