/**
 * The shape of a flow file (`flows/*.yaml`), its validation, and loading every flow of a folder.
 *
 * A flow is a map of steps run in file order unless a step says `next`. Every text exists in
 * Indonesian (`id`) and English (`en`). {@link checkFlows} reports every problem with the file and
 * the path inside it, e.g. `flows/complaint.yaml: steps.category.options[3].label.en: required`.
 *
 * @example
 * ```yaml
 * id: complaint
 * start: welcome
 * steps:
 *   welcome:
 *     type: choice
 *     store: track
 *     text: { id: "Pilih jalur…", en: "Choose a track…" }
 *     options:
 *       - { value: tip, label: { id: Informasi awal, en: Tip } }
 *       - { value: formal, label: { id: Laporan resmi, en: Formal report } }
 * ```
 */
import { readdirSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { z } from "zod";
import { DataFileError } from "../errors.js";
import { CHECKS } from "./checks.js";
import { answerKeysOf, type Condition, ConditionSchema, resultsOf, varsOf } from "./conditions.js";
import { type LocaleBundle, localeProblems } from "./locale.js";
import { formatPath, formatProblem, type Problem, readYamlAs } from "./problems.js";
import { STORY_FACTS } from "./types.js";

export { formatProblem, type Problem } from "./problems.js";

/** A text in every language. */
export const TextSchema = z.strictObject({ id: z.string().min(1), en: z.string().min(1) });
/** A text in every language: `{ id: "…", en: "…" }`. */
export type Text = z.infer<typeof TextSchema>;

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One branch of a conditional `next`: the first branch whose `if` holds (or that has none) wins. */
export const BranchSchema = z.strictObject({ if: ConditionSchema.optional(), goto: z.string().min(1) });
/** See {@link BranchSchema}. */
export type Branch = z.infer<typeof BranchSchema>;

/** A step id, or a list of conditional branches. */
export const NextSchema = z.union([z.string().min(1), z.array(BranchSchema).min(1)]);

const common = {
  /** The question or message. */
  text: TextSchema.optional(),
  /** Replaces `text` when a condition holds (first match wins). */
  text_if: z.array(z.strictObject({ if: ConditionSchema, text: TextSchema })).optional(),
  /** Shown on "bantuan"/"help" at this step, before the question is repeated. */
  help: TextSchema.optional(),
  /** The step that follows; defaults to the next step in the file. */
  next: NextSchema.optional(),
  /** The step is passed over (not asked) when this holds. */
  skip_if: ConditionSchema.optional(),
  /** Answers set when the step is entered (e.g. `{ track: tip }`). */
  set: z.record(z.string(), Scalar).optional(),
  /** Answers removed when the step is entered (e.g. identity after consent is refused). */
  clear: z.array(z.string()).optional(),
};

const input = {
  ...common,
  /** The answer key. */
  store: z.string().min(1).optional(),
  /** How the answer is named in the summary; steps without a label are not shown there. */
  label: TextSchema.optional(),
  /** Whether the summary offers to change this answer (default: true when labelled). */
  editable: z.boolean().optional(),
};

/** zod schemas of every step type, by `type`. */
export const StepSchemas = {
  choice: z.strictObject({
    ...input,
    type: z.literal("choice"),
    text: TextSchema,
    options: z
      .array(
        z.strictObject({
          value: z.string().min(1),
          label: TextSchema,
          /** Extra words that pick this option when typed. */
          keywords: z.array(z.string().min(1)).optional(),
        }),
      )
      .min(2),
    /** A long free text that tells a story of a violation goes to this step (see the flow's `story`). */
    on_story: z.string().min(1).optional(),
    /** A free text that asks about the rules goes to this step (a `question` step). */
    on_question: z.string().min(1).optional(),
  }),
  text: z.strictObject({
    ...input,
    type: z.literal("text"),
    text: TextSchema,
    min_length: z.number().int().min(0).optional(),
    max_length: z.number().int().min(1).optional(),
    /** Accept "tidak tahu"/"none" (stored as null), offered as a button. */
    allow_none: z.boolean().optional(),
    /** Keep line breaks (a story); otherwise the answer is one line (a name, a position …). */
    multiline: z.boolean().optional(),
  }),
  date: z.strictObject({
    ...input,
    type: z.literal("date"),
    text: TextSchema,
    /** The answer key of a date this one may not precede. */
    not_before: z.string().optional(),
    /** Said when the date precedes `not_before` (`{{other}}` is that date). */
    not_before_text: TextSchema.optional(),
  }),
  location: z.strictObject({ ...input, type: z.literal("location"), text: TextSchema }),
  media: z.strictObject({
    ...input,
    type: z.literal("media"),
    text: TextSchema,
    /** Accept an explicit "tidak ada bukti". */
    allow_none: z.boolean().optional(),
    max_items: z.number().int().min(1).optional(),
  }),
  agency: z.strictObject({
    ...input,
    type: z.literal("agency"),
    text: TextSchema,
    min_length: z.number().int().min(0).optional(),
    allow_none: z.boolean().optional(),
  }),
  yes_no: z.strictObject({ ...input, type: z.literal("yes_no"), text: TextSchema }),
  phone: z.strictObject({
    ...input,
    type: z.literal("phone"),
    text: TextSchema,
    allow_none: z.boolean().optional(),
  }),
  language: z.strictObject({ ...input, type: z.literal("language"), text: TextSchema }),
  report_number: z.strictObject({ ...input, type: z.literal("report_number"), text: TextSchema }),
  summary: z.strictObject({ ...input, type: z.literal("summary"), text: TextSchema }),
  /** A question about the rules, answered by the host (`rules_question` effect); a button goes back. */
  question: z.strictObject({ ...input, type: z.literal("question"), text: TextSchema }),
  message: z.strictObject({ ...common, type: z.literal("message"), text: TextSchema }),
  check: z.strictObject({
    ...common,
    type: z.literal("check"),
    /** The name of a check in `src/engine/checks.ts`. */
    check: z.string().min(1),
    /** The check's arguments, usually answer keys. */
    args: z.record(z.string(), z.string()).optional(),
  }),
  submit: z.strictObject({ ...common, type: z.literal("submit") }),
  /** Opts the contact in to the reminder broadcasts with the answers named here; ends the session. */
  subscribe: z.strictObject({
    ...common,
    type: z.literal("subscribe"),
    /** The answer key holding "warga" or "asn". */
    role: z.string().min(1),
    /** The answer key holding "regency", "province" or "national". */
    scope: z.string().min(1),
    /** The answer key of a location step (unused for a national scope). */
    place: z.string().min(1),
  }),
  end: z.strictObject({ ...common, type: z.literal("end"), status: z.enum(["done", "cancelled"]) }),
  flow: z.strictObject({ ...common, type: z.literal("flow"), flow: z.string().min(1) }),
} as const;

/** Every step type. */
export type StepType = keyof typeof StepSchemas;
/** The step of a given type. */
export type StepOf<T extends StepType> = z.infer<(typeof StepSchemas)[T]>;

/** zod schema of any step. */
export const StepSchema = z.discriminatedUnion("type", [
  StepSchemas.choice,
  StepSchemas.text,
  StepSchemas.date,
  StepSchemas.location,
  StepSchemas.media,
  StepSchemas.agency,
  StepSchemas.yes_no,
  StepSchemas.phone,
  StepSchemas.language,
  StepSchemas.report_number,
  StepSchemas.summary,
  StepSchemas.question,
  StepSchemas.message,
  StepSchemas.check,
  StepSchemas.submit,
  StepSchemas.subscribe,
  StepSchemas.end,
  StepSchemas.flow,
]);
/** Any step. */
export type Step = z.infer<typeof StepSchema>;

/** Step types that wait for the citizen's input. The others run and move on. */
export const INPUT_TYPES = [
  "choice",
  "text",
  "date",
  "location",
  "media",
  "agency",
  "yes_no",
  "phone",
  "language",
  "report_number",
  "summary",
  "question",
] as const satisfies readonly StepType[];

/** A step that waits for input. */
export type InputStep = StepOf<(typeof INPUT_TYPES)[number]>;

/** True when the step waits for input. */
export function isInputStep(step: Step): step is InputStep {
  return (INPUT_TYPES as readonly string[]).includes(step.type);
}

/** zod schema of a flow file. */
export const FlowSchema = z.strictObject({
  /** The flow's id; must equal the file name without `.yaml`. */
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  /** What the flow is for, for people editing it. */
  description: z.string().optional(),
  /** The first step. */
  start: z.string().min(1),
  /** The flow new conversations start in (exactly one flow has it). */
  main: z.boolean().optional(),
  /** Slash commands that start this flow ("lapor"). */
  commands: z.array(z.string().min(1)).optional(),
  /** A citizen coming back after a long pause is asked "continue or start over?". */
  resumable: z.boolean().optional(),
  /**
   * Story mode: a citizen who tells the whole story in one message. `account` is the answer key the
   * story itself fills; `facts` maps what can be read from it (see `StoryFacts`) to answer keys,
   * which are then only confirmed when the flow reaches them.
   */
  story: z
    .strictObject({
      account: z.string().min(1),
      facts: z.partialRecord(z.enum(STORY_FACTS), z.string().min(1)),
    })
    .optional(),
  steps: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, "step ids are lower_snake_case"), StepSchema),
});
/** A flow as loaded. */
export type Flow = z.infer<typeof FlowSchema>;

/** Every flow by id, plus the one conversations start in. */
export interface FlowRegistry {
  flows: Readonly<Record<string, Flow>>;
  /** The id of the flow marked `main: true`. */
  mainFlowId: string;
}

/** The steps a step may go to next (its `next`, or the following step in the file). */
export function targetsOf(flow: Flow, stepId: string): string[] {
  const step = flow.steps[stepId];
  if (!step) return [];
  const free =
    step.type === "choice"
      ? [step.on_story, step.on_question].filter((x): x is string => x !== undefined)
      : [];
  if (step.next === undefined) {
    if (step.type === "end" || step.type === "flow" || step.type === "submit" || step.type === "subscribe")
      return [];
    const ids = Object.keys(flow.steps);
    const following = ids[ids.indexOf(stepId) + 1];
    return following ? [following, ...free] : free;
  }
  if (typeof step.next === "string") return [step.next, ...free];
  return [...step.next.map((b) => b.goto), ...free];
}

function conditionsOf(step: Step): { cond: Condition; path: PropertyKey[] }[] {
  const out: { cond: Condition; path: PropertyKey[] }[] = [];
  if (step.skip_if) out.push({ cond: step.skip_if, path: ["skip_if"] });
  step.text_if?.forEach((v, i) => {
    out.push({ cond: v.if, path: ["text_if", i, "if"] });
  });
  if (Array.isArray(step.next)) {
    step.next.forEach((b, i) => {
      if (b.if) out.push({ cond: b.if, path: ["next", i, "if"] });
    });
  }
  return out;
}

/** Cross-checks of one valid flow against itself and the other flows. */
export function crossCheck(file: string, flow: Flow, allFlowIds: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  const err = (path: PropertyKey[], message: string) =>
    problems.push({ file, path: formatPath(path), message, level: "error" });
  const warn = (path: PropertyKey[], message: string) =>
    problems.push({ file, path: formatPath(path), message, level: "warning" });

  const ids = Object.keys(flow.steps);
  if (basename(file, ".yaml") !== flow.id)
    err(["id"], `must equal the file name ("${basename(file, ".yaml")}")`);
  if (!flow.steps[flow.start]) err(["start"], `unknown step "${flow.start}"`);

  const keys = new Map<string, string>();
  const known = new Set<string>();
  for (const [id, step] of Object.entries(flow.steps)) {
    for (const k of Object.keys(step.set ?? {})) known.add(k);
    if (!("store" in step) || !step.store) continue;
    known.add(step.store);
    const other = keys.get(step.store);
    if (other) warn(["steps", id, "store"], `"${step.store}" is also stored by step "${other}"`);
    else keys.set(step.store, id);
  }

  // `from_flow`: set by the engine when a flow is started from a step of another flow.
  const knownVars = new Set<string>(["from_flow"]);
  for (const step of Object.values(flow.steps)) {
    if (step.type === "check") for (const v of CHECKS[step.check]?.vars ?? []) knownVars.add(v);
  }

  for (const [id, step] of Object.entries(flow.steps)) {
    const at = ["steps", id];
    if (typeof step.next === "string" && !flow.steps[step.next])
      err([...at, "next"], `unknown step "${step.next}"`);
    if (Array.isArray(step.next)) {
      step.next.forEach((b, i) => {
        if (!flow.steps[b.goto]) err([...at, "next", i, "goto"], `unknown step "${b.goto}"`);
      });
      const last = step.next[step.next.length - 1];
      if (last?.if)
        warn([...at, "next"], "the last branch has a condition: add a branch without `if` as fallback");
    }
    if (
      step.next === undefined &&
      targetsOf(flow, id).length === 0 &&
      !["end", "flow", "submit", "subscribe"].includes(step.type)
    ) {
      err([...at], "the last step of the file needs a `next` (or must be an end, flow or submit step)");
    }
    if (step.type === "subscribe") {
      for (const k of ["role", "scope", "place"] as const)
        if (!known.has(step[k])) err([...at, k], `no step stores the answer "${step[k]}"`);
    }
    if (isInputStep(step) && step.type !== "summary" && step.type !== "language" && !step.store) {
      if (step.type !== "report_number")
        warn([...at, "store"], "an input step without `store` keeps no answer");
    }
    for (const k of step.clear ?? []) if (!known.has(k)) warn([...at, "clear"], `no step stores "${k}"`);
    for (const { cond, path } of conditionsOf(step)) {
      for (const k of answerKeysOf(cond)) {
        if (!known.has(k)) err([...at, ...path], `no step stores the answer "${k}"`);
      }
      for (const v of varsOf(cond)) {
        if (!knownVars.has(v)) err([...at, ...path], `no check of this flow sets the variable "${v}"`);
      }
      const results = resultsOf(cond);
      if (results.length > 0) {
        if (step.type !== "check" || path[0] !== "next") {
          err([...at, ...path], "`result` conditions belong in the `next` of a check step");
        } else {
          const check = CHECKS[step.check];
          for (const r of results) {
            if (check && !check.results.includes(r)) {
              err(
                [...at, ...path],
                `check "${step.check}" has no result "${r}" (${check.results.join(", ")})`,
              );
            }
          }
        }
      }
    }
    if (step.type === "check") {
      const check = CHECKS[step.check];
      if (!check)
        err([...at, "check"], `unknown check "${step.check}" (known: ${Object.keys(CHECKS).join(", ")})`);
      else {
        for (const a of check.args) {
          const v = step.args?.[a];
          if (v === undefined) err([...at, "args", a], "required");
          else if (!known.has(v)) err([...at, "args", a], `no step stores the answer "${v}"`);
        }
      }
      if (!Array.isArray(step.next))
        err([...at, "next"], "a check step needs branches (`- if: { result: … }`)");
    }
    if (step.type === "flow" && !allFlowIds.has(step.flow))
      err([...at, "flow"], `unknown flow "${step.flow}"`);
    if (step.type === "date" && step.not_before !== undefined) {
      const other = keys.get(step.not_before);
      if (!other || flow.steps[other]?.type !== "date") {
        err([...at, "not_before"], `no date step stores "${step.not_before}"`);
      }
    }
    if (step.type === "choice") {
      for (const k of ["on_story", "on_question"] as const) {
        const target = step[k];
        if (target !== undefined && !flow.steps[target]) err([...at, k], `unknown step "${target}"`);
      }
      if (
        step.on_question &&
        flow.steps[step.on_question] &&
        flow.steps[step.on_question]?.type !== "question"
      )
        err([...at, "on_question"], "must be a `question` step");
      const seen = new Set<string>();
      step.options.forEach((o, i) => {
        if (seen.has(o.value)) err([...at, "options", i, "value"], `duplicate value "${o.value}"`);
        seen.add(o.value);
      });
    }
    if (step.type === "summary" && !targetsOf(flow, id).some((t) => flow.steps[t]?.type === "submit")) {
      warn([...at, "next"], "a summary is usually followed by a submit step");
    }
  }

  if (flow.story) {
    if (!keys.has(flow.story.account)) err(["story", "account"], `no step stores "${flow.story.account}"`);
    for (const [fact, key] of Object.entries(flow.story.facts)) {
      if (!keys.has(key)) err(["story", "facts", fact], `no step stores "${key}"`);
    }
  }

  // Reachability from the start step.
  const reached = new Set<string>();
  const queue = flow.steps[flow.start] ? [flow.start] : [];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    for (const t of targetsOf(flow, id)) if (flow.steps[t] && !reached.has(t)) queue.push(t);
  }
  for (const id of ids) if (!reached.has(id)) warn(["steps", id], "unreachable from the start step");
  return problems;
}

/** The flows, locales and problems found in a folder. */
export interface FlowDirectory {
  flows: Record<string, Flow>;
  locales: LocaleBundle | undefined;
  problems: Problem[];
}

/**
 * Reads every `*.yaml` of `dir` as a flow and `dir/locales/{id,en}.yaml` as shared texts, and
 * checks them all (`moduleKeys`: the texts other modules declare, see `loadLocales`). Synchronous:
 * it runs at start-up and in `npm run flows:check`.
 */
export function readFlowDirectory(dir: string, moduleKeys: readonly string[] = []): FlowDirectory {
  const problems: Problem[] = [];
  const flows: Record<string, Flow> = {};
  const fileOf = new Map<string, string>();
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith(".yaml"))
      .sort();
  } catch (e) {
    throw new DataFileError(dir, `cannot read the flows folder: ${(e as Error).message}`, { cause: e });
  }
  for (const name of names) {
    const path = join(dir, name);
    const file = relative(process.cwd(), path) || path;
    const flow = readYamlAs(path, file, FlowSchema, problems);
    if (flow === undefined) continue;
    if (flows[flow.id]) {
      problems.push({
        file,
        path: "id",
        message: `flow "${flow.id}" is defined twice`,
        level: "error",
      });
      continue;
    }
    flows[flow.id] = flow;
    fileOf.set(flow.id, file);
  }
  const ids = new Set(Object.keys(flows));
  for (const [id, flow] of Object.entries(flows)) problems.push(...crossCheck(fileOf.get(id)!, flow, ids));
  const mains = Object.values(flows).filter((f) => f.main);
  if (names.length > 0 && mains.length !== 1) {
    problems.push({
      file: relative(process.cwd(), dir) || dir,
      path: "",
      message: `exactly one flow must have \`main: true\` (found ${mains.length})`,
      level: "error",
    });
  }
  const { bundle, problems: localeIssues } = localeProblems(join(dir, "locales"), moduleKeys);
  problems.push(...localeIssues);
  return { flows, locales: bundle, problems };
}

/**
 * Checks every flow and locale file of `dir` and returns every problem found (errors and
 * warnings). An empty list means all is well.
 *
 * @example checkFlows("flows").map(formatProblem)
 */
export function checkFlows(dir: string, moduleKeys: readonly string[] = []): Problem[] {
  return readFlowDirectory(dir, moduleKeys).problems;
}

/**
 * Loads every flow of `dir` for the engine. Throws a {@link DataFileError} listing every error
 * when a file is invalid (warnings do not stop loading).
 *
 * @example const registry = await loadFlows("flows");
 */
export async function loadFlows(dir: string, moduleKeys: readonly string[] = []): Promise<FlowRegistry> {
  const { flows, problems } = readFlowDirectory(dir, moduleKeys);
  const errors = problems.filter((p) => p.level === "error");
  if (errors.length > 0) {
    throw new DataFileError(dir, `invalid flows:\n${errors.map(formatProblem).join("\n")}`);
  }
  const main = Object.values(flows).find((f) => f.main)!;
  return { flows, mainFlowId: main.id };
}
