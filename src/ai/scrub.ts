/**
 * Removes contact details from free text before it leaves for an external model: phone numbers,
 * e-mail addresses and 16-digit numbers (the NIK of an ID card), each replaced by a placeholder.
 * The reporter's name and address are never put in a prompt at all (see `prompts.ts`).
 */

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
/** 16 digits, possibly grouped by spaces, dots or dashes (NIK). */
const NIK = /(?<!\d)\d(?:[ .-]?\d){15}(?!\d)/g;
/** Indonesian mobile and landline numbers: +62 / 62 / 0 followed by 7–12 more digits, in groups. */
const PHONE = /(?<![\p{L}\p{N}])(?:\+?62|0)[ .-]?\(?\d{2,4}\)?(?:[ .-]?\d{2,5}){1,4}(?!\d)/gu;

/** A reporter introducing themselves: "saya Andi Wijaya", "nama saya Andi", "my name is Andi". */
const SELF_NAME =
  /\b((?:[Nn]ama\s+saya|[Ss]aya\s+bernama|[Ss]aya|[Aa]ku|[Mm]y\s+name\s+is|I\s+am)\s*[:,]?\s+)(\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3})/gu;

/**
 * The text with every occurrence of the given values (a reporter's name, address, phone, as
 * stored) replaced by `[identitas]`; each word of three letters or more of a name counts on its own.
 *
 * @example redactValues("Saya Andi Wijaya melihat…", ["Andi Wijaya"]) === "Saya [identitas] [identitas] melihat…"
 */
export function redactValues(text: string, values: readonly string[]): string {
  let out = text;
  const pieces = values
    .flatMap((v) => [v.trim(), ...v.split(/[\s,.;:/]+/)])
    .filter((p) => [...p].length >= 3 && !/^\d{1,3}$/.test(p))
    .sort((a, b) => b.length - a.length);
  for (const p of pieces) {
    const escaped = p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "giu"), "[identitas]");
  }
  return out;
}

/**
 * The text with e-mails, NIKs and phone numbers replaced by `[email]`, `[NIK]`, `[nomor]`, and the
 * name of someone introducing themselves ("saya Andi Wijaya") by `[nama]`.
 *
 * @example scrubPersonalData("hubungi 0812-3456-7890 atau budi@mail.com") === "hubungi [nomor] atau [email]"
 */
export function scrubPersonalData(text: string): string {
  return text
    .replace(SELF_NAME, (_m, intro: string) => `${intro}[nama]`)
    .replace(EMAIL, "[email]")
    .replace(NIK, "[NIK]")
    .replace(PHONE, (m) => (m.replace(/\D/g, "").length >= 8 ? "[nomor]" : m));
}
