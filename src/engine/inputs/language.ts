/**
 * `language`: the citizen picks Bahasa Indonesia or English. The engine switches the session's
 * language to the answer ("id" or "en") at once.
 */
import type { StepOf } from "../flow-schema.js";
import { t } from "../locale.js";
import type { Choice } from "../types.js";
import { LANGS } from "../types.js";
import { matchChoice, unknownChoice } from "./choice.js";
import type { InputKind, StepContext } from "./kind.js";

/** Every language, each named in itself ("Bahasa Indonesia", "English"). */
export function languageChoices(sc: StepContext): Choice[] {
  return LANGS.map((lang) => ({ value: lang, label: t(sc.engine.locales, lang, "language.name") }));
}

/** The `language` input kind. */
export const language: InputKind<StepOf<"language">> = {
  accepts: ["text", "choice"],
  ask: "choice",
  prompt(step, sc) {
    return [{ text: sc.question(step), choices: languageChoices(sc), ask: "choice" }];
  },
  handle(step, input, sc) {
    const choices = languageChoices(sc).map((c) => ({
      ...c,
      keywords: sc.words(c.value === "id" ? "commands.to_id" : "commands.to_en"),
    }));
    const value = matchChoice(input, choices);
    if (value !== undefined) return { answer: value };
    return { reprompt: [unknownChoice(sc, language.prompt(step, sc), languageChoices(sc))] };
  },
};
