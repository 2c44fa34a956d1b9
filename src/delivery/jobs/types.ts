import type { Database, Queryable } from "../../db/client.js";
import type { Evidence, OutboxJob, OutboxKind, Report } from "../../db/schema/index.js";
import type { FlowRegistry } from "../../engine/flow-schema.js";
import type { LocaleBundle } from "../../engine/locale.js";
import type { Logger } from "../../log.js";
import type { EvidenceStore } from "../../reports/evidence-store.js";
import type { Router } from "../../routing/route.js";
import type { SendFailure } from "../failure.js";
import type { DeliveryButton, DeliveryTransport, OutgoingFile, ReportDocument } from "../transport.js";

/** One part of a delivery: one send through the transport, recorded when it went. */
export type Part =
  | { kind: "text"; text: string; buttons?: DeliveryButton[] }
  | { kind: "files"; files: OutgoingFile[] }
  | { kind: "location"; lat: number; lon: number }
  | { kind: "report"; report: ReportDocument };

/** What job specs may use. */
/**
 * Signs the officer buttons put on a report card (the officers' desk implements it, see
 * `OfficerActions.cardButtons`); declared here so delivery does not depend on the desk.
 */
export interface CardButtonSigner {
  cardButtons(reportId: number, officeCode: string): { action: string; data: string }[];
}

export interface JobEnv {
  db: Database;
  router: Router;
  store: EvidenceStore;
  registry: FlowRegistry;
  locales: LocaleBundle;
  logger: Logger;
  now(): Date;
  actions?: CardButtonSigner | undefined;
  cardNotes?:
    | ((report: Report, evidence: Evidence[]) => Promise<{ report: Report; evidence: Evidence[] }>)
    | undefined;
  /** Where a webhook receiver fetches an evidence file (null when no public address is configured). */
  evidenceUrl?: ((e: Evidence) => string | null) | undefined;
}

/** A job with its payload read and checked. */
export type Job<P> = Omit<OutboxJob, "payload"> & { payload: P };

/** What a job sends: its parts in order, the report number for logs and transports, and (for a reporter) the address. */
export interface Built {
  parts: Part[];
  number: string;
  /** Where to send when it is not the job's own address (a reporter's chat id). */
  address?: string;
}

/**
 * One kind of outbox job: its payload type (read with `payload`, never cast), how it is queued
 * (each spec exports its own `queue…` function with its dedupe key), what it sends, and what
 * happens when it went (`succeeded`) or failed for good (`failedForGood`). The worker only claims,
 * runs, retries and falls back.
 */
export interface JobSpec<P> {
  kind: OutboxKind;
  /** Reads the stored payload; throws on a payload this kind cannot have. */
  payload(raw: unknown): P;
  build(job: Job<P>, env: JobEnv, transport: DeliveryTransport): Promise<Built>;
  /** In the transaction that marks the job done; may return a payload to keep (e.g. the text sent). */
  succeeded?(tx: Queryable, job: Job<P>, env: JobEnv, sent: Part[]): Promise<P | undefined>;
  /** In the transaction that marks the job failed. */
  failedForGood?(tx: Queryable, job: Job<P>, env: JobEnv, failure: SendFailure): Promise<void>;
}

/** Spec of any payload, for the worker's registry. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds specs of every payload type
export type AnyJobSpec = JobSpec<any>;

/** A file extension for a MIME type, for evidence without its original name. */
export function extensionOf(mime: string | null): string {
  const m = (mime ?? "").split("/")[1] ?? "bin";
  return (
    { jpeg: "jpg", "svg+xml": "svg", quicktime: "mov", plain: "txt" }[m] ??
    (m.replace(/[^a-z0-9]/g, "").slice(0, 5) || "bin")
  );
}
