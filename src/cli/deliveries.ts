import type { Command } from "commander";
import { and, desc, eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit.js";
import { outbox, reports } from "../db/schema/index.js";
import { InputError, NotFoundError } from "../errors.js";
import { recordEvent } from "../reports/lifecycle.js";
import type { AdminServices } from "./context.js";
import { output, table } from "./output.js";
import { jakartaTime, positiveInt } from "./reports.js";

const ACTOR = "admin-cli";

/** `deliveries failed` and `deliveries retry <job id>`: what did not arrive, and sending it again. */
export function registerDeliveryCommands(program: Command, services: () => Promise<AdminServices>): void {
  const cmd = program
    .command("deliveries")
    .description("delivery jobs (outbox): see what did not arrive and send it again");

  cmd
    .command("failed")
    .description("list failed delivery jobs, newest first, and count the jobs still being retried")
    .option("--limit <n>", "at most this many jobs", "50")
    .option("--json", "print JSON")
    .action(async (o: { limit?: string; json?: boolean }) => {
      const limit = positiveInt("limit", o.limit ?? "50");
      const { database } = await services();
      const db = database.db;
      const [jobs, [counts]] = await Promise.all([
        db
          .select({
            id: outbox.id,
            kind: outbox.kind,
            reportNumber: reports.number,
            officeCode: outbox.officeCode,
            channel: outbox.channel,
            address: outbox.address,
            attempts: outbox.attempts,
            progress: outbox.progress,
            lastError: outbox.lastError,
            createdAt: outbox.createdAt,
          })
          .from(outbox)
          .leftJoin(reports, eq(reports.id, outbox.reportId))
          .where(eq(outbox.status, "failed"))
          .orderBy(desc(outbox.createdAt), desc(outbox.id))
          .limit(limit),
        db
          .select({
            failed: sql<number>`count(*) filter (where ${outbox.status} = 'failed')::int`,
            retrying: sql<number>`count(*) filter (where ${outbox.status} = 'pending' and ${outbox.attempts} > 0)::int`,
          })
          .from(outbox),
      ]);
      const data = {
        failed: jobs,
        totalFailed: counts?.failed ?? 0,
        retrying: counts?.retrying ?? 0,
      };
      output(data, o.json, (d) => [
        ...(d.failed.length
          ? table([
              ["job", "report", "office", "destination", "attempts", "created (WIB)", "last error"],
              ...d.failed.map((j) => [
                `#${j.id}`,
                j.reportNumber ?? "-",
                j.officeCode ?? "-",
                `${j.channel}:${j.address}`,
                j.attempts,
                jakartaTime(j.createdAt),
                (j.lastError ?? "-").replace(/\s+/g, " "),
              ]),
            ])
          : []),
        `${d.totalFailed} failed${d.totalFailed > d.failed.length ? ` (showing ${d.failed.length})` : ""}; ${d.retrying} pending jobs being retried after an error`,
        ...(d.failed.length ? ["send one again with: deliveries retry <job>"] : []),
      ]);
    });

  cmd
    .command("retry")
    .description(
      "put a failed job back in the queue (attempts 0, due now); its last error goes to the audit log",
    )
    .argument("<job>", "job id from `deliveries failed`, e.g. 12 or #12")
    .option("--json", "print JSON")
    .action(async (jobText: string, o: { json?: boolean }) => {
      const id = positiveInt("job", jobText.replace(/^#/, ""));
      const { database } = await services();
      const result = await database.db.transaction(async (tx) => {
        const [job] = await tx.select().from(outbox).where(eq(outbox.id, id)).for("update");
        if (!job) throw new NotFoundError("delivery job", `#${id}`);
        if (job.status !== "failed")
          throw new InputError("job", `job #${id} is ${job.status}; only failed jobs can be retried`);
        const now = new Date();
        const [updated] = await tx
          .update(outbox)
          .set({
            status: "pending",
            attempts: 0,
            nextAttemptAt: now,
            lockedUntil: null,
            lastError: null,
            doneAt: null,
          })
          .where(and(eq(outbox.id, id), eq(outbox.status, "failed")))
          .returning();
        const [report] =
          job.reportId === null
            ? []
            : await tx
                .select({ number: reports.number, officeCode: reports.officeCode })
                .from(reports)
                .where(eq(reports.id, job.reportId));
        await recordAudit(tx, {
          actor: ACTOR,
          action: "delivery.retry",
          entity: "outbox",
          entityKey: String(id),
          details: {
            report: report?.number ?? null,
            channel: job.channel,
            officeCode: job.officeCode,
            attempts: job.attempts,
            lastError: job.lastError,
          },
        });
        if (job.reportId !== null && report) {
          await recordEvent(tx, job.reportId, {
            at: now,
            actor: ACTOR,
            type: "delivery_retry",
            reason: `job #${id} queued again after: ${job.lastError ?? "unknown error"}`,
            details: { channel: job.channel, officeCode: job.officeCode },
          });
        }
        return { job: updated!, report: report ?? null };
      });
      const moved =
        result.report && result.report.officeCode !== result.job.officeCode ? result.report.officeCode : null;
      output(
        {
          ...result.job,
          reportNumber: result.report?.number ?? null,
          reportNowAt: result.report?.officeCode ?? null,
        },
        o.json,
        (j) => [
          `job #${j.id} (${j.channel}:${j.address}${j.reportNumber ? `, report ${j.reportNumber}` : ""}) is pending again; the delivery worker will try it shortly`,
          ...(moved
            ? [
                `note: the report has since gone up the chain to office ${moved}; it may arrive at both offices`,
              ]
            : []),
        ],
      );
    });
}
