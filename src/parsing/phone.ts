/**
 * Indonesian phone numbers as people type them: "0812 3456 7890", "+62 812-3456-7890",
 * "62812…", "(0721) 123456". Normalized to E.164 ("+6281234567890") for storage and to a
 * familiar national form for display.
 */

/**
 * Result of {@link normalizePhone}.
 *
 * @example
 * const r: PhoneParse = { ok: true, e164: "+6281234567890", display: "0812-3456-7890" };
 */
export type PhoneParse =
  | { ok: true; e164: string; display: string }
  | { ok: false; reason: "empty" | "invalid" | "not_indonesian" };

/** Two-digit area codes (without the trunk 0); every other landline area code has three digits. */
const TWO_DIGIT_AREA_CODES = new Set(["21", "22", "24", "31", "61"]);

/** Mobile numbers (08…) have 10–13 digits with the leading 0, so 9–12 after it. */
const MOBILE_RE = /^8[1-9]\d{7,10}$/;
/** Landlines: area code 2–3 digits plus a 5–8 digit subscriber number, 8–11 digits after the 0. */
const LANDLINE_RE = /^[2-79]\d{7,10}$/;

function displayMobile(national: string): string {
  const digits = `0${national}`;
  const rest = digits.slice(4);
  const second = Math.min(4, Math.ceil(rest.length / 2));
  return `${digits.slice(0, 4)}-${rest.slice(0, second)}-${rest.slice(second)}`;
}

function displayLandline(national: string): string {
  const areaLength = TWO_DIGIT_AREA_CODES.has(national.slice(0, 2)) ? 2 : 3;
  return `(0${national.slice(0, areaLength)}) ${national.slice(areaLength)}`;
}

/**
 * Normalizes an Indonesian mobile or landline number. Spaces, dashes, dots, slashes and parentheses
 * are ignored; a leading "+62", "62", "0062" or trunk "0" is understood, and a mobile number typed
 * without its 0 ("812…") is accepted. Mobile numbers (08…) must have 10–13 digits; landlines need an
 * area code. Letters and other characters make the number "invalid"; another country code ("+1",
 * "+60", "0060…") gives "not_indonesian".
 *
 * @example
 * normalizePhone("+62 812-3456-7890"); // { ok: true, e164: "+6281234567890", display: "0812-3456-7890" }
 * normalizePhone("(0721) 123456");     // { ok: true, e164: "+62721123456", display: "(0721) 123456" }
 * normalizePhone("+60 12-345 6789");   // { ok: false, reason: "not_indonesian" }
 */
export function normalizePhone(text: string): PhoneParse {
  const trimmed = text.normalize("NFKC").trim();
  if (trimmed === "") return { ok: false, reason: "empty" };
  if (!/^\+?[\d\s\-./()]+$/.test(trimmed)) return { ok: false, reason: "invalid" };
  const digits = trimmed.replace(/\D/g, "");
  if (digits === "") return { ok: false, reason: "invalid" };

  let national: string;
  if (trimmed.startsWith("+")) {
    if (!digits.startsWith("62")) return { ok: false, reason: "not_indonesian" };
    national = digits.slice(2);
  } else if (digits.startsWith("00")) {
    if (!digits.startsWith("0062")) return { ok: false, reason: "not_indonesian" };
    national = digits.slice(4);
  } else if (digits.startsWith("62")) {
    national = digits.slice(2);
  } else if (digits.startsWith("0")) {
    national = digits.slice(1);
  } else if (digits.startsWith("8")) {
    national = digits;
  } else {
    return { ok: false, reason: "invalid" };
  }
  // "+62 0812…": a trunk 0 kept after the country code.
  if (national.startsWith("0")) national = national.slice(1);

  if (MOBILE_RE.test(national)) return { ok: true, e164: `+62${national}`, display: displayMobile(national) };
  if (LANDLINE_RE.test(national))
    return { ok: true, e164: `+62${national}`, display: displayLandline(national) };
  return { ok: false, reason: "invalid" };
}

/**
 * Hides the middle of a phone number for logs: country code and first three digits, four stars,
 * last four digits. Never throws; anything too short to mask safely becomes "****".
 *
 * @example
 * maskPhone("+6281234567890"); // "+62812****7890"
 */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, "");
  if (digits.startsWith("62") && digits.length >= 10) {
    return `+62${digits.slice(2, 5)}****${digits.slice(-4)}`;
  }
  if (digits.length >= 10)
    return `${e164.trim().startsWith("+") ? "+" : ""}${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return "****";
}
