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

/**
 * The text with e-mails, NIKs and phone numbers replaced by `[email]`, `[NIK]`, `[nomor]`.
 *
 * @example scrubPersonalData("hubungi 0812-3456-7890 atau budi@mail.com") === "hubungi [nomor] atau [email]"
 */
export function scrubPersonalData(text: string): string {
  return text
    .replace(EMAIL, "[email]")
    .replace(NIK, "[NIK]")
    .replace(PHONE, (m) => (m.replace(/\D/g, "").length >= 8 ? "[nomor]" : m));
}
