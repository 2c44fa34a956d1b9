/**
 * `npm run admin -- classify`: reads complaint stories as JSON lines (`{"text": "…"}`) on stdin and
 * writes one JSON line per story, in order: `{"category", "confidence", "source"}` (`source` is
 * "llm" when a model is configured and answered, "offline" otherwise). Admins triage old
 * spreadsheets this way. A line that is not JSON or has no text gets `{"line", "error"}`.
 */

import type { Command } from "commander";
import { categoryList } from "../ai/categories.js";
import { StoryClassifier } from "../ai/classify-stories.js";
import { loadPrompts } from "../ai/prompts.js";
import { llmFromConfig } from "../ai/setup.js";
import { type Config, PROJECT_ROOT } from "../config.js";
import { loadFlows } from "../engine/flow-schema.js";
import type { Logger } from "../log.js";
import { jsonLines } from "./output.js";

const FLOWS_DIR = `${PROJECT_ROOT}/flows`;

/** Registers `classify`. */
export function registerClassifyCommand(program: Command, config: Config, logger: Logger): void {
  program
    .command("classify")
    .description(
      'classify complaint stories: JSON lines {"text": "..."} on stdin, one JSON line out per story',
    )
    .option("--json", "print JSON (always: the output is JSON lines)")
    .action(async () => {
      const llm = llmFromConfig(config, logger);
      let classifier = new StoryClassifier();
      if (llm) {
        const [registry, prompts] = [await loadFlows(FLOWS_DIR), loadPrompts(`${FLOWS_DIR}/prompts`)];
        classifier = new StoryClassifier({
          client: llm,
          prompt: prompts.classify,
          categories: categoryList(registry),
        });
      }
      await jsonLines(async (input) => {
        const text = (input as { text?: unknown } | null)?.text;
        if (typeof text !== "string" || text.trim() === "")
          throw new Error('each line needs {"text": "<story>"}');
        return classifier.classify(text);
      }, {});
    });
}
