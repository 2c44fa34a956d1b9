/**
 * The one grammar of what officers type, read the same way on every channel:
 *
 * - `/petugas KODE`: redeem an invite code (a group becomes a destination, a person an officer);
 * - `/laporan`, `/lihat NOMOR`, … ({@link OFFICER_COMMAND_NAMES}): an officer command with the rest
 *   of the message as its arguments;
 * - `1`, or `1 LN-XXXX-XXXX`: a numbered answer to a menu (channels without buttons).
 *
 * Telegram may add the bot's name to a command in a group (`/laporan@LaporNetralBot`); it is
 * accepted on every channel. Command words are matched case-insensitively.
 *
 * @example
 * parseOfficerText("/Tanya ln-7k3m-9qx2 Kapan?"); // { kind: "command", name: "tanya", args: "ln-7k3m-9qx2 Kapan?" }
 * parseOfficerText("/petugas@LaporBot ABCD");    // { kind: "invite", code: "ABCD" }
 * parseOfficerText("2 LN-7K3M-9QX2");            // { kind: "number", choice: 2, report: "LN-7K3M-9QX2" }
 */
import { isOfficerCommand, OFFICER_COMMAND_NAMES, type OfficerCommandName } from "./commands.js";

export { OFFICER_COMMAND_NAMES };

/** What an officer's typed text is, when it is something for the desk. */
export type OfficerText =
  | { kind: "invite"; code: string | undefined }
  | { kind: "command"; name: OfficerCommandName; args: string }
  | { kind: "number"; choice: number; report: string | undefined };

/** A tracking number anywhere in a text. */
export const TRACKING_NUMBER = /LN-[0-9A-Z]{4}-[0-9A-Z]{4}/i;

const SLASH = /^\/([A-Za-z_]+)(?:@\w+)?(?=\s|$)\s*([\s\S]*)$/;
const NUMBERED = /^(\d{1,2})(?:[.)]?\s+(LN-[0-9A-Z]{4}-[0-9A-Z]{4}))?\s*$/i;

/** Reads an officer's text; undefined when it is none of the desk's forms (e.g. a citizen's answer). */
export function parseOfficerText(text: string): OfficerText | undefined {
  const trimmed = text.trim();
  const slash = SLASH.exec(trimmed);
  if (slash) {
    const name = slash[1]!.toLowerCase();
    const rest = slash[2]!.trim();
    if (name === "petugas") return { kind: "invite", code: rest.split(/\s+/)[0] || undefined };
    if (isOfficerCommand(name)) return { kind: "command", name, args: rest };
    return undefined;
  }
  const numbered = NUMBERED.exec(trimmed);
  if (numbered) {
    return { kind: "number", choice: Number(numbered[1]), report: numbered[2]?.toUpperCase() };
  }
  return undefined;
}

/** The prompts an officer answers with text, and the command each answer becomes. */
export const PROMPT_COMMANDS = {
  ask: "tanya",
  forward: "teruskan",
  reject: "tolak",
} as const satisfies Record<string, OfficerCommandName>;
/** A prompt's kind. */
export type PromptKind = keyof typeof PROMPT_COMMANDS;
