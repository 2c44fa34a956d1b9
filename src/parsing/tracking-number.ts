import { randomInt } from "node:crypto";

/** Crockford base32 without I, L, O, U: easy to read aloud and to type on a phone. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A new tracking number such as "LN-7K3M-9QX2": 40 random bits from the OS's CSPRNG, so numbers
 * are not sequential and cannot be enumerated to read other people's reports.
 */
export function newTrackingNumber(): string {
  let s = "";
  for (let i = 0; i < 8; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `LN-${s.slice(0, 4)}-${s.slice(4)}`;
}

/**
 * Normalizes what a citizen types ("ln 7k3m 9qx2", "LN7K3M9QX2", "ln-7k3m-9qx2") into the canonical
 * form, mapping look-alikes (O→0, I/L→1); undefined when it cannot be a tracking number.
 */
export function parseTrackingNumber(text: string): string | undefined {
  const raw = text
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/^LN/, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (raw.length !== 8 || [...raw].some((c) => !ALPHABET.includes(c))) return undefined;
  return `LN-${raw.slice(0, 4)}-${raw.slice(4)}`;
}
