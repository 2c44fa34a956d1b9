import { and, eq } from "drizzle-orm";
import { recordAudit } from "../audit.js";
import type { Database } from "../db/client.js";
import { officers, type Report, reportAssignments, reportNotes } from "../db/schema/index.js";
import { type LocaleBundle, type TextKey, t } from "../engine/locale.js";
import type { OfficerAction, OfficerActions } from "../officers/actions.js";
import type { ActingChat, OfficerCommands } from "../officers/commands.js";
import { changeStatus, OUTCOMES, REJECT_REASONS, StatusTransitionError } from "../reports/status.js";
import type { ConsoleUser } from "./auth.js";
import type { ConsoleTexts } from "./texts.js";

/** What the console needs to act: the same officer functions the chats use. */
export interface DeskDeps {
  db: Database;
  actions: OfficerActions;
  commands: OfficerCommands;
  locales: LocaleBundle;
  texts: ConsoleTexts;
}

/** The answer shown after an action: the same wording the chat gives. */
export interface DeskResult {
  ok: boolean;
  message: string;
}

/** The actor recorded in the report's history: the officer's chat identity, or the console role. */
export function actorOf(user: ConsoleUser): string {
  return user.officer ? `${user.officer.channel}:${user.officer.userId}` : `console:${user.role}`;
}

/**
 * An action on a report from the console, through the same functions as the chat: a signed card
 * action pressed by the officer (take up, close with an outcome, reject with a reason), or the
 * officer's typed command (`/tanya`, `/teruskan`, `/tolak` with own words). The reporter is told
 * exactly as from chat. Admin and demo sessions act as "console:<role>" with the same status rules.
 * The caller has checked that the report is held by the user's office.
 */
export async function act(
  deps: DeskDeps,
  user: ConsoleUser,
  report: Report,
  form: Record<string, string>,
  now: Date,
): Promise<DeskResult> {
  const say = (key: string, vars?: Record<string, string>): string =>
    t(deps.locales, user.lang, key as TextKey, vars);
  const office = report.officeCode!;
  const chat: ActingChat = user.officer
    ? {
        channel: user.officer.channel,
        chatId: user.officer.userId,
        chatType: "private",
        userId: user.officer.userId,
        now,
      }
    : { channel: "console", chatId: user.role, chatType: "private", userId: user.role, now };
  const command = async (name: string, args: string): Promise<DeskResult> => {
    const r = user.officer
      ? await deps.commands.run(chat as Parameters<OfficerCommands["run"]>[0], name, args)
      : await deps.commands.act(office, chat, name, args);
    const key = "key" in r ? r.key : "";
    const ok = /^officer(_cmd)?\.(done_|asked|forwarded|relay_closed)/.test(key);
    return { ok, message: "text" in r ? r.text : say(r.key, r.vars) };
  };
  const press = async (action: OfficerAction): Promise<DeskResult> => {
    if (user.officer) {
      const r = await deps.actions.press(
        user.officer.channel,
        user.officer.userId,
        deps.actions.sign(action, report.id, office),
        now,
      );
      return { ok: r.key.startsWith("officer.done_"), message: say(r.key, r.vars) };
    }
    const [verb, detail] = action.split(":") as [string, string | undefined];
    try {
      await deps.db.transaction((tx) =>
        changeStatus(tx, report.id, {
          to: verb === "ack" ? "acknowledged" : verb === "close" ? "closed" : "rejected",
          actor: actorOf(user),
          detail: detail ?? null,
          reason: detail ?? null,
          now,
        }),
      );
    } catch (e) {
      if (e instanceof StatusTransitionError)
        return { ok: false, message: say(`officer.not_allowed_${e.from}`, { number: report.number }) };
      throw e;
    }
    return { ok: true, message: say(`officer.done_${verb}`, { number: report.number }) };
  };
  const text = (k: string) => (form[k] ?? "").replace(/\s+/g, " ").trim().slice(0, 2000);
  switch (form.action) {
    case "ack":
      return press("ack");
    case "close": {
      const outcome = text("outcome");
      if (!(OUTCOMES as readonly string[]).includes(outcome)) return bad(deps, user);
      return press(`close:${outcome}`);
    }
    case "reject": {
      const own = text("reason_text");
      if (own) return command("tolak", `${report.number} ${own}`);
      const reason = text("reason");
      if (!(REJECT_REASONS as readonly string[]).includes(reason) || reason === "other")
        return bad(deps, user);
      return press(`reject:${reason}`);
    }
    case "ask":
      return command("tanya", `${report.number} ${text("question")}`);
    case "endrelay":
      return command("selesaitanya", report.number);
    case "forward": {
      const reason = text("reason");
      if (reason.length < 3) return { ok: false, message: say("officer_cmd.reason_missing") };
      return command("teruskan", `${report.number} ${text("place").replace(/ - /g, " ")} - ${reason}`);
    }
    case "assign":
      return assign(deps, user, report, Number(form.officer), now);
    case "note": {
      const note = (form.note ?? "").trim().slice(0, 4000);
      if (!note) return bad(deps, user);
      await deps.db
        .insert(reportNotes)
        .values({ reportId: report.id, officeCode: office, author: actorOf(user), text: note, at: now });
      return { ok: true, message: deps.texts(user.lang, "done.noted") };
    }
    default:
      return bad(deps, user);
  }
}

function bad(deps: DeskDeps, user: ConsoleUser): DeskResult {
  return { ok: false, message: deps.texts(user.lang, "bad_form") };
}

/** Assigns the report to one active officer of its office (audited). */
async function assign(
  deps: DeskDeps,
  user: ConsoleUser,
  report: Report,
  officerId: number,
  now: Date,
): Promise<DeskResult> {
  const [o] = Number.isInteger(officerId)
    ? await deps.db
        .select()
        .from(officers)
        .where(
          and(
            eq(officers.id, officerId),
            eq(officers.officeCode, report.officeCode!),
            eq(officers.active, true),
          ),
        )
    : [];
  if (!o) return bad(deps, user);
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(reportAssignments)
      .values({ reportId: report.id, officerId: o.id, assignedBy: actorOf(user), assignedAt: now })
      .onConflictDoUpdate({
        target: reportAssignments.reportId,
        set: { officerId: o.id, assignedBy: actorOf(user), assignedAt: now },
      });
    await recordAudit(tx, {
      actor: actorOf(user),
      action: "report.assign",
      entity: "report",
      entityKey: report.number,
      details: { officerId: o.id },
    });
  });
  return { ok: true, message: deps.texts(user.lang, "done.assigned") };
}
