/**
 * `agency`: the government agency (instansi/OPD) where the accused works, typed freely. Keeps the
 * words as typed (one line) and a normalized form from `lookups.normalizeAgency` for routing and search.
 * With `allow_none`, "tidak tahu" is stored as `null`. Stores an {@link AgencyAnswer}.
 */
import { cleanLine, visibleLength } from "../../parsing/text-hygiene.js";
import type { StepOf } from "../flow-schema.js";
import type { AgencyAnswer } from "../types.js";
import { asJson } from "../types.js";
import { again, type InputKind } from "./kind.js";
import { saysNone, typedPrompt } from "./text.js";

/** The `agency` input kind. */
export const agency: InputKind<StepOf<"agency">> = {
  accepts: ["text", "choice"],
  ask: "text",
  prompt(step, sc) {
    return typedPrompt(sc.question(step), step.allow_none, sc, "text");
  },
  handle(step, input, sc) {
    const prompt = agency.prompt(step, sc);
    if (step.allow_none && saysNone(input, sc)) return { answer: null };
    if (input.kind !== "text") return { reprompt: [{ text: sc.t("errors.text_expected") }, ...prompt] };
    const raw = cleanLine(input.text);
    if (visibleLength(raw) < (step.min_length ?? 3))
      return { reprompt: [again(prompt, sc.t("agency.too_short"))] };
    const n = sc.engine.lookups.normalizeAgency(raw);
    const answer: AgencyAnswer = { raw, normalized: n.normalized, kind: n.kind };
    return { answer: asJson(answer) };
  },
};
