/**
 * How an answer reads to a citizen, in the summary and in "your previous answer was …".
 */
import type { Step } from "./flow-schema.js";
import { placeName } from "./inputs/location.js";
import { type LocaleBundle, t } from "./locale.js";
import type { Lookups } from "./lookups.js";
import type { AgencyAnswer, EvidenceAnswer, Json, Lang, PhoneAnswer, PlaceAnswer } from "./types.js";

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * An answer as people read it: the option label of a choice, "Ya"/"Tidak", a written-out date,
 * "Kota Metro, Lampung", "2 file, 1 tautan", "Tidak tahu" for `null`.
 */
export function displayAnswer(
  step: Step,
  value: Json | undefined,
  lang: Lang,
  locales: LocaleBundle,
  lookups: Pick<Lookups, "formatDate">,
): string {
  if (value === undefined) return t(locales, lang, "labels.not_answered");
  if (value === null) return t(locales, lang, "labels.unknown");
  switch (step.type) {
    case "choice":
      return step.options.find((o) => o.value === value)?.label[lang] ?? String(value);
    case "yes_no":
      return t(locales, lang, value === true ? "labels.yes" : "labels.no");
    case "date":
      return typeof value === "string" ? lookups.formatDate(value, lang) : String(value);
    case "language":
      return value === "id" || value === "en" ? t(locales, value, "language.name") : String(value);
    case "location":
      return isObject(value) ? placeName(value as unknown as PlaceAnswer) : String(value);
    case "media": {
      if (!isObject(value)) return String(value);
      const ev = value as unknown as EvidenceAnswer;
      if (ev.none || ev.items.length + ev.links.length === 0) return t(locales, lang, "media.summary_none");
      return t(locales, lang, "media.summary", { files: ev.items.length, links: ev.links.length });
    }
    case "agency":
      return isObject(value)
        ? (value as unknown as AgencyAnswer).normalized || (value as unknown as AgencyAnswer).raw
        : String(value);
    case "phone":
      return isObject(value) ? (value as unknown as PhoneAnswer).display : String(value);
    default:
      return typeof value === "string" ? value : JSON.stringify(value);
  }
}
