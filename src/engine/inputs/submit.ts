/**
 * `submit`: emits the `submit_report` effect with the answers of the steps actually taken, says
 * the receipt (its text holds `{{report.number}}`, filled by the host after saving) and ends the
 * session as done.
 */
import type { StepOf } from "../flow-schema.js";
import type { Answers } from "../types.js";
import type { AutoKind } from "./kind.js";

/** The `submit` step kind. */
export const submit: AutoKind<StepOf<"submit">> = {
  run(step, sc) {
    const answers: Answers = {};
    for (const { step: s } of sc.activeSteps()) {
      if (s.store && Object.hasOwn(sc.session.answers, s.store))
        answers[s.store] = sc.session.answers[s.store]!;
    }
    const outputs = step.text || step.text_if ? [{ text: sc.question(step), removeKeyboard: true }] : [];
    return {
      outputs,
      end: "done",
      effects: [{ kind: "submit_report", flowId: sc.flow.id, lang: sc.lang, answers }],
    };
  },
};
