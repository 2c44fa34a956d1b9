/**
 * `date`: a day typed the way people do ("kemarin", "12/11", "senin lalu"), read by
 * `lookups.parseDate` in Jakarta time. Future, unreadable and impossible dates each get their own
 * kind message with examples. `not_before` refuses a date before another answer (the learned date
 * may not precede the event date). Stores "YYYY-MM-DD".
 */
import type { StepOf } from "../flow-schema.js";
import { interpolate } from "../locale.js";
import type { Choice, Output } from "../types.js";
import { matchChoice } from "./choice.js";
import { again, type InputKind, type StepContext } from "./kind.js";

/** Button values are read by the date parser, so they are the parser's words, not labels. */
const TODAY = "hari ini";
const YESTERDAY = "kemarin";

function quickChoices(sc: StepContext): Choice[] {
  return [
    { value: TODAY, label: sc.t("date.today") },
    { value: YESTERDAY, label: sc.t("date.yesterday") },
  ];
}

/** The `date` input kind. */
export const date: InputKind<StepOf<"date">> = {
  accepts: ["text", "choice"],
  ask: "date",
  prompt(step, sc) {
    return [{ text: sc.question(step), choices: quickChoices(sc), ask: "date" }];
  },
  handle(step, input, sc) {
    const prompt = date.prompt(step, sc);
    // A bare menu number ("1", as typed on WhatsApp Web under the numbered menu) picks that button,
    // rather than being read as a day of the month.
    const numbered =
      input.kind === "text" && /^\s*\d\s*$/.test(input.text)
        ? matchChoice(input, quickChoices(sc))
        : undefined;
    const typed =
      numbered ?? (input.kind === "text" ? input.text : input.kind === "choice" ? input.value : "");
    const parsed = sc.engine.lookups.parseDate(typed, sc.engine.now);
    if (!parsed.ok) return { reprompt: [again(prompt, sc.t(`date.${parsed.reason}`))] };
    const shown = sc.engine.lookups.formatDate(parsed.date, sc.lang);
    if (step.not_before !== undefined) {
      const other = sc.session.answers[step.not_before];
      if (typeof other === "string" && parsed.date < other) {
        const vars = { date: shown, other: sc.engine.lookups.formatDate(other, sc.lang) };
        const message = step.not_before_text
          ? interpolate(step.not_before_text[sc.lang], vars)
          : sc.t("date.not_before", vars);
        return { reprompt: [again(prompt, message)] };
      }
    }
    const noted: Output = {
      text: sc.t(parsed.approximate ? "date.noted_approximate" : "date.noted", { date: shown }),
    };
    return { answer: parsed.date, outputs: [noted] };
  },
};
