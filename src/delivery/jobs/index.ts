import type { OutboxKind } from "../../db/schema/index.js";
import { cardJob } from "./card.js";
import { digestJob } from "./digest.js";
import { relayMessageJob } from "./relay-message.js";
import { reminderJob } from "./reminder.js";
import { reporterUpdateJob } from "./reporter-update.js";
import type { AnyJobSpec } from "./types.js";

export { type CardDestination, queueCard, textParts } from "./card.js";
export { queueDigest } from "./digest.js";
export { queueRelayMessage, type RelayPayload } from "./relay-message.js";
export { queueReminder } from "./reminder.js";
export { queueQuestion } from "./reporter-update.js";
export type { Built, CardButtonSigner, Job, JobEnv, JobSpec, Part } from "./types.js";

/** Every job kind's spec, by kind: adding a kind means adding a file here and its name to `OUTBOX_KINDS`. */
export const JOB_SPECS: Readonly<Record<OutboxKind, AnyJobSpec>> = {
  deliver_report: cardJob,
  notify_contact: reporterUpdateJob,
  relay_to_office: relayMessageJob,
  reminder: reminderJob,
  digest: digestJob,
};
