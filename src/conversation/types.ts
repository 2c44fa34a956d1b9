/** What a channel hands to the conversation service and gets back from it. */
import type { ChannelName } from "../db/schema/index.js";
import type { ReplyRef } from "../delivery/outbound/types.js";
import type { Inbound, Lang, Output } from "../engine/types.js";

/**
 * A citizen's message as every channel hands it to the conversation service: who (channel and
 * the platform's chat id), which platform message (for de-duplication), and the engine input.
 */
export interface InboundMessage {
  channel: ChannelName;
  /** The platform's id of the private chat (Telegram chat id, WhatsApp id, simulator visitor id). */
  chatId: string;
  /** The platform's message or update id, unique within the channel. */
  messageId: string;
  receivedAt: Date;
  /**
   * The engine input, or a function producing it (e.g. downloading a file first). A function runs
   * inside the contact's queue, so a slow download never lets a later message overtake it.
   */
  input: Inbound | (() => Promise<Inbound>);
  /** The language the platform says the user's app is in, used for a first conversation. */
  languageHint?: Lang;
}

/** What a channel sends back for one inbound message, after the conversation step committed. */
export interface Reply {
  outputs: Output[];
  lang: Lang;
  /**
   * Set when the reply is kept in the database with its step (`inbound_messages.reply`) until it
   * is sent: the channel reports it sent (or impossible to send) through the reply outbox
   * (`src/delivery/outbound/replies.ts`); one never reported is sent again after a restart.
   */
  ref?: ReplyRef;
}
