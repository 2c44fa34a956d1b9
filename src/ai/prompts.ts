/**
 * The prompts given to the LLM live in `flows/prompts/*.md`, not in code. Each is loaded and
 * checked at start-up (and by `npm run flows:check`): present, not empty, with exactly the
 * `{{placeholders}}` the code fills.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Problem } from "../engine/problems.js";
import { DataFileError } from "../errors.js";

/** Every prompt file and the placeholders it must contain. */
export const PROMPT_PLACEHOLDERS = {
  extract: ["categories", "today"],
  rules: ["language", "passages"],
  vision: [],
  summary: [],
  classify: ["categories"],
} as const satisfies Record<string, readonly string[]>;

/** A prompt's name. */
export type PromptName = keyof typeof PROMPT_PLACEHOLDERS;

/** The loaded prompts, by name. */
export type Prompts = Readonly<Record<PromptName, string>>;

/** Checks the prompt files of `dir`; returns the prompts read and every problem found. */
export function readPrompts(dir: string): {
  prompts: Partial<Record<PromptName, string>>;
  problems: Problem[];
} {
  const problems: Problem[] = [];
  const prompts: Partial<Record<PromptName, string>> = {};
  for (const [name, needed] of Object.entries(PROMPT_PLACEHOLDERS) as [PromptName, readonly string[]][]) {
    const file = join(dir, `${name}.md`);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      problems.push({ file, path: "", message: "missing prompt file", level: "error" });
      continue;
    }
    if (text.trim() === "") problems.push({ file, path: "", message: "empty prompt", level: "error" });
    const found = new Set([...text.matchAll(/\{\{\s*([a-z_]+)\s*\}\}/g)].map((m) => m[1]!));
    for (const p of needed)
      if (!found.has(p)) problems.push({ file, path: "", message: `missing {{${p}}}`, level: "error" });
    for (const p of found)
      if (!needed.includes(p)) problems.push({ file, path: "", message: `unknown {{${p}}}`, level: "error" });
    prompts[name] = text.trim();
  }
  return { prompts, problems };
}

/** Loads the prompts of `dir`; throws {@link DataFileError} listing every problem. */
export function loadPrompts(dir: string): Prompts {
  const { prompts, problems } = readPrompts(dir);
  if (problems.length > 0)
    throw new DataFileError(
      dir,
      `invalid prompts:\n${problems.map((p) => `${p.file}: ${p.message}`).join("\n")}`,
    );
  return prompts as Prompts;
}

/** A prompt with its placeholders filled. */
export function fillPrompt(prompt: string, vars: Readonly<Record<string, string>>): string {
  return prompt.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, k: string) => vars[k] ?? "");
}
