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
  sendText(address: string, text: string, context: DeliveryContext): Promise<void>;
  /** Several files at once (an album where the platform has one). */
  sendFiles(address: string, files: OutgoingFile[], context: DeliveryContext): Promise<void>;
  sendLocation(address: string, lat: number, lon: number, context: DeliveryContext): Promise<void>;
}

/** What a transport may want to know about the delivery it is part of. */
export interface DeliveryContext {
  jobId: number;
  reportId: number | null;
  reportNumber?: string;
  officeCode: string | null;
  part: number;
}
