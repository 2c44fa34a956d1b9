/**
 * `end`: ends the session as `done` or `cancelled`, saying its text if it has one. Nothing is
 * saved for a cancelled session.
 */
import type { StepOf } from "../flow-schema.js";
import type { AutoKind } from "./kind.js";

/** The `end` step kind. */
export const end: AutoKind<StepOf<"end">> = {
  run(step, sc) {
    const outputs = step.text || step.text_if ? [{ text: sc.question(step), removeKeyboard: true }] : [];
    return {
      outputs,
      end: step.status,
      effects: [
        {
          kind: "log",
          level: "info",
          message: `flow ${sc.flow.id} ended (${step.status}) at ${sc.session.stepId}`,
        },
      ],
    };
  },
};
