import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { and, asc, desc, eq, or, sql } from "drizzle-orm";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { recordAudit } from "../audit.js";
import { type Database, rowsOf } from "../db/client.js";
import {
  evidence,
  officers,
  offices,
  outbox,
  type Report,
  reportAssignments,
  reportEvents,
  reportIdentities,
  reportNotes,
  reports,
} from "../db/schema/index.js";
import { choiceLabel } from "../delivery/card.js";
import type { FlowRegistry } from "../engine/flow-schema.js";
import { type TextKey, t } from "../engine/locale.js";
import type { Logger } from "../log.js";
import { formatLocalDate } from "../parsing/index.js";
import { findPossibleDuplicates } from "../reports/duplicates.js";
import type { EvidenceStore } from "../reports/evidence-store.js";
import { OUTCOMES, REJECT_REASONS, TRANSITIONS } from "../reports/status.js";
import type { ConsoleAuth, ConsoleUser } from "./auth.js";
import { type Clock, clocksOf, type DeadlineSettings } from "./deadlines.js";
import { act, type DeskDeps } from "./desk.js";
import { b1Pdf, type ExportRecord, tableCsv, toCsv, toGeoJson, toXlsx } from "./exports.js";
import { esc, formatAt, Html, html, layout } from "./html.js";
import { type RegencyShape, regencyShapes, viewBoxOf } from "./map.js";
import {
  deadlineShares,
  type Filters,
  filterQuery,
  listReports,
  mapCounts,
  PAGE_SIZE,
  parseFilters,
  SORTS,
  STAT_DIMENSIONS,
  type StatDimension,
  statistics,
  whereOf,
} from "./queries.js";
import { inScope, type Scope, scopeCondition, scopeOf, scopeSql } from "./scope.js";
import type { ConsoleLang, ConsoleTexts } from "./texts.js";

/** What the console needs. */
export interface ConsoleDeps extends DeskDeps {
  db: Database;
  auth: ConsoleAuth;
  registry: FlowRegistry;
  store: EvidenceStore;
  deadlines: DeadlineSettings;
  boundariesPath: string | undefined;
  /** Mark the cookie Secure (the public address is https). */
  secureCookie: boolean;
  /** Demo mode (simulator on, no tokens, bound to 127.0.0.1): `/konsol/demo?office=…` signs in as that office. */
  demo: boolean;
  logger: Logger;
  now?: () => Date;
}

const COOKIE = "konsol";
const ASSETS: Record<string, string> = { "console.css": "text/css", "console.js": "text/javascript" };
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const RASTER = /^(image\/(png|jpeg|gif|webp|bmp)|application\/pdf)$/;
const EXT: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
  "application/pdf": "pdf",
  "video/mp4": "mp4",
  "audio/ogg": "ogg",
  "audio/mpeg": "mp3",
};

declare module "fastify" {
  interface FastifyRequest {
    consoleUser?: ConsoleUser;
  }
}

/** Sign-in attempts per address per minute (the one-time links are rate-limited too: 5 per 10 minutes). */
class AttemptLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}
  allow(key: string, now: number): boolean {
    const list = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (this.hits.size > 10_000) this.hits.clear();
    if (list.length >= this.max) {
      this.hits.set(key, list);
      return false;
    }
    list.push(now);
    this.hits.set(key, list);
    return true;
  }
}

function cookieOf(req: FastifyRequest): string | undefined {
  const header = req.headers.cookie ?? "";
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === COOKIE) return v.join("=");
  }
  return undefined;
}

/**
 * The office console under `/konsol`: server-rendered pages (reports, a report, deadlines, map,
 * statistics), exports and files, in Indonesian with an English switch. Every query and file goes
 * through the user's {@link Scope}; a report or file outside it answers 404.
 */
export function registerConsole(app: FastifyInstance, deps: ConsoleDeps): void {
  app.register(async (s) => consoleRoutes(s, deps));
}

async function consoleRoutes(s: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db, auth, texts } = deps;
  const now = () => deps.now?.() ?? new Date();
  const flashes = new Map<number, { ok: boolean; message: string }>();
  const streams = new Set<ServerResponse>();
  const attempts = new AttemptLimiter(20, 60_000);
  let shapes: RegencyShape[] | undefined;

  s.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: 64 * 1024 },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  s.addHook("onSend", async (_req, reply, payload) => {
    reply.header("content-security-policy", CSP);
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    reply.header("x-frame-options", "DENY");
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    return payload;
  });
  s.addHook("onClose", async () => {
    for (const r of streams) r.end();
  });
  s.addHook("preHandler", async (req) => {
    if (/^\/konsol\/(aset|masuk|demo)\b/.test(req.url)) return;
    req.consoleUser = await auth.session(cookieOf(req), now());
  });

  const setCookie = (reply: FastifyReply, token: string, maxAge: number) =>
    reply.header(
      "set-cookie",
      `${COOKIE}=${token}; Path=/konsol; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${deps.secureCookie ? "; Secure" : ""}`,
    );
  const page = (reply: FastifyReply, code: number, body: string) =>
    reply.code(code).type("text/html; charset=utf-8").send(body);
  const signInPage = (reply: FastifyReply, lang: ConsoleLang = "id", key = "signin.explain", code = 401) =>
    page(
      reply,
      code,
      layout(
        texts,
        undefined,
        texts(lang, "signin.title"),
        html`<h1>${texts(lang, "signin.title")}</h1><p>${texts(lang, key)}</p>`,
      ),
    );
  const notFound = (reply: FastifyReply, user?: ConsoleUser) =>
    page(
      reply,
      404,
      layout(texts, user, "404", html`<h1>404</h1><p>${texts(user?.lang ?? "id", "not_found")}</p>`),
    );
  const scopeFor = (u: ConsoleUser): Scope => scopeOf({ code: u.officeCode, level: u.officeLevel }, u.role);
  const ctx = (u: ConsoleUser) => ({ officerId: u.officerId, deadlines: deps.deadlines, now: now() });
  const checkCsrf = (u: ConsoleUser, body: Record<string, string>) =>
    typeof body?.csrf === "string" && body.csrf === u.csrf;

  /** A handler that needs a signed-in user. */
  function signedIn<R extends FastifyRequest>(
    handler: (req: R, reply: FastifyReply, user: ConsoleUser) => Promise<unknown>,
  ) {
    return async (req: R, reply: FastifyReply) => {
      const user = req.consoleUser;
      if (!user) return signInPage(reply);
      return handler(req, reply, user);
    };
  }

  // --- assets, sign-in, sign-out, language ---------------------------------------------------
  s.get<{ Params: { file: string } }>("/konsol/aset/:file", async (req, reply) => {
    const type = ASSETS[req.params.file];
    if (!type) return reply.code(404).send();
    reply.header("cache-control", "public, max-age=3600");
    return reply
      .type(`${type}; charset=utf-8`)
      .send(readFileSync(new URL(`./assets/${req.params.file}`, import.meta.url)));
  });

  // GET shows a button (link previews in chat apps fetch the URL and must not spend it); POST signs in.
  s.get<{ Params: { token: string } }>("/konsol/masuk/:token", async (req, reply) => {
    const token = req.params.token;
    return page(
      reply,
      200,
      layout(
        texts,
        undefined,
        texts("id", "signin.title"),
        html`<h1>${texts("id", "signin.title")}</h1><p>${texts("id", "signin.button")} · ${texts("en", "signin.button")}</p>
        <form method="post" action="/konsol/masuk"><input type="hidden" name="token" value="${token}"><button type="submit" class="primary">${texts("id", "signin.button")}</button></form>`,
      ),
    );
  });
  s.post<{ Body: Record<string, string> }>("/konsol/masuk", async (req, reply) => {
    if (!attempts.allow(req.ip, Date.now())) return signInPage(reply, "id", "signin.too_many", 429);
    const r = await auth.redeem(String(req.body?.token ?? ""), now());
    if (!r) return signInPage(reply, "id", "signin.refused", 403);
    setCookie(reply, r.token, 12 * 3600);
    return reply.redirect("/konsol", 303);
  });
  s.get<{ Querystring: { office?: string } }>("/konsol/demo", async (req, reply) => {
    if (!deps.demo) return notFound(reply);
    const code = String(req.query.office ?? "");
    if (!code) {
      const all = await db
        .select({ code: offices.code, name: offices.name })
        .from(offices)
        .orderBy(asc(offices.level), asc(offices.name));
      return page(
        reply,
        200,
        layout(
          texts,
          undefined,
          texts("id", "demo.title"),
          html`<h1>${texts("id", "demo.title")}</h1><p>${texts("id", "demo.explain")}</p>
          <form method="get" action="/konsol/demo"><label>${texts("id", "demo.office")}<select name="office">${all.map(
            (o) =>
              html`<option value="${o.code}"${o.code === "18.72" ? new Html(" selected") : ""}>${o.name}</option>`,
          )}</select></label><p><button type="submit" class="primary">${texts("id", "demo.open")}</button></p></form>`,
        ),
      );
    }
    const [office] = await db.select().from(offices).where(eq(offices.code, code));
    if (!office) return notFound(reply);
    const token = await auth.createLink(
      { officeCode: code, officerId: null, role: "demo", createdBy: "demo" },
      now(),
    );
    const r = await auth.redeem(token, now());
    if (!r) return signInPage(reply, "id", "signin.refused", 403);
    setCookie(reply, r.token, 12 * 3600);
    return reply.redirect("/konsol", 303);
  });
  s.post<{ Body: Record<string, string> }>(
    "/konsol/keluar",
    signedIn(async (req, reply, user) => {
      if (!checkCsrf(user, req.body))
        return page(reply, 403, layout(texts, user, "403", html`<p>${texts(user.lang, "bad_form")}</p>`));
      await auth.end(user.sessionId);
      setCookie(reply, "", 0);
      return signInPage(reply, user.lang, "signin.signed_out", 200);
    }),
  );
  s.post<{ Body: Record<string, string> }>(
    "/konsol/bahasa",
    signedIn(async (req, reply, user) => {
      if (!checkCsrf(user, req.body))
        return page(reply, 403, layout(texts, user, "403", html`<p>${texts(user.lang, "bad_form")}</p>`));
      await auth.setLang(user.sessionId, req.body.lang === "en" ? "en" : "id");
      const back = req.headers.referer ? new URL(req.headers.referer).pathname : "/konsol";
      return reply.redirect(back.startsWith("/konsol") ? back : "/konsol", 303);
    }),
  );

  // --- labels ---------------------------------------------------------------------------------
  const categoryLabel = (lang: ConsoleLang, value: string) =>
    choiceLabel(deps.registry, "complaint", "category", value, lang) ?? value;
  const statusLabel = (lang: ConsoleLang, s: string) => texts(lang, `statuses.${s}`);
  const channelLabel = (lang: ConsoleLang, c: string) => {
    try {
      return texts(lang, `channels.${c}`);
    } catch {
      return c;
    }
  };
  const categories = (): string[] => {
    const step = deps.registry.flows.complaint?.steps.category as
      | { options?: { value: string }[] }
      | undefined;
    return step?.options?.map((o) => o.value) ?? [];
  };

  // --- the list -------------------------------------------------------------------------------
  s.get<{ Querystring: Record<string, string> }>(
    "/konsol",
    signedIn(async (req, reply, user) => {
      const lang = user.lang;
      const tx = (k: string, v?: Record<string, string | number>) => texts(lang, k, v);
      const f = parseFilters(req.query);
      const scope = scopeFor(user);
      const [{ rows, total, byStatus }, [latest]] = await Promise.all([
        listReports(db, scope, f, ctx(user)),
        db
          .execute(sql`select coalesce(max(r.id), 0)::bigint as id from reports r where ${scopeSql(scope)}`)
          .then((x) => rowsOf<{ id: number }>(x)),
      ]);
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      const all = Object.values(byStatus).reduce((a, b) => a + b, 0);
      const select = (name: keyof Filters, options: [string, string][], current?: string) =>
        html`<label>${tx(`list.${name}`)}<select name="${name}"><option value="">${tx("list.any")}</option>${options.map(
          ([v, l]) => html`<option value="${v}"${v === current ? new Html(" selected") : ""}>${l}</option>`,
        )}</select></label>`;
      const check = (name: keyof Filters) =>
        html`<label class="check"><input type="checkbox" name="${name}" value="1"${f[name] ? new Html(" checked") : ""}> ${tx(`list.${name}`)}</label>`;
      const exportQs = filterQuery({ ...f, page: 1 });
      const content = html`<h1>${tx("list.title")}</h1>
      <p id="baru" class="flash ok" hidden data-after="${String(latest?.id ?? 0)}">${tx("list.new_arrived")} <a href="/konsol${filterQuery(f)}">${tx("list.reload")}</a></p>
      <ul class="chips" aria-label="${tx("list.status")}">
        <li><a href="/konsol${filterQuery({ ...f, status: undefined, page: 1 })}"${!f.status ? new Html(' aria-current="true"') : ""}>${tx("list.all")} <b>${all}</b></a></li>
        ${TRANSITIONS_ORDER.map(
          (st) =>
            html`<li><a href="/konsol${filterQuery({ ...f, status: st, page: 1 })}"${f.status === st ? new Html(' aria-current="true"') : ""}>${statusLabel(lang, st)} <b>${byStatus[st] ?? 0}</b></a></li>`,
        )}
      </ul>
      <details class="filters"${hasFilters(f) ? new Html(" open") : ""}><summary>${tx("list.filters")}</summary>
      <form method="get" action="/konsol" class="grid">
        <label class="wide">${tx("list.search")}<input type="search" name="q" value="${f.q ?? ""}"></label>
        ${select(
          "status",
          TRANSITIONS_ORDER.map((st) => [st, statusLabel(lang, st)]),
          f.status,
        )}
        ${select(
          "category",
          categories().map((c) => [c, categoryLabel(lang, c)]),
          f.category,
        )}
        ${select(
          "track",
          [
            ["tip", tx("tracks.tip")],
            ["formal", tx("tracks.formal")],
          ],
          f.track,
        )}
        ${select(
          "channel",
          ["telegram", "whatsapp", "wacloud", "web"].map((c) => [c, channelLabel(lang, c)]),
          f.channel,
        )}
        <label>${tx("list.regency")}<input name="regency" value="${f.regency ?? ""}" inputmode="decimal" pattern="[0-9]{2}\\.[0-9]{2}" placeholder="18.72"></label>
        <label>${tx("list.province")}<input name="province" value="${f.province ?? ""}" inputmode="numeric" pattern="[0-9]{2}" placeholder="18"></label>
        <label>${tx("list.from")}<input type="date" name="from" value="${f.from ?? ""}"></label>
        <label>${tx("list.to")}<input type="date" name="to" value="${f.to ?? ""}"></label>
        ${select(
          "sort",
          SORTS.map((x) => [x, tx(`list.sorts.${x}`)]),
          f.sort,
        )}
        ${check("overdue")}${check("evidence")}${user.officerId ? check("mine") : ""}
        <p class="wide"><button type="submit" class="primary">${tx("list.apply")}</button> <a href="/konsol">${tx("list.reset")}</a></p>
      </form></details>
      <p class="meta">${tx("list.count", { total })} · ${tx("list.export")}:
        <a href="/konsol/ekspor.csv${exportQs}" download>${tx("export.csv")}</a> ·
        <a href="/konsol/ekspor.xlsx${exportQs}" download>${tx("export.xlsx")}</a> ·
        <a href="/konsol/ekspor.geojson${exportQs}" download>${tx("export.geojson")}</a></p>
      ${
        rows.length
          ? html`<div class="scroll"><table class="list"><thead><tr>
          <th scope="col">${tx("list.col_number")}</th><th scope="col">${tx("list.col_received")}</th>
          <th scope="col">${tx("list.col_category")}</th><th scope="col">${tx("list.col_place")}</th>
          <th scope="col">${tx("list.col_status")}</th><th scope="col">${tx("list.col_deadline")}</th>
          <th scope="col">${tx("list.col_evidence")}</th><th scope="col">${tx("list.col_assignee")}</th></tr></thead><tbody>
          ${rows.map((r) => {
            const clocks = clocksOf(
              {
                track: r.track,
                status: r.status,
                createdAt: r.created_at,
                updatedAt: r.updated_at,
                deadline: r.deadline,
                ackAt: r.ack_at,
                neededInfo: r.needed_info,
              },
              deps.deadlines,
              now(),
            );
            return html`<tr>
              <td><a href="/konsol/laporan/${r.number}">${r.number}</a><br><small>${tx(`tracks.${r.track}`)}</small></td>
              <td data-label="${tx("list.col_received")}">${formatAt(r.created_at, lang, r.office_code)}</td>
              <td>${categoryLabel(lang, r.category)}</td>
              <td data-label="${tx("list.col_place")}">${r.region_name ?? "-"}</td>
              <td><span class="status s-${r.status}">${statusLabel(lang, r.status)}</span></td>
              <td>${badges(texts, lang, clocks, r.office_code)}</td>
              <td data-label="${tx("list.col_evidence")}">${r.evidence_count}</td>
              <td${r.assignee ? html` data-label="${tx("list.col_assignee")}"` : ""}>${r.assignee ?? ""}</td></tr>`;
          })}</tbody></table></div>
          <nav class="pages" aria-label="${tx("list.page", { page: f.page, pages })}">
            ${f.page > 1 ? html`<a href="/konsol${filterQuery(f, { page: f.page - 1 })}">${tx("list.prev")}</a>` : ""}
            <span>${tx("list.page", { page: f.page, pages })}</span>
            ${f.page < pages ? html`<a href="/konsol${filterQuery(f, { page: f.page + 1 })}">${tx("list.next")}</a>` : ""}
          </nav>`
          : html`<p>${tx("list.empty")}</p>`
      }`;
      return page(reply, 200, layout(texts, user, tx("list.title"), content, { active: "reports" }));
    }),
  );

  // New reports, live: a server-sent event whenever a report newer than `after` appears in scope.
  s.get<{ Querystring: { after?: string } }>(
    "/konsol/peristiwa",
    signedIn(async (req, reply, user) => {
      let after = Number(req.query.after) || 0;
      const scope = scopeFor(user);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        connection: "keep-alive",
      });
      res.write(": ok\n\n");
      streams.add(res);
      let ticks = 0;
      const timer = setInterval(async () => {
        try {
          const [row] = rowsOf<{ id: number; n: number }>(
            await db.execute(
              sql`select coalesce(max(r.id), 0)::bigint as id, count(*)::int as n from reports r where ${scopeSql(scope)} and r.id > ${after}`,
            ),
          );
          if (row && Number(row.n) > 0) {
            after = Number(row.id);
            res.write(`event: report\ndata: ${JSON.stringify({ count: Number(row.n), after })}\n\n`);
          } else if (++ticks % 10 === 0) res.write(": ping\n\n");
        } catch {
          res.end();
        }
      }, 1500);
      res.on("close", () => {
        clearInterval(timer);
        streams.delete(res);
      });
    }),
  );

  // --- one report -----------------------------------------------------------------------------
  const findReport = async (user: ConsoleUser, number: string): Promise<Report | undefined> => {
    if (!/^LN-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(number)) return undefined;
    const [r] = await db
      .select()
      .from(reports)
      .where(and(eq(reports.number, number), scopeCondition(scopeFor(user))));
    return r && inScope(scopeFor(user), r.officeCode) ? r : undefined;
  };

  s.get<{ Params: { number: string } }>(
    "/konsol/laporan/:number",
    signedIn(async (req, reply, user) => {
      const r = await findReport(user, req.params.number);
      if (!r) return notFound(reply, user);
      const flash = flashes.get(user.sessionId);
      flashes.delete(user.sessionId);
      return page(reply, 200, await reportPage(user, r, flash));
    }),
  );

  s.post<{ Params: { number: string }; Body: Record<string, string> }>(
    "/konsol/laporan/:number",
    signedIn(async (req, reply, user) => {
      const r = await findReport(user, req.params.number);
      if (!r) return notFound(reply, user);
      if (!checkCsrf(user, req.body))
        return page(reply, 403, layout(texts, user, "403", html`<p>${texts(user.lang, "bad_form")}</p>`));
      if (r.officeCode !== user.officeCode && user.role !== "admin") {
        flashes.set(user.sessionId, {
          ok: false,
          message: texts(user.lang, "report.read_only", { office: r.officeCode ?? "-" }),
        });
      } else {
        const result = await act(deps, user, r, req.body, now());
        flashes.set(user.sessionId, result);
      }
      return reply.redirect(`/konsol/laporan/${r.number}`, 303);
    }),
  );

  async function reportPage(
    user: ConsoleUser,
    r: Report,
    flash?: { ok: boolean; message: string },
  ): Promise<string> {
    const lang = user.lang;
    const tx = (k: string, v?: Record<string, string | number>) => texts(lang, k, v);
    const handling = r.officeCode === user.officeCode;
    const [ev, events, jobs, [office], notes, [assigned], staff, [ack], identity] = await Promise.all([
      db.select().from(evidence).where(eq(evidence.reportId, r.id)).orderBy(asc(evidence.id)),
      db
        .select()
        .from(reportEvents)
        .where(eq(reportEvents.reportId, r.id))
        .orderBy(asc(reportEvents.at), asc(reportEvents.id)),
      db
        .select()
        .from(outbox)
        .where(
          and(
            eq(outbox.reportId, r.id),
            or(
              eq(outbox.kind, "relay_to_office"),
              and(eq(outbox.kind, "notify_contact"), sql`${outbox.payload}->>'template' = 'question'`),
            ),
          ),
        )
        .orderBy(asc(outbox.id)),
      db
        .select()
        .from(offices)
        .where(eq(offices.code, r.officeCode ?? "")),
      db
        .select()
        .from(reportNotes)
        .where(and(eq(reportNotes.reportId, r.id), eq(reportNotes.officeCode, user.officeCode)))
        .orderBy(desc(reportNotes.at)),
      db
        .select({ name: officers.displayName, userId: officers.userId, id: officers.id })
        .from(reportAssignments)
        .innerJoin(officers, eq(officers.id, reportAssignments.officerId))
        .where(eq(reportAssignments.reportId, r.id)),
      db
        .select()
        .from(officers)
        .where(and(eq(officers.officeCode, r.officeCode ?? ""), eq(officers.active, true))),
      db
        .select({ at: reportEvents.at })
        .from(reportEvents)
        .where(and(eq(reportEvents.reportId, r.id), eq(reportEvents.toStatus, "acknowledged")))
        .orderBy(asc(reportEvents.at))
        .limit(1),
      r.track === "formal" && handling
        ? db.select().from(reportIdentities).where(eq(reportIdentities.reportId, r.id))
        : Promise.resolve([]),
    ]);
    if (identity[0]) {
      await recordAudit(db, {
        actor: `console:${user.role}:${user.officerId ?? user.officeCode}`,
        action: "report.identity_view",
        entity: "report",
        entityKey: r.number,
        details: { via: "console", office: user.officeCode },
      });
    }
    const duplicates = await findPossibleDuplicates(
      db,
      r,
      ev.flatMap((e) => (e.sha256 ? [e.sha256] : [])),
    );
    const names = new Map(staff.map((o) => [`${o.channel}:${o.userId}`, o.displayName ?? o.userId]));
    // Never a raw id: officers by their name, everyone else by their role.
    const who = (actor: string) =>
      names.get(actor) ??
      (actor === "reporter" || actor.endsWith(":contact")
        ? tx("actors.reporter")
        : actor.startsWith("system")
          ? tx("actors.system")
          : actor.startsWith("console:admin")
            ? tx("actors.admin")
            : actor.startsWith("console:demo")
              ? tx("actors.demo")
              : tx("actors.officer"));
    const at = (d: Date) => formatAt(d, lang, r.officeCode);
    const date = (d: string | null) => (d ? formatLocalDate(d, lang) : "-");
    const clocks = clocksOf(
      {
        track: r.track,
        status: r.status,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        deadline: r.deadline,
        ackAt: ack?.at ?? null,
        neededInfo: events.some((e) => e.toStatus === "needs_info"),
      },
      deps.deadlines,
      now(),
    );
    const row = (label: string, value: unknown) =>
      html`<tr><th scope="row">${label}</th><td>${value ?? "-"}</td></tr>`;
    const canAct = handling || user.role === "admin";
    const open = TRANSITIONS[r.status];
    const hidden = html`<input type="hidden" name="csrf" value="${user.csrf}">`;
    const form = (action: string, body: Html, cls = "") =>
      html`<form method="post" action="/konsol/laporan/${r.number}" class="${cls}">${hidden}<input type="hidden" name="action" value="${action}">${body}</form>`;
    // The conversation: officer questions and reporter replies (one per message, whatever the destinations).
    const seen = new Set<string>();
    type Message = {
      from: "office" | "reporter";
      at: Date;
      text: string;
      files: { href: string; label: string }[];
    };
    const messages = jobs.flatMap((j): Message[] => {
      if (j.kind === "notify_contact") {
        return [
          {
            from: "office",
            at: j.createdAt,
            text: String((j.payload as { question?: string }).question ?? ""),
            files: [],
          },
        ];
      }
      // relay:<report>:<message id>:<channel>:<address>, once per destination: one entry per message.
      const key = j.dedupeKey.slice(0, j.dedupeKey.length - `:${j.channel}:${j.address}`.length);
      if (seen.has(key)) return [];
      seen.add(key);
      const p = j.payload as {
        text?: string;
        items?: { mime: string; sha256: string; caption?: string }[];
        lat?: number;
        lon?: number;
      };
      return [
        {
          from: "reporter",
          at: j.createdAt,
          text:
            p.text ??
            (p.lat !== undefined
              ? `${p.lat}, ${p.lon}`
              : (p.items ?? []).map((i) => i.caption ?? "").join(" ")),
          files: (p.items ?? []).map((it, i) => ({
            href: `/konsol/laporan/${r.number}/pesan/${j.id}/${i}`,
            label: `${it.mime} · SHA-256 ${it.sha256.slice(0, 16)}…`,
          })),
        },
      ];
    });
    const content = html`<p><a href="/konsol">${tx("report.back")}</a></p>
    <h1>${r.number} <span class="status s-${r.status}">${statusLabel(lang, r.status)}</span></h1>
    ${!canAct ? html`<p class="note">${tx("report.read_only", { office: office?.name ?? "-" })}</p>` : ""}
    <div class="cols"><section aria-labelledby="b1"><h2 id="b1">${tx("report.fields")}</h2>
    <table class="fields"><tbody>
      ${row(tx("report.number"), r.number)}
      ${row(tx("report.received"), at(r.createdAt))}
      ${row(tx("report.office"), office?.name)}
      ${row(tx("report.track"), tx(`tracks.${r.track}`))}
      ${row(tx("report.category"), categoryLabel(lang, r.category))}
      ${row(tx("report.event_date"), date(r.eventDate))}
      ${r.learnedDate ? row(tx("report.learned_date"), date(r.learnedDate)) : ""}
      ${r.deadline ? row(tx("report.registration"), `${date(r.deadline.deadline)}${r.deadline.late ? " ⚠" : ""}`) : ""}
      ${row(tx("report.place"), r.placeText)}
      ${row(tx("report.region"), r.regionName)}
      ${r.lat !== null ? row(tx("report.coordinates"), `${r.lat?.toFixed(5)}, ${r.lon?.toFixed(5)}`) : ""}
      ${row(tx("report.accused"), r.accusedName)}
      ${row(tx("report.position"), r.accusedPosition)}
      ${row(tx("report.agency"), r.agencyNormalized ?? r.agencyRaw)}
      ${row(tx("report.asn_type"), r.asnType ? t(deps.locales, lang, `card.asn.${r.asnType}` as TextKey) : null)}
      ${row(tx("report.channel"), channelLabel(lang, r.channel))}
      ${row(
        tx("report.witnesses"),
        r.witnesses.length
          ? html`<ul>${r.witnesses.map((w) => html`<li>${w.name}${handling && w.phone ? `, ${w.phone}` : ""}</li>`)}</ul>`
          : tx("report.no_witnesses"),
      )}
    </tbody></table>
    <h3>${tx("report.account")}</h3><p class="account">${r.account}</p>
    <h3>${tx("report.reporter")}</h3>
    ${
      r.track !== "formal"
        ? html`<p>${tx("report.reporter_hidden")}</p>`
        : identity[0]
          ? html`<table class="fields"><tbody>${row(tx("report.name"), identity[0].name)}${row(tx("report.address"), identity[0].address)}${row(tx("report.phone"), identity[0].phone)}</tbody></table><p class="meta">${tx("report.reporter_note")}</p>`
          : html`<p>${tx("report.reporter_other_office")}</p>`
    }
    ${r.track === "formal" ? html`<p><a href="/konsol/laporan/${r.number}/b1.pdf" download>${tx("report.pdf")}</a></p>` : ""}
    ${duplicates.length ? html`<h3>${tx("report.duplicates")}</h3><ul>${duplicates.map((n) => html`<li><a href="/konsol/laporan/${n}">${n}</a></li>`)}</ul>` : ""}
    </section>
    <section aria-labelledby="bukti"><h2 id="bukti">${tx("report.evidence")}</h2>
    ${ev.length ? "" : html`<p>${r.noEvidence ? tx("report.declared_none") : tx("report.no_evidence")}</p>`}
    <ul class="evidence">${ev.map((e) => {
      const href = `/konsol/bukti/${e.id}`;
      const media =
        e.kind === "link"
          ? html`<a href="${e.url}" rel="noopener noreferrer nofollow" target="_blank">${e.url}</a>`
          : e.mime?.startsWith("image/") && RASTER.test(e.mime)
            ? html`<a href="${href}"><img src="${href}" alt="${e.caption ?? tx("report.evidence")}" loading="lazy"></a>`
            : e.mime?.startsWith("video/")
              ? html`<video controls preload="metadata" src="${href}"></video>`
              : e.mime?.startsWith("audio/")
                ? html`<audio controls preload="metadata" src="${href}"></audio>`
                : html`<a href="${href}">${tx("report.open_file")}</a>`;
      return html`<li>${media}
        ${e.storageKey ? html`<p><a href="${href}" download>${tx("report.download")}</a> · ${e.mime ?? ""}</p>` : ""}
        ${e.sha256 ? html`<p class="hash">${tx("report.sha256")}: <code>${e.sha256}</code></p>` : ""}
        <p class="meta">${tx("report.arrived", { at: at(e.receivedAt), channel: channelLabel(lang, e.channel) })}</p>
        ${e.caption ? html`<p>${tx("report.caption")}: ${e.caption}</p>` : ""}</li>`;
    })}</ul>
    <h2>${tx("report.deadlines")}</h2>${badges(texts, lang, clocks, r.officeCode, true)}
    ${
      canAct
        ? html`<h2>${tx("report.actions")}</h2><div class="actions">
      ${open.includes("acknowledged") ? form("ack", html`<button type="submit" class="primary">${tx("report.ack")}</button>`) : ""}
      ${open.includes("closed") ? form("close", html`<label>${tx("report.close")}<select name="outcome" required><option value="">${tx("report.choose")}</option>${OUTCOMES.map((o) => html`<option value="${o}">${tx(`outcomes.${o}`)}</option>`)}</select></label><button type="submit">${tx("report.close")}</button>`) : ""}
      ${open.includes("rejected") ? form("reject", html`<label>${tx("report.reject")}<select name="reason"><option value="">${tx("report.choose")}</option>${REJECT_REASONS.filter((x) => x !== "other").map((o) => html`<option value="${o}">${tx(`reject_reasons.${o}`)}</option>`)}</select></label><label>${tx("report.reject_text")}<input name="reason_text" maxlength="500"></label><button type="submit">${tx("report.reject")}</button>`) : ""}
      ${open.includes("forwarded") ? form("forward", html`<label>${tx("report.forward_place")}<input name="place" required maxlength="100"></label><label>${tx("report.forward_reason")}<input name="reason" required minlength="3" maxlength="500"></label><button type="submit">${tx("report.forward")}</button>`) : ""}
      ${form("assign", html`<label>${tx("report.assign")}<select name="officer" required><option value="">${assigned ? tx("report.assigned_to", { name: assigned.name ?? assigned.userId }) : tx("report.assign_none")}</option>${staff.map((o) => html`<option value="${o.id}">${o.displayName ?? o.userId}</option>`)}</select></label><button type="submit">${tx("report.assign_button")}</button>`)}
      </div>`
        : ""
    }
    </section></div>
    <div class="cols"><section aria-labelledby="percakapan"><h2 id="percakapan">${tx("report.conversation")}</h2>
    ${messages.length ? "" : html`<p>${tx("report.no_conversation")}</p>`}
    <ol class="chat">${messages.map(
      (
        m,
      ) => html`<li class="${m.from}"><p class="meta">${m.from === "office" ? tx("report.from_office") : tx("report.from_reporter")} · ${at(m.at)}</p>
      ${m.text ? html`<p>${m.text}</p>` : ""}${m.files.map((f) => html`<p><a href="${f.href}">${tx("report.open_file")}</a> <small>${f.label}</small></p>`)}</li>`,
    )}</ol>
    ${canAct && !["closed", "rejected"].includes(r.status) ? form("ask", html`<label>${tx("report.reply")}<textarea name="question" required minlength="3" maxlength="2000" rows="3"></textarea></label><button type="submit" class="primary">${tx("report.send")}</button>`, "reply") : ""}
    </section>
    <section aria-labelledby="riwayat"><h2 id="riwayat">${tx("report.timeline")}</h2>
    <ol class="timeline">${events.map(
      (e) =>
        html`<li><p class="meta">${at(e.at)} · ${who(e.actor)}</p><p>${
          e.type === "status"
            ? tx("events.status", {
                from: e.fromStatus ? statusLabel(lang, e.fromStatus) : "-",
                to: e.toStatus ? statusLabel(lang, e.toStatus) : "-",
              })
            : EVENT_TYPES.includes(e.type)
              ? tx(`events.${e.type}`)
              : tx("events.other")
        }${e.reason ? html`<br><small>${e.reason}</small>` : ""}</p></li>`,
    )}</ol>
    ${
      handling || user.role === "admin"
        ? html`<h2>${tx("report.notes")}</h2>
      ${notes.length ? html`<ul class="notes">${notes.map((n) => html`<li><p class="meta">${at(n.at)} · ${who(n.author)}</p><p>${n.text}</p></li>`)}</ul>` : html`<p>${tx("report.no_notes")}</p>`}
      ${form("note", html`<label>${tx("report.note_add")}<textarea name="note" required maxlength="4000" rows="2"></textarea></label><button type="submit">${tx("report.note_add")}</button>`)}`
        : ""
    }
    </section></div>`;
    return layout(texts, user, r.number, content, { active: "reports", ...(flash ? { flash } : {}) });
  }

  // --- files ------------------------------------------------------------------------------------
  const sendFile = async (reply: FastifyReply, storageKey: string, mime: string | null, name: string) => {
    const type = mime ?? "application/octet-stream";
    const inline = RASTER.test(type);
    const file = `${name}.${EXT[type] ?? "bin"}`;
    reply.header("content-disposition", `${inline ? "inline" : "attachment"}; filename="${file}"`);
    reply.header("cache-control", "private, no-store");
    return reply.type(type).send(await deps.store.read(storageKey));
  };
  s.get<{ Params: { id: string } }>(
    "/konsol/bukti/:id",
    signedIn(async (req, reply, user) => {
      const id = Number(req.params.id);
      if (!Number.isSafeInteger(id)) return notFound(reply, user);
      const [row] = await db
        .select({ e: evidence, number: reports.number, officeCode: reports.officeCode })
        .from(evidence)
        .innerJoin(reports, eq(reports.id, evidence.reportId))
        .where(and(eq(evidence.id, id), scopeCondition(scopeFor(user))));
      if (!row?.e.storageKey || !inScope(scopeFor(user), row.officeCode)) return notFound(reply, user);
      return sendFile(reply, row.e.storageKey, row.e.mime, `${row.number}-${row.e.id}`);
    }),
  );
  s.get<{ Params: { number: string; id: string; i: string } }>(
    "/konsol/laporan/:number/pesan/:id/:i",
    signedIn(async (req, reply, user) => {
      const r = await findReport(user, req.params.number);
      if (!r) return notFound(reply, user);
      const [job] = await db
        .select()
        .from(outbox)
        .where(
          and(
            eq(outbox.id, Number(req.params.id) || 0),
            eq(outbox.reportId, r.id),
            eq(outbox.kind, "relay_to_office"),
          ),
        );
      const item = (job?.payload as { items?: { ref: string; mime: string }[] } | undefined)?.items?.[
        Number(req.params.i)
      ];
      if (!item) return notFound(reply, user);
      return sendFile(
        reply,
        item.ref,
        item.mime,
        `${r.number}-balasan-${job!.id}-${Number(req.params.i) + 1}`,
      );
    }),
  );

  s.get<{ Params: { number: string } }>(
    "/konsol/laporan/:number/b1.pdf",
    signedIn(async (req, reply, user) => {
      const r = await findReport(user, req.params.number);
      if (r?.track !== "formal") return notFound(reply, user);
      const handling = r.officeCode === user.officeCode;
      const [[identity], ev, [office]] = await Promise.all([
        handling
          ? db.select().from(reportIdentities).where(eq(reportIdentities.reportId, r.id))
          : Promise.resolve([]),
        db.select().from(evidence).where(eq(evidence.reportId, r.id)).orderBy(asc(evidence.id)),
        db
          .select()
          .from(offices)
          .where(eq(offices.code, r.officeCode ?? "")),
      ]);
      if (identity)
        await recordAudit(db, {
          actor: `console:${user.role}:${user.officerId ?? user.officeCode}`,
          action: "report.identity_view",
          entity: "report",
          entityKey: r.number,
          details: { via: "console-b1-pdf", office: user.officeCode },
        });
      const lang = user.lang;
      const pdf = await b1Pdf(
        {
          report: r,
          identity: identity ?? null,
          evidence: ev,
          officeName: office?.name ?? "-",
          categoryLabel: categoryLabel(lang, r.category),
          asnLabel: r.asnType ? t(deps.locales, lang, `card.asn.${r.asnType}` as TextKey) : "-",
          formatDate: (d) => (d ? formatLocalDate(d, lang) : "-"),
          today: formatAt(now(), lang, r.officeCode).replace(/\s\d{2}[.:]\d{2}\s\w+$/, ""),
          place: r.regionName ?? r.placeText ?? "-",
        },
        texts,
        lang,
      );
      reply.header("content-disposition", `attachment; filename="B1-${r.number}.pdf"`);
      return reply.type("application/pdf").send(pdf);
    }),
  );

  // --- exports ----------------------------------------------------------------------------------
  const exportRows = async (user: ConsoleUser, f: Filters): Promise<ExportRecord[]> => {
    const lang = user.lang;
    const rows = rowsOf<Record<string, unknown>>(
      await db.execute(sql`select r.number, r.created_at, r.track, r.status, r.category, r.account, r.event_date::text as event_date,
        r.learned_date::text as learned_date, r.region_code, r.region_name, r.accused_name, r.accused_position,
        coalesce(r.agency_normalized, r.agency_raw) as agency, r.channel, r.office_code,
        (select count(*)::int from evidence v where v.report_id = r.id) as evidence
        from reports r where ${whereOf(scopeFor(user), f, ctx(user))} order by r.created_at desc limit 100000`),
    );
    return rows.map((x) => ({
      number: String(x.number),
      created_at: formatAt(new Date(x.created_at as string), lang, x.office_code as string | null),
      track: texts(lang, `tracks.${x.track}`),
      status: statusLabel(lang, String(x.status)),
      category: categoryLabel(lang, String(x.category)),
      account: String(x.account),
      event_date: (x.event_date as string | null) ?? null,
      learned_date: (x.learned_date as string | null) ?? null,
      region_code: (x.region_code as string | null) ?? null,
      region_name: (x.region_name as string | null) ?? null,
      accused_name: (x.accused_name as string | null) ?? null,
      accused_position: (x.accused_position as string | null) ?? null,
      agency: (x.agency as string | null) ?? null,
      channel: channelLabel(lang, String(x.channel)),
      office_code: (x.office_code as string | null) ?? null,
      evidence: Number(x.evidence),
      status_code: String(x.status),
      category_code: String(x.category),
      track_code: String(x.track),
    }));
  };
  const stamp = () => now().toISOString().slice(0, 10);
  s.get<{ Querystring: Record<string, string> }>(
    "/konsol/ekspor.csv",
    signedIn(async (req, reply, user) => {
      const rows = await exportRows(user, parseFilters(req.query));
      reply.header("content-disposition", `attachment; filename="laporan-${stamp()}.csv"`);
      return reply.type("text/csv; charset=utf-8").send(toCsv(rows, texts, user.lang));
    }),
  );
  s.get<{ Querystring: Record<string, string> }>(
    "/konsol/ekspor.xlsx",
    signedIn(async (req, reply, user) => {
      const rows = await exportRows(user, parseFilters(req.query));
      reply.header("content-disposition", `attachment; filename="laporan-${stamp()}.xlsx"`);
      return reply
        .type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .send(await toXlsx(rows, texts, user.lang));
    }),
  );
  s.get<{ Querystring: Record<string, string> }>(
    "/konsol/ekspor.geojson",
    signedIn(async (req, reply, user) => {
      const rows = rowsOf<{
        number: string;
        status: string;
        category: string;
        region_code: string | null;
        lat: number;
        lon: number;
        created_at: string;
      }>(
        await db.execute(sql`select r.number, r.status, r.category, r.region_code, r.lat, r.lon, r.created_at
          from reports r where ${whereOf(scopeFor(user), parseFilters(req.query), ctx(user))} and r.lat is not null
          order by r.created_at desc limit 100000`),
      ).map((x) => ({ ...x, created_at: new Date(x.created_at).toISOString() }));
      reply.header("content-disposition", `attachment; filename="laporan-${stamp()}.geojson"`);
      return reply.type("application/geo+json").send(toGeoJson(rows));
    }),
  );

  // --- deadlines, map, statistics -----------------------------------------------------------------
  s.get(
    "/konsol/tenggat",
    signedIn(async (_req, reply, user) => {
      const lang = user.lang;
      const tx = (k: string, v?: Record<string, string | number>) => texts(lang, k, v);
      const d = deps.deadlines;
      const shares = await deadlineShares(db, scopeFor(user), d, now());
      const content = html`<h1>${tx("deadlines.title")}</h1>
      <p>${tx("deadlines.settings", { registration: d.registration_days, review: d.initial_review_days, follow: d.follow_up_days, extra: d.follow_up_extra_days })}</p>
      <p><a class="button" href="/konsol?overdue=1&amp;sort=old">${tx("deadlines.overdue_list")}</a></p>
      <div class="scroll"><table><thead><tr><th scope="col">${tx("deadlines.office")}</th><th scope="col">${tx("deadlines.open")}</th>
      <th scope="col">${tx("deadlines.overdue")}</th><th scope="col">${tx("deadlines.finished")}</th><th scope="col">${tx("deadlines.met")}</th>
      <th scope="col">${tx("deadlines.share")}</th></tr></thead><tbody>
      ${shares.map(
        (
          x,
        ) => html`<tr><td>${x.name}</td><td>${x.open}</td><td>${x.overdue ? html`<span class="badge overdue">${x.overdue}</span>` : "0"}</td>
        <td>${x.finished}</td><td>${x.met}</td><td>${x.finished ? `${Math.round((100 * x.met) / x.finished)}%` : "-"}</td></tr>`,
      )}</tbody></table></div>`;
      return page(reply, 200, layout(texts, user, tx("deadlines.title"), content, { active: "deadlines" }));
    }),
  );

  s.get<{ Querystring: Record<string, string> }>(
    "/konsol/peta",
    signedIn(async (req, reply, user) => {
      const lang = user.lang;
      const tx = (k: string, v?: Record<string, string | number>) => texts(lang, k, v);
      const f = parseFilters(req.query);
      const counts = await mapCounts(db, scopeFor(user), f, ctx(user));
      if (!shapes && deps.boundariesPath) shapes = regencyShapes(deps.boundariesPath);
      const max = Math.max(1, ...Object.values(counts));
      const steps = [0, 1, 2, 3, 4, 5];
      const level = (n: number) =>
        n === 0 ? 0 : Math.min(5, 1 + Math.floor((4 * Math.log(n)) / Math.log(max + 1)));
      const qs = filterQuery({ ...f, regency: undefined, page: 1 });
      const content = html`<h1>${tx("map.title")}</h1><p>${tx("map.explain")}</p>
      <svg class="map" viewBox="${viewBoxOf(shapes ?? [], f.province ?? (user.officeLevel === "national" || user.role === "admin" ? undefined : user.officeCode.slice(0, 2)))}" role="img" aria-label="${tx("map.title")}">
      ${(shapes ?? []).map((sh) => {
        const n = counts[sh.code] ?? 0;
        const list = `/konsol${filterQuery({ ...f, regency: sh.code, page: 1 })}`;
        return html`<a href="${list}" data-code="${sh.code}" aria-label="${sh.name}: ${n}"><path class="l${level(n)}" d="${sh.d}"><title>${sh.name}: ${n}</title></path></a>`;
      })}</svg>
      <p class="legend">${tx("map.legend")}: ${steps.map((l) => html`<span class="key l${l}"></span> ${l === 0 ? tx("map.none") : ""} `)} (${tx("map.max", { max })})</p>
      <p class="meta"><a href="/konsol${qs}">${tx("list.title")}</a></p>`;
      return page(reply, 200, layout(texts, user, tx("map.title"), content, { active: "map" }));
    }),
  );
  s.get<{ Querystring: Record<string, string> }>(
    "/konsol/peta.json",
    signedIn(async (req, reply, user) =>
      reply.send(await mapCounts(db, scopeFor(user), parseFilters(req.query), ctx(user))),
    ),
  );

  const statRows = async (user: ConsoleUser, f: Filters) => {
    const lang = user.lang;
    const data = await statistics(db, scopeFor(user), f, ctx(user));
    const provinces = new Map(
      (
        await db
          .select({ code: offices.code, name: offices.name })
          .from(offices)
          .where(eq(offices.level, "province"))
      ).map((o) => [o.code, o.name.replace(/^Bawaslu Provinsi /, "")]),
    );
    const label = (dim: StatDimension, key: string | null, l: string | null): string => {
      if (key === null) return "-";
      switch (dim) {
        case "category":
          return categoryLabel(lang, key);
        case "province":
          return provinces.get(key) ?? key;
        case "regency":
        case "agency":
          return l ?? key;
        case "channel":
          return channelLabel(lang, key);
        case "track":
          return texts(lang, `tracks.${key}`);
        case "status":
          return statusLabel(lang, key);
        default:
          return key;
      }
    };
    return Object.fromEntries(
      STAT_DIMENSIONS.map((d) => [
        d,
        data[d].map((x) => ({ key: x.key, label: label(d, x.key, x.label), n: x.n })),
      ]),
    ) as Record<StatDimension, { key: string | null; label: string; n: number }[]>;
  };
  s.get<{ Querystring: Record<string, string> }>(
    "/konsol/statistik",
    signedIn(async (req, reply, user) => {
      const lang = user.lang;
      const tx = (k: string, v?: Record<string, string | number>) => texts(lang, k, v);
      const f = parseFilters(req.query);
      const data = await statRows(user, f);
      const qs = filterQuery({ ...f, page: 1 });
      const content = html`<h1>${tx("stats.title")}</h1><div class="stats">
      ${STAT_DIMENSIONS.map((d) => {
        const rows = data[d].slice(0, d === "week" ? 52 : 30);
        const max = Math.max(1, ...rows.map((x) => x.n));
        return html`<section aria-labelledby="st-${d}"><h2 id="st-${d}">${tx(`stats.dims.${d}`)}</h2>
        <p><a href="/konsol/statistik/${d}.csv${qs}" download>${tx("stats.csv")}</a></p>
        <table class="bars"><thead><tr><th scope="col">${tx("stats.value")}</th><th scope="col">${tx("stats.count")}</th></tr></thead><tbody>
        ${rows.map((x) => html`<tr><td>${x.label}</td><td><span class="bar w${Math.round((10 * x.n) / max)}"></span> ${x.n}</td></tr>`)}
        </tbody></table></section>`;
      })}</div>`;
      return page(reply, 200, layout(texts, user, tx("stats.title"), content, { active: "stats" }));
    }),
  );
  s.get<{ Params: { dim: string }; Querystring: Record<string, string> }>(
    "/konsol/statistik/:dim.csv",
    signedIn(async (req, reply, user) => {
      const dim = req.params.dim as StatDimension;
      if (!STAT_DIMENSIONS.includes(dim)) return notFound(reply, user);
      const rows = (await statRows(user, parseFilters(req.query)))[dim];
      reply.header("content-disposition", `attachment; filename="statistik-${dim}-${stamp()}.csv"`);
      return reply.type("text/csv; charset=utf-8").send(
        tableCsv(
          [texts(user.lang, `stats.dims.${dim}`), "code", texts(user.lang, "stats.count")],
          rows.map((x) => [x.label, x.key, x.n]),
        ),
      );
    }),
  );
}

const EVENT_TYPES = [
  "received",
  "forwarded",
  "reporter_answered",
  "delivered",
  "delivery_failed",
  "delivery_retry",
  "escalated",
  "escalated_unacknowledged",
  "reminded",
];
const TRANSITIONS_ORDER = [
  "received",
  "delivered",
  "acknowledged",
  "needs_info",
  "forwarded",
  "closed",
  "rejected",
] as const;

function hasFilters(f: Filters): boolean {
  return Boolean(
    f.category ||
      f.track ||
      f.regency ||
      f.province ||
      f.from ||
      f.to ||
      f.channel ||
      f.overdue ||
      f.evidence ||
      f.mine ||
      f.q,
  );
}

/** The deadline badges of a report (the open or overdue clocks on the list, all of them on the report). */
function badges(
  texts: ConsoleTexts,
  lang: ConsoleLang,
  clocks: Clock[],
  officeCode: string | null,
  all = false,
): Html {
  const shown = all ? clocks : clocks.filter((c) => c.state === "overdue" || c.state === "open");
  return html`${shown.map(
    (c) =>
      html`<span class="badge ${c.state}" title="${texts(lang, `clocks.${c.kind}`)}">${texts(lang, `clocks.${c.kind}`)}: ${texts(lang, `clocks.${c.state}`)}${
        c.state === "open" || c.state === "overdue" || all
          ? ` · ${texts(lang, "clocks.due", { at: formatAt(c.due, lang, officeCode) })}`
          : ""
      }</span> `,
  )}`;
}

export { esc };
