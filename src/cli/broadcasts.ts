/**
 * `broadcasts …`: the reminder library, creating broadcasts, previewing them to a test chat,
 * starting, pausing, resuming and cancelling them, watching one with a live progress bar, and its
 * final report. The program (`npm start`) does the sending; `preview` sends its one message itself
 * when the channel's token is configured here, otherwise the running program sends it.
 */
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { parseAddress } from "../broadcasts/audience.js";
import { loadCalendar } from "../broadcasts/calendar.js";
import {
  type BroadcastProgress,
  broadcastProgress,
  cancelBroadcast,
  createBroadcast,
  getBroadcast,
  listBroadcasts,
  pauseBroadcast,
  previewBroadcast,
  resumeBroadcast,
  startBroadcast,
} from "../broadcasts/control.js";
import { BroadcastDispatcher } from "../broadcasts/dispatcher.js";
import { loadLibrary } from "../broadcasts/library.js";
import { describeSchedule, parseJakartaTime, type Schedule } from "../broadcasts/schedule.js";
import { calendarFile, createLimiters, createSenders, libraryDir } from "../broadcasts/service.js";
import { PROJECT_ROOT } from "../config.js";
import type { Broadcast } from "../db/schema/index.js";
import { loadLocales } from "../engine/locale.js";
import { InputError } from "../errors.js";
import type { AdminServices } from "./context.js";
import { output, table } from "./output.js";
import { jakartaTime, positiveInt } from "./reports.js";

const ACTOR = "admin-cli";
const FLOWS = `${PROJECT_ROOT}/flows`;

interface CreateOptions {
  content?: string;
  textId?: string;
  textEn?: string;
  image?: string;
  name?: string;
  audience: string;
  now?: boolean;
  at?: string;
  cron?: string;
  during?: string;
  until?: string;
  before?: string;
  after?: string;
  on?: string;
  days?: string;
  time?: string;
  start?: boolean;
  json?: boolean;
}

/** `--audience all|officers|province:18,16|regency:18.72|test:telegram:123` */
function parseAudience(text: string): Pick<Broadcast, "audience" | "regions" | "testAddress"> {
  const [kind, ...rest] = text.trim().split(":");
  const value = rest.join(":");
  if ((kind === "all" || kind === "officers") && !value)
    return { audience: kind, regions: [], testAddress: null };
  if ((kind === "province" || kind === "regency") && value)
    return {
      audience: kind,
      regions: value
        .split(",")
        .map((c) => c.trim())
        .filter(Boolean),
      testAddress: null,
    };
  if (kind === "test" && parseAddress(value)) return { audience: "test", regions: [], testAddress: value };
  throw new InputError(
    "audience",
    "audience: all, officers, province:18[,16], regency:18.72[,…] or test:telegram:<chat id>",
  );
}

function parseSchedule(o: CreateOptions): Schedule {
  const given = [o.now, o.at, o.cron, o.before, o.after, o.on].filter(Boolean).length;
  if (given !== 1)
    throw new InputError("schedule", "give exactly one of --now, --at, --cron, --before, --after, --on");
  if (o.now) return { kind: "now" };
  if (o.at) return { kind: "at", at: parseJakartaTime("at", o.at).toISOString() };
  if (o.cron)
    return {
      kind: "cron",
      cron: o.cron,
      ...(o.during ? { during: o.during } : {}),
      ...(o.until ? { until: parseJakartaTime("until", o.until).toISOString() } : {}),
    };
  const phase = (o.before ?? o.after ?? o.on)!;
  const days = o.on ? 0 : positiveInt("days", o.days ?? "1");
  return {
    kind: "phase",
    phase,
    anchor: "start",
    offsetDays: o.before ? -days : days,
    time: o.time ?? "08:00",
  };
}

function progressLines(p: BroadcastProgress): string[] {
  const errors = Object.entries(p.errors)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  return [
    `broadcast ${p.id} "${p.name}": ${p.status}, ${p.runs} run(s), ${p.total} deliveries`,
    `  sent ${p.sent}, failed ${p.failed}, blocked ${p.blocked} (unsubscribed), cancelled ${p.cancelled}, interrupted ${p.interrupted} (not resent), remaining ${p.pending + p.sending}`,
    ...(errors ? [`  errors: ${errors}`] : []),
  ];
}

/** Registers `broadcasts …`. */
export function registerBroadcastCommands(program: Command, services: () => Promise<AdminServices>): void {
  const cmd = program.command("broadcasts").description("reminder broadcasts to subscribers and officers");
  const context = async () => {
    const s = await services();
    return {
      s,
      db: s.database.db,
      ctx: {
        library: loadLibrary(libraryDir(FLOWS)),
        calendar: loadCalendar(calendarFile(FLOWS)),
        regionExists: (code: string) => s.catalog.has(code),
      },
    };
  };

  cmd
    .command("library")
    .description("the ready-made reminders in flows/broadcasts/")
    .option("--json", "print JSON")
    .action((o: { json?: boolean }) => {
      const reminders = loadLibrary(libraryDir(FLOWS));
      output(reminders, o.json, (rs) =>
        table([["id", "title", "image"], ...rs.map((r) => [r.id, r.title, r.imagePath ? "yes" : ""])]),
      );
    });

  cmd
    .command("list")
    .description("every broadcast, newest first")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      const { db } = await context();
      const rows = await listBroadcasts(db);
      output(rows, o.json, (rs) =>
        rs.length === 0
          ? "no broadcasts"
          : table([
              ["id", "status", "audience", "schedule", "name"],
              ...rs.map((b) => [
                b.id,
                b.status,
                b.audience === "province" || b.audience === "regency"
                  ? `${b.audience}:${b.regions.join(",")}`
                  : b.audience,
                describeSchedule(b.schedule as Schedule),
                b.name,
              ]),
            ]),
      );
    });

  cmd
    .command("create")
    .description("create a broadcast (a draft until `start`, or add --start)")
    .option("--content <id>", "a reminder of the library (see: broadcasts library)")
    .option("--text-id <text>", "your own text, Indonesian")
    .option("--text-en <text>", "your own text, English")
    .option("--image <path>", "an image sent with the text")
    .option("--name <name>", "a name for admins")
    .requiredOption(
      "--audience <who>",
      "all | officers | province:18[,16] | regency:18.72[,…] | test:telegram:<id>",
    )
    .option("--now", "send as soon as started")
    .option("--at <time>", 'once, at "YYYY-MM-DD HH:MM" (WIB)')
    .option("--cron <pattern>", 'recurring, e.g. "0 8 * * 1" = Mondays 08:00 WIB')
    .option("--during <election/phase>", "with --cron: only during this phase, e.g. pilkada2024/campaign")
    .option("--until <time>", 'with --cron: not after "YYYY-MM-DD HH:MM" (WIB)')
    .option("--before <election/phase>", "once, --days before the phase starts, at --time")
    .option("--after <election/phase>", "once, --days after the phase starts, at --time")
    .option("--on <election/phase>", "once, on the first day of the phase, at --time")
    .option("--days <n>", "with --before/--after", "1")
    .option("--time <HH:MM>", "with --before/--after/--on (WIB)", "08:00")
    .option("--start", "start it at once")
    .option("--json", "print JSON")
    .action(async (o: CreateOptions) => {
      const { db, ctx } = await context();
      const target = parseAudience(o.audience);
      let b = await createBroadcast(
        db,
        {
          audience: target.audience,
          regions: target.regions,
          ...(target.testAddress ? { testAddress: target.testAddress } : {}),
          ...(o.content ? { contentId: o.content } : {}),
          ...(o.textId || o.textEn ? { text: { id: o.textId ?? "", en: o.textEn ?? "" } } : {}),
          ...(o.image ? { imagePath: o.image } : {}),
          ...(o.name ? { name: o.name } : {}),
          schedule: parseSchedule(o),
          createdBy: ACTOR,
        },
        ctx,
      );
      if (o.start) b = await startBroadcast(db, b.id, ACTOR);
      output(
        b,
        o.json,
        (x) => `broadcast ${x.id} created (${x.status}): ${describeSchedule(x.schedule as Schedule)}`,
      );
    });

  cmd
    .command("preview <id>")
    .description("send the broadcast to a test chat now")
    .option("--to <address>", "telegram:<chat id> (default: BROADCAST_TEST_ADDRESS)")
    .option("--json", "print JSON")
    .action(async (id: string, o: { to?: string; json?: boolean }) => {
      const { s, db } = await context();
      const to = o.to ?? s.config.BROADCAST_TEST_ADDRESS;
      if (!to) throw new InputError("to", "give --to telegram:<chat id> or set BROADCAST_TEST_ADDRESS");
      const run = await previewBroadcast(db, positiveInt("id", id), to, ACTOR);
      const channel = parseAddress(to)!.channel;
      const sender = createSenders(s.config, {}).find((x) => x.channel === channel);
      let sent = false;
      if (sender) {
        const dispatcher = new BroadcastDispatcher({
          db,
          senders: [sender],
          limiters: createLimiters(s.config),
          locales: loadLocales(`${FLOWS}/locales`),
          logger: s.logger,
        });
        sent = (await dispatcher.page(sender, { runId: run.runId })).sent === 1;
      }
      output({ run: run.runId, to: channel, sent }, o.json, (r) =>
        r.sent
          ? `preview sent (run ${r.run})`
          : sender
            ? `preview NOT sent (run ${r.run}): see broadcasts report`
            : `preview queued (run ${r.run}): the running program sends it`,
      );
    });

  for (const [name, action, describe] of [
    ["start", startBroadcast, "start sending when due"],
    ["pause", pauseBroadcast, "pause sending (resume later)"],
    ["resume", resumeBroadcast, "resume a paused broadcast"],
    ["cancel", cancelBroadcast, "cancel: nothing more is sent"],
  ] as const) {
    cmd
      .command(`${name} <id>`)
      .description(describe)
      .option("--json", "print JSON")
      .action(async (id: string, o: { json?: boolean }) => {
        const { db } = await context();
        const b = await action(db, positiveInt("id", id), ACTOR);
        output(b, o.json, (x) => `broadcast ${x.id}: ${x.status}`);
      });
  }

  cmd
    .command("report <id>")
    .description("what was sent, failed, blocked, and why")
    .option("--json", "print JSON")
    .action(async (id: string, o: { json?: boolean }) => {
      const { db } = await context();
      const b = await getBroadcast(db, positiveInt("id", id));
      const p = await broadcastProgress(db, b.id);
      output(
        { ...p, createdAt: b.createdAt, startedAt: b.startedAt, finishedAt: b.finishedAt },
        o.json,
        (r) => [
          ...progressLines(r),
          `  created ${jakartaTime(r.createdAt)}, started ${jakartaTime(r.startedAt)}, finished ${jakartaTime(r.finishedAt)}`,
        ],
      );
    });

  cmd
    .command("watch <id>")
    .description("a live progress bar until nothing is left to send, then the report")
    .option("--interval <ms>", "refresh interval", "500")
    .option("--json", "no bar; print the final report as JSON")
    .action(async (id: string, o: { interval?: string; json?: boolean }) => {
      const { db } = await context();
      const bid = positiveInt("id", id);
      const interval = positiveInt("interval", o.interval ?? "500");
      const bar = o.json
        ? undefined
        : new SingleBar({
            format:
              "{bar} {percentage}% | sent {sent} failed {failed} blocked {blocked} remaining {remaining} | {rate} msg/s | ETA {eta_text}",
            hideCursor: true,
          });
      let p = await broadcastProgress(db, bid);
      bar?.start(Math.max(1, p.total), 0, {});
      for (;;) {
        const done = p.sent + p.failed + p.blocked + p.cancelled + p.interrupted;
        bar?.setTotal(Math.max(1, p.total));
        bar?.update(done, {
          sent: p.sent,
          failed: p.failed,
          blocked: p.blocked,
          remaining: p.pending + p.sending,
          rate: p.rate.toFixed(1),
          eta_text: p.etaSeconds === null ? "?" : `${p.etaSeconds}s`,
        });
        const over =
          ["finished", "cancelled"].includes(p.status) || (p.total > 0 && p.pending + p.sending === 0);
        if (over) break;
        await new Promise((r) => setTimeout(r, interval));
        p = await broadcastProgress(db, bid);
      }
      bar?.stop();
      output(p, o.json, progressLines);
    });
}
