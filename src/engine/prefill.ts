/**
 * The prefill of story mode: turns the facts read from a citizen's story (offline by
 * `lookups.readStory`, and by an LLM through `Inbound.extracted`, which wins field by field) into
 * answers by `store` key, each checked against the step that would ask for it. What does not fit
 * (an unknown category, a place the place search does not find, a date the parser cannot read, a
 * name too long) is simply not prefilled: the flow asks the question as usual.
 */
import type { Flow, InputStep } from "./flow-schema.js";
import { isInputStep } from "./flow-schema.js";
import { fromCandidate } from "./inputs/location.js";
import type { Lookups } from "./lookups.js";
import { type Answers, asJson, type Json, STORY_FACTS, type StoryFacts } from "./types.js";

function stepStoring(flow: Flow, key: string): InputStep | undefined {
  for (const step of Object.values(flow.steps)) if (isInputStep(step) && step.store === key) return step;
  return undefined;
}

/** One raw fact as the answer of `step`, or undefined when it does not fit. */
function convert(step: InputStep, raw: unknown, lookups: Lookups, now: Date): Json | undefined {
  if (raw === undefined || raw === null) return undefined;
  switch (step.type) {
    case "choice": {
      // Several readings (best first): the citizen picks one of them (see the engine's askPrefill).
      if (Array.isArray(raw)) {
        const known = raw.filter((v) => typeof v === "string" && step.options.some((o) => o.value === v));
        return known.length > 1 ? known : known[0];
      }
      return typeof raw === "string" && step.options.some((o) => o.value === raw) ? raw : undefined;
    }
    case "location": {
      if (typeof raw !== "string" || raw.trim() === "") return undefined;
      const r = lookups.findPlace(raw);
      if (r.status !== "match" || !r.best?.regencyCode) return undefined;
      return asJson(fromCandidate(r.best, raw.trim()));
    }
    case "date": {
      if (typeof raw !== "string") return undefined;
      const r = lookups.parseDate(raw, now);
      return r.ok && !r.approximate ? r.date : undefined;
    }
    case "text": {
      if (typeof raw !== "string") return undefined;
      const v = raw.trim();
      const n = [...v].length;
      if (n < (step.min_length ?? 1) || (step.max_length !== undefined && n > step.max_length))
        return undefined;
      return v;
    }
    case "agency": {
      if (typeof raw !== "string" || raw.trim().length < 3) return undefined;
      return asJson(lookups.normalizeAgency(raw.trim()));
    }
    case "media": {
      if (!Array.isArray(raw)) return undefined;
      const links = lookups.extractLinks(raw.filter((x) => typeof x === "string").join(" "));
      if (links.length === 0) return undefined;
      return { items: [], links: links.map((l) => ({ url: l.url, platform: l.platform })), none: false };
    }
    default:
      return undefined;
  }
}

/**
 * The answers a story prefills in `flow` (which must have `story`), by `store` key: the story itself
 * as the account, and every fact that fits its step. LLM facts (`extracted`) are tried first, then
 * the offline ones.
 */
export function prefillFromStory(
  flow: Flow,
  story: string,
  extracted: StoryFacts | undefined,
  lookups: Lookups,
  now: Date,
): Answers {
  const out: Answers = {};
  if (!flow.story) return out;
  const accountStep = stepStoring(flow, flow.story.account);
  if (accountStep) {
    const max = accountStep.type === "text" ? accountStep.max_length : undefined;
    const account = convert(
      accountStep,
      max ? [...story.trim()].slice(0, max).join("") : story,
      lookups,
      now,
    );
    if (account !== undefined) out[flow.story.account] = account;
  }
  const offline = lookups.readStory?.(story, now) ?? {};
  for (const fact of STORY_FACTS) {
    const key = flow.story.facts[fact];
    const step = key ? stepStoring(flow, key) : undefined;
    if (!key || !step) continue;
    const value =
      convert(step, extracted?.[fact], lookups, now) ?? convert(step, offline[fact], lookups, now);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
