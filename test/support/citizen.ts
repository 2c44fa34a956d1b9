/**
 * A scripted citizen for tests and benchmarks: the inputs of a complete tip, and a helper that
 * files it through the conversation service (the web channel) and returns the tracking number.
 */
import type { App } from "../../src/app.js";
import type { Inbound } from "../../src/engine/types.js";

/** The tracking number in a receipt. */
export const TRACKING_NUMBER = /LN-[0-9A-Z]{4}-[0-9A-Z]{4}/;

/** A complete tip in Kota Metro by GPS, no evidence: 13 messages. */
export function tipInputs(
  options: { category?: string; account?: string; place?: Inbound; accused?: string } = {},
): Inbound[] {
  const place: Inbound = options.place ?? { kind: "location", lat: -5.1131, lon: 105.3067 };
  return [
    { kind: "command", name: "lapor", args: "" },
    { kind: "choice", value: "tip" },
    { kind: "choice", value: options.category ?? "fasilitas_negara" },
    {
      kind: "text",
      text: options.account ?? "Mobil dinas dipakai mengangkut massa kampanye ke lapangan kota.",
    },
    { kind: "choice", value: "kemarin" },
    place,
    { kind: "choice", value: "yes" },
    options.accused ? { kind: "text", text: options.accused } : { kind: "choice", value: "none" },
    { kind: "text", text: "Kepala Dinas" },
    { kind: "text", text: "dishub kota metro" },
    { kind: "choice", value: "pns" },
    { kind: "text", text: "tidak ada bukti" },
    { kind: "choice", value: "submit" },
  ];
}

/** Sends the inputs as one web visitor; resolves to the receipt's tracking number. */
export async function fileThroughWeb(app: App, visitor: string, inputs: Inbound[]): Promise<string> {
  let last = "";
  for (const [i, input] of inputs.entries()) {
    const reply = await app.conversation.handle({
      channel: "web",
      chatId: visitor,
      messageId: `${visitor}-${i}`,
      receivedAt: new Date(),
      input,
    });
    last = reply?.outputs.map((o) => o.text).join("\n") ?? "";
  }
  const m = TRACKING_NUMBER.exec(last);
  if (!m) throw new Error(`no receipt; last reply was:\n${last}`);
  return m[0];
}
