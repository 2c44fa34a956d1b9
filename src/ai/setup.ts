/**
 * Builds the AI help from the settings: with `OPENAI_MODEL` set, an LLM client and the parts that
 * use it (story extraction hook, grounded rules answers, office-card summary, and, only with
 * `AI_SEND_IMAGES=true`, image descriptions); without it, the offline parts only (rules answers by
 * BM25, offline classifier). Prompts (`flows/prompts/`) and rules (`flows/rules/`) are loaded and
 * checked here, at start-up.
 */
import { join } from "node:path";
import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import type { FlowRegistry } from "../engine/flow-schema.js";
import type { LocaleBundle } from "../engine/locale.js";
import type { Inbound, Session } from "../engine/types.js";
import type { Logger } from "../log.js";
import type { EvidenceStore } from "../reports/evidence-store.js";
import { CardNotes } from "./card-notes.js";
import { categoryList } from "./categories.js";
import { StoryClassifier } from "./classify-stories.js";
import { createStoryEnricher } from "./enrich.js";
import { StoryExtractor } from "./extract.js";
import { LlmClient } from "./llm.js";
import { loadPrompts } from "./prompts.js";
import { RulesIndex } from "./retrieval.js";
import { RulesAdvisor } from "./rules-answer.js";
import { loadRules } from "./rules-file.js";
import { ReportSummarizer } from "./summary.js";
import { ImageDescriber } from "./vision.js";

/** The AI settings (a subset of {@link Config}). */
export type AiConfig = Pick<
  Config,
  | "OPENAI_BASE_URL"
  | "OPENAI_API_KEY"
  | "OPENAI_MODEL"
  | "OPENAI_VISION_MODEL"
  | "AI_TIMEOUT_MS"
  | "AI_SEND_IMAGES"
>;

/** The AI parts the program plugs in. */
export interface Ai {
  /** "llm" when a model is configured, else "offline". */
  mode: "llm" | "offline";
  rules: RulesAdvisor;
  classifier: StoryClassifier;
  /** The conversation hook (LLM mode only). */
  enrich?: (session: Session | null, input: Inbound) => Promise<Inbound>;
  /** Builds the card notes for the delivery worker, given its database and evidence store. */
  cardNotes(db: Database, store: EvidenceStore): CardNotes | undefined;
}

/** The LLM client of the settings, or undefined in offline mode. */
export function llmFromConfig(config: AiConfig, logger: Logger): LlmClient | undefined {
  if (!config.OPENAI_MODEL) return undefined;
  return new LlmClient(
    {
      baseURL: config.OPENAI_BASE_URL,
      apiKey: config.OPENAI_API_KEY,
      model: config.OPENAI_MODEL,
      visionModel: config.OPENAI_VISION_MODEL,
      timeoutMs: config.AI_TIMEOUT_MS,
    },
    logger.child({ part: "llm" }),
  );
}

/** Loads prompts and rules from `flowsDir` and builds the AI parts. */
export function createAi(
  config: AiConfig,
  deps: { flowsDir: string; registry: FlowRegistry; locales: LocaleBundle; logger: Logger; now?: () => Date },
): Ai {
  const { flowsDir, registry, locales } = deps;
  const logger = deps.logger.child({ part: "ai" });
  const prompts = loadPrompts(join(flowsDir, "prompts"));
  const index = new RulesIndex(loadRules(join(flowsDir, "rules")));
  const llm = llmFromConfig(config, logger);
  const categories = categoryList(registry);
  const rules = new RulesAdvisor(
    index,
    locales,
    logger,
    llm ? { client: llm, prompt: prompts.rules } : undefined,
  );
  const classifier = new StoryClassifier(
    llm ? { client: llm, prompt: prompts.classify, categories } : undefined,
  );
  if (!llm) {
    logger.info("AI help offline (no OPENAI_MODEL)");
    return { mode: "offline", rules, classifier, cardNotes: () => undefined };
  }
  logger.info({ model: config.OPENAI_MODEL, images: config.AI_SEND_IMAGES }, "AI help with an LLM");
  const extractor = new StoryExtractor(llm, prompts.extract, categories);
  const summarizer = new ReportSummarizer(llm, prompts.summary);
  const describer = config.AI_SEND_IMAGES ? new ImageDescriber(llm, prompts.vision) : undefined;
  return {
    mode: "llm",
    rules,
    classifier,
    enrich: createStoryEnricher(registry, extractor, logger, deps.now),
    cardNotes: (db, store) =>
      new CardNotes({
        db,
        store,
        registry,
        logger,
        summarizer,
        ...(describer ? { describer } : {}),
        ...(deps.now ? { now: deps.now } : {}),
      }),
  };
}
