/**
 * `subscribe`: emits the `subscribe` effect from the answers named by the step (role, scope, and
 * the place of a location step), says its text and ends the session as done. A regency scope whose
 * place is only known to the province level becomes a province scope.
 */
import type { StepOf } from "../flow-schema.js";
import type { PlaceAnswer, SubscribeRequest } from "../types.js";
import type { AutoKind } from "./kind.js";

/** The `subscribe` step kind. */
export const subscribe: AutoKind<StepOf<"subscribe">> = {
  run(step, sc) {
    const answers = sc.session.answers;
    const role = answers[step.role] === "asn" ? "asn" : "warga";
    const wanted = answers[step.scope];
    const place = (answers[step.place] ?? null) as unknown as PlaceAnswer | null;
    let scope: SubscribeRequest["scope"] =
      wanted === "regency" || wanted === "province" ? wanted : "national";
    if (scope !== "national" && !place) scope = "national";
    if (scope === "regency" && !place?.regencyCode) scope = "province";
    const request: SubscribeRequest = {
      flowId: sc.flow.id,
      lang: sc.lang,
      role,
      scope,
      regencyCode: scope === "regency" ? (place?.regencyCode ?? null) : null,
      provinceCode: scope === "national" ? null : (place?.provinceCode ?? null),
    };
    const outputs = step.text || step.text_if ? [{ text: sc.question(step), removeKeyboard: true }] : [];
    return { outputs, end: "done", effects: [{ kind: "subscribe", ...request }] };
  },
};
