import type { Choice, Output } from "../../engine/types.js";
import type { CloudMessage } from "./graph-api.js";

/** The Cloud API's limits for the message types the renderer produces (Meta's documentation). */
export const CLOUD_LIMITS = {
  textBody: 4096,
  buttonBody: 1024,
  listBody: 4096,
  locationRequestBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  rows: 10,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  listButton: 20,
  sectionTitle: 24,
} as const;

/** Labels the renderer needs from the locale files. */
export interface CloudLabels {
  /** The button that opens a list ("Pilih"). */
  listButton: string;
  /** The line under a numbered menu ("Balas dengan nomor …"). */
  numberedHint: string;
}

/**
 * Shortens a label to `max` characters at a word boundary when one is near, ending with "…".
 * Labels that fit are returned unchanged.
 */
export function shorten(label: string, max: number): string {
  const text = label.trim().replace(/\s+/g, " ");
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  const head = space >= max / 2 ? cut.slice(0, space) : cut;
  return `${head.replace(/[\s,.;:(/-]+$/, "")}…`;
}

/** Splits a text into pieces of at most `max` characters, at blank lines, then lines, then anywhere. */
export function splitBody(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const blank = window.lastIndexOf("\n\n");
    const line = window.lastIndexOf("\n");
    const cut = blank > max / 2 ? blank : line > max / 2 ? line : max;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

/** A plain text message (one or more, split under the 4,096 limit). */
export function textMessages(text: string): CloudMessage[] {
  return splitBody(text, CLOUD_LIMITS.textBody).map((body) => ({
    type: "text",
    text: { body, preview_url: false },
  }));
}

/**
 * Texts before an interactive message: all but the last piece of `text` as plain texts, the last
 * piece (at most `max`) as the interactive body.
 */
function withBody(text: string, max: number, make: (body: string) => CloudMessage): CloudMessage[] {
  const pieces = splitBody(text.trim() || "…", max);
  const last = pieces.pop()!;
  return [...pieces.flatMap(textMessages), make(last)];
}

/** Rows of a list message: the label as title, the rest of a long label as description. */
export function listRows(choices: Choice[]): { id: string; title: string; description?: string }[] {
  return choices.map((c) => {
    const label = c.label.trim().replace(/\s+/g, " ");
    if (label.length <= CLOUD_LIMITS.rowTitle) return { id: c.value, title: label };
    const title = shorten(label, CLOUD_LIMITS.rowTitle);
    const shown = title.slice(0, -1);
    const rest = label.slice(shown.length).trim();
    return {
      id: c.value,
      title,
      description: shorten(rest ? `…${rest}` : label, CLOUD_LIMITS.rowDescription),
    };
  });
}

/** An interactive list message (at most 10 rows, in one section). */
export function listMessage(body: string, button: string, rows: ReturnType<typeof listRows>): CloudMessage[] {
  return withBody(body, CLOUD_LIMITS.listBody, (text) => ({
    type: "interactive",
    interactive: {
      type: "list",
      body: { text },
      action: {
        button: shorten(button, CLOUD_LIMITS.listButton),
        sections: [{ rows }],
      },
    },
  }));
}

/**
 * Renders an engine output as Cloud API messages: up to 3 choices as reply buttons (titles
 * shortened to 20 characters, ids are the choice values; a list when two titles would be the
 * same), 4 to 10 as a list (title up to 24
 * characters, the rest of a long label as the row's description), more as a numbered text menu
 * (the engine accepts the number or the words); a location question as a location request
 * message (WhatsApp shows a "send location" button); long texts split under the limits.
 */
export function renderForCloudApi(output: Output, labels: CloudLabels): CloudMessage[] {
  const choices = output.choices ?? [];
  const titles = choices.map((c) => shorten(c.label, CLOUD_LIMITS.buttonTitle));
  // Meta refuses two buttons with the same title: labels that only differ late go in a list instead.
  if (
    choices.length > 0 &&
    choices.length <= CLOUD_LIMITS.buttons &&
    new Set(titles).size === titles.length
  ) {
    return withBody(output.text, CLOUD_LIMITS.buttonBody, (text) => ({
      type: "interactive",
      interactive: {
        type: "button",
        body: { text },
        action: {
          buttons: choices.map((c, i) => ({ type: "reply", reply: { id: c.value, title: titles[i]! } })),
        },
      },
    }));
  }
  if (choices.length > 0 && choices.length <= CLOUD_LIMITS.rows) {
    return listMessage(output.text, labels.listButton, listRows(choices));
  }
  if (choices.length > CLOUD_LIMITS.rows) {
    const menu = choices.map((c, i) => `${i + 1}. ${c.label}`).join("\n");
    return textMessages(`${output.text}\n\n${menu}\n\n${labels.numberedHint}`);
  }
  if (output.ask === "location") {
    return withBody(output.text, CLOUD_LIMITS.locationRequestBody, (text) => ({
      type: "interactive",
      interactive: { type: "location_request_message", body: { text }, action: { name: "send_location" } },
    }));
  }
  return textMessages(output.text);
}
