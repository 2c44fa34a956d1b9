/**
 * Problems found in flow and locale files, each naming the file and the path inside it, and the
 * YAML reading shared by the flow and locale loaders.
 */
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import type { z } from "zod";

/** One thing wrong (error) or suspicious (warning) in a flow or locale file. */
export interface Problem {
  /** The file, relative to the working directory: `flows/complaint.yaml`. */
  file: string;
  /** Where inside it: `steps.category.options[3].label.en` (empty for the whole file). */
  path: string;
  message: string;
  level: "error" | "warning";
}

/** One line for people: `flows/complaint.yaml: steps.category.next: unknown step "plcae"`. */
export function formatProblem(p: Problem): string {
  return `${p.level === "warning" ? "warning: " : ""}${p.file}: ${p.path ? `${p.path}: ` : ""}${p.message}`;
}

/** Renders a zod/YAML path as `steps.category.options[3].label.en`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** Turns zod issues into problems, saying "required" for missing fields. */
export function zodProblems(file: string, error: z.ZodError, prefix: PropertyKey[] = []): Problem[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === "invalid_type" && /received undefined/.test(message)) message = "required";
    if (issue.code === "invalid_union" && "note" in issue && issue.note === "No matching discriminator") {
      message = "unknown type";
    }
    return { file, path: formatPath([...prefix, ...issue.path]), message, level: "error" as const };
  });
}

/** Reads and parses a YAML file, reporting syntax errors as problems. */
export function readYaml(path: string, file: string, problems: Problem[]): unknown {
  let source: string;
  try {
    source = readFileSync(path, "utf8");
  } catch (e) {
    problems.push({ file, path: "", message: `cannot read: ${(e as Error).message}`, level: "error" });
    return undefined;
  }
  const doc = parseDocument(source, { prettyErrors: true });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      problems.push({ file, path: "", message: err.message.split("\n")[0] ?? "YAML error", level: "error" });
    }
    return undefined;
  }
  return doc.toJS();
}

/**
 * Reads a YAML file and validates it with `schema`: the data, or undefined when the file cannot be
 * read, is not YAML, or does not fit (each problem pushed onto `problems` with `file` and path).
 */
export function readYamlAs<T>(
  path: string,
  file: string,
  schema: z.ZodType<T>,
  problems: Problem[],
): T | undefined {
  const raw = readYaml(path, file, problems);
  if (raw === undefined) return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...zodProblems(file, parsed.error));
    return undefined;
  }
  return parsed.data;
}
