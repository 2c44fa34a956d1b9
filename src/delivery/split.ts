/**
 * Splits a text into messages a channel takes, cutting nothing: at a blank line when one is in the
 * second half of the window, else at a line break, else at a space, else anywhere (never inside a
 * surrogate pair). Every piece is at most `max` characters and the last at most `lastMax` (the
 * message that carries the buttons may have a smaller limit, e.g. the Cloud API's list body).
 * Joining the pieces with line breaks gives back the text, apart from the whitespace at the cuts.
 *
 * ```ts
 * splitText(card, 4096, 1024); // ["…first 4,000 characters…", "…the rest, ≤1,024, with the buttons"]
 * ```
 */
export function splitText(text: string, max: number, lastMax = max): string[] {
  if (max < 2 || lastMax < 2) throw new RangeError("limits must be at least 2 characters");
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > lastMax) {
    // Could the rest end as [piece ≤ max, last ≤ lastMax]? Cut so the last piece gets what fits.
    const limit = rest.length <= max + lastMax ? Math.min(max, rest.length - 1) : max;
    const cut = cutAt(rest, limit);
    const head = rest.slice(0, cut).trimEnd();
    if (head) pieces.push(head);
    rest = rest.slice(cut).trimStart();
    if (!head && cut === 0) break;
  }
  if (rest.trim() || !pieces.length) pieces.push(rest);
  return pieces;
}

/** Where to cut `text` so the head is at most `limit` characters. */
function cutAt(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  const half = Math.floor(limit / 2);
  for (const sep of ["\n\n", "\n", " "]) {
    const at = window.lastIndexOf(sep, limit);
    if (at >= half && at <= limit) return at;
  }
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}
