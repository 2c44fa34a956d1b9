import { describe, expect, it } from "vitest";
import { maskPhone, normalizePhone, type PhoneParse } from "../../src/parsing/phone.js";

const mobile: PhoneParse = { ok: true, e164: "+6281234567890", display: "0812-3456-7890" };

describe("normalizePhone", () => {
  it.each<[string, PhoneParse]>([
    ["0812 3456 7890", mobile],
    ["+62 812-3456-7890", mobile],
    ["62812-3456-7890", mobile],
    ["6281234567890", mobile],
    ["081234567890", mobile],
    ["0812.3456.7890", mobile],
    ["0812-3456-7890", mobile],
    ["+62 (812) 3456 7890", mobile],
    ["+62 0812 3456 7890", mobile],
    ["0062 812 3456 7890", mobile],
    ["81234567890", mobile],
    [" \u00a00812 3456 7890 ", mobile],
    ["0812345678", { ok: true, e164: "+62812345678", display: "0812-345-678" }],
    ["08123456789", { ok: true, e164: "+628123456789", display: "0812-3456-789" }],
    ["0812345678901", { ok: true, e164: "+62812345678901", display: "0812-3456-78901" }],
    ["(0721) 123456", { ok: true, e164: "+62721123456", display: "(0721) 123456" }],
    ["0721-123456", { ok: true, e164: "+62721123456", display: "(0721) 123456" }],
    ["+62 721 123456", { ok: true, e164: "+62721123456", display: "(0721) 123456" }],
    ["021-1234-5678", { ok: true, e164: "+622112345678", display: "(021) 12345678" }],
    ["(0967) 533123", { ok: true, e164: "+62967533123", display: "(0967) 533123" }],
    ["", { ok: false, reason: "empty" }],
    ["   ", { ok: false, reason: "empty" }],
    ["0812-3456-789O", { ok: false, reason: "invalid" }],
    ["nomor saya 08123456789", { ok: false, reason: "invalid" }],
    ["abc", { ok: false, reason: "invalid" }],
    ["08123", { ok: false, reason: "invalid" }],
    ["081234567", { ok: false, reason: "invalid" }],
    ["08123456789012", { ok: false, reason: "invalid" }],
    ["0812345678901234", { ok: false, reason: "invalid" }],
    ["12345678", { ok: false, reason: "invalid" }],
    ["0812+3456789", { ok: false, reason: "invalid" }],
    ["---", { ok: false, reason: "invalid" }],
    ["+1 415 555 2671", { ok: false, reason: "not_indonesian" }],
    ["+60 12-345 6789", { ok: false, reason: "not_indonesian" }],
    ["0060 12 345 6789", { ok: false, reason: "not_indonesian" }],
  ])("%j", (text, expected) => {
    expect(normalizePhone(text)).toEqual(expected);
  });
});

describe("maskPhone", () => {
  it.each<[string, string]>([
    ["+6281234567890", "+62812****7890"],
    ["+62812345678901", "+62812****8901"],
    ["+62721123456", "+62721****3456"],
    ["+14155552671", "+141****2671"],
    ["12345", "****"],
    ["", "****"],
  ])("%j → %j", (e164, expected) => {
    expect(maskPhone(e164)).toBe(expected);
  });
});
