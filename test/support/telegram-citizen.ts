/**
 * A scripted citizen on Telegram: files a complete tip in Kota Metro through the Bot API stand-in,
 * pressing the buttons the bot sends, and returns the tracking number from the receipt.
 */
import type { BotApiStub, SentMessage, StubUser } from "./bot-api-stub.js";
import { TRACKING_NUMBER } from "./citizen.js";

/** What to vary in the tip; everything else is answered "don't know" or "none". */
export interface TelegramTip {
  category: string;
  account: string;
  /** A GPS point, or the words typed as the place (default: a GPS point in Kota Metro). */
  place?: { lat: number; lon: number } | string;
  timeoutMs?: number;
}

/** Walks the whole complaint flow as `user` and resolves to the tracking number. */
export async function fileTipOnTelegram(stub: BotApiStub, user: StubUser, tip: TelegramTip): Promise<string> {
  const timeoutMs = tip.timeoutMs ?? 5000;
  const next = (re: RegExp) =>
    stub.waitForMessage(user.id, { timeoutMs, match: (m) => re.test(m.text ?? "") });
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
  press(await next(/ringkasan/), "submit");
  return TRACKING_NUMBER.exec((await next(TRACKING_NUMBER)).text!)![0];
}
