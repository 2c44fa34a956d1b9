/**
 * `text`: a typed answer with a minimum and maximum length, counted in visible characters (zero-width
 * characters do not count). One line unless the step is `multiline` (line breaks become spaces, so
 * a name can never fake a line of its own on the office card). With `allow_none`, "tidak tahu" (or
 * its button) is accepted and stored as `null`.
 */
import { saysDontKnow } from "../../parsing/person.js";
import { cleanLine, cleanText, visibleLength } from "../../parsing/text-hygiene.js";
import type { StepOf } from "../flow-schema.js";
import { matchesAny } from "../normalize.js";
import type { Output } from "../types.js";
import { again, type InputKind, type StepContext } from "./kind.js";

/** The "I don't know" button of steps that allow no answer. */
export const NONE_VALUE = "none";

/**
 * True when the input says "none / I don't know": its button, one of the words, "I don't know" in
 * a common spelling ("gk tau namanya", see `src/parsing/person.ts`), or "1", the number
 * of that only choice in a numbered menu (WhatsApp Web), which is never a real answer.
 */
export function saysNone(input: { kind: string; text?: string; value?: string }, sc: StepContext): boolean {
  if (input.kind === "choice") return input.value === NONE_VALUE;
  if (input.kind !== "text" || typeof input.text !== "string") return false;
  return (
    input.text.trim() === "1" || matchesAny(input.text, sc.words("words.none")) || saysDontKnow(input.text)
  );
}

/** The question of a typed-answer step, with an "I don't know" button when allowed. */
export function typedPrompt(
  text: string,
  allowNone: boolean | undefined,
  sc: StepContext,
  ask: Output["ask"],
): Output[] {
  if (allowNone) {
    return [{ text, choices: [{ value: NONE_VALUE, label: sc.t("labels.unknown") }], ask }];
  }
  return [{ text, ask, removeKeyboard: true }];
}

/** The `text` input kind. */
export const text: InputKind<StepOf<"text">> = {
  accepts: ["text", "choice"],
  ask: "text",
  prompt(step, sc) {
    return typedPrompt(sc.question(step), step.allow_none, sc, "text");
  },
  handle(step, input, sc) {
    const prompt = text.prompt(step, sc);
    if (step.allow_none && saysNone(input, sc)) return { answer: null };
    if (input.kind !== "text") return { reprompt: [{ text: sc.t("errors.text_expected") }, ...prompt] };
    const value = step.multiline ? cleanText(input.text).trim() : cleanLine(input.text);
    const min = step.min_length ?? 1;
    if (visibleLength(value) < Math.max(min, 1))
      return { reprompt: [again(prompt, sc.t("errors.too_short", { min }))] };
    if (step.max_length !== undefined && [...value].length > step.max_length) {
      return {
        reprompt: [
          again(prompt, sc.t("errors.too_long", { max: step.max_length, length: [...value].length })),
        ],
      };
    }
    return { answer: value };
  },
};
