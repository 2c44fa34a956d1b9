/**
 * The tiny condition language of flow files, used by `next` branches and `skip_if`.
 *
 * ```yaml
 * next:
 *   - if: { answer: track, equals: formal }
 *     goto: learned_date
 *   - goto: place
 * skip_if: { answer: category, starts_with: medsos_ }
 * ```
 */
import { z } from "zod";
import type { Answers, Json } from "./types.js";

/** A value a condition compares an answer with. */
export type Scalar = string | number | boolean | null;

/** A test on the session's answers, or on the result of a `check` step. */
export type Condition =
  | ({
      /** The `store` key of an answer… */
      answer: string;
    } & Comparison)
  | ({
      /** …or a variable set by a check step (e.g. `dayCounting`). */
      var: string;
    } & Comparison)
  /** Only in the `next` of a `check` step: the check returned this result. */
  | { result: string }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/** How an answer or a variable is tested: exactly one of these. */
export interface Comparison {
  equals?: Scalar;
  not_equals?: Scalar;
  in?: Scalar[];
  starts_with?: string;
  /** true: the answer is present (not missing); false: it is missing. */
  exists?: boolean;
}

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const comparison = {
  equals: scalar.optional(),
  not_equals: scalar.optional(),
  in: z.array(scalar).optional(),
  starts_with: z.string().optional(),
  exists: z.boolean().optional(),
};

function oneComparison(c: Comparison): boolean {
  return [c.equals, c.not_equals, c.in, c.starts_with, c.exists].filter((v) => v !== undefined).length === 1;
}

const ONE = { message: "needs exactly one of equals, not_equals, in, starts_with, exists" };

/** zod schema of {@link Condition}. */
export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ answer: z.string().min(1), ...comparison }).refine(oneComparison, ONE),
    z.strictObject({ var: z.string().min(1), ...comparison }).refine(oneComparison, ONE),
    z.strictObject({ result: z.string().min(1) }),
    z.strictObject({ all: z.array(ConditionSchema).min(1) }),
    z.strictObject({ any: z.array(ConditionSchema).min(1) }),
    z.strictObject({ not: ConditionSchema }),
  ]),
);

/** What a condition is evaluated against. */
export interface ConditionScope {
  answers: Answers;
  /** Variables set by checks. */
  vars?: Readonly<Record<string, Json>>;
  /** The result of the check step whose `next` is being evaluated. */
  result?: string;
}

/** Evaluates a condition. A missing answer equals nothing and starts with nothing. */
export function evaluate(cond: Condition, scope: ConditionScope): boolean {
  if ("all" in cond) return cond.all.every((c) => evaluate(c, scope));
  if ("any" in cond) return cond.any.some((c) => evaluate(c, scope));
  if ("not" in cond) return !evaluate(cond.not, scope);
  if ("result" in cond) return scope.result === cond.result;
  const source: Readonly<Record<string, Json>> = "var" in cond ? (scope.vars ?? {}) : scope.answers;
  const key = "var" in cond ? cond.var : cond.answer;
  const has = Object.hasOwn(source, key);
  const value: Json | undefined = source[key];
  if (cond.exists !== undefined) return cond.exists === (has && value !== null);
  if (cond.starts_with !== undefined) return typeof value === "string" && value.startsWith(cond.starts_with);
  if (cond.in !== undefined) return has && cond.in.some((v) => v === value);
  if (cond.not_equals !== undefined) return !has || value !== cond.not_equals;
  if ("equals" in cond) return has && value === cond.equals;
  return false;
}

/** Every answer key a condition reads (for the flow checker). */
export function answerKeysOf(cond: Condition): string[] {
  if ("all" in cond) return cond.all.flatMap(answerKeysOf);
  if ("any" in cond) return cond.any.flatMap(answerKeysOf);
  if ("not" in cond) return answerKeysOf(cond.not);
  if ("result" in cond || "var" in cond) return [];
  return [cond.answer];
}

/** Every variable a condition reads (for the flow checker). */
export function varsOf(cond: Condition): string[] {
  if ("all" in cond) return cond.all.flatMap(varsOf);
  if ("any" in cond) return cond.any.flatMap(varsOf);
  if ("not" in cond) return varsOf(cond.not);
  return "var" in cond ? [cond.var] : [];
}

/** Every check result a condition reads (for the flow checker). */
export function resultsOf(cond: Condition): string[] {
  if ("all" in cond) return cond.all.flatMap(resultsOf);
  if ("any" in cond) return cond.any.flatMap(resultsOf);
  if ("not" in cond) return resultsOf(cond.not);
  if ("result" in cond) return [cond.result];
  return [];
}
