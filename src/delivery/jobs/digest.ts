/**
 * `digest`: an office chat's daily list of open reports. It belongs to no report: when it fails
 * for good the job is simply failed (visible in `deliveries failed`), nothing else changes.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "../../db/client.js";
import { offices, reports } from "../../db/schema/index.js";
import { type TextKey, t } from "../../engine/locale.js";
import { OPEN_STATUSES } from "../../reports/status.js";
import { textParts } from "./card.js";
import { queueForOffice } from "./office-message.js";
import type { JobSpec } from "./types.js";

const Payload = z.object({ day: z.string().default("") });
export type DigestPayload = z.infer<typeof Payload>;

/** Queues the digest of `day` (YYYY-MM-DD, Asia/Jakarta) for each destination of the office, once. */
export function queueDigest(
  tx: Queryable,
  job: { officeCode: string; day: string; now: Date },
): Promise<number> {
  const payload: DigestPayload = { day: job.day };
  return queueForOffice(tx, {
    kind: "digest",
    officeCode: job.officeCode,
    key: `digest:${job.officeCode}:${job.day}`,
    reportId: null,
    payload,
    now: job.now,
  });
}

export const digestJob: JobSpec<DigestPayload> = {
  kind: "digest",
  payload: (raw) => Payload.parse(raw ?? {}),
  async build(job, env, transport) {
    const { db, locales } = env;
    const now = env.now();
    const office = job.officeCode ?? "";
    const open = await db
      .select()
      .from(reports)
      .where(and(eq(reports.officeCode, office), inArray(reports.status, [...OPEN_STATUSES])))
      .orderBy(asc(reports.createdAt))
      .limit(100);
    const [row] = await db.select({ name: offices.name }).from(offices).where(eq(offices.code, office));
    const lines = open.map((r) => {
      const days = Math.floor((now.getTime() - r.createdAt.getTime()) / 86_400_000);
      const hours = Math.floor((now.getTime() - r.createdAt.getTime()) / 3_600_000);
      return `• ${r.number} · ${t(locales, "id", `officer_status.${r.status}` as TextKey)} · ${days >= 2 ? `${days} hari` : `${hours} jam`}`;
    });
    const title = t(locales, "id", "card.digest_title", {
      office: row?.name ?? "",
      date: job.payload.day,
      count: open.length,
    });
    return { parts: textParts([title, ...lines].join("\n"), transport), number: "" };
  },
};
