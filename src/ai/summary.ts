/**
 * The officers' three-line summary of a report, written by the LLM from the report's fields
 * (never the reporter's identity, never witnesses; the account is scrubbed of phone numbers,
 * e-mails and NIKs). Without an LLM there is no summary: the card already lists every field.
 */
import { z } from "zod";
import type { Report } from "../db/schema/reports.js";
import type { LlmClient } from "./llm.js";
import { redactValues, scrubPersonalData } from "./scrub.js";

/** The model's answer. */
export const SummarySchema = z.strictObject({ lines: z.array(z.string().min(1).max(300)).length(3) });

/**
 * The fields a summary (or any prompt about a report) may see: what happened, where, when, who
 * is accused and at which agency. Built here only, so identity can never slip in.
 */
export function reportFacts(
  report: Report,
  categoryLabel: string | null,
  evidence: { files: number; links: number },
  /** The reporter's own name, address and phone (formal track), cut out of the free text. */
  identity: readonly string[] = [],
): string {
  const free = (text: string) => scrubPersonalData(redactValues(text, identity));
  const lines = [
    `Jalur: ${report.track === "formal" ? "laporan resmi" : "informasi awal"}`,
    `Kategori: ${categoryLabel ?? report.category}`,
    `Tanggal kejadian: ${report.eventDate ?? "tidak diketahui"}`,
    `Tempat: ${report.regionName ?? "tidak diketahui"}${report.placeText ? ` (${free(report.placeText)})` : ""}`,
    `Terlapor: ${report.accusedName ?? "tidak diketahui"}; jabatan: ${report.accusedPosition ?? "tidak diketahui"}`,
    `Instansi: ${report.agencyNormalized ?? report.agencyRaw ?? "tidak diketahui"}`,
    `Status ASN: ${report.asnType ?? "tidak diketahui"}`,
    `Bukti: ${evidence.files} file, ${evidence.links} tautan`,
    `Uraian pelapor: ${free(report.account)}`,
  ];
  return lines.join("\n");
}

/** Writes summaries with the LLM. */
export class ReportSummarizer {
  constructor(
    private readonly llm: LlmClient,
    private readonly prompt: string,
  ) {}

  /** The model that writes the summaries (kept with each cached summary). */
  get model(): string {
    return this.llm.settings.model;
  }

  /** Three lines; throws `LlmError` on failure, undefined when the answer does not validate. */
  async summarize(facts: string): Promise<string[] | undefined> {
    const raw = await this.llm.json({
      purpose: "report_summary",
      name: "report_summary",
      schema: SummarySchema,
      system: this.prompt,
      user: [{ text: facts }],
    });
    const r = SummarySchema.safeParse(raw);
    return r.success ? r.data.lines.map((l) => l.trim()) : undefined;
  }
}
