/**
 * The one place that decides what "berhenti" / "stop" / `/berhenti` means.
 *
 * These words are both opt-out words (`commands.unsubscribe`) and cancel words (`commands.cancel`)
 * in `flows/locales/*.yaml`. The rule:
 * - the contact HAS an open subscription: the word unsubscribes them (an `unsubscribe` effect,
 *   recorded with the time and the word), and the conversation is left untouched: a complaint being
 *   filled in is kept, and the reply says that `batal` cancels it;
 * - the contact has none: the word goes to the engine as usual and cancels what is under way.
 *
 * Only the words of the opt-out list are considered, so `batal` always cancels and never unsubscribes.
 */
import { type LocaleBundle, words } from "../engine/locale.js";
import { matchesAny } from "../engine/normalize.js";
import type { Effect, Inbound } from "../engine/types.js";

/** The opt-out word the input is, as typed (lower case), or undefined. */
export function optOutWord(input: Inbound, locales: LocaleBundle): string | undefined {
  const said =
    input.kind === "command"
      ? `/${input.name.toLowerCase()}`
      : input.kind === "text"
        ? input.text
        : undefined;
  if (said === undefined || said.length > 40) return undefined;
  return matchesAny(said, words(locales, "commands.unsubscribe")) ? said.trim().toLowerCase() : undefined;
}

/** What the host does with an input, as far as opting out is concerned. */
export type OptOutDecision =
  | { action: "unsubscribe"; effect: Extract<Effect, { kind: "unsubscribe" }> }
  | { action: "engine" };

/**
 * Decides whether the input unsubscribes the contact. `isSubscribed` is asked only when the input
 * is an opt-out word, so ordinary messages cost no query.
 *
 * @example
 * const d = await decideOptOut(input, locales, () => hasActiveSubscription(db, contactId));
 * if (d.action === "unsubscribe") … else advance(…)
 */
export async function decideOptOut(
  input: Inbound,
  locales: LocaleBundle,
  isSubscribed: () => Promise<boolean>,
): Promise<OptOutDecision> {
  const word = optOutWord(input, locales);
  if (word === undefined || !(await isSubscribed())) return { action: "engine" };
  return { action: "unsubscribe", effect: { kind: "unsubscribe", via: "word", word } };
}
