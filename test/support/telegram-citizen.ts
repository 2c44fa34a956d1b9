/**
 * A scripted citizen on Telegram: files a complete tip in Kota Metro through the Bot API stand-in,
 * pressing the buttons the bot sends, and returns the tracking number from the receipt.
 */
import type { BotApiStub, SentMessage, StubUser } from "./bot-api-stub.js";
import { TRACKING_NUMBER } from "./citizen.js";

/**
 * The bot's messages per chat, each chat read with its own cursor, so many citizens can walk at
 * once (the stand-in's `waitForMessage` keeps one cursor for the whole log).
 */
export class ChatWatcher {
  private readonly byChat = new Map<number, SentMessage[]>();
  private readonly cursors = new Map<number, number>();
  private readonly waiters = new Set<() => void>();

  constructor(stub: BotApiStub) {
    stub.onRequest((r) => {
      if (!r.ok || !r.sent) return;
      for (const m of r.sent) this.byChat.set(m.chat_id, [...(this.byChat.get(m.chat_id) ?? []), m]);
      for (const w of [...this.waiters]) w();
    });
  }

  /** Every message the bot sent to `chat`, in the order the stand-in answered them. */
  messages(chat: number): SentMessage[] {
    return this.byChat.get(chat) ?? [];
  }

  /** The chat's next message (after the last one this returned) matching `re`. */
  next(chat: number, re: RegExp, timeoutMs: number): Promise<SentMessage> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const list = this.messages(chat);
        for (let i = this.cursors.get(chat) ?? 0; i < list.length; i++) {
          if (re.test(list[i]!.text ?? "")) {
            this.cursors.set(chat, i + 1);
            this.waiters.delete(check);
            clearTimeout(timer);
            resolve(list[i]!);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        const seen = this.messages(chat).map((m) => (m.text ?? "").slice(0, 40));
        reject(
          new Error(
            `chat ${chat}: no message matching ${re} in ${timeoutMs} ms; got ${JSON.stringify(seen)}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}

/** What to vary in the tip; everything else is answered "don't know" or "none". */
export interface TelegramTip {
  category: string;
  account: string;
  /** A GPS point, or the words typed as the place (default: a GPS point in Kota Metro). */
  place?: { lat: number; lon: number } | string;
  timeoutMs?: number;
  /** Called at the summary, just before Kirim is pressed (to break the platform there). */
  beforeSubmit?: () => void;
  /** How long to wait for the receipt (default `timeoutMs`). */
  receiptTimeoutMs?: number;
  /** Reads the chat through this watcher (needed when several citizens walk at once). */
  watcher?: ChatWatcher;
}

/** Walks the whole complaint flow as `user` and resolves to the tracking number. */
export async function fileTipOnTelegram(stub: BotApiStub, user: StubUser, tip: TelegramTip): Promise<string> {
  const timeoutMs = tip.timeoutMs ?? 5000;
  const watcher = tip.watcher;
  const next = (re: RegExp, ms = timeoutMs) =>
    watcher
      ? watcher.next(user.id, re, ms)
      : stub.waitForMessage(user.id, { timeoutMs: ms, match: (m) => re.test(m.text ?? "") });
  const press = (m: SentMessage, value: string) => stub.pressButton(user, m, `c:${value}`);
  stub.sendCommand(user, "/lapor");
  press(await next(/Pilih cara melapor/), "tip");
  press(await next(/Apa yang dilakukan ASN/), tip.category);
  await next(/Ceritakan kejadiannya/);
  stub.sendText(user, tip.account);
  press(await next(/Kapan kejadiannya/), "kemarin");
  await next(/Di mana kejadiannya|Di kabupaten\/kota mana/);
  const place = tip.place ?? { lat: -5.1131, lon: 105.3067 };
  if (typeof place === "string") stub.sendText(user, place);
  else stub.sendLocation(user, place.lat, place.lon);
  press(await next(/Kota Metro, Lampung\?/), "yes");
  press(await next(/Siapa nama ASN/), "none");
  press(await next(/Apa jabatannya/), "none");
  press(await next(/Di instansi/), "none");
  press(await next(/PNS atau PPPK/), "pns");
  press(await next(/Kirim bukti/), "none");
  const summary = await next(/ringkasan/);
  tip.beforeSubmit?.();
  press(summary, "submit");
  const receipt = next(TRACKING_NUMBER, tip.receiptTimeoutMs ?? timeoutMs);
  return TRACKING_NUMBER.exec((await receipt).text!)![0];
}
