/**
 * The library of ready-made reminders: one editable YAML file per reminder in `flows/broadcasts/`,
 * each with an Indonesian and an English text and optionally an image (a path relative to the file).
 *
 * Texts use the light markup both platforms understand: `*bold*` and `_italic_` (WhatsApp shows them
 * as is; the Telegram sender turns them into HTML). Checked at start-up and by `npm run flows:check`.
 *
 * @example
 * ```yaml
 * id: larangan_medsos
 * title: ASN dan media sosial
 * text:
 *   id: "*ASN wajib netral di media sosial.* …"
 *   en: "*Civil servants must stay neutral on social media.* …"
 * image: images/medsos.png   # optional
 * ```
 */
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { z } from "zod";
import { formatProblem, type Problem, readYamlAs } from "../engine/problems.js";
import type { Lang } from "../engine/types.js";
import { DataFileError } from "../errors.js";

/** Telegram's caption limit: a reminder with an image must fit in one caption. */
export const CAPTION_LIMIT = 1024;
/** Telegram's text limit. */
export const TEXT_LIMIT = 4096;

const ReminderText = z.strictObject({
  id: z.string().trim().min(20, "too short for a reminder").max(TEXT_LIMIT),
  en: z.string().trim().min(20, "too short for a reminder").max(TEXT_LIMIT),
});

/** zod schema of one reminder file. */
export const ReminderSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, "ids are lower_snake_case"),
  /** A short name for admins (`broadcasts list`). */
  title: z.string().min(3),
  text: ReminderText,
  /** An image file next to the reminder (png, jpg). */
  image: z
    .string()
    .regex(/\.(png|jpe?g)$/i, "must be a .png or .jpg file")
    .optional(),
});

/** A reminder as loaded; `imagePath` is absolute. */
export interface Reminder {
  id: string;
  title: string;
  text: Record<Lang, string>;
  imagePath?: string;
}

/** Reads every reminder of `dir`, with every problem found (none means all is well). */
export function readLibrary(dir: string): { reminders: Reminder[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const reminders: Reminder[] = [];
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith(".yaml"))
      .sort();
  } catch (e) {
    const file = relative(process.cwd(), dir) || dir;
    return {
      reminders,
      problems: [{ file, path: "", message: `cannot read: ${(e as Error).message}`, level: "error" }],
    };
  }
  for (const name of names) {
    const path = join(dir, name);
    const file = relative(process.cwd(), path) || path;
    const r = readYamlAs(path, file, ReminderSchema, problems);
    if (r === undefined) continue;
    const err = (p: string, message: string) => problems.push({ file, path: p, message, level: "error" });
    if (r.id !== basename(name, ".yaml"))
      err("id", `must equal the file name ("${basename(name, ".yaml")}")`);
    const imagePath = r.image ? resolve(dirname(path), r.image) : undefined;
    if (imagePath && !existsSync(imagePath)) err("image", `file not found: ${r.image}`);
    for (const lang of ["id", "en"] as const) {
      if (imagePath && r.text[lang].length > CAPTION_LIMIT)
        err(`text.${lang}`, `with an image the text is a caption: at most ${CAPTION_LIMIT} characters`);
      if (!/\/lapor\b/.test(r.text[lang]))
        err(`text.${lang}`, "must end with how to report (mention /lapor)");
    }
    reminders.push({ id: r.id, title: r.title, text: r.text, ...(imagePath ? { imagePath } : {}) });
  }
  if (reminders.length === 0 && problems.length === 0)
    problems.push({
      file: relative(process.cwd(), dir) || dir,
      path: "",
      message: "no reminders",
      level: "warning",
    });
  return { reminders, problems };
}

/**
 * Loads the library for the program. Throws {@link DataFileError} listing every error.
 *
 * @example const reminders = loadLibrary("flows/broadcasts");
 */
export function loadLibrary(dir: string): Reminder[] {
  const { reminders, problems } = readLibrary(dir);
  const errors = problems.filter((p) => p.level === "error");
  if (errors.length > 0)
    throw new DataFileError(dir, `invalid reminders:\n${errors.map(formatProblem).join("\n")}`);
  return reminders;
}
