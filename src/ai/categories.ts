/**
 * The category list given to the model: ids with their Indonesian labels, read from the complaint
 * flow (step `category`), so the wording lives in `flows/` only.
 */
import type { FlowRegistry } from "../engine/flow-schema.js";

/** "- medsos_kampanye: Kampanye di media sosial" lines of the complaint flow's categories. */
export function categoryList(registry: FlowRegistry): string {
  const step = registry.flows.complaint?.steps.category;
  if (step?.type !== "choice") return "";
  return step.options.map((o) => `  - ${o.value}: ${o.label.id} / ${o.label.en}`).join("\n");
}
