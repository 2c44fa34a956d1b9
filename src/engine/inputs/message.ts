/**
 * `message`: says its text and goes on to `next` without waiting. With `set`/`clear` on the step
 * it also changes answers (e.g. "we continue as a tip" sets `track: tip`).
 */
import type { StepOf } from "../flow-schema.js";
import type { AutoKind } from "./kind.js";

/** The `message` step kind. */
export const message: AutoKind<StepOf<"message">> = {
  run(step, sc) {
    return { outputs: [{ text: sc.question(step) }] };
  },
};
