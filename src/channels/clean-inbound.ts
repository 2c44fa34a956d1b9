/**
 * Text hygiene for every inbound message, applied by every channel and the simulator before the
 * input reaches the engine or the database (see `src/parsing/text-hygiene.ts`).
 */
import type { Inbound } from "../engine/types.js";
import { cleanLine, cleanText } from "../parsing/text-hygiene.js";

/**
 * The longest text kept from one message, in UTF-16 units. Longer than any answer a flow accepts
 * (the story's 4,000 characters), so the step still says "too long" with the real length; the
 * cut only bounds the work done on a flood of text.
 */
export const MAX_INBOUND_TEXT = 20_000;

function clip(text: string): string {
  if (text.length <= MAX_INBOUND_TEXT) return text;
  // Never cut a surrogate pair in half.
  const end = /[\uD800-\uDBFF]/.test(text[MAX_INBOUND_TEXT - 1]!) ? MAX_INBOUND_TEXT - 1 : MAX_INBOUND_TEXT;
  return text.slice(0, end);
}

/**
 * The input with every text cleaned: NUL and other control characters removed, unpaired
 * surrogates replaced, button values and command names kept to one line, coordinates that are not
 * numbers made NaN-free (an invalid point stays invalid and is said to be so by the flow).
 */
export function cleanInbound(input: Inbound): Inbound {
  switch (input.kind) {
    case "text":
      return { ...input, text: cleanText(clip(input.text)) };
    case "choice":
      return { kind: "choice", value: cleanLine(clip(input.value)) };
    case "command":
      return {
        kind: "command",
        name: cleanLine(input.name).toLowerCase(),
        args: cleanText(clip(input.args)).trim(),
      };
    case "location":
      return {
        kind: "location",
        lat: Number.isFinite(input.lat) ? input.lat : Number.NaN,
        lon: Number.isFinite(input.lon) ? input.lon : Number.NaN,
      };
    case "media":
      return {
        kind: "media",
        items: input.items.map((item) => {
          const out = { ...item };
          if (out.caption !== undefined) out.caption = cleanText(clip(out.caption));
          if (out.fileName !== undefined) out.fileName = cleanLine(out.fileName);
          return out;
        }),
      };
    case "media_rejected":
      return input.fileName === undefined ? input : { ...input, fileName: cleanLine(input.fileName) };
    case "unsupported":
      return { kind: "unsupported", what: cleanLine(input.what) };
  }
}
