/**
 * The contract every input kind (`choice`, `text`, `date`, `location`, `media`, …) implements, and
 * the read-only view of the conversation it is given.
 *
 * An input kind never changes the session itself: it returns what should happen
 * ({@link HandleResult}) and the engine applies it.
 */
import type { Flow, InputStep, Step } from "../flow-schema.js";
import type { LocaleBundle, TextKey, Vars, WordKey } from "../locale.js";
import type { Lookups } from "../lookups.js";
import type { AskHint, Choice, Effect, Inbound, Json, Lang, Output, Session, StepState } from "../types.js";

/** The settings of the engine that input kinds read. */
export interface EngineSettings {
  /** A session untouched this long is expired (e.g. 72 h). */
  sessionTtlMs: number;
  /** A citizen back after this long is asked "continue or start over?" (e.g. 2 h). */
  resumeAfterMs: number;
  /** How days are counted for the 7-day rule. */
  dayCounting: "calendar" | "working";
  /** The largest file the host accepts, in bytes (said in "file too large" messages). */
  maxFileBytes: number;
}

/** What every call of the engine is given besides the flows, the session and the input. */
export interface EngineContext {
  now: Date;
  lookups: Lookups;
  locales: LocaleBundle;
  settings: EngineSettings;
}

/** A read-only view of the conversation for an input kind. */
export interface StepContext {
  readonly engine: EngineContext;
  readonly session: Readonly<Session>;
  readonly flow: Flow;
  readonly lang: Lang;
  /** A shared text in the session's language. */
  t(key: TextKey, vars?: Vars): string;
  /** A word list, in every language. */
  words(key: WordKey): readonly string[];
  /** The step's question in the session's language (`text_if` applied, `{{vars}}` filled). */
  question(step: Step): string;
  /** An answer as a citizen reads it ("Kota Metro, Lampung", "2 file, 1 tautan"). */
  display(step: Step, value: Json | undefined): string;
  /**
   * The answered input steps on the path the answers lead along, in flow order, up to the current
   * step (answers of branches not taken, e.g. formal-only steps after a switch to tip, are left out).
   */
  activeSteps(): { id: string; step: InputStep }[];
}

/**
 * What handling one input at a step leads to.
 *
 * - `answer`: the step is answered; the engine stores it (under `store`) and moves on. `outputs`
 *   are said first (e.g. "Tanggal dicatat: …").
 * - `reprompt`: stay at the step and say these outputs. `pending` replaces the step's sub-state
 *   (`null` clears it, absent keeps it).
 * - `jump`: go to another step (the summary's "edit"), coming back to `returnTo` once answered.
 * - `cancel`: end the session as cancelled (the summary's "Batal").
 */
export type HandleResult =
  | { answer: Json; outputs?: Output[]; effects?: Effect[] }
  | { reprompt: Output[]; pending?: StepState | null }
  | { jump: string; returnTo?: string; outputs?: Output[] }
  | { cancel: true };

/** One input kind: how it asks, and how it reads an answer. */
export interface InputKind<S extends InputStep = InputStep> {
  /** The inbound kinds it reads; others get a kind "that is not what we need here" and the question. */
  readonly accepts: readonly Inbound["kind"][];
  /** The hint channels use to render the question. */
  readonly ask: AskHint;
  /** The question (with buttons), taking the step's sub-state into account. */
  prompt(step: S, sc: StepContext): Output[];
  /** Reads one input. */
  handle(step: S, input: Inbound, sc: StepContext): HandleResult;
  /** Sub-state to start from when the step is (re-)entered, e.g. evidence already collected. */
  init?(step: S, sc: StepContext): StepState | undefined;
}

/**
 * What a step without input (`message`, `check`, `submit`, `end`) does when the flow reaches it.
 *
 * - `outputs`, `effects`: said and done.
 * - `vars`: variables for later texts (`{{deadline}}`).
 * - `result`: the branch a check took, for `if: { result: … }`.
 * - `end`: the session ends with this status.
 */
export interface AutoResult {
  outputs: Output[];
  effects?: Effect[];
  vars?: Record<string, Json>;
  result?: string;
  end?: "done" | "cancelled";
}

/** A step kind that runs without waiting for input. */
export interface AutoKind<S extends Step> {
  run(step: S, sc: StepContext): AutoResult;
}

/** A message that keeps the step's buttons and hint (for "try again" replies). */
export function again(prompt: readonly Output[], text: string): Output {
  const last = prompt[prompt.length - 1];
  const out: Output = { text };
  if (last?.choices) out.choices = last.choices;
  if (last?.ask) out.ask = last.ask;
  if (last?.removeKeyboard) out.removeKeyboard = last.removeKeyboard;
  return out;
}

/** Numbered lines of choices, for texts that list them ("1. Kirim\n2. Ubah"). */
export function listChoices(choices: readonly Choice[]): string {
  return choices.map((c, i) => `${i + 1}. ${c.label}`).join("\n");
}
