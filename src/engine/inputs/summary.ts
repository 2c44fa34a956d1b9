/**
 * `summary`: shows every answer with its label and offers "Kirim", "Ubah", "Batal".
 *
 * "Ubah" lists the answers that may be changed; picking one jumps to its step, and once it is
 * answered the engine comes straight back here (not through the rest of the flow, unless the new
 * answer opens a branch that was not taken before, e.g. witnesses after "no witnesses").
 */
import type { StepOf } from "../flow-schema.js";
import type { Choice, Output } from "../types.js";
import { matchChoice, unknownChoice } from "./choice.js";
import type { InputKind, StepContext } from "./kind.js";

/** Button values. */
const SUBMIT = "submit";
const EDIT = "edit";
const CANCEL = "cancel";
const BACK = "back_to_summary";

/** The longest answer shown in full in the summary; longer ones are cut with "…". */
const MAX_SHOWN = 300;

function mainChoices(sc: StepContext): Choice[] {
  return [
    { value: SUBMIT, label: sc.t("summary.submit") },
    { value: EDIT, label: sc.t("summary.edit") },
    { value: CANCEL, label: sc.t("summary.cancel") },
  ];
}

function editChoices(sc: StepContext): Choice[] {
  const editable = sc
    .activeSteps()
    .filter(({ step }) => step.label && step.editable !== false)
    .map(({ id, step }) => ({ value: id, label: step.label![sc.lang] }));
  return [...editable, { value: BACK, label: sc.t("summary.back_to_summary") }];
}

/** The summary text: the step's header and one line per labelled answer. */
export function summaryText(step: StepOf<"summary">, sc: StepContext): string {
  const lines = sc
    .activeSteps()
    .filter(({ step: s }) => s.label)
    .map(({ step: s }) => {
      let value = sc.display(s, s.store ? sc.session.answers[s.store] : undefined);
      // The account is shown whole: it is what the citizen must check before sending.
      const whole = s.store !== undefined && s.store === sc.flow.story?.account;
      if (!whole && [...value].length > MAX_SHOWN)
        value = `${[...value].slice(0, MAX_SHOWN).join("").trimEnd()}…`;
      return sc.t("summary.line", { label: s.label![sc.lang], value });
    });
  return `${sc.question(step)}\n\n${lines.join("\n")}`;
}

function showSummary(step: StepOf<"summary">, sc: StepContext): Output {
  return { text: summaryText(step, sc), choices: mainChoices(sc), ask: "choice" };
}

function showEdit(sc: StepContext): Output {
  return { text: sc.t("summary.pick_edit"), choices: editChoices(sc), ask: "choice" };
}

/** The `summary` input kind. */
export const summary: InputKind<StepOf<"summary">> = {
  accepts: ["text", "choice"],
  ask: "choice",
  prompt(step, sc) {
    return [sc.session.pending?.kind === "summary_edit" ? showEdit(sc) : showSummary(step, sc)];
  },
  handle(step, input, sc) {
    if (sc.session.pending?.kind === "summary_edit") {
      const choices = editChoices(sc);
      const value = matchChoice(input, choices);
      if (value === BACK) return { reprompt: [showSummary(step, sc)], pending: null };
      if (value !== undefined) {
        const stepId = Object.entries(sc.flow.steps).find(([id]) => id === value)?.[0];
        if (stepId) return { jump: stepId, returnTo: sc.session.stepId };
      }
      return { reprompt: [unknownChoice(sc, [showEdit(sc)], choices)] };
    }
    const choices = mainChoices(sc);
    const value = matchChoice(input, choices);
    if (value === SUBMIT) return { answer: SUBMIT };
    if (value === EDIT) return { reprompt: [showEdit(sc)], pending: { kind: "summary_edit" } };
    if (value === CANCEL) return { cancel: true };
    return { reprompt: [unknownChoice(sc, [showSummary(step, sc)], choices)] };
  },
};
