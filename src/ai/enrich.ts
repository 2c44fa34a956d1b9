/**
 * The host hook `enrich` of the conversation service (see `ConversationDeps.enrich`): when a
 * citizen tells a story where story mode is on (a choice step with `on_story`, or a new
 * conversation), the LLM's reading of it is attached to the input (`extracted`) for the engine to
 * prefill from. Any failure leaves the input as it was: the offline reading still works.
 */
import type { FlowRegistry } from "../engine/flow-schema.js";
import type { Inbound, Session } from "../engine/types.js";
import type { Logger } from "../log.js";
import type { StoryExtractor } from "./extract.js";
import { readIntent } from "./intent.js";

/** The step a session waits at (the main flow's start for a new or ended one). */
function waitingStep(registry: FlowRegistry, session: Session | null) {
  if (session?.status !== "active") {
    const main = registry.flows[registry.mainFlowId];
    return main?.steps[main.start];
  }
  if (session.pending || session.resumePrompt) return undefined;
  return registry.flows[session.flowId]?.steps[session.stepId];
}

/** Builds the `enrich` hook. */
export function createStoryEnricher(
  registry: FlowRegistry,
  extractor: StoryExtractor,
  logger: Logger,
  now: () => Date = () => new Date(),
): (session: Session | null, input: Inbound) => Promise<Inbound> {
  return async (session, input) => {
    if (input.kind !== "text") return input;
    const step = waitingStep(registry, session);
    if (step?.type !== "choice" || !step.on_story) return input;
    if (readIntent(input.text).kind !== "story") return input;
    try {
      const extracted = await extractor.extract(input.text, now());
      logger.info({ fields: Object.keys(extracted) }, "story read by the LLM");
      return { ...input, extracted };
    } catch {
      // Logged by the LLM client (reason, no content); the offline reading takes over.
      return input;
    }
  };
}
