/**
 * `date`: a day typed the way people do ("kemarin", "12/11", "senin lalu"), read by
 * `lookups.parseDate` in Jakarta time. Future, unreadable and impossible dates each get their own
 * kind message with examples. `not_before` refuses a date before another answer (the learned date
 * may not precede the event date). A day and month still to come this year ("15 desember" on 4
 * December) is not moved to last year silently: "15 Desember 2026 belum terjadi. Maksud Anda 15
 * Desember 2025?" (yes takes it, no asks for the date with its year). Stores "YYYY-MM-DD".
 */
import type { StepOf } from "../flow-schema.js";
import { interpolate } from "../locale.js";
import type { Choice, Output } from "../types.js";
import { matchChoice } from "./choice.js";
import { again, type HandleResult, type InputKind, type StepContext } from "./kind.js";
import { readYesNo, yesNoChoices } from "./yes-no.js";

/** "Selasa, 15 Desember 2026" → "15 Desember 2026": the weekday of a day not meant only confuses. */
function dayMonthYear(sc: StepContext, date: string): string {
  return sc.engine.lookups.formatDate(date, sc.lang).replace(/^[^,\d]+,\s*/, "");
}

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
    const pending = sc.session.pending;
    if (pending?.kind === "date_confirm") {
      const yes = readYesNo(input, sc);
      if (yes === true) return accept(step, pending.date, false, sc, prompt);
      if (yes === false) return { reprompt: [again(prompt, sc.t("date.with_year"))], pending: null };
    }
    // A bare menu number ("1", as typed on WhatsApp Web under the numbered menu) picks that button,
    // rather than being read as a day of the month.
    const numbered =
      input.kind === "text" && /^\s*\d\s*$/.test(input.text)
        ? matchChoice(input, quickChoices(sc))
        : undefined;
    const typed =
      numbered ?? (input.kind === "text" ? input.text : input.kind === "choice" ? input.value : "");
    const parsed = sc.engine.lookups.parseDate(typed, sc.engine.now);
    if (!parsed.ok && parsed.reason === "not_yet") {
      const text = sc.t("date.not_yet", {
        date: dayMonthYear(sc, parsed.date),
        suggestion: dayMonthYear(sc, parsed.suggestion),
      });
      return {
        reprompt: [{ text, choices: yesNoChoices(sc), ask: "yes_no" }],
        pending: { kind: "date_confirm", date: parsed.suggestion },
      };
    }
    if (!parsed.ok) return { reprompt: [again(prompt, sc.t(`date.${parsed.reason}`))], pending: null };
    return accept(step, parsed.date, parsed.approximate, sc, prompt);
  },
};

/** A date read: refused when before `not_before`, else stored with "Tanggal dicatat: …". */
function accept(
  step: StepOf<"date">,
  day: string,
  approximate: boolean,
  sc: StepContext,
  prompt: Output[],
): HandleResult {
  const shown = sc.engine.lookups.formatDate(day, sc.lang);
  if (step.not_before !== undefined) {
    const other = sc.session.answers[step.not_before];
    if (typeof other === "string" && day < other) {
      const vars = { date: shown, other: sc.engine.lookups.formatDate(other, sc.lang) };
      const message = step.not_before_text
        ? interpolate(step.not_before_text[sc.lang], vars)
        : sc.t("date.not_before", vars);
      return { reprompt: [again(prompt, message)], pending: null };
    }
  }
  const noted: Output = {
    text: sc.t(approximate ? "date.noted_approximate" : "date.noted", { date: shown }),
  };
  return { answer: day, outputs: [noted] };
}
