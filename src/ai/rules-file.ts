/**
 * The rules file (`flows/rules/*.yaml`): passages of the ASN-neutrality rules with stable ids,
 * titles and texts in Indonesian and English, and a note of where each comes from. Loaded and
 * validated at start-up and by `npm run flows:check`.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { formatProblem, type Problem, readYamlAs } from "../engine/problems.js";
import { DataFileError } from "../errors.js";

const Bilingual = z.strictObject({ id: z.string().min(1), en: z.string().min(1) });

/** One passage of the rules. */
export const PassageSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, "passage ids are lower_snake_case"),
  title: Bilingual,
  text: Bilingual,
  source: z.string().min(1),
  keywords: z.array(z.string().min(1)).optional(),
});

/** A passage as loaded. */
export type Passage = z.infer<typeof PassageSchema>;

const RulesFileSchema = z.strictObject({ passages: z.array(PassageSchema).min(1) });

/** Reads every `*.yaml` of `dir` as rules and returns the passages and any problems found. */
export function readRulesDirectory(dir: string): { passages: Passage[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const passages: Passage[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith(".yaml"))
      .sort();
  } catch (e) {
    problems.push({ file: dir, path: "", message: `cannot read: ${(e as Error).message}`, level: "error" });
  }
  for (const name of names) {
    const file = join(dir, name);
    const rulesFile = readYamlAs(file, file, RulesFileSchema, problems);
    if (rulesFile === undefined) continue;
    for (const p of rulesFile.passages) {
      if (passages.some((q) => q.id === p.id))
        problems.push({ file, path: `passages.${p.id}`, message: "duplicate passage id", level: "error" });
      else passages.push(p);
    }
  }
  if (names.length === 0) problems.push({ file: dir, path: "", message: "no rules file", level: "error" });
  return { passages, problems };
}

/** Loads the rules passages; throws {@link DataFileError} listing every problem when invalid. */
export function loadRules(dir: string): Passage[] {
  const { passages, problems } = readRulesDirectory(dir);
  const errors = problems.filter((p) => p.level === "error");
  if (errors.length > 0)
    throw new DataFileError(dir, `invalid rules:\n${errors.map(formatProblem).join("\n")}`);
  return passages;
}
