import type { Queryable } from "./db/client.js";
import { auditLog } from "./db/schema/index.js";

/** One change worth remembering: who did what to which entity. Never put a reporter's identity in `details`. */
export interface AuditRecord {
  actor: string;
  action: string;
  entity: string;
  entityKey: string;
  details?: Record<string, unknown>;
}

/** Appends to the audit log; pass the transaction that makes the change so both commit together. */
export async function recordAudit(q: Queryable, ...records: AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  await q.insert(auditLog).values(records.map((r) => ({ ...r, details: r.details ?? {} })));
}
