/** One evidence file ready to send. */
export interface OutgoingFile {
  bytes: Uint8Array;
  kind: "photo" | "video" | "document" | "audio";
  mime: string;
  fileName: string;
  caption: string;
}

/**
 * How reports reach one channel's chats. Each method sends one "part" of a delivery; the worker
 * records progress after each part so a restart resumes after the last part sent.
 * Throw {@link DeliveryError} (or the platform's error, classified by the worker).
 */
export interface DeliveryTransport {
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
}

/** A button under a delivered text: its label and the opaque data it sends back when pressed. */
export interface DeliveryButton {
  label: string;
  data: string;
}

/** What a transport may want to know about the delivery it is part of. */
export interface DeliveryContext {
  jobId: number;
  reportId: number | null;
  reportNumber?: string;
  officeCode: string | null;
  part: number;
}
