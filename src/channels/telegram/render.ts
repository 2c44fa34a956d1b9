import { InlineKeyboard, Keyboard } from "grammy";
import type {
  ForceReply,
  InlineKeyboardMarkup,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
} from "grammy/types";
import type { Output } from "../../engine/types.js";

/** Prefix of callback data that carries a flow choice ("c:<value>"). Officer actions use other prefixes. */
export const CHOICE_PREFIX = "c:";

/** Telegram's limit for one text message. */
const MAX_TEXT = 4096;

/** One Telegram message to send: text and markup. */
export interface TelegramMessage {
  text: string;
  reply_markup?: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;
}

/** Labels the renderer needs from the locale files (buttons only Telegram has). */
export interface TelegramLabels {
  shareLocation: string;
}

/**
 * Renders an engine output for Telegram: choices as an inline keyboard (one button per row, two
 * per row when the labels are short), a location question as a reply keyboard with the
 * "share location" button, and long texts split at paragraph breaks under the 4,096 limit.
 */
export function renderForTelegram(output: Output, labels: TelegramLabels): TelegramMessage[] {
  const parts = splitText(output.text);
  const messages: TelegramMessage[] = parts.map((text) => ({ text }));
  const last = messages[messages.length - 1]!;
  if (output.choices?.length) {
    const kb = new InlineKeyboard();
    const short = output.choices.every((c) => c.label.length <= 14);
    output.choices.forEach((c, i) => {
      kb.text(c.label, `${CHOICE_PREFIX}${c.value}`.slice(0, 64));
      if (!short || i % 2 === 1) kb.row();
    });
    last.reply_markup = kb;
  } else if (output.ask === "location") {
    last.reply_markup = new Keyboard().requestLocation(labels.shareLocation).resized().oneTime();
  } else if (output.removeKeyboard) {
    last.reply_markup = { remove_keyboard: true };
  }
  return messages;
}

/** Splits a text into pieces of at most 4,096 characters, at blank lines, then lines, then anywhere. */
export function splitText(text: string, max = MAX_TEXT): string[] {
  if (text.length <= max) return [text];
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const cut = Math.max(window.lastIndexOf("\n\n"), window.lastIndexOf("\n"));
    const at = cut > max / 2 ? cut : max;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}
