/**
 * Story extraction by the LLM: the facts of a citizen's story (see `StoryFacts`) as structured
 * output, validated field by field with zod, so one bad field (an unknown category, a date that is
 * not YYYY-MM-DD) drops only itself. The text is scrubbed of phone numbers, e-mails and NIKs first.
 */
import { z } from "zod";
import type { StoryFacts } from "../engine/types.js";
import { jakartaToday } from "../parsing/dates.js";
import { CATEGORY_IDS } from "./classifier.js";
import type { LlmClient } from "./llm.js";
import { fillPrompt } from "./prompts.js";
import { scrubPersonalData } from "./scrub.js";

const name = z.string().trim().min(2).max(200);

/** Each field's schema; a field that fails is treated as not extracted. */
const FIELDS = {
  category: z.enum(CATEGORY_IDS),
  place: name,
  event_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  accused_name: name,
  accused_position: name,
  agency: name,
  links: z.array(z.string().url().max(2000)).max(20),
} as const;

/** The JSON schema the model is asked for (every field present, null when not stated). */
export const StoryFactsSchema = z.strictObject({
  category: z.enum(CATEGORY_IDS).nullable(),
  place: z.string().nullable(),
  event_date: z.string().nullable(),
  accused_name: z.string().nullable(),
  accused_position: z.string().nullable(),
  agency: z.string().nullable(),
  links: z.array(z.string()),
});

/** The fields of a model's answer that validate; the rest are dropped. */
export function validFacts(raw: unknown): StoryFacts {
  const facts: StoryFacts = {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return facts;
  const obj = raw as Record<string, unknown>;
  for (const [key, schema] of Object.entries(FIELDS)) {
    if (obj[key] === null || obj[key] === undefined) continue;
    const parsed = schema.safeParse(obj[key]);
    if (parsed.success && !(Array.isArray(parsed.data) && parsed.data.length === 0))
      (facts as Record<string, unknown>)[key] = parsed.data;
  }
  return facts;
}

/** Reads stories with the LLM. */
export class StoryExtractor {
  constructor(
    private readonly llm: LlmClient,
    private readonly prompt: string,
    private readonly categories: string,
  ) {}

  /** The facts the model read from `story` (validated); throws `LlmError` when the call fails. */
  async extract(story: string, now: Date): Promise<StoryFacts> {
    const raw = await this.llm.json({
      purpose: "story_extraction",
      name: "story_facts",
      schema: StoryFactsSchema,
      system: fillPrompt(this.prompt, { categories: this.categories, today: jakartaToday(now) }),
      user: [{ text: scrubPersonalData(story) }],
    });
    return validFacts(raw);
  }
}
