import type { SendFailure } from "./failure.js";

/** One evidence file ready to send. */
export interface OutgoingFile {
  bytes: Uint8Array;
  kind: "photo" | "video" | "document" | "audio";
  mime: string;
  fileName: string;
  caption: string;
}

/** How long one message may be on a channel, in characters (UTF-16 code units, as the platforms count). */
export interface TextLimits {
  /** A plain text message (Telegram 4096, Cloud API 4096). */
  text: number;
  /** A text that carries the officer buttons (Cloud API interactive list body: 1024). */
  textWithButtons: number;
  /** A file's caption (Telegram 1024, Cloud API 1024). */
  caption: number;
}

/**
 * How reports reach one channel's chats. Each method sends one "part" of a delivery; the worker
 * records each part that went so a retry (or another worker after a crash) sends only the missing
 * ones. The worker splits long texts to the transport's {@link TextLimits}, so a transport is never
 * asked to send more than its platform takes. Throw a `SendFailure` (see `failure.ts`) or the
 * platform's own error, which the worker classifies with {@link DeliveryTransport.classify}.
 */
export interface DeliveryTransport {
  readonly limits: TextLimits;
  /** Turns what this transport threw into a `SendFailure`. */
  classify(e: unknown): SendFailure;
  /** A text, with buttons when the platform has them (officer actions on a report card). */
  sendText(
    address: string,
    text: string,
    context: DeliveryContext,
    buttons?: DeliveryButton[],
  ): Promise<void>;
  /** Several files at once (an album where the platform has one). */
  sendFiles(address: string, files: OutgoingFile[], context: DeliveryContext): Promise<void>;
  sendLocation(address: string, lat: number, lon: number, context: DeliveryContext): Promise<void>;
  /**
   * The whole report as one structured document (webhooks). When a transport has it, a report
   * delivery is this one part instead of card, files and location.
   */
  sendReport?(address: string, report: ReportDocument, context: DeliveryContext): Promise<void>;
}

/** A report as a structured document: the CSV export's fields, evidence as links with SHA-256. */
export interface ReportDocument {
  /** The export row, by column name (see `src/reports/export.ts`). */
  fields: Record<string, unknown>;
  evidence: {
    kind: string;
    file_name: string | null;
    mime: string | null;
    size: number | null;
    sha256: string | null;
    /** Where to fetch the file (null when no public address is configured), or the link itself. */
    url: string | null;
  }[];
  office: { code: string | null; name: string };
  reason: string;
}

/** A button under a delivered text: its label and the opaque data it sends back when pressed. */
export interface DeliveryButton {
  label: string;
  data: string;
}

/** What a transport may want to know about the delivery it is part of. */
export interface DeliveryContext {
  jobId: number;
  /** The job's kind (`deliver_report`, `notify_contact`, …). */
  kind: string;
  reportId: number | null;
  reportNumber?: string;
  officeCode: string | null;
  part: number;
}
