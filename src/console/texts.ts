import { resolve } from "node:path";
import { z } from "zod";
import { PROJECT_ROOT } from "../config.js";
import { interpolate, type LocaleTree } from "../engine/locale.js";
import { formatProblem, type Problem, readYamlAs } from "../engine/problems.js";
import { DataFileError } from "../errors.js";

export type ConsoleLang = "id" | "en";

/** Every word of the console, per language (`flows/locales/console.yaml`). */
export type ConsoleTexts = (lang: ConsoleLang, key: string, vars?: Record<string, string | number>) => string;

const tree: z.ZodType<LocaleTree> = z.lazy(() => z.record(z.string(), z.union([z.string(), tree])));
const schema = z.object({ id: tree, en: tree });

export const CONSOLE_TEXTS_FILE = resolve(PROJECT_ROOT, "flows/locales/console.yaml");

function keysOf(t: LocaleTree, prefix = ""): string[] {
  return Object.entries(t).flatMap(([k, v]) =>
    typeof v === "string" ? [`${prefix}${k}`] : Array.isArray(v) ? [] : keysOf(v, `${prefix}${k}.`),
  );
}

/** Loads the console's texts; both languages must have the same keys. Throws {@link DataFileError}. */
export function loadConsoleTexts(file = CONSOLE_TEXTS_FILE): ConsoleTexts {
  const problems: Problem[] = [];
  const value = readYamlAs(file, "console.yaml", schema, problems);
  if (!value || problems.length) throw new DataFileError(file, problems.map(formatProblem).join("\n"));
  const id = new Map(keysOf(value.id).map((k) => [k, k]));
  const en = new Set(keysOf(value.en));
  const missing = [...id.keys()].filter((k) => !en.has(k)).concat([...en].filter((k) => !id.has(k)));
  if (missing.length)
    throw new DataFileError(file, `console.yaml: keys in one language only: ${missing.join(", ")}`);
  const lookup = (lang: ConsoleLang, key: string): string | undefined => {
    let node: LocaleTree | string | string[] | undefined = value[lang];
    for (const part of key.split(".")) {
      if (!node || typeof node === "string" || Array.isArray(node)) return undefined;
      node = node[part];
    }
    return typeof node === "string" ? node : undefined;
  };
  return (lang, key, vars) => {
    const text = lookup(lang, key);
    if (text === undefined) throw new Error(`console text missing: ${key}`);
    return vars ? interpolate(text, vars) : text;
  };
}
