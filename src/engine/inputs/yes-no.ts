/**
 * `yes_no`: a question answered with "Ya" or "Tidak" (buttons, or words like "iya", "betul",
 * "nggak", "bukan"). Stores `true` or `false`.
 */
import type { StepOf } from "../flow-schema.js";
import { normalizeWords } from "../normalize.js";
import type { Choice, Inbound } from "../types.js";
import { again, type InputKind, type StepContext } from "./kind.js";

/** The two buttons of a yes/no question, in the session's language. */
export function yesNoChoices(sc: StepContext): Choice[] {
  return [
    { value: "yes", label: sc.t("labels.yes") },
    { value: "no", label: sc.t("labels.no") },
  ];
}

/**
 * Reads a yes or a no: a button, a number (1 = yes, 2 = no), a yes/no word, or a message whose
 * first word is one ("iya benar", "tidak mau"). Undefined when unclear.
 */
export function readYesNo(input: Inbound, sc: StepContext): boolean | undefined {
  let text: string;
  if (input.kind === "choice") {
    if (input.value === "yes") return true;
    if (input.value === "no") return false;
    text = input.value;
  } else if (input.kind === "text") text = input.text;
  else return undefined;
  const typed = normalizeWords(text);
  if (typed === "1") return true;
  if (typed === "2") return false;
  const yes = sc.words("words.yes").map(normalizeWords);
  const no = sc.words("words.no").map(normalizeWords);
  const labelYes = normalizeWords(sc.t("labels.yes"));
  const labelNo = normalizeWords(sc.t("labels.no"));
  if (typed === labelYes || yes.includes(typed)) return true;
  if (typed === labelNo || no.includes(typed)) return false;
  const first = typed.split(" ")[0] ?? "";
  const isYes = yes.includes(first);
  const isNo = no.includes(first);
  if (isYes !== isNo) return isYes;
  return undefined;
}

/** The `yes_no` input kind. */
export const yesNo: InputKind<StepOf<"yes_no">> = {
  accepts: ["text", "choice"],
  ask: "yes_no",
  prompt(step, sc) {
    return [{ text: sc.question(step), choices: yesNoChoices(sc), ask: "yes_no" }];
  },
  handle(step, input, sc) {
    const value = readYesNo(input, sc);
    if (value !== undefined) return { answer: value };
    return { reprompt: [again(yesNo.prompt(step, sc), sc.t("errors.yes_no"))] };
  },
};
