/** Long texts become several messages under a channel's limits, with nothing cut. */
import { describe, expect, it } from "vitest";
import { splitText } from "../../src/delivery/split.js";

const squash = (s: string) => s.replace(/\s+/g, "");

describe("splitText", () => {
  it("keeps a short text whole", () => {
    expect(splitText("Laporan LN-AAAA-BBBB", 4096)).toEqual(["Laporan LN-AAAA-BBBB"]);
  });

  it("splits a 4,600-character card under 4,096 at line breaks, losing nothing", () => {
    const lines = Array.from({ length: 92 }, (_, i) => `Baris ${i} ${"x".repeat(40)}`);
    const card = lines.join("\n");
    expect(card.length).toBeGreaterThan(4096);
    const pieces = splitText(card, 4096);
    expect(pieces.length).toBe(2);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(4096);
    expect(pieces.join("\n")).toBe(card);
  });

  it("keeps the last piece under a smaller limit (the list body that carries the buttons)", () => {
    const story = "Kata ".repeat(1200).trim(); // 5,999 characters, spaces only
    const pieces = splitText(story, 4096, 1024);
    for (const p of pieces.slice(0, -1)) expect(p.length).toBeLessThanOrEqual(4096);
    expect(pieces.at(-1)!.length).toBeLessThanOrEqual(1024);
    expect(squash(pieces.join(""))).toBe(squash(story));
  });

  it("cuts a text without spaces anywhere, but never inside a surrogate pair", () => {
    const emoji = "😀".repeat(3000); // 6,000 code units
    const pieces = splitText(emoji, 4095);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(4095);
      expect(/^[\uD800-\uDBFF]/.test(p.slice(-1)) || /^[\uDC00-\uDFFF]/.test(p)).toBe(false);
    }
    expect(pieces.join("")).toBe(emoji);
  });
});
