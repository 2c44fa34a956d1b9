/**
 * Telegram's outbound path: every Bot API call that sends a message goes through the bot's ONE
 * limiter (`src/delivery/outbound/limiter.ts`), whatever sends it (citizens' replies, officer answers, deliveries to
 * office groups; broadcasts acquire the same limiter themselves). Installed as a grammY API
 * transformer, so `ctx.reply`, `bot.api.sendMessage` and the delivery transport are all covered.
 *
 * Telegram answers "busy" with 429 and `retry_after` (seconds), or with 5xx, or the network fails.
 * A 429 holds that chat for exactly `retry_after` (before the next attempt is even queued); other
 * busy answers back off. A reply (priority `"reply"`) is tried until it goes; bulk sends make one
 * attempt and leave the retry to their owner (the delivery worker), the chat's hold stays recorded.
 */
import { type Api, HttpError, type RawApi, type Transformer } from "grammy";
import type { ApiResponse } from "grammy/types";
import type { OutboundLine, OutboundSendOptions, SendVerdict } from "../types.js";

/** Bot API methods that send a message (the ones Telegram's flood limits count). */
export const SENDING_METHODS: ReadonlySet<string> = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendVideo",
  "sendAudio",
  "sendVoice",
  "sendAnimation",
  "sendVideoNote",
  "sendSticker",
  "sendMediaGroup",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendPoll",
  "sendDice",
  "copyMessage",
  "copyMessages",
  "forwardMessage",
  "forwardMessages",
]);

/** A Bot API answer that means "busy": carried through the retry loop, handed back to grammY at the end. */
class BusyAnswer extends Error {
  constructor(readonly response: ApiResponse<unknown> & { ok: false }) {
    super(response.description);
  }
}

/**
 * What a Telegram failure means for a retry: 429 → wait exactly `retry_after` for that chat; 5xx
 * and network failures → back off; anything else (403 blocked, 400 bad request) is final.
 */
export function telegramVerdict(e: unknown): SendVerdict {
  if (e instanceof BusyAnswer) {
    const r = e.response;
    if (r.error_code === 429) {
      const after = r.parameters?.retry_after;
      return { retry: true, afterMs: (after ?? 1) * 1000, scope: "chat" };
    }
    return { retry: true };
  }
  if (e instanceof HttpError) return { retry: true };
  return { retry: false };
}

/** How a transformer's sends wait and retry. */
export type OutboundPolicy = Omit<OutboundSendOptions, "key">;

/** A grammY transformer that sends every message-sending call through `limiter` with `policy`. */
export function limitedSends(limiter: OutboundLine, policy: OutboundPolicy): Transformer<RawApi> {
  return async (prev, method, payload, signal) => {
    if (!SENDING_METHODS.has(method)) return prev(method, payload, signal);
    const chat = (payload as { chat_id?: number | string } | undefined)?.chat_id;
    try {
      return await limiter.send(
        { ...policy, ...(chat === undefined ? {} : { key: String(chat) }) },
        async () => {
          const res = await prev(method, payload, signal);
          if (!res.ok && (res.error_code === 429 || res.error_code >= 500)) throw new BusyAnswer(res);
          return res;
        },
        telegramVerdict,
      );
    } catch (e) {
      // Out of attempts while busy: grammY turns the answer into a GrammyError as usual.
      if (e instanceof BusyAnswer) return e.response as Awaited<ReturnType<typeof prev>>;
      throw e;
    }
  };
}

/** Installs {@link limitedSends} on `api`. */
export function limitApi(api: Api, limiter: OutboundLine, policy: OutboundPolicy): Api {
  api.config.use(limitedSends(limiter, policy));
  return api;
}
