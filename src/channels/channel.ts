/**
 * The shape every channel has (Telegram, WhatsApp Web, the WhatsApp Cloud API, the web simulator),
 * like courier's channel handlers: a channel turns the platform's updates into
 * {@link InboundMessage}s for the conversation service (and officers' messages into the officers'
 * desk's messages), renders the engine's abstract outputs with what the platform has (inline
 * keyboards, reply buttons and lists, numbered menus, simulator buttons), sends them, and
 * classifies a failed send.
 *
 * What the program wires around a channel (its delivery transport for office chats, its broadcast
 * sender, its web routes) is put together with it by its factory in `src/setup/` as
 * {@link ChannelParts}: the transports live in `src/delivery/transports/`, below the channels.
 *
 * A new channel is one folder under `src/channels/` with a class that implements {@link Channel},
 * a factory in `src/setup/`, and a stand-in under `test/support/` (see docs/extending.md).
 */
import type { FastifyInstance } from "fastify";
import type { Output } from "../engine/types.js";
import type { ChannelName, InboundMessage, Reply } from "./types.js";

export type { InboundMessage, Reply };

/** A channel: start and stop receiving, render and send a step's replies, classify a failed send. */
export interface Channel<Rendered = unknown> {
  /** The channel's name, as stored with contacts, destinations and outbox rows. */
  readonly name: ChannelName;
  /** Starts receiving (long polling or a webhook, a client's connection); resolves once it runs. */
  start(): Promise<void>;
  /** Stops receiving and waits for the messages in hand. */
  stop(): Promise<void>;
  /** The platform messages one step's outputs become, in order (buttons, lists, numbered menus …). */
  render(outputs: readonly Output[], lang: Reply["lang"]): Rendered[];
  /** Renders and sends the replies of one step to a chat, in order. */
  send(chatId: string, reply: Reply): Promise<void>;
  /**
   * What a failed send means (retry after N seconds, retry later, gone for good, refused), from the
   * platform's error codes; undefined when the error is not the platform's. The failure taxonomy
   * (`SendFailure`) is defined by the delivery layer; until then it is opaque here.
   */
  classifyFailure(error: unknown): unknown;
}

/**
 * A channel with what the program wires around it, as a factory in `src/setup/` makes it:
 * `Transport` is the delivery worker's `DeliveryTransport` and `Sender` the broadcasts'
 * `BroadcastSender` (bound by the composition root, so channels do not depend on delivery).
 */
export interface ChannelParts<Transport = unknown, Sender = unknown> {
  channel: Channel;
  /** How the delivery worker reaches this channel's office chats. */
  transport?: Transport;
  /** How broadcasts reach this channel's subscribers (default: through the transport). */
  broadcastSender?: Sender;
  /** HTTP routes the channel needs on the program's web server (webhooks, admin pages). */
  routes?(server: FastifyInstance): void;
  /** True for a real messaging platform (not the simulator): the demo inboxes are then retired. */
  real: boolean;
  /** Starts the channel in the background (a slow start must not hold the rest of the program). */
  background?: boolean;
}
