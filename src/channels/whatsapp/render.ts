import type { Output } from "../../engine/types.js";
import { splitText } from "../telegram/render.js";

/** WhatsApp shows long texts, but phones handle shorter messages better: split above this. */
const MAX_TEXT = 4000;

/** The words the renderer adds, from the locale files (`whatsapp.*`). */
export interface WhatsAppLabels {
  /** Under a numbered menu: "Balas dengan angka atau kata." */
  choiceHint: string;
  /** Under a location question: how to send a location (📎 → Lokasi) or type a place. */
  locationHint: string;
}

/**
 * A text followed by a numbered menu ("1. …\n2. …") and a hint line. Used for flow choices and
 * for the officers' numbered actions.
 */
export function numberedMenu(text: string, labels: readonly string[], hint: string): string {
  const menu = labels.map((label, i) => `${i + 1}. ${label}`).join("\n");
  return [text, menu, hint].filter((part) => part !== "").join("\n\n");
}

/**
 * Renders an engine output as plain WhatsApp texts (buttons and lists do not work on WhatsApp
 * Web): choices become a numbered menu the citizen answers with the number or the words (the
 * engine accepts both), a location question says how to share a location or type a place.
 * Pure; the Cloud API channel may use it as its fallback.
 */
export function renderForWhatsAppText(output: Output, labels: WhatsAppLabels): string[] {
  let text = output.text;
  if (output.choices?.length) {
    text = numberedMenu(
      output.text,
      output.choices.map((c) => c.label),
      labels.choiceHint,
    );
  } else if (output.ask === "location") {
    text = `${output.text}\n\n${labels.locationHint}`;
  }
  return splitText(text, MAX_TEXT);
}

/**
 * The replies of one step as few WhatsApp messages as possible: the outputs rendered one by one,
 * joined by a blank line, split only above the length limit. Fewer messages read better on a
 * phone and lower the ban risk of a paced number.
 */
export function renderReplyForWhatsApp(outputs: readonly Output[], labels: WhatsAppLabels): string[] {
  const joined = outputs.map((o) => renderForWhatsAppText(o, labels).join("\n\n")).join("\n\n");
  return joined === "" ? [] : splitText(joined, MAX_TEXT);
}
