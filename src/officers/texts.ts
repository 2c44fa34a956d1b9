import { type LocaleBundle, moduleText, type Vars } from "../engine/locale.js";
import type { Lang } from "../engine/types.js";

/**
 * The texts the officers' desk says (in `flows/locales/*.yaml`, groups `officer` and
 * `officer_cmd`). The program checks at start that every locale file has each of them.
 */
export const OFFICER_TEXT_KEYS = [
  "officer.prompt_ask",
  "officer.prompt_forward",
  "officer.prompt_reject",
  "officer.buttons.ack",
  "officer.buttons.ask",
  "officer.buttons.forward",
  "officer.buttons.reject",
  "officer.buttons.close",
  "officer.buttons.close_bkn",
  "officer.buttons.close_gakkumdu",
  "officer.buttons.close_not_proven",
  "officer.buttons.close_other",
  "officer.buttons.reject_not_asn",
  "officer.buttons.reject_not_enough_info",
  "officer.buttons.reject_duplicate",
  "officer.buttons.reject_other",
  "officer.forged",
  "officer.moved",
  "officer.not_officer",
  "officer.not_allowed_received",
  "officer.not_allowed_delivered",
  "officer.not_allowed_acknowledged",
  "officer.not_allowed_needs_info",
  "officer.not_allowed_forwarded",
  "officer.not_allowed_closed",
  "officer.not_allowed_rejected",
  "officer.close_needs_ack",
  "officer.choose_outcome",
  "officer.choose_reason",
  "officer.done_ack",
  "officer.done_close",
  "officer.done_reject",
  "officer.invite_usage",
  "officer.invite_group_ok",
  "officer.invite_officer_ok",
  "officer.invite_unknown",
  "officer.invite_expired",
  "officer.invite_used_up",
  "officer.invite_slow_down",
  "officer.card_status",
  "officer.card_taken",
  "officer.card_finished",
  "officer.status_line",
  "officer.someone",
  "officer.statuses.received",
  "officer.statuses.delivered",
  "officer.statuses.acknowledged",
  "officer.statuses.needs_info",
  "officer.statuses.forwarded",
  "officer.statuses.closed",
  "officer.statuses.rejected",
  "officer_cmd.reason_missing",
  "officer_cmd.asked",
  "officer_cmd.question_missing",
  "officer_cmd.relay_closed",
  "officer_cmd.not_office_chat",
  "officer_cmd.usage",
  "officer_cmd.none_open",
  "officer_cmd.open_list",
  "officer_cmd.not_held",
  "officer_cmd.exported",
  "officer_cmd.place_unknown",
  "officer_cmd.place_ambiguous",
  "officer_cmd.forwarded",
  "officer_cmd.forward_same_office",
  "officer_cmd.forward_no_office",
  "officer_cmd.forward_place_missing",
  "officer_cmd.console_off",
  "officer_cmd.console_private",
  "officer_cmd.console_too_many",
  "officer_cmd.console_link",
] as const;
/** A text of the officers' desk. */
export type OfficerTextKey = (typeof OFFICER_TEXT_KEYS)[number];

/** The officers' desk text `key` in `lang`, interpolated. */
export function officerText(locales: LocaleBundle, lang: Lang, key: OfficerTextKey, vars?: Vars): string {
  return moduleText(locales, lang, key, vars);
}

/** True when `key` is one of the desk's texts. */
export function isOfficerTextKey(key: string): key is OfficerTextKey {
  return (OFFICER_TEXT_KEYS as readonly string[]).includes(key);
}

/** The label of a button for `action` (`close:bkn` → `officer.buttons.close_bkn`). */
export function buttonKey(action: string): OfficerTextKey {
  const key = `officer.buttons.${action.replace(":", "_")}`;
  return isOfficerTextKey(key) ? key : "officer.forged";
}
