/**
 * Every step kind by `type`: input kinds wait for the citizen, auto kinds run and move on.
 */
import type { InputStep, Step, StepOf } from "../flow-schema.js";
import { agency } from "./agency.js";
import { check } from "./check.js";
import { choice } from "./choice.js";
import { date } from "./date.js";
import { end } from "./end.js";
import type { AutoKind, InputKind } from "./kind.js";
import { language } from "./language.js";
import { location } from "./location.js";
import { media } from "./media.js";
import { message } from "./message.js";
import { phone } from "./phone.js";
import { question } from "./question.js";
import { reportNumber } from "./report-number.js";
import { submit } from "./submit.js";
import { subscribe } from "./subscribe.js";
import { summary } from "./summary.js";
import { text } from "./text.js";
import { yesNo } from "./yes-no.js";

/** The input kind of every input step type. */
export const INPUT_KINDS: { [T in InputStep["type"]]: InputKind<StepOf<T>> } = {
  choice,
  text,
  date,
  location,
  media,
  agency,
  yes_no: yesNo,
  phone,
  language,
  report_number: reportNumber,
  summary,
  question,
};

/** The kind of every step type that runs without input (`flow` is handled by the engine itself). */
export const AUTO_KINDS: { [T in AutoStep["type"]]: AutoKind<StepOf<T>> } = {
  message,
  check,
  submit,
  subscribe,
  end,
};

/** A step that runs without input, other than `flow`. */
export type AutoStep = StepOf<"message" | "check" | "submit" | "subscribe" | "end">;

/** The auto kind of a step (typed loosely, for the engine's dispatch). */
export function autoKindOf(step: AutoStep): AutoKind<Step> {
  return AUTO_KINDS[step.type] as unknown as AutoKind<Step>;
}

/** The input kind of a step (typed loosely, for the engine's dispatch). */
export function inputKindOf(step: InputStep): InputKind {
  return INPUT_KINDS[step.type] as unknown as InputKind;
}

export type {
  AutoKind,
  AutoResult,
  EngineContext,
  EngineSettings,
  HandleResult,
  InputKind,
  StepContext,
} from "./kind.js";
