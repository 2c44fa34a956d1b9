/**
 * Machine-read notes for the office card, made when the card is first built and cached in the
 * database (`evidence.machine_description`, `reports.machine_summary`) so a delivery retry, or the
 * card of another office, never asks the model again. A failure or timeout leaves the note out and
 * the card goes as it is.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../db/client.js";
import {
  type Evidence,
  evidence as evidenceTable,
  type Report,
  reportIdentities,
  reports,
} from "../db/schema/index.js";
import { choiceLabel } from "../delivery/card.js";
import type { FlowRegistry } from "../engine/flow-schema.js";
import type { Logger } from "../log.js";
import type { EvidenceStore } from "../reports/evidence-store.js";
import { LlmError } from "./llm.js";
import { type ReportSummarizer, reportFacts } from "./summary.js";
import { type ImageDescriber, READABLE_IMAGES } from "./vision.js";

/** What the card notes need. */
export interface CardNotesDeps {
  db: Database;
  store: EvidenceStore;
  registry: FlowRegistry;
  logger: Logger;
  /** Present only when AI_SEND_IMAGES=true and a model is configured. */
  describer?: ImageDescriber;
  /** Present only when a model is configured. */
  summarizer?: ReportSummarizer;
  /** Images larger than this are not sent (bytes). */
  maxImageBytes?: number;
  now?: () => Date;
}

/** Fills the machine-read notes of a report before its card is rendered. */
export class CardNotes {
  constructor(private readonly deps: CardNotesDeps) {}

  /** The report and evidence with their notes (from the cache, or made now and cached). Never rejects. */
  async prepare(report: Report, evidence: Evidence[]): Promise<{ report: Report; evidence: Evidence[] }> {
    const now = (this.deps.now ?? (() => new Date()))();
    const [summarized, described] = await Promise.all([
      this.summary(report, evidence),
      Promise.all(evidence.map((e) => this.description(e, now))),
    ]);
    return { report: summarized, evidence: described };
  }

  private async summary(report: Report, evidence: Evidence[]): Promise<Report> {
    const { summarizer, db, registry, logger } = this.deps;
    if (!summarizer || report.machineSummary) return report;
    const files = evidence.filter((e) => e.kind !== "link").length;
    // The reporter's identity (formal track) is never sent; if they wrote it into the account, it is cut out.
    const [identity] =
      report.track === "formal"
        ? await db.select().from(reportIdentities).where(eq(reportIdentities.reportId, report.id))
        : [];
    const facts = reportFacts(
      report,
      choiceLabel(registry, "complaint", "category", report.category, "id"),
      { files, links: evidence.length - files },
      identity ? [identity.name, identity.address, identity.phone] : [],
    );
    try {
      const lines = await summarizer.summarize(facts);
      if (!lines) {
        logger.warn({ purpose: "report_summary", reason: "malformed" }, "summary left out");
        return report;
      }
      const machineSummary = { lines, model: summarizer.model, at: new Date().toISOString() };
      await db.update(reports).set({ machineSummary }).where(eq(reports.id, report.id));
      return { ...report, machineSummary };
    } catch (e) {
      if (!(e instanceof LlmError)) logger.warn({ err: e }, "summary failed; left out");
      return report;
    }
  }

  private async description(e: Evidence, now: Date): Promise<Evidence> {
    const { describer, db, store, logger } = this.deps;
    if (!describer || e.machineDescription || !e.storageKey || !e.mime || !READABLE_IMAGES.has(e.mime))
      return e;
    if (e.kind !== "photo" && e.kind !== "document") return e;
    if (e.size !== null && e.size > (this.deps.maxImageBytes ?? 8 * 1024 * 1024)) return e;
    try {
      const bytes = await store.read(e.storageKey);
      const machineDescription = await describer.describe(bytes, e.mime, now);
      await db.update(evidenceTable).set({ machineDescription }).where(eq(evidenceTable.id, e.id));
      return { ...e, machineDescription };
    } catch (err) {
      if (!(err instanceof LlmError)) logger.warn({ err }, "image description failed; left out");
      return e;
    }
  }
}
