/**
 * Shared texts and command words, per language, from `flows/locales/id.yaml` and `flows/locales/en.yaml`.
 *
 * Every word a citizen sees lives in `flows/` (a flow file or these locale files), never in
 * TypeScript, so Bawaslu staff can edit the wording. Texts may hold `{{var}}` placeholders.
 *
 * @example
 * const locales = loadLocales("flows/locales");
 * t(locales, "id", "errors.too_short", { min: 20 }); // "Ceritakan sedikit lebih lengkap … 20 huruf …"
 * words(locales, "commands.cancel");                  // ["batal", "/batal", …, "cancel", …] (both languages)
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { z } from "zod";
import { DataFileError } from "../errors.js";
import { formatPath, formatProblem, type Problem, readYamlAs } from "./problems.js";
import type { Lang } from "./types.js";
import { LANGS } from "./types.js";

/** A locale file: nested groups of texts (strings) and word lists (arrays of strings). */
export type LocaleTree = { [key: string]: string | string[] | LocaleTree };

const LocaleTreeSchema: z.ZodType<LocaleTree> = z.lazy(() =>
  z.record(z.string(), z.union([z.string(), z.array(z.string().min(1)).min(1), LocaleTreeSchema])),
);

/** The shared texts of every language. */
export type LocaleBundle = Readonly<Record<Lang, LocaleTree>>;

/**
 * Word lists the engine reads (matched in both languages at once, case- and accent-insensitive).
 * Slash commands from a channel are matched as "/name" against the same lists.
 */
export const WORD_KEYS = [
  "commands.back",
  "commands.cancel",
  "commands.restart",
  "commands.help",
  "commands.language",
  "commands.to_id",
  "commands.to_en",
  "commands.menu",
  "commands.unsubscribe",
  "words.done",
  "words.none",
  "words.yes",
  "words.no",
  "words.continue",
] as const;
/** A word list key. */
export type WordKey = (typeof WORD_KEYS)[number];

/** Texts the engine reads. `npm run flows:check` reports any missing from a locale file. */
export const TEXT_KEYS = [
  "labels.yes",
  "labels.no",
  "labels.none",
  "labels.unknown",
  "labels.not_answered",
  "errors.choose_one",
  "errors.yes_no",
  "errors.text_expected",
  "errors.unsupported",
  "errors.media_not_expected",
  "errors.location_not_expected",
  "errors.too_short",
  "errors.too_long",
  "errors.unknown_command",
  "unsupported_what.sticker",
  "unsupported_what.voice",
  "unsupported_what.contact",
  "unsupported_what.poll",
  "unsupported_what.other",
  "date.today",
  "date.yesterday",
  "date.noted",
  "date.noted_approximate",
  "date.empty",
  "date.unparseable",
  "date.future",
  "date.invalid_date",
  "date.too_old",
  "date.not_before",
  "date.not_yet",
  "date.with_year",
  "location.confirm",
  "location.confirm_nearby",
  "location.pick",
  "location.none_of_these",
  "location.type_again",
  "location.no_match",
  "location.no_match_suggest",
  "location.invalid",
  "location.outside",
  "location.gps_unavailable",
  "location.bad_point",
  "location.noted",
  "media.received",
  "media.links_received",
  "media.done",
  "media.none",
  "media.nothing_yet",
  "media.expected",
  "media.too_large",
  "media.unsupported_type",
  "media.download_failed",
  "media.empty",
  "media.limit_reached",
  "media.duplicate",
  "media.summary",
  "media.summary_none",
  "phone.invalid",
  "agency.too_short",
  "report_number.invalid",
  "summary.submit",
  "summary.edit",
  "summary.cancel",
  "summary.pick_edit",
  "summary.back_to_summary",
  "summary.line",
  "back.previous",
  "back.at_start",
  "cancel.done",
  "cancel.nothing",
  "restart.done",
  "language.switched",
  "language.name",
  "help.commands",
  "help.choice",
  "help.text",
  "help.date",
  "help.location",
  "help.media",
  "help.agency",
  "help.yes_no",
  "help.phone",
  "help.language",
  "help.report_number",
  "help.summary",
  "help.general",
  "resume.question",
  "resume.continue",
  "resume.restart",
  "expired.notice",
  // Host texts: channels, report statuses, the officers' card, the web simulator.
  "host.flood",
  "host.error_retry",
  "host.status_not_found",
  "host.status_found",
  "host.status_line",
  "host.status_yours",
  "host.status_yours_line",
  "host.status_none",
  "host.share_location",
  "host.commands.start",
  "host.commands.lapor",
  "host.commands.status",
  "host.commands.batal",
  "host.commands.bantuan",
  "host.commands.bahasa",
  "status.received",
  "status.delivered",
  "status.acknowledged",
  "status.needs_info",
  "status.forwarded",
  "status.closed",
  "status.rejected",
  "card.title",
  "card.possible_duplicate",
  "card.track",
  "card.tracks.tip",
  "card.tracks.formal",
  "card.category",
  "card.event_date",
  "card.learned_date",
  "card.deadline_ok",
  "card.deadline_late",
  "card.counting.calendar",
  "card.counting.working",
  "card.place",
  "card.map",
  "card.accused",
  "card.agency",
  "card.asn_type",
  "card.asn.pns",
  "card.asn.pppk",
  "card.asn.unknown",
  "card.account",
  "card.evidence",
  "card.no_evidence",
  "card.evidence_no_files",
  "card.evidence_file",
  "card.evidence_file_caption",
  "card.file_kinds.photo",
  "card.file_kinds.video",
  "card.file_kinds.document",
  "card.file_kinds.audio",
  "card.file_caption",
  "card.relay_caption",
  "card.witnesses",
  "card.reporter",
  "card.reporter_hidden",
  "card.received",
  "card.routed",
  "card.unknown",
  "simulator.title",
  "simulator.inbox_link",
  "simulator.new_chat",
  "simulator.placeholder",
  "simulator.send",
  "simulator.attach",
  "simulator.location",
  "simulator.lat",
  "simulator.lon",
  "simulator.send_location",
  "simulator.error",
  "simulator.inbox_title",
  "simulator.inbox_empty",
  "simulator.inbox",
  "simulator.map",
  "simulator.console_link",
  "simulator.open_console",
  // Reporter updates (the officers' own texts are declared in src/officers/texts.ts).
  "card.reminder",
  "card.digest_title",
  "host.relay_forwarded",
  "notify.question",
  "card.relay",
  "card.relay_location",
  "notify.forwarded",
  "officer_status.received",
  "officer_status.delivered",
  "officer_status.acknowledged",
  "officer_status.needs_info",
  "officer_status.forwarded",
  "officer_status.closed",
  "officer_status.rejected",
  "export_columns.number",
  "export_columns.received_at",
  "export_columns.track",
  "export_columns.track_code",
  "export_columns.status",
  "export_columns.status_code",
  "export_columns.category",
  "export_columns.category_code",
  "export_columns.account",
  "export_columns.event_date",
  "export_columns.learned_date",
  "export_columns.deadline",
  "export_columns.late",
  "export_columns.place",
  "export_columns.place_text",
  "export_columns.region_code",
  "export_columns.lat",
  "export_columns.lon",
  "export_columns.accused_name",
  "export_columns.accused_position",
  "export_columns.agency",
  "export_columns.agency_raw",
  "export_columns.asn_type",
  "export_columns.asn_type_code",
  "export_columns.witnesses",
  "export_columns.evidence_files",
  "export_columns.evidence_links",
  "export_columns.office",
  "export_columns.office_code",
  "export_columns.channel",
  "labels.yes_short",
  "labels.no_short",
  "officer_cmd.list_line",
  "officer_cmd.age_hours",
  "officer_cmd.age_days",
  "officer_cmd.status_line",
  "notify.acknowledged",
  "notify.closed_bkn",
  "notify.closed_gakkumdu",
  "notify.closed_not_proven",
  "notify.closed_other",
  "notify.rejected_not_asn",
  "notify.rejected_not_enough_info",
  "notify.rejected_duplicate",
  "notify.rejected_other",
  "wacloud.list_button",
  "wacloud.numbered_hint",
  "wacloud.officer_list_button",
  // WhatsApp Web: numbered menus and the officers' numbered actions.
  "whatsapp.choice_hint",
  "whatsapp.location_hint",
  "whatsapp.card_actions_hint",
  "whatsapp.officer_menu_hint",
  "whatsapp.officer_number_unknown",
  // Story mode, rules questions, machine-read notes on the card (src/ai/).
  "story.received",
  "story.confirm",
  "story.confirm_choices",
  "story.none_of_these",
  "story.confirm_said",
  "story.links_kept",
  "question.done",
  "question.unclear",
  "rules_answer.offline",
  "rules_answer.llm",
  "rules_answer.source",
  "rules_answer.not_sure",
  "rules_answer.not_found",
  "rules_answer.general",
  "rules_answer.how_to_report",
  "machine.summary_title",
  "machine.image",
  "machine.image_text",
  "machine.image_date",
  "machine.unknown",
  "machine.actions.posted",
  "machine.actions.liked",
  "machine.actions.shared",
  "machine.actions.commented",
  "machine.actions.followed",
  "machine.actions.other",
  "machine.actions.unknown",
  "host.commands.langganan",
  "host.commands.berhenti",
  "broadcast.unsubscribed",
  "broadcast.unsubscribed_complaint_kept",
  "broadcast.footer",
] as const;
/** A text key. */
export type TextKey = (typeof TEXT_KEYS)[number];

/** Values for `{{var}}` placeholders. */
export type Vars = Readonly<Record<string, string | number>>;

function lookup(tree: LocaleTree, key: string): string | string[] | LocaleTree | undefined {
  let node: string | string[] | LocaleTree | undefined = tree;
  for (const part of key.split(".")) {
    if (node === undefined || typeof node === "string" || Array.isArray(node)) return undefined;
    node = node[part];
  }
  return node;
}

/**
 * Replaces `{{name}}` with `vars.name`. Unknown names are left as they are, so the host can fill
 * `{{report.number}}` after saving.
 *
 * @example interpolate("Nomor: {{report.number}}, batas {{deadline}}", { deadline: "27 Nov" })
 * // "Nomor: {{report.number}}, batas 27 Nov"
 */
export function interpolate(
  template: string,
  vars: Vars | ((name: string) => string | number | undefined) = {},
): string {
  if (!template.includes("{{")) return template;
  const value = typeof vars === "function" ? vars : (name: string) => vars[name];
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
    const v = value(name);
    return v === undefined ? whole : String(v);
  });
}

/** The text `key` in `lang`, interpolated. A missing text shows as `[key]` (flows:check reports it). */
export function t(bundle: LocaleBundle, lang: Lang, key: TextKey, vars?: Vars): string {
  const v = lookup(bundle[lang], key);
  return typeof v === "string" ? interpolate(v, vars) : `[${key}]`;
}

/**
 * A text a module declared in its own typed list of keys (e.g. `OFFICER_TEXT_KEYS` in
 * `src/officers/texts.ts`), interpolated. Modules wrap it with their own key type, so a typo is a
 * compile error; the composition root passes every module's keys to {@link loadLocales}, which
 * checks that each locale file has them.
 *
 * @example
 * const OFFICE_KEYS = ["officer.forged"] as const;
 * const say = (key: (typeof OFFICE_KEYS)[number]) => moduleText(locales, "id", key);
 */
export function moduleText(bundle: LocaleBundle, lang: Lang, key: string, vars?: Vars): string {
  const v = lookup(bundle[lang], key);
  return typeof v === "string" ? interpolate(v, vars) : `[${key}]`;
}

/** A word list in every language at once (a citizen may type "batal" with English chosen). */
export function words(bundle: LocaleBundle, key: WordKey): readonly string[] {
  let byKey = wordCache.get(bundle);
  if (!byKey) {
    byKey = new Map();
    wordCache.set(bundle, byKey);
  }
  let out = byKey.get(key);
  if (!out) {
    const list: string[] = [];
    for (const lang of LANGS) {
      const v = lookup(bundle[lang], key);
      if (Array.isArray(v)) list.push(...v);
    }
    out = Object.freeze(list);
    byKey.set(key, out);
  }
  return out;
}

/** Word lists by bundle and key: built once, so their normalized forms are cached too. */
const wordCache = new WeakMap<LocaleBundle, Map<string, readonly string[]>>();

/**
 * Validates the locale files of `dir` and returns them with every problem found: each text of
 * {@link TEXT_KEYS} and of `moduleKeys` (the keys other modules declare) must be there.
 */
export function localeProblems(
  dir: string,
  moduleKeys: readonly string[] = [],
): { bundle: LocaleBundle | undefined; problems: Problem[] } {
  const problems: Problem[] = [];
  const trees: Partial<Record<Lang, LocaleTree>> = {};
  for (const lang of LANGS) {
    const path = join(dir, `${lang}.yaml`);
    const file = relative(process.cwd(), path) || path;
    if (!existsSync(path)) {
      problems.push({ file, path: "", message: "missing locale file", level: "error" });
      continue;
    }
    const tree = readYamlAs(path, file, LocaleTreeSchema, problems);
    if (tree === undefined) continue;
    trees[lang] = tree;
    for (const key of new Set<string>([...TEXT_KEYS, ...moduleKeys])) {
      if (typeof lookup(tree, key) !== "string") {
        problems.push({
          file,
          path: formatPath(key.split(".")),
          message: "required (a text)",
          level: "error",
        });
      }
    }
    for (const key of WORD_KEYS) {
      if (!Array.isArray(lookup(tree, key))) {
        problems.push({ file, path: key, message: "required (a list of words)", level: "error" });
      }
    }
  }
  const { id, en } = trees;
  if (id && en) {
    const known = new Set<string>([...TEXT_KEYS, ...WORD_KEYS, ...moduleKeys]);
    const leaves = (tree: LocaleTree, prefix = ""): string[] =>
      Object.entries(tree).flatMap(([k, v]) =>
        typeof v === "string" || Array.isArray(v) ? [prefix + k] : leaves(v, `${prefix}${k}.`),
      );
    for (const lang of LANGS) {
      const tree = trees[lang]!;
      const file = relative(process.cwd(), join(dir, `${lang}.yaml`));
      for (const key of leaves(tree)) {
        if (!known.has(key))
          problems.push({ file, path: key, message: "not used by the engine", level: "warning" });
      }
    }
    return { bundle: { id, en }, problems };
  }
  return { bundle: undefined, problems };
}

/**
 * Loads `dir/id.yaml` and `dir/en.yaml`, checking the engine's texts and `moduleKeys`. Throws a {@link DataFileError} listing every error.
 *
 * @example const locales = loadLocales("flows/locales");
 */
export function loadLocales(dir: string, moduleKeys: readonly string[] = []): LocaleBundle {
  const { bundle, problems } = localeProblems(dir, moduleKeys);
  const errors = problems.filter((p) => p.level === "error");
  if (!bundle || errors.length > 0) {
    throw new DataFileError(dir, `invalid locale files:\n${errors.map(formatProblem).join("\n")}`);
  }
  return bundle;
}
