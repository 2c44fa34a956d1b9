import type { Evidence, Report, ReportIdentity } from "../db/schema/index.js";
import type { FlowRegistry } from "../engine/flow-schema.js";
import { type LocaleBundle, type TextKey, t } from "../engine/locale.js";
import type { Lang } from "../engine/types.js";
import { formatLocalDate, formatLocalTime } from "../parsing/index.js";
import { cleanLine } from "../parsing/text-hygiene.js";

/** What the card is made of. */
export interface CardInput {
  report: Report;
  evidence: Evidence[];
  /** Only for a formal report whose reporter consented; never for a tip. */
  identity: ReportIdentity | null;
  officeName: string;
  reason: string;
  /** Tracking numbers of reports that may describe the same event. */
  duplicates?: string[];
}

/** The label of a choice value in a flow ("fasilitas_negara" → "Menggunakan fasilitas negara"). */
export function choiceLabel(
  registry: FlowRegistry,
  flowId: string,
  stepId: string,
  value: string | null,
  lang: Lang,
): string | null {
  if (value === null) return null;
  const step = registry.flows[flowId]?.steps[stepId] as
    | { options?: { value: string; label: Record<Lang, string> }[] }
    | undefined;
  return step?.options?.find((o) => o.value === value)?.label[lang] ?? value;
}

/**
 * The report card officers receive, in Indonesian by default: number, category, dates and the
 * 7-day status, place with a map link, accused and agency, the account, evidence, track, and the
 * reporter's identity only on a formal report. All wording is in `flows/locales/*.yaml` (`card.*`).
 */
export function renderReportCard(
  input: CardInput,
  registry: FlowRegistry,
  locales: LocaleBundle,
  lang: Lang = "id",
): string {
  const { report: r, evidence: ev, identity } = input;
  const tt = (key: string, vars?: Record<string, string | number>) =>
    t(locales, lang, `card.${key}` as TextKey, vars);
  const unknown = tt("unknown");
  const date = (d: string | null) => (d ? formatLocalDate(d, lang) : unknown);
  const files = ev.filter((e) => e.kind !== "link");
  const links = ev.filter((e) => e.kind === "link");
  const lines = [
    tt("title", { number: r.number, office: input.officeName }),
    ...(input.duplicates?.length ? [tt("possible_duplicate", { numbers: input.duplicates.join(", ") })] : []),
    ...machineSummaryLines(r, locales, lang),
    tt("track", { track: tt(`tracks.${r.track}`) }),
    tt("category", { category: choiceLabel(registry, "complaint", "category", r.category, lang) ?? unknown }),
    tt("event_date", { date: date(r.eventDate) }),
  ];
  if (r.learnedDate) lines.push(tt("learned_date", { date: date(r.learnedDate) }));
  if (r.deadline) {
    lines.push(
      tt(r.deadline.late ? "deadline_late" : "deadline_ok", {
        deadline: date(r.deadline.deadline),
        counting: tt(`counting.${r.deadline.counting}`),
      }),
    );
  }
  // What the reporter typed is quoted and kept to one line, so it can never pass for a line of the card.
  const typed = (v: string | null | undefined) => (v ? `“${cleanLine(v)}”` : unknown);
  const where = r.regionName ?? unknown;
  lines.push(tt("place", { place: r.placeText ? `${where} (${typed(r.placeText)})` : where }));
  // A citizen's own GPS point is never shown for a tip: the regency is enough.
  if (r.lat !== null && r.lon !== null && !ownPointHidden(r))
    lines.push(tt("map", { lat: r.lat.toFixed(5), lon: r.lon.toFixed(5) }));
  lines.push(
    "",
    tt("accused", { name: typed(r.accusedName), position: typed(r.accusedPosition) }),
    tt("agency", { agency: typed(r.agencyNormalized ?? r.agencyRaw) }),
    tt("asn_type", { type: r.asnType ? tt(`asn.${r.asnType}`) : unknown }),
    "",
    tt("account"),
    // The account keeps its lines, each marked as the reporter's.
    ...r.account.split("\n").map((l) => `│ ${l}`),
    "",
    r.noEvidence && !ev.length
      ? tt("no_evidence")
      : files.some((f) => f.storageKey)
        ? tt("evidence", { files: files.length, links: links.length })
        : tt("evidence_no_files", { files: files.length, links: links.length }),
    // Each file with its number (as captioned in the chat) and the reporter's caption.
    ...files.map((f, i) =>
      tt(f.caption ? "evidence_file_caption" : "evidence_file", {
        index: i + 1,
        kind: tt(`file_kinds.${f.kind === "link" ? "document" : f.kind}`),
        caption: f.caption ?? "",
      }),
    ),
    ...links.map((l) => `• ${l.url}`),
    ...machineImageLines(files, locales, lang),
  );
  if (r.witnesses.length)
    lines.push(
      tt("witnesses", { count: r.witnesses.length }),
      ...r.witnesses.map((w) => `• ${typed(w.name)}${w.phone ? `, ${cleanLine(w.phone)}` : ""}`),
    );
  lines.push(
    "",
    identity
      ? tt("reporter", {
          name: typed(identity.name),
          address: typed(identity.address),
          phone: cleanLine(identity.phone),
        })
      : tt("reporter_hidden"),
  );
  lines.push(
    // In the zone of the office that holds the report (WIB, WITA or WIT), named.
    tt("received", { at: formatLocalTime(r.createdAt, r.officeCode, lang) }),
  );
  if (input.reason) lines.push(tt("routed", { reason: input.reason }));
  return lines.join("\n");
}

/** A tip's GPS point is the citizen's own position: it is never shown to an office. */
export function ownPointHidden(r: Pick<Report, "track" | "placeSource">): boolean {
  return r.track === "tip" && r.placeSource === "gps";
}

/** The LLM's three-line summary, marked as machine-made (nothing when there is none). */
function machineSummaryLines(r: Report, locales: LocaleBundle, lang: Lang): string[] {
  const lines = r.machineSummary?.lines ?? [];
  if (lines.length === 0) return [];
  return [t(locales, lang, "machine.summary_title"), ...lines.map((l) => `• ${l}`), ""];
}

/** What a vision model read from each image, marked as machine-read (nothing when none was read). */
function machineImageLines(files: Evidence[], locales: LocaleBundle, lang: Lang): string[] {
  const out: string[] = [];
  files.forEach((f, i) => {
    const d = f.machineDescription;
    if (!d) return;
    const unknown = t(locales, lang, "machine.unknown");
    out.push(
      t(locales, lang, "machine.image", {
        index: i + 1,
        platform: d.platform === "unknown" ? unknown : d.platform,
        account: d.accountName ?? unknown,
        action: t(locales, lang, `machine.actions.${d.action}` as TextKey),
        date: d.dateShown ? t(locales, lang, "machine.image_date", { date: d.dateShown }) : "",
      }),
    );
    if (d.visibleText) out.push(t(locales, lang, "machine.image_text", { text: d.visibleText }));
  });
  return out;
}
