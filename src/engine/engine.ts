/**
 * The flow engine: one pure function, {@link advance}, from (flows, session, input, clock, lookups)
 * to (new session, outputs, effects). It saves nothing and sends nothing: the host loads the
 * session, calls `advance`, then in one transaction saves the session and performs the effects,
 * and finally sends the outputs through the channel.
 *
 * Modelled on nyaruka/goflow: a session waits at an input step; an input resumes it; the step
 * reads the input; the engine follows `next` through steps that need no input (messages, checks,
 * submit, end) until the next question, collecting outputs and effects on the way.
 *
 * Global commands work at every step (words in `flows/locales/*.yaml`): back, cancel, restart,
 * help, language. A session untouched for `settings.sessionTtlMs` is expired; one untouched for
 * `settings.resumeAfterMs` in a resumable flow asks "continue or start over?" first.
 *
 * @example
 * const { session, outputs, effects } = advance(registry, stored, { kind: "text", text: "halo" }, {
 *   now: new Date(), lookups, locales,
 *   settings: { sessionTtlMs: 72 * 3600_000, resumeAfterMs: 2 * 3600_000, dayCounting: "calendar", maxFileBytes: 20 << 20 },
 * });
 */

import { readPersonAnswer } from "../parsing/person.js";
import { CHECKS } from "./checks.js";
import { evaluate } from "./conditions.js";
import { type Flow, type FlowRegistry, type InputStep, isInputStep, type Step } from "./flow-schema.js";
import { matchChoice } from "./inputs/choice.js";
import { autoKindOf, inputKindOf } from "./inputs/index.js";
import { type EngineContext, listChoices, type StepContext } from "./inputs/kind.js";
import { readYesNo, yesNoChoices } from "./inputs/yes-no.js";
import { interpolate, type TextKey, t, type Vars, type WordKey, words } from "./locale.js";
import { isAmong, normalizeWords } from "./normalize.js";
import { prefillFromStory } from "./prefill.js";
import { displayAnswer } from "./render.js";
import type { Answers, Effect, Inbound, Json, Lang, Output, Session, StepResult } from "./types.js";

/** The value of "none of these" among the choices read from a story. */
const PREFILL_NONE = "__none";

export type { EngineContext, EngineSettings } from "./inputs/kind.js";

/** The language of a conversation before the citizen picks one. */
export const DEFAULT_LANG: Lang = "id";

/** Steps followed in one call before the engine gives up on a loop of steps that need no input. */
const MAX_HOPS = 100;

/** A global command. */
type Command =
  | { name: "back" | "cancel" | "restart" | "help" | "menu" }
  | { name: "language"; to?: Lang }
  | { name: "flow"; flowId: string }
  | { name: "unknown" };

const COMMAND_WORDS: readonly [WordKey, Command][] = [
  ["commands.back", { name: "back" }],
  ["commands.cancel", { name: "cancel" }],
  ["commands.restart", { name: "restart" }],
  ["commands.help", { name: "help" }],
  ["commands.to_id", { name: "language", to: "id" }],
  ["commands.to_en", { name: "language", to: "en" }],
  ["commands.language", { name: "language" }],
  ["commands.menu", { name: "menu" }],
];

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Handles one input of one citizen.
 *
 * - `session`: what the host stored after the previous call, or null for a new contact. A session
 *   that is `done` or `cancelled` counts as none (its language is kept).
 * - Returns the session to store (always, even when cancelled or done), the outputs to send in
 *   order, and the effects to perform in the same transaction as saving the session.
 *
 * Never throws for anything a citizen may send.
 */
export function advance(
  registry: FlowRegistry,
  session: Session | null,
  input: Inbound,
  ctx: EngineContext,
): StepResult {
  return new Turn(registry, ctx).run(session, input);
}

/** A new session waiting at nothing yet, in the main flow. */
function freshSession(registry: FlowRegistry, lang: Lang, now: Date): Session {
  const flow = registry.flows[registry.mainFlowId]!;
  const iso = now.toISOString();
  return {
    flowId: flow.id,
    stepId: flow.start,
    lang,
    answers: {},
    vars: {},
    history: [],
    status: "active",
    startedAt: iso,
    updatedAt: iso,
  };
}

/** The step after `stepId`: its `next` (first branch that holds), or the following step in the file. */
export function resolveNext(
  flow: Flow,
  stepId: string,
  answers: Answers,
  result?: string,
  vars: Readonly<Record<string, Json>> = {},
): string | undefined {
  const step = flow.steps[stepId];
  if (!step) return undefined;
  if (step.next === undefined) return followingStep(flow).get(stepId);
  if (typeof step.next === "string") return step.next;
  for (const branch of step.next) {
    if (
      !branch.if ||
      evaluate(branch.if, result === undefined ? { answers, vars } : { answers, vars, result })
    )
      return branch.goto;
  }
  return undefined;
}

const following = new WeakMap<Flow, ReadonlyMap<string, string | undefined>>();

/** Each step of a flow and the step written after it in the file, computed once per flow. */
function followingStep(flow: Flow): ReadonlyMap<string, string | undefined> {
  let map = following.get(flow);
  if (!map) {
    const ids = Object.keys(flow.steps);
    map = new Map(ids.map((id, i) => [id, ids[i + 1]]));
    following.set(flow, map);
  }
  return map;
}

function applySetClear(step: Step, answers: Answers): void {
  for (const [k, v] of Object.entries(step.set ?? {})) answers[k] = v;
  for (const k of step.clear ?? []) delete answers[k];
}

/** One call of the engine: the session being changed, and what is said and done on the way. */
class Turn {
  private s!: Session;
  private readonly outputs: Output[] = [];
  private readonly effects: Effect[] = [];
  /** Answers read from a story told at a step that leads into another flow: applied when it starts. */
  private carriedPrefill: Answers | undefined;

  constructor(
    private readonly registry: FlowRegistry,
    private readonly ctx: EngineContext,
  ) {}

  run(prev: Session | null, input: Inbound): StepResult {
    if (prev && prev.status === "active") {
      const age = this.ctx.now.getTime() - Date.parse(prev.updatedAt);
      const flow = this.registry.flows[prev.flowId];
      if (age > this.ctx.settings.sessionTtlMs) {
        this.s = freshSession(this.registry, prev.lang, this.ctx.now);
        if (flow?.resumable) {
          const days = Math.max(1, Math.round(this.ctx.settings.sessionTtlMs / 86_400_000));
          this.say({ text: this.t("expired.notice", { days }), removeKeyboard: true });
        }
        this.log("info", `session in flow ${prev.flowId} expired at step ${prev.stepId}`);
        return this.startFresh(input);
      }
      if (!flow?.steps[prev.stepId]) {
        this.log("warn", `session at unknown step ${prev.flowId}/${prev.stepId}: starting again`);
        this.s = freshSession(this.registry, prev.lang, this.ctx.now);
        return this.startFresh(input);
      }
      this.s = structuredClone(prev);
      this.s.vars ??= {};
      return this.resume(input, age);
    }
    this.s = freshSession(this.registry, prev?.lang ?? DEFAULT_LANG, this.ctx.now);
    return this.startFresh(input);
  }

  // ----- the pieces of a session -----------------------------------------------------------

  private get flow(): Flow {
    return this.registry.flows[this.s.flowId]!;
  }

  private get step(): Step {
    return this.flow.steps[this.s.stepId]!;
  }

  private t(key: TextKey, vars?: Vars): string {
    return t(this.ctx.locales, this.s.lang, key, vars);
  }

  private say(...outputs: Output[]): void {
    this.outputs.push(...outputs);
  }

  private log(level: "debug" | "info" | "warn", message: string): void {
    this.effects.push({ kind: "log", level, message });
  }

  private finish(): StepResult {
    this.s.updatedAt = this.ctx.now.toISOString();
    return { session: this.s, outputs: this.outputs, effects: this.effects };
  }

  private view: StepContext | undefined;

  /** The read-only view of the conversation given to step kinds (made once per turn; it reads live state). */
  private get sc(): StepContext {
    if (this.view) return this.view;
    const turn = this;
    this.view = {
      engine: this.ctx,
      get session() {
        return turn.s;
      },
      get flow() {
        return turn.flow;
      },
      get lang() {
        return turn.s.lang;
      },
      t: (key, vars) => this.t(key, vars),
      words: (key) => words(this.ctx.locales, key),
      question: (step) => this.question(step),
      display: (step, value) => displayAnswer(step, value, this.s.lang, this.ctx.locales, this.ctx.lookups),
      activeSteps: () => this.activeSteps(),
    };
    return this.view;
  }

  /**
   * The value of a `{{…}}` variable in a step text: a check result (dates written out) or
   * `answer.<key>`, the answer stored under that key as the summary shows it. Read only for the
   * variables a text names.
   */
  private textVar(name: string): string | number | undefined {
    if (name.startsWith("answer.")) {
      const key = name.slice("answer.".length);
      if (!Object.hasOwn(this.s.answers, key)) return undefined;
      const step = Object.values(this.flow.steps).findLast((st) => "store" in st && st.store === key);
      return (
        step && displayAnswer(step, this.s.answers[key], this.s.lang, this.ctx.locales, this.ctx.lookups)
      );
    }
    const v = this.s.vars[name];
    if (typeof v === "string" && DATE_RE.test(v)) return this.ctx.lookups.formatDate(v, this.s.lang);
    return typeof v === "string" || typeof v === "number" ? v : undefined;
  }

  private question(step: Step): string {
    const variant = step.text_if?.find((v) => evaluate(v.if, { answers: this.s.answers, vars: this.s.vars }));
    const text = variant?.text ?? step.text;
    return text ? interpolate(text[this.s.lang], (name) => this.textVar(name)) : "";
  }

  // ----- commands ---------------------------------------------------------------------------

  private command(input: Inbound): Command | undefined {
    let said: string;
    if (input.kind === "command") said = `/${input.name.toLowerCase()}`;
    else if (input.kind === "text") said = input.text;
    else return undefined;
    const typed = normalizeWords(said);
    for (const [key, cmd] of COMMAND_WORDS) {
      if (isAmong(typed, words(this.ctx.locales, key))) {
        if (cmd.name === "language" && input.kind === "command" && cmd.to === undefined) {
          const arg = normalizeWords(input.args);
          if (arg === "id" || arg === "en") return { name: "language", to: arg };
        }
        return cmd;
      }
    }
    for (const flow of Object.values(this.registry.flows)) {
      for (const name of flow.commands ?? []) {
        if (typed === `/${normalizeWords(name)}`) return { name: "flow", flowId: flow.id };
      }
    }
    return input.kind === "command" ? { name: "unknown" } : undefined;
  }

  /** No conversation yet: a command may start one directly; anything else opens the main menu. */
  private startFresh(input: Inbound): StepResult {
    const cmd = this.command(input);
    const typed = input.kind === "text" ? normalizeWords(input.text) : "";
    const byWord = Object.values(this.registry.flows).find((f) =>
      (f.commands ?? []).some((c) => normalizeWords(c) === typed),
    );
    if (cmd?.name === "flow" || byWord) {
      this.startFlow(cmd?.name === "flow" ? cmd.flowId : byWord!.id);
      return this.finish();
    }
    if (cmd?.name === "language") this.s.lang = cmd.to ?? (this.s.lang === "id" ? "en" : "id");
    if (cmd?.name === "help") this.say({ text: this.t("help.general") });
    this.log("info", `session started in flow ${this.s.flowId}`);
    const first = this.flow.steps[this.flow.start];
    if (
      !cmd &&
      input.kind === "text" &&
      first?.type === "choice" &&
      this.freeText(first, input) !== undefined
    ) {
      // A first message that tells a story or asks about the rules is handled as such at once.
      this.s.stepId = this.flow.start;
      this.handle(input);
      return this.finish();
    }
    this.goTo(this.flow.start);
    return this.finish();
  }

  private resume(input: Inbound, age: number): StepResult {
    const cmd = this.command(input);
    if (this.s.resumePrompt) {
      this.answerResumePrompt(input, cmd);
      return this.finish();
    }
    const late = age > this.ctx.settings.resumeAfterMs && this.flow.resumable;
    if (late && !(cmd && ["cancel", "language", "help"].includes(cmd.name))) {
      this.keepForResume(input);
      this.askResume();
      return this.finish();
    }
    if (cmd && !(cmd.name === "language" && this.step.type === "language")) this.doCommand(cmd);
    else this.handle(input);
    return this.finish();
  }

  /** Keeps a file or GPS point sent while the resume question is open, to handle after "continue". */
  private keepForResume(input: Inbound): void {
    const usable =
      input.kind === "media" ||
      (input.kind === "location" && Number.isFinite(input.lat) && Number.isFinite(input.lon));
    if (usable) this.s.resumeInput = structuredClone(input);
  }

  private resumeChoices() {
    return [
      {
        value: "continue",
        label: this.t("resume.continue"),
        keywords: words(this.ctx.locales, "words.continue"),
      },
      { value: "restart", label: this.t("resume.restart") },
    ];
  }

  private askResume(): void {
    this.s.resumePrompt = true;
    const choices = this.resumeChoices().map(({ value, label }) => ({ value, label }));
    this.say({ text: this.t("resume.question"), choices, ask: "choice" });
  }

  private answerResumePrompt(input: Inbound, cmd: Command | undefined): void {
    if (cmd?.name === "cancel") {
      this.cancel();
      return;
    }
    if (cmd?.name === "language") {
      this.s.lang = cmd.to ?? (this.s.lang === "id" ? "en" : "id");
      this.say({ text: this.t("language.switched") });
      this.askResume();
      return;
    }
    if (cmd?.name === "restart") {
      this.s.resumePrompt = undefined;
      this.s.resumeInput = undefined;
      this.restart();
      return;
    }
    const value =
      matchChoice(input, this.resumeChoices()) ??
      (readYesNo(input, this.sc) === true ? "continue" : undefined);
    if (value === "continue") {
      const kept = this.s.resumeInput;
      this.s.resumePrompt = undefined;
      this.s.resumeInput = undefined;
      if (kept) this.handle(kept);
      else this.prompt();
      return;
    }
    if (value === "restart") {
      this.s.resumePrompt = undefined;
      this.restart();
      return;
    }
    this.keepForResume(input);
    const choices = this.resumeChoices().map(({ value, label }) => ({ value, label }));
    this.say({ text: this.t("errors.choose_one", { choices: listChoices(choices) }) });
    this.askResume();
  }

  private doCommand(cmd: Command): void {
    switch (cmd.name) {
      case "back":
        this.back();
        return;
      case "cancel":
        this.cancel();
        return;
      case "restart":
        this.restart();
        return;
      case "help":
        this.help();
        return;
      case "language":
        this.s.lang = cmd.to ?? (this.s.lang === "id" ? "en" : "id");
        this.say({ text: this.t("language.switched") });
        this.prompt();
        return;
      case "menu":
      case "flow":
        if (this.flow.resumable) {
          this.askResume();
          return;
        }
        if (cmd.name === "flow") {
          this.startFlow(cmd.flowId);
          return;
        }
        this.s = freshSession(this.registry, this.s.lang, this.ctx.now);
        this.goTo(this.flow.start);
        return;
      case "unknown":
        this.say({ text: this.t("errors.unknown_command") });
        this.prompt();
        return;
    }
  }

  private back(): void {
    const step = this.step;
    if (this.s.pending && this.s.pending.kind !== "media" && this.s.pending.kind !== "location_suggest") {
      this.s.pending = undefined;
      this.prompt();
      return;
    }
    if (this.s.returnTo) {
      this.s.stepId = this.s.returnTo;
      this.s.returnTo = undefined;
      this.s.pending = undefined;
      this.prompt();
      return;
    }
    if (step.type === "media" && step.store && this.s.pending?.kind === "media") {
      const { items, links } = this.s.pending;
      if (items.length + links.length > 0)
        this.s.answers[step.store] = { items, links, none: false } as unknown as Json;
    }
    let prev = this.s.history.pop();
    while (prev !== undefined && !this.flow.steps[prev]) prev = this.s.history.pop();
    if (prev === undefined) {
      this.say({ text: this.t("back.at_start") });
      this.prompt();
      return;
    }
    this.s.stepId = prev;
    this.s.pending = undefined;
    this.sayPrevious();
    this.prompt(true);
  }

  /** "Your previous answer: …" when the current step was answered before (after back or edit). */
  private sayPrevious(): void {
    const step = this.step;
    if (!isInputStep(step) || !step.store || !Object.hasOwn(this.s.answers, step.store)) return;
    const shown = displayAnswer(
      step,
      this.s.answers[step.store],
      this.s.lang,
      this.ctx.locales,
      this.ctx.lookups,
    );
    this.say({ text: this.t("back.previous", { answer: shown }) });
  }

  private cancel(): void {
    const resumable = this.flow.resumable;
    this.log("info", `session cancelled in flow ${this.s.flowId} at step ${this.s.stepId}`);
    this.s.status = "cancelled";
    this.s.pending = undefined;
    this.s.returnTo = undefined;
    this.s.resumePrompt = undefined;
    this.s.resumeInput = undefined;
    this.say({ text: this.t(resumable ? "cancel.done" : "cancel.nothing"), removeKeyboard: true });
  }

  private restart(): void {
    const flowId = this.flow.resumable ? this.s.flowId : this.registry.mainFlowId;
    this.log("info", `session restarted in flow ${flowId} from step ${this.s.stepId}`);
    this.s = { ...freshSession(this.registry, this.s.lang, this.ctx.now), flowId };
    this.say({ text: this.t("restart.done") });
    this.goTo(this.flow.start);
  }

  private help(): void {
    const step = this.step;
    const type = step.type;
    const own = step.help ? interpolate(step.help[this.s.lang], (name) => this.textVar(name)) : undefined;
    const generic =
      type === "choice" ||
      type === "text" ||
      type === "date" ||
      type === "location" ||
      type === "media" ||
      type === "agency" ||
      type === "yes_no" ||
      type === "phone" ||
      type === "language" ||
      type === "report_number" ||
      type === "summary"
        ? this.t(`help.${type}`)
        : this.t("help.general");
    this.say({ text: `${own ?? generic}\n\n${this.t("help.commands")}` });
    this.prompt();
  }

  // ----- moving through steps ---------------------------------------------------------------

  /** Asks the current step's question again (with its sub-state, e.g. evidence so far). */
  private prompt(reinit = false): void {
    const step = this.step;
    if (!isInputStep(step)) return;
    if (this.s.pending?.kind === "prefill_confirm" && !reinit) {
      this.askPrefill(step);
      return;
    }
    const kind = inputKindOf(step);
    if (reinit || !this.s.pending) {
      const init = kind.init?.(step, this.sc);
      if (init) this.s.pending = init;
    }
    this.say(...kind.prompt(step, this.sc));
  }

  private wrongKind(input: Inbound): string {
    switch (input.kind) {
      case "unsupported": {
        const known = ["sticker", "voice", "contact", "poll"] as const;
        const what = known.find((k) => k === input.what) ?? "other";
        return this.t("errors.unsupported", { what: this.t(`unsupported_what.${what}`) });
      }
      case "media":
      case "media_rejected":
        return this.t("errors.media_not_expected");
      case "location":
        return this.t("errors.location_not_expected");
      default:
        return this.t("errors.text_expected");
    }
  }

  /** The current step reads the input. */
  private handle(input: Inbound): void {
    const step = this.step;
    if (!isInputStep(step)) {
      this.log("warn", `session waiting at non-input step ${this.s.flowId}/${this.s.stepId}`);
      this.goTo(resolveNext(this.flow, this.s.stepId, this.s.answers, undefined, this.s.vars));
      return;
    }
    if (this.s.pending?.kind === "prefill_confirm" && this.answerPrefill(step, input)) return;
    const kind = inputKindOf(step);
    if (!kind.accepts.includes(input.kind)) {
      this.say({ text: this.wrongKind(input) });
      this.prompt();
      return;
    }
    if (step.type === "choice" && input.kind === "text") {
      const free = this.freeText(step, input);
      if (free) {
        free();
        return;
      }
    }
    const r = kind.handle(step, input, this.sc);
    if ("reprompt" in r) {
      if (r.pending === null) this.s.pending = undefined;
      else if (r.pending !== undefined) this.s.pending = r.pending;
      this.say(...r.reprompt);
      return;
    }
    if ("cancel" in r) {
      this.cancel();
      return;
    }
    if ("jump" in r) {
      this.s.pending = undefined;
      if (r.returnTo) this.s.returnTo = r.returnTo;
      this.s.stepId = r.jump;
      this.say(...(r.outputs ?? []));
      this.sayPrevious();
      this.prompt(true);
      return;
    }
    this.say(...(r.outputs ?? []));
    this.pushEffects(r.effects ?? []);
    if (step.store) this.s.answers[step.store] = this.readPerson(step, r.answer);
    if (step.type === "language" && (r.answer === "id" || r.answer === "en")) this.s.lang = r.answer;
    this.s.history.push(this.s.stepId);
    this.s.pending = undefined;
    this.goTo(resolveNext(this.flow, this.s.stepId, this.s.answers, undefined, this.s.vars));
  }

  /**
   * The accused's name as typed may hold more: "Sugeng Riyadi, lurahnya" is a name and a position
   * (the position is offered at its step: "Jabatan yang Anda sebut: Lurah. Benar?"), "gk tau
   * namanya" is no name. Other answers are kept as they are.
   */
  private readPerson(step: InputStep, answer: Json): Json {
    const facts = this.flow.story?.facts;
    if (!facts?.accused_name || step.store !== facts.accused_name || typeof answer !== "string")
      return answer;
    const read = readPersonAnswer(answer);
    if (!read) return answer;
    const positionKey = facts.accused_position;
    if (read.position && positionKey) {
      if (this.s.returnTo && Object.hasOwn(this.s.answers, positionKey))
        this.s.answers[positionKey] = read.position;
      else {
        this.s.prefill = { ...(this.s.prefill ?? {}), [positionKey]: read.position };
        this.s.vars[`said_${positionKey}`] = true;
      }
    }
    return read.name;
  }

  /**
   * Starts another flow from its first step (answers and history start empty); `from`, the flow
   * whose step led here, is kept as the variable `from_flow`.
   */
  private startFlow(flowId: string, from?: string): void {
    const iso = this.ctx.now.toISOString();
    this.s = { ...freshSession(this.registry, this.s.lang, this.ctx.now), flowId, startedAt: iso };
    if (from) this.s.vars.from_flow = from;
    this.s.stepId = this.flow.start;
    if (this.carriedPrefill) {
      this.s.prefill = this.carriedPrefill;
      this.carriedPrefill = undefined;
    }
    this.log("info", `flow ${flowId} started`);
    this.goTo(this.flow.start);
  }

  // ----- story mode and rules questions ----------------------------------------------------

  /** Effects of a step; a rules question is answered right after what was said so far. */
  private pushEffects(effects: readonly Effect[]): void {
    for (const e of effects)
      this.effects.push(e.kind === "rules_question" ? { ...e, at: this.outputs.length } : e);
  }

  /**
   * What to do with a free text typed at a choice step that takes stories or questions
   * (`on_story`, `on_question`) and that matches none of its options; undefined for anything else.
   */
  private freeText(
    step: Step & { type: "choice" },
    input: Inbound & { kind: "text" },
  ): (() => void) | undefined {
    if (!step.on_story && !step.on_question) return undefined;
    // Called only when no option matched exactly; a long story or a question wins over an option
    // whose keyword merely appears in it ("saya mau melapor, kemarin …").
    const intent = this.ctx.lookups.readIntent?.(input.text);
    if (intent?.kind === "question" && step.on_question) {
      const target = step.on_question;
      return () => {
        const ask = this.flow.steps[target];
        if (intent.question !== "" && ask && "store" in ask && ask.store) {
          this.s.answers[ask.store] = intent.question;
          this.pushEffects([{ kind: "rules_question", question: intent.question, lang: this.s.lang }]);
        }
        this.log("info", "rules question typed at a choice step");
        this.goTo(target);
      };
    }
    if (intent?.kind === "story" && step.on_story) {
      const target = step.on_story;
      return () => {
        const into = this.flow.steps[target];
        const flow = into?.type === "flow" ? this.registry.flows[into.flow] : this.flow;
        const prefill = flow
          ? prefillFromStory(flow, input.text, input.extracted, this.ctx.lookups, this.ctx.now)
          : {};
        this.log("info", `story told: ${Object.keys(prefill).length} answers prefilled`);
        this.say({ text: this.t("story.received") });
        if (into?.type === "flow") this.carriedPrefill = prefill;
        else this.s.prefill = { ...(this.s.prefill ?? {}), ...prefill };
        this.goTo(target);
      };
    }
    return undefined;
  }

  /**
   * Entering an input step whose answer was read from the story: the account is taken as it is
   * (returns the next step to go to); evidence links are collected as if sent; anything else is
   * asked to be confirmed. Returns false when nothing is prefilled for the step.
   */
  private enterPrefilled(id: string, step: InputStep): { next: string | undefined } | boolean {
    const key = step.store;
    const prefill = this.s.prefill;
    if (!key || !prefill || !Object.hasOwn(prefill, key) || this.s.returnTo) return false;
    const value = prefill[key]!;
    if (key === this.flow.story?.account) {
      delete prefill[key];
      this.s.answers[key] = value;
      this.s.history.push(id);
      return { next: resolveNext(this.flow, id, this.s.answers, undefined, this.s.vars) };
    }
    if (step.type === "media") {
      delete prefill[key];
      const links = (value as { links?: { url: string; platform: string }[] }).links ?? [];
      this.s.pending = { kind: "media", items: [], links };
      this.say({
        text: this.t("story.links_kept", { count: links.length, links: links.map((l) => l.url).join("\n") }),
      });
      this.prompt();
      return true;
    }
    this.s.pending = { kind: "prefill_confirm" };
    this.askPrefill(step);
    return true;
  }

  /**
   * The options offered when the story was read as one of several choices (best first), plus
   * "none of these"; undefined when the reading is a single answer.
   */
  private prefillChoices(step: InputStep): { value: string; label: string }[] | undefined {
    const value = step.store ? this.s.prefill?.[step.store] : undefined;
    if (step.type !== "choice" || !Array.isArray(value)) return undefined;
    const options = step.options.filter((o) => value.includes(o.value));
    return [
      ...options.map((o) => ({ value: o.value, label: o.label[this.s.lang] })),
      { value: PREFILL_NONE, label: this.t("story.none_of_these") },
    ];
  }

  /** "From your story we read …: … Is that right?" (or "… one of these?" with the choices). */
  private askPrefill(step: InputStep): void {
    const key = step.store!;
    const label0 = "label" in step && step.label ? step.label[this.s.lang] : "";
    const choices = this.prefillChoices(step);
    if (choices) {
      this.say({ text: this.t("story.confirm_choices", { label: label0 }), choices, ask: "choice" });
      return;
    }
    const shown = displayAnswer(step, this.s.prefill?.[key], this.s.lang, this.ctx.locales, this.ctx.lookups);
    const label = "label" in step && step.label ? step.label[this.s.lang] : "";
    // Read from an earlier answer rather than from the story: said so.
    const said = this.s.vars[`said_${key}`] === true;
    this.say({
      text: this.t(said ? "story.confirm_said" : "story.confirm", { label, answer: shown }),
      choices: yesNoChoices(this.sc),
      ask: "yes_no",
    });
  }

  /**
   * The answer to "is this what we read right?": yes keeps it; no asks the step's own question; any
   * other input drops the reading and is read as an answer to the step itself (returns false).
   */
  private answerPrefill(step: InputStep, input: Inbound): boolean {
    const key = step.store;
    const choices = this.prefillChoices(step);
    if (choices && key) {
      const picked = matchChoice(input, choices);
      if (picked === undefined && input.kind === "choice") {
        this.say({
          text: this.t("errors.choose_one", { choices: listChoices(choices) }),
          choices,
          ask: "choice",
        });
        return true;
      }
      if (this.s.prefill) delete this.s.prefill[key];
      this.s.pending = undefined;
      if (picked === PREFILL_NONE) {
        this.prompt(true);
        return true;
      }
      if (picked === undefined) return false;
      this.s.answers[key] = picked;
      this.s.history.push(this.s.stepId);
      this.goTo(resolveNext(this.flow, this.s.stepId, this.s.answers, undefined, this.s.vars));
      return true;
    }
    const value = key ? this.s.prefill?.[key] : undefined;
    const yes = readYesNo(input, this.sc);
    if (key && this.s.prefill) delete this.s.prefill[key];
    this.s.pending = undefined;
    if (yes === true && key && value !== undefined) {
      this.s.answers[key] = value;
      this.s.history.push(this.s.stepId);
      this.goTo(resolveNext(this.flow, this.s.stepId, this.s.answers, undefined, this.s.vars));
      return true;
    }
    if (yes === false || value === undefined) {
      this.prompt(true);
      return true;
    }
    return false;
  }

  /**
   * Enters `target` and follows steps that need no input until one that does (which asks its
   * question) or the end of the session. While editing from the summary (`returnTo`), an input
   * step that is already answered leads straight back to the summary.
   */
  private goTo(first: string | undefined): void {
    let target = first;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const step = target === undefined ? undefined : this.flow.steps[target];
      if (target === undefined || !step) {
        this.log("warn", `flow ${this.s.flowId} has no step after ${this.s.stepId}: session ended`);
        this.s.status = "done";
        return;
      }
      if (this.s.returnTo && isInputStep(step)) {
        const answered =
          step.type !== "summary" && step.store !== undefined && Object.hasOwn(this.s.answers, step.store);
        if (target === this.s.returnTo || answered) {
          this.s.stepId = this.s.returnTo;
          this.s.returnTo = undefined;
          this.s.pending = undefined;
          this.prompt(true);
          return;
        }
      }
      if (step.skip_if && evaluate(step.skip_if, { answers: this.s.answers, vars: this.s.vars })) {
        target = resolveNext(this.flow, target, this.s.answers, undefined, this.s.vars);
        continue;
      }
      applySetClear(step, this.s.answers);
      this.s.stepId = target;
      if (isInputStep(step)) {
        this.s.pending = undefined;
        const prefilled = this.enterPrefilled(target, step);
        if (typeof prefilled === "object") {
          target = prefilled.next;
          continue;
        }
        if (prefilled) return;
        this.prompt(true);
        return;
      }
      if (step.type === "flow") {
        // The flow it was started from (`{ var: from_flow }`): a welcome need not repeat the menu's.
        this.startFlow(step.flow, this.s.flowId);
        return;
      }
      const r = autoKindOf(step).run(step, this.sc);
      this.say(...r.outputs);
      this.effects.push(...(r.effects ?? []));
      Object.assign(this.s.vars, r.vars ?? {});
      if (r.end) {
        this.s.status = r.end;
        this.s.pending = undefined;
        this.s.returnTo = undefined;
        return;
      }
      target = resolveNext(this.flow, target, this.s.answers, r.result, this.s.vars);
    }
    this.log("warn", `flow ${this.s.flowId} loops without input at ${this.s.stepId}: session ended`);
    this.s.status = "done";
  }

  /**
   * The answered input steps on the path the current answers lead along from the start, stopping
   * at the summary or the first unanswered step. Checks are re-run; `set`/`clear` are replayed.
   */
  private activeSteps(): { id: string; step: InputStep }[] {
    const flow = this.flow;
    const answers: Answers = { ...this.s.answers };
    const vars: Record<string, Json> = { ...this.s.vars };
    const out: { id: string; step: InputStep }[] = [];
    const seen = new Set<string>();
    let target: string | undefined = flow.start;
    while (target !== undefined && !seen.has(target)) {
      seen.add(target);
      const step: Step | undefined = flow.steps[target];
      if (!step) break;
      if (step.skip_if && evaluate(step.skip_if, { answers, vars })) {
        target = resolveNext(flow, target, answers, undefined, vars);
        continue;
      }
      applySetClear(step, answers);
      let result: string | undefined;
      if (isInputStep(step)) {
        if (step.type === "summary" || !step.store || !Object.hasOwn(answers, step.store)) break;
        out.push({ id: target, step });
      } else if (step.type === "check") {
        const args: Record<string, Json | undefined> = {};
        for (const [name, key] of Object.entries(step.args ?? {})) args[name] = answers[key];
        const outcome = CHECKS[step.check]?.run(args, this.ctx);
        result = outcome?.result;
        Object.assign(vars, outcome?.vars ?? {});
      } else if (step.type !== "message") break;
      target = resolveNext(flow, target, answers, result, vars);
    }
    return out;
  }
}
