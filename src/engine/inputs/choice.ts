/**
 * `choice`: one of a few buttons. A citizen may press a button, type its number ("2"), or type
 * words of its label ("laporan resmi"), in any case, with or without accents.
 */
import type { StepOf } from "../flow-schema.js";
import { normalizeWords } from "../normalize.js";
import type { Choice, Inbound, Output } from "../types.js";
import { again, type InputKind, listChoices, type StepContext } from "./kind.js";

/** A choice with the extra words that pick it. */
export interface MatchableChoice extends Choice {
  keywords?: readonly string[];
}

/**
 * The value of the choice an input picks, or undefined.
 *
 * Tries, in order: a button value; a number 1…n; the whole label, value or a keyword; then the
 * labels that contain the typed words (or whose words the text contains), when exactly one does.
 *
 * @example matchChoice({ kind: "text", text: "2" }, choices)        // the second choice's value
 * @example matchChoice({ kind: "text", text: "Laporan resmi" }, choices) // "formal"
 */
export function matchChoice(input: Inbound, choices: readonly MatchableChoice[]): string | undefined {
  if (input.kind === "choice") {
    const hit = choices.find((c) => c.value === input.value);
    if (hit) return hit.value;
    return matchText(input.value, choices);
  }
  if (input.kind === "text") return matchText(input.text, choices);
  return undefined;
}

function matchText(text: string, choices: readonly MatchableChoice[]): string | undefined {
  const typed = normalizeWords(text).replace(/^\/+/, "");
  if (typed === "") return undefined;
  if (/^\d{1,2}$/.test(typed)) return choices[Number(typed) - 1]?.value;
  for (const c of choices) {
    const names = [c.label, c.value, ...(c.keywords ?? [])].map(normalizeWords);
    if (names.includes(typed)) return c.value;
  }
  if (typed.length < 3) return undefined;
  const padded = ` ${typed} `;
  const hits = choices.filter((c) =>
    [c.label, ...(c.keywords ?? [])].some((name) => {
      const n = ` ${normalizeWords(name)} `;
      return n.includes(padded) || (n.trim().length >= 3 && padded.includes(n));
    }),
  );
  return hits.length === 1 ? hits[0]!.value : undefined;
}

/** The choices of a choice step in the session's language. */
export function choicesOf(step: StepOf<"choice">, sc: StepContext): MatchableChoice[] {
  return step.options.map((o) => ({
    value: o.value,
    label: o.label[sc.lang],
    ...(o.keywords ? { keywords: o.keywords } : {}),
  }));
}

function plain(choices: readonly MatchableChoice[]): Choice[] {
  return choices.map(({ value, label }) => ({ value, label }));
}

/** "Please press one of the buttons" with the choices listed again. */
export function unknownChoice(
  sc: StepContext,
  prompt: readonly Output[],
  choices: readonly Choice[],
): Output {
  return again(prompt, sc.t("errors.choose_one", { choices: listChoices(choices) }));
}

/** The `choice` input kind. */
export const choice: InputKind<StepOf<"choice">> = {
  accepts: ["text", "choice"],
  ask: "choice",
  prompt(step, sc) {
    return [{ text: sc.question(step), choices: plain(choicesOf(step, sc)), ask: "choice" }];
  },
  handle(step, input, sc) {
    const choices = choicesOf(step, sc);
    const value = matchChoice(input, choices);
    if (value !== undefined) return { answer: value };
    return { reprompt: [unknownChoice(sc, choice.prompt(step, sc), plain(choices))] };
  },
};
