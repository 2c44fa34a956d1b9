/**
 * `relay_to_office`: a reporter's answer for the office that asked, with a header naming the
 * report: the text, the files (the same stored bytes), or the location.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "../../db/client.js";
import { outbox, reports } from "../../db/schema/index.js";
import { t } from "../../engine/locale.js";
import type { CardDestination } from "./card.js";
import { textParts } from "./card.js";
import { extensionOf, type JobSpec, type Part } from "./types.js";

const Item = z.object({
  ref: z.string(),
  kind: z.enum(["photo", "video", "document", "audio"]),
  mime: z.string(),
  sha256: z.string(),
  fileName: z.string().optional(),
  /** The reporter's caption sent with the file. */
  caption: z.string().optional(),
});
const Payload = z.object({
  text: z.string().optional(),
  items: z.array(Item).optional(),
  lat: z.number().optional(),
  lon: z.number().optional(),
});
export type RelayPayload = z.infer<typeof Payload>;

/** Queues a reporter's message for each destination of the office that asked, once per platform message. */
export async function queueRelayMessage(
  tx: Queryable,
  job: {
    reportId: number;
    officeCode: string;
    messageId: string;
    destinations: readonly CardDestination[];
    payload: RelayPayload;
    now: Date;
  },
): Promise<void> {
  if (!job.destinations.length) return;
  await tx.insert(outbox).values(
    job.destinations.map((d) => ({
      kind: "relay_to_office" as const,
      dedupeKey: `relay:${job.reportId}:${job.messageId}:${d.channel}:${d.address}`,
      reportId: job.reportId,
      channel: d.channel,
      address: d.address,
      officeCode: job.officeCode,
      payload: Payload.parse(job.payload),
      nextAttemptAt: job.now,
    })),
  );
}

export const relayMessageJob: JobSpec<RelayPayload> = {
  kind: "relay_to_office",
  payload: (raw) => Payload.parse(raw ?? {}),

  async build(job, env, transport) {
    const [report] = await env.db
      .select({ number: reports.number, track: reports.track })
      .from(reports)
      .where(eq(reports.id, job.reportId!));
    if (!report) throw new Error(`report ${job.reportId} is gone`);
    const p = job.payload;
    const vars = { number: report.number };
    if (p.lat !== undefined && p.lon !== undefined) {
      return {
        parts: [
          ...textParts(t(env.locales, "id", "card.relay_location", vars), transport),
          { kind: "location", lat: p.lat, lon: p.lon },
        ],
        number: report.number,
      };
    }
    const header = t(env.locales, "id", "card.relay", vars);
    if (p.text !== undefined)
      return { parts: textParts(`${header}\n${p.text}`, transport), number: report.number };
    const items = p.items ?? [];
    const files = await Promise.all(
      items.map(async (f, i) => ({
        bytes: await env.store.read(f.ref),
        kind: f.kind,
        mime: f.mime,
        // On a tip the file's own name may name the reporter: it is renamed to the report number.
        fileName:
          report.track === "tip" || !f.fileName
            ? `${report.number}-balasan-${i + 1}.${extensionOf(f.mime)}`
            : f.fileName,
        caption: `${report.number}${f.caption ? ` · «${f.caption}»` : ""} · SHA-256 ${f.sha256}`,
      })),
    );
    // The reporter's words sent with the files (captions) follow the header, so it is never empty.
    const captions = items.flatMap((f) =>
      f.caption ? [t(env.locales, "id", "card.relay_caption", { caption: f.caption })] : [],
    );
    const parts: Part[] = [
      ...textParts([header, ...captions].join("\n"), transport),
      { kind: "files", files },
    ];
    return { parts, number: report.number };
  },
};
