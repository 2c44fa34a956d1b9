/**
 * `question`: the citizen types a question about the rules; the host answers it (the
 * `rules_question` effect, answered through `deps.rules` in `src/conversation/service.ts`). A
 * button (its label typed, "1" under a numbered menu, or "selesai"/"tidak ada") goes on to the step's `next` with `null` stored.
 */
import { cleanText, visibleLength } from "../../parsing/text-hygiene.js";
import type { StepOf } from "../flow-schema.js";
import { matchesAny } from "../normalize.js";
import { again, type InputKind } from "./kind.js";
import { saysNone } from "./text.js";

/** The "back to the menu" button. */
const DONE = "done";

/** The `question` input kind. */
export const question: InputKind<StepOf<"question">> = {
  accepts: ["text", "choice"],
  ask: "text",
  prompt(step, sc) {
    return [
      { text: sc.question(step), choices: [{ value: DONE, label: sc.t("question.done") }], ask: "text" },
    ];
  },
  handle(step, input, sc) {
    if (
      input.kind === "choice" ||
      saysNone(input, sc) ||
      (input.kind === "text" && matchesAny(input.text, [...sc.words("words.done"), sc.t("question.done")]))
    )
      return { answer: null };
    if (input.kind !== "text") return { reprompt: question.prompt(step, sc) };
    const text = cleanText(input.text).trim();
    if (visibleLength(text) < 3 || [...text].length > 1000) {
      return { reprompt: [again(question.prompt(step, sc), sc.t("question.unclear"))] };
    }
    return { answer: text, effects: [{ kind: "rules_question", question: text, lang: sc.lang }] };
  },
};
