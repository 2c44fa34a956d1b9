/**
 * Category and confidence of a complaint story: by the LLM when one is configured (validated
 * with zod; any failure falls back), by the offline classifier otherwise. Used by
 * `npm run admin -- classify`.
 */
import { z } from "zod";
import { CATEGORY_IDS, type CategoryId, classifyStory, prepareClassifier } from "./classifier.js";
import type { LlmClient } from "./llm.js";
import { fillPrompt } from "./prompts.js";
import { scrubPersonalData } from "./scrub.js";

/** The model's answer. */
export const ClassificationSchema = z.strictObject({
  category: z.enum(CATEGORY_IDS),
  confidence: z.number().min(0).max(1),
});

/** A story's category, with where it came from. */
export interface StoryCategory {
  category: CategoryId;
  confidence: number;
  source: "llm" | "offline";
  /** Offline, when unsure: the top two or three categories with their confidences, best first. */
  alternatives?: { category: CategoryId; confidence: number }[];
}

/** Classifies stories, with the LLM when given one. */
export class StoryClassifier {
  constructor(private readonly llm?: { client: LlmClient; prompt: string; categories: string }) {
    // The offline model is trained once per process; do it while starting, not during a conversation.
    prepareClassifier();
  }

  /** The category of one story (never rejects). */
  async classify(text: string): Promise<StoryCategory> {
    if (this.llm) {
      try {
        const raw = await this.llm.client.json({
          purpose: "classify",
          name: "classification",
          schema: ClassificationSchema,
          system: fillPrompt(this.llm.prompt, { categories: this.llm.categories }),
          user: [{ text: scrubPersonalData(text) }],
        });
        const r = ClassificationSchema.safeParse(raw);
        if (r.success)
          return { ...r.data, confidence: Math.round(r.data.confidence * 100) / 100, source: "llm" };
      } catch {
        // Logged by the client; the offline classifier answers.
      }
    }
    const { category, confidence, alternatives } = classifyStory(text);
    return { category, confidence, source: "offline", ...(alternatives.length > 0 ? { alternatives } : {}) };
  }
}
