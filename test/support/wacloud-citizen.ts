/**
 * A scripted citizen on the WhatsApp Cloud API: files a complete tip through the signed webhook,
 * answering every kind of question the way WhatsApp users do: a list row (the main menu), reply
 * buttons, a number for the long category menu, words for yes/no and PNS/PPPK, a GPS location or a
 * place name, files and a link as evidence. Resolves to the tracking number of the receipt.
 */
import { TRACKING_NUMBER } from "./citizen.js";
import type { GraphApiStub, SentCloudMessage } from "./graph-api-stub.js";
import type { WaUser } from "./wacloud-user.js";

/** One file the citizen sends as evidence. */
export interface WaEvidenceFile {
  bytes: Buffer;
  mime: string;
  /** Sent as a document with this name; without it, as an image. */
  fileName?: string;
  caption?: string;
}

/** What to vary in the tip. */
export interface WaTip {
  account: string;
  /** A GPS point or the words typed as the place. */
  place: { lat: number; lon: number } | string;
  /** The confirmation question's place, e.g. "Kota Metro, Lampung". */
  placeName: string;
  files?: WaEvidenceFile[];
  link?: string;
}

/** Walks the complaint flow as `user` and resolves to the tracking number. */
export async function fileTipOnWaCloud(stub: GraphApiStub, user: WaUser, tip: WaTip): Promise<string> {
  const next = (re: RegExp) =>
    stub.waitForMessage(user.waId, { match: (m) => re.test(m.text), timeoutMs: 15_000 });
  const expectType = (m: SentCloudMessage, kind: string) => {
    const actual = m.type === "interactive" ? (m.payload.interactive as { type: string }).type : m.type;
    if (actual !== kind) throw new Error(`expected a ${kind} message, got ${actual}: ${m.text.slice(0, 60)}`);
    return m;
  };
  await user.text("halo");
  await user.chooseRow(expectType(await next(/Halo! Ini LaporNetral/), "list"), "report");
  await user.pressButton(expectType(await next(/Pilih cara melapor/), "button"), "tip");
  // 14 categories: a numbered text menu; "8" is "Menggunakan fasilitas negara".
  const menu = expectType(await next(/Apa yang dilakukan ASN/), "text");
  if (!/\n8\. Menggunakan fasilitas negara/.test(menu.text))
    throw new Error(`menu without number 8:\n${menu.text}`);
  await user.text("8");
  await next(/Ceritakan kejadiannya/);
  await user.text(tip.account);
  await user.pressButton(expectType(await next(/Kapan kejadiannya/), "button"), "kemarin");
  await next(/Di mana kejadiannya|Di kabupaten\/kota mana/);
  if (typeof tip.place === "string") await user.text(tip.place);
  else await user.location(tip.place.lat, tip.place.lon);
  expectType(await next(new RegExp(`${tip.placeName}\\?`)), "button");
  await user.text("ya");
  await user.pressButton(await next(/Siapa nama ASN/), "none");
  await next(/Apa jabatannya/);
  await user.text("Kepala Dinas");
  await next(/Di instansi atau kantor mana/);
  await user.text("dishub kota metro");
  expectType(await next(/PNS atau PPPK/), "button");
  await user.text("PNS");
  let prompt = await next(/Kirim bukti/);
  for (const f of tip.files ?? []) {
    if (f.fileName) await user.document(f.bytes, f.mime, f.fileName);
    else await user.image(f.bytes, f.mime, f.caption);
    prompt = await next(/Diterima: \d+ file/);
  }
  if (tip.link) {
    await user.text(`ini postingannya ${tip.link}`);
    prompt = await next(/Tautan dicatat/);
  }
  await user.pressButton(prompt, tip.files?.length || tip.link ? "done" : "none");
  await user.pressButton(expectType(await next(/ringkasan/), "button"), "submit");
  const receipt = await next(TRACKING_NUMBER);
  return TRACKING_NUMBER.exec(receipt.text)![0];
}
