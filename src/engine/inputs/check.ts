/**
 * `check`: calls a named check from `src/engine/checks.ts` with the answers its `args` name, sets
 * the variables it returns (e.g. `deadline`, `daysLate`) and branches on its result.
 */
import { CHECKS } from "../checks.js";
import type { StepOf } from "../flow-schema.js";
import type { Json } from "../types.js";
import type { AutoKind } from "./kind.js";

/** The `check` step kind. */
export const check: AutoKind<StepOf<"check">> = {
  run(step, sc) {
    const def = CHECKS[step.check];
    if (!def) return { outputs: [], result: "unknown" };
    const args: Record<string, Json | undefined> = {};
    for (const [name, key] of Object.entries(step.args ?? {})) args[name] = sc.session.answers[key];
    const outcome = def.run(args, sc.engine);
    return { outputs: [], result: outcome.result, vars: outcome.vars };
  },
};
