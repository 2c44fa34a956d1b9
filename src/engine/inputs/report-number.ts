/**
 * `report_number`: the citizen types the number of a report to learn its status. The engine only
 * reads the number and emits a `status_query` effect; the host looks the report up and replies.
 */
import { parseTrackingNumber } from "../../parsing/tracking-number.js";
import type { StepOf } from "../flow-schema.js";
import { again, type InputKind } from "./kind.js";

/** The first tracking-number-like token of a text ("LN-7K3M-9QX2", "ln 7k3m 9qx2"); undefined when there is none. */
export function findReportNumber(text: string): string | undefined {
  const m =
    /\bLN[\s-]*[0-9A-Z]{4}[\s-]*[0-9A-Z]{4}\b/i.exec(text) ?? /\b[0-9A-Z]{4}-?[0-9A-Z]{4}\b/i.exec(text);
  return m ? parseTrackingNumber(m[0]) : undefined;
}

/** The `report_number` input kind. */
export const reportNumber: InputKind<StepOf<"report_number">> = {
  accepts: ["text", "choice"],
  ask: "text",
  prompt(step, sc) {
    return [{ text: sc.question(step), ask: "text", removeKeyboard: true }];
  },
  handle(step, input, sc) {
    const number = input.kind === "text" ? findReportNumber(input.text) : undefined;
    if (number === undefined)
      return { reprompt: [again(reportNumber.prompt(step, sc), sc.t("report_number.invalid"))] };
    return { answer: number, effects: [{ kind: "status_query", number }] };
  },
};
