/**
 * `phone`: an Indonesian phone number ("0812-3456-7890", "+62 812…"), read by
 * `lookups.normalizePhone`. With `allow_none`, "tidak tahu" is stored as `null`.
 * Stores a {@link PhoneAnswer}.
 */
import type { StepOf } from "../flow-schema.js";
import type { PhoneAnswer } from "../types.js";
import { asJson } from "../types.js";
import { again, type InputKind } from "./kind.js";
import { saysNone, typedPrompt } from "./text.js";

/** The `phone` input kind. */
export const phone: InputKind<StepOf<"phone">> = {
  accepts: ["text", "choice"],
  ask: "phone",
  prompt(step, sc) {
    return typedPrompt(sc.question(step), step.allow_none, sc, "phone");
  },
  handle(step, input, sc) {
    const prompt = phone.prompt(step, sc);
    if (step.allow_none && saysNone(input, sc)) return { answer: null };
    if (input.kind !== "text") return { reprompt: [{ text: sc.t("errors.text_expected") }, ...prompt] };
    const r = sc.engine.lookups.normalizePhone(input.text);
    if (!r.ok) return { reprompt: [again(prompt, sc.t("phone.invalid"))] };
    const answer: PhoneAnswer = { e164: r.e164, display: r.display };
    return { answer: asJson(answer) };
  },
};
