import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm";
import type { FastifyInstance, FastifyReply } from "fastify";
import { cleanInbound } from "../channels/clean-inbound.js";
import {
  cleanFileName,
  isInlineSafe,
  MediaIntake,
  normalizeMime,
  realMime,
} from "../channels/media-intake.js";
import type { MediaPolicy } from "../channels/types.js";
import type { ConversationService } from "../conversation/service.js";
import type { Database } from "../db/client.js";
import { contacts, evidence, offices, outbox, reportIdentities, reports } from "../db/schema/index.js";
import { renderReportCard } from "../delivery/card.js";
import type { FlowRegistry } from "../engine/flow-schema.js";
import type { LocaleBundle, LocaleTree } from "../engine/locale.js";
import type { Inbound, Lang } from "../engine/types.js";
import type { EvidenceStore } from "../reports/evidence-store.js";
import { EVIDENCE_CSP, newNonce, PDF_CSP, pageCsp, withNonce } from "./security.js";

/** What the simulator pages need. */
export interface SimulatorDeps {
  db: Database;
  conversation: ConversationService;
  store: EvidenceStore;
  policy: MediaPolicy;
  registry: FlowRegistry;
  locales: LocaleBundle;
}

const page = (name: string) => readFileSync(new URL(`./pages/${name}`, import.meta.url), "utf8");
const VISITOR = /^[A-Za-z0-9_-]{8,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The web simulator: a chat page running the same flows as Telegram (`/`), and an office inbox
 * showing what each office received through `web:` destinations (`/inbox`). For trying the product
 * and for tests; it has no login, so keep HOST on 127.0.0.1 or turn it off (WEB_SIMULATOR=false)
 * on a public server.
 */
export function registerSimulator(app: FastifyInstance, deps: SimulatorDeps): void {
  const { db, conversation, store, policy, locales } = deps;
  const intake = new MediaIntake(policy, store);
  const texts = (lang: Lang) => (locales[lang] as LocaleTree).simulator ?? {};

  app.addContentTypeParser(
    "application/octet-stream",
    { parseAs: "buffer", bodyLimit: policy.maxBytes + 1024 },
    (_req, body, done) => done(null, body),
  );

  // Each page allows only its own scripts, by a nonce drawn for the response.
  const sendPage = (reply: FastifyReply, name: string, texts: unknown) => {
    const nonce = newNonce();
    return reply
      .type("text/html; charset=utf-8")
      .header("content-security-policy", pageCsp(nonce))
      .header("cache-control", "no-store")
      .send(withNonce(page(name).replace("__TEXTS__", JSON.stringify(texts)), nonce));
  };
  app.get("/", async (_req, reply) => sendPage(reply, "chat.html", { id: texts("id"), en: texts("en") }));
  app.get("/inbox", async (_req, reply) => sendPage(reply, "inbox.html", texts("id")));

  const handle = async (
    visitor: string,
    input: Inbound | (() => Promise<Inbound>),
    messageId = randomUUID(),
  ) => {
    const reply = await conversation.handle({
      channel: "web",
      chatId: visitor,
      messageId,
      receivedAt: new Date(),
      input,
    });
    return reply ?? { lang: "id", outputs: [] };
  };

  app.post<{
    Params: { visitor: string };
    Body: { text?: string; choice?: string; lat?: number; lon?: number };
  }>("/api/sim/:visitor/send", async (req, reply) => {
    const { visitor } = req.params;
    if (!VISITOR.test(visitor)) return reply.code(400).send({ error: "bad visitor id" });
    const b = req.body ?? {};
    let input: Inbound;
    if (typeof b.choice === "string") input = { kind: "choice", value: b.choice };
    else if (typeof b.lat === "number" && typeof b.lon === "number")
      input = { kind: "location", lat: b.lat, lon: b.lon };
    else if (typeof b.text === "string") {
      const m = /^\/(\w+)\s*(.*)$/s.exec(b.text.trim());
      input = m
        ? { kind: "command", name: m[1]!.toLowerCase(), args: m[2]!.trim() }
        : { kind: "text", text: b.text };
    } else return reply.code(400).send({ error: "send text, choice, or lat and lon" });
    return handle(visitor, cleanInbound(input));
  });

  app.post<{ Params: { visitor: string }; Querystring: { name?: string; type?: string } }>(
    "/api/sim/:visitor/upload",
    async (req, reply) => {
      const { visitor } = req.params;
      if (!VISITOR.test(visitor)) return reply.code(400).send({ error: "bad visitor id" });
      // An empty body is no body at all for the parser: zero bytes, refused by the intake as empty.
      const bytes = (req.body as Buffer | undefined) ?? new Uint8Array();
      const messageId = randomUUID();
      return handle(
        visitor,
        () =>
          intake.take({
            declaredMime: req.query.type,
            fileName: req.query.name ?? "file",
            messageId,
            receivedAt: new Date(),
            download: async () => bytes,
          }),
        messageId,
      );
    },
  );

  // Updates sent to a visitor after their conversation (status changes, an office's question).
  app.get<{ Params: { visitor: string }; Querystring: { after?: string } }>(
    "/api/sim/:visitor/updates",
    async (req, reply) => {
      const { visitor } = req.params;
      if (!VISITOR.test(visitor)) return reply.code(400).send({ error: "bad visitor id" });
      const after = Number(req.query.after ?? 0) || 0;
      const rows = await db
        .select({ id: outbox.id, payload: outbox.payload })
        .from(outbox)
        .innerJoin(contacts, and(eq(contacts.channel, "web"), eq(contacts.externalId, visitor)))
        .where(
          and(
            eq(outbox.kind, "notify_contact"),
            eq(outbox.channel, "web"),
            eq(outbox.address, sql`${contacts.id}::text`),
            eq(outbox.status, "done"),
            gt(outbox.id, after),
          ),
        )
        .orderBy(asc(outbox.id))
        .limit(20);
      return rows
        .map((r) => ({ id: r.id, text: String((r.payload as { sent?: string }).sent ?? "") }))
        .filter((r) => r.text);
    },
  );

  app.get("/api/inbox", async () => {
    const jobs = await db
      .select({ job: outbox, report: reports, officeName: offices.name })
      .from(outbox)
      .innerJoin(reports, eq(reports.id, outbox.reportId))
      .leftJoin(offices, eq(offices.code, outbox.officeCode))
      .where(and(eq(outbox.channel, "web"), eq(outbox.status, "done")))
      .orderBy(desc(outbox.doneAt))
      .limit(200);
    const ids = jobs.map((j) => j.report.id);
    const ev = ids.length ? await db.select().from(evidence).where(inArray(evidence.reportId, ids)) : [];
    // The office's card of a formal report carries the reporter's identity, as delivered (a tip never does).
    const formal = jobs.filter((j) => j.report.track === "formal").map((j) => j.report.id);
    const identities = formal.length
      ? await db.select().from(reportIdentities).where(inArray(reportIdentities.reportId, formal))
      : [];
    return jobs.map(({ job, report, officeName }) => {
      const files = ev.filter((e) => e.reportId === report.id);
      const step = report.route[(job.payload as { stepIndex?: number }).stepIndex ?? 0];
      return {
        inbox: job.address,
        office: officeName ?? "Admin",
        officeCode: job.officeCode,
        number: report.number,
        deliveredAt: job.doneAt,
        card: renderReportCard(
          {
            report,
            evidence: files,
            identity: identities.find((i) => i.reportId === report.id) ?? null,
            officeName: officeName ?? "Admin",
            reason: step?.reason ?? "",
          },
          deps.registry,
          locales,
        ),
        evidence: files.map((e, i) => ({
          id: e.id,
          kind: e.kind,
          url: e.url,
          fileName: e.fileName,
          sha256: e.sha256,
          href: e.storageKey ? `/api/evidence/${e.publicId}` : null,
          // Downloads are named after the report (a file's own name may identify the reporter).
          download: e.storageKey ? `${report.number}-${i + 1}.${extensionOf(e.mime)}` : null,
        })),
        location: report.lat !== null ? { lat: report.lat, lon: report.lon } : null,
      };
    });
  });

  // Evidence by its unguessable id. Shown inline only when the bytes really are a safe raster
  // image or a PDF; anything else (an SVG, an HTML page, a document) is a download.
  app.get<{ Params: { id: string } }>("/api/evidence/:id", async (req, reply) => {
    const id = req.params.id.toLowerCase();
    if (!UUID.test(id)) return reply.code(404).send();
    const [row] = await db
      .select({ e: evidence, number: reports.number })
      .from(evidence)
      .innerJoin(reports, eq(reports.id, evidence.reportId))
      .where(eq(evidence.publicId, id));
    if (!row?.e.storageKey) return reply.code(404).send();
    const { e } = row;
    // Named after the report: a file's own name may identify the reporter.
    const name = `${row.number}-${e.id}`;
    const bytes = await store.read(e.storageKey!);
    const mime = await realMime(bytes, normalizeMime(e.mime));
    reply.header("cache-control", "private, no-store");
    if (isInlineSafe(mime)) {
      return reply
        .type(mime)
        .header("content-security-policy", mime === "application/pdf" ? PDF_CSP : EVIDENCE_CSP)
        .header("content-disposition", contentDisposition("inline", `${name}.${extensionOf(mime)}`, e.kind))
        .send(bytes);
    }
    return reply
      .type("application/octet-stream")
      .header("content-security-policy", EVIDENCE_CSP)
      .header("content-disposition", contentDisposition("attachment", `${name}.${extensionOf(mime)}`, e.kind))
      .send(bytes);
  });
}

/**
 * A Content-Disposition with a safe download name: an ASCII fallback (letters, digits, dot, dash,
 * underscore) and the cleaned original name in UTF-8 (RFC 6266 / 5987).
 */
export function contentDisposition(
  type: "inline" | "attachment",
  fileName: string | null,
  kind: string,
): string {
  const name = cleanFileName(fileName ?? undefined) ?? `bukti-${kind}`;
  const ascii = name.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "") || `bukti-${kind}`;
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** A file extension for a MIME type, for download names. */
function extensionOf(mime: string | null): string {
  const sub = (mime ?? "").split("/")[1]?.split(/[;+]/)[0] ?? "";
  return (
    (
      {
        jpeg: "jpg",
        mpeg: "mp3",
        "vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
      } as Record<string, string>
    )[sub] ?? (/^[a-z0-9]{1,5}$/.test(sub) ? sub : "bin")
  );
}
