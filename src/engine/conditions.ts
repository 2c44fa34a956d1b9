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
  | {
      /** The `store` key of an answer. */
      answer: string;
      equals?: Scalar;
      not_equals?: Scalar;
      in?: Scalar[];
      starts_with?: string;
      /** true: the answer is present (not missing); false: it is missing. */
      exists?: boolean;
    }
  /** Only in the `next` of a `check` step: the check returned this result. */
  | { result: string }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** zod schema of {@link Condition}. */
export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z
      .strictObject({
        answer: z.string().min(1),
        equals: scalar.optional(),
        not_equals: scalar.optional(),
        in: z.array(scalar).optional(),
        starts_with: z.string().optional(),
        exists: z.boolean().optional(),
      })
      .refine(
        (c) => [c.equals, c.not_equals, c.in, c.starts_with, c.exists].filter((v) => v !== undefined).length === 1,
        { message: "needs exactly one of equals, not_equals, in, starts_with, exists" },
      ),
    z.strictObject({ result: z.string().min(1) }),
    z.strictObject({ all: z.array(ConditionSchema).min(1) }),
    z.strictObject({ any: z.array(ConditionSchema).min(1) }),
    z.strictObject({ not: ConditionSchema }),
  ]),
);

/** What a condition is evaluated against. */
export interface ConditionScope {
  answers: Answers;
  /** The result of the check step whose `next` is being evaluated. */
  result?: string;
}

/** Evaluates a condition. A missing answer equals nothing and starts with nothing. */
export function evaluate(cond: Condition, scope: ConditionScope): boolean {
  if ("all" in cond) return cond.all.every((c) => evaluate(c, scope));
  if ("any" in cond) return cond.any.some((c) => evaluate(c, scope));
  if ("not" in cond) return !evaluate(cond.not, scope);
  if ("result" in cond) return scope.result === cond.result;
  const has = Object.hasOwn(scope.answers, cond.answer);
  const value: Json | undefined = scope.answers[cond.answer];
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
  if ("result" in cond) return [];
  return [cond.answer];
}

/** Every check result a condition reads (for the flow checker). */
export function resultsOf(cond: Condition): string[] {
  if ("all" in cond) return cond.all.flatMap(resultsOf);
  if ("any" in cond) return cond.any.flatMap(resultsOf);
  if ("not" in cond) return resultsOf(cond.not);
  if ("result" in cond) return [cond.result];
  return [];
}
