/**
 * A local stand-in for the Graph API endpoints the WhatsApp Cloud API channel uses, for tests
 * without internet. Point the app at it with `GRAPH_API_ROOT=stub.root`.
 *
 * It speaks the real protocol: a Bearer token on every request (else 401, Graph code 190);
 * - `POST /{version}/{phone-number-id}/messages`: validates the payload like Meta
 *   ({@link validateCloudPayload}: lengths, ≤3 buttons, ≤10 rows, required fields, media ids that
 *   were uploaded) and answers `{messaging_product, contacts:[{input, wa_id}], messages:[{id}]}`;
 * - `POST /{version}/{phone-number-id}/media` (multipart: messaging_product, type, file): `{id}`;
 * - `GET /{version}/{media-id}`: `{messaging_product, url, mime_type, sha256, file_size, id}` for
 *   inbound media the test registered with {@link GraphApiStub.addInboundMedia};
 * - `GET <media url>`: the bytes (Bearer token required, as on Meta's CDN).
 * Errors are Graph error bodies `{error:{message,type,code,error_subcode,fbtrace_id}}`. Faults:
 * {@link GraphApiStub.failNext} (e.g. 429 with Retry-After, 500, 131048) and unreachable
 * recipients (131026). Every request is recorded.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { validateCloudPayload } from "./graph-api-validate.js";

/** One request the stand-in received. */
export interface GraphRequest {
  method: string;
  path: string;
  /** The JSON body of a messages call. */
  json?: Record<string, unknown>;
  status: number;
  /** When it arrived (ms since the epoch). */
  at: number;
  /** The Graph error message answered, if any. */
  error?: string;
}

/** A message the app sent (accepted by the stand-in). */
export interface SentCloudMessage {
  id: string;
  to: string;
  type: string;
  payload: Record<string, unknown>;
  /** The readable text: text body, interactive body, caption, or template parameters. */
  text: string;
}

/** A file the app uploaded. */
export interface UploadedMedia {
  id: string;
  bytes: Buffer;
  mime: string;
  fileName: string;
}

/** A Graph error to answer with. */
export interface GraphFault {
  status: number;
  code: number;
  subcode?: number;
  message?: string;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Which requests the fault applies to (default: any messages or media call). */
  match?: (req: { path: string; json?: Record<string, unknown> }) => boolean;
}

/** A running stand-in. */
export interface GraphApiStub {
  root: string;
  version: string;
  phoneNumberId: string;
  token: string;
  requests: GraphRequest[];
  sent: SentCloudMessage[];
  uploads: Map<string, UploadedMedia>;
  /** Registers a file a user sends; resolves to its media id. */
  addInboundMedia(bytes: Buffer, mime: string): string;
  /** Answers the next matching request with this Graph error (once). */
  failNext(fault: GraphFault): void;
  /** Recipients answered with 131026 (message undeliverable). */
  unreachable: Set<string>;
  /** Messages sent to `to`, in order. */
  sentTo(to: string): SentCloudMessage[];
  /**
   * Waits for the next message to `to` (after the last one this returned for `to`, or from the
   * start with `fromStart`) that matches; polls until `timeoutMs` (default 10 s).
   */
  waitForMessage(
    to: string,
    options?: { match?: (m: SentCloudMessage) => boolean; fromStart?: boolean; timeoutMs?: number },
  ): Promise<SentCloudMessage>;
  close(): Promise<void>;
}

function readableText(p: Record<string, unknown>): string {
  const type = String(p.type ?? "text");
  const get = (o: unknown, ...path: string[]): unknown =>
    path.reduce<unknown>(
      (v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined),
      o,
    );
  if (type === "text") return String(get(p, "text", "body") ?? "");
  if (type === "interactive") return String(get(p, "interactive", "body", "text") ?? "");
  if (type === "template") {
    const components = (get(p, "template", "components") as { parameters?: { text?: string }[] }[]) ?? [];
    return components
      .flatMap((c) => c.parameters ?? [])
      .map((x) => x.text ?? "")
      .join(" | ");
  }
  return String(get(p, type, "caption") ?? "");
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Starts the stand-in on a free port of 127.0.0.1. */
export async function startGraphApiStub(
  options: { token?: string; version?: string; phoneNumberId?: string } = {},
): Promise<GraphApiStub> {
  const token = options.token ?? "EAAG-test-token-for-the-local-graph-stand-in";
  const version = options.version ?? "v21.0";
  const phoneNumberId = options.phoneNumberId ?? "109876543210";
  const requests: GraphRequest[] = [];
  const sent: SentCloudMessage[] = [];
  const uploads = new Map<string, UploadedMedia>();
  const inbound = new Map<string, { bytes: Buffer; mime: string }>();
  const faults: GraphFault[] = [];
  const unreachable = new Set<string>();
  const positions = new Map<string, number>();
  let root = "";
  const errors = new WeakMap<ServerResponse, string>();

  const graphError = (
    res: ServerResponse,
    status: number,
    code: number,
    message: string,
    extra: Partial<GraphFault> = {},
  ) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (extra.retryAfter) headers["retry-after"] = String(extra.retryAfter);
    errors.set(res, message);
    res.writeHead(status, headers);
    res.end(
      JSON.stringify({
        error: {
          message,
          type: "OAuthException",
          code,
          ...(extra.subcode ? { error_subcode: extra.subcode } : {}),
          error_data: { messaging_product: "whatsapp", details: message },
          fbtrace_id: randomBytes(8).toString("base64url"),
        },
      }),
    );
    return status;
  };
  const json = (res: ServerResponse, value: unknown) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(value));
    return 200;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, record: GraphRequest): Promise<number> => {
    if (req.headers.authorization !== `Bearer ${token}`)
      return graphError(res, 401, 190, "Invalid OAuth access token - Cannot parse access token");
    const path = record.path;
    const download = /^\/media-download\/([\w-]+)$/.exec(path);
    if (download && req.method === "GET") {
      const file = inbound.get(download[1]!);
      if (!file) return graphError(res, 404, 100, "media not found");
      res.writeHead(200, { "content-type": file.mime, "content-length": file.bytes.byteLength });
      res.end(file.bytes);
      return 200;
    }
    const [, v, first, second] = path.split("/");
    if (v !== version) return graphError(res, 400, 2500, `Unknown path components: ${path}`);
    const raw = await body(req);
    if (req.method === "POST" && first === phoneNumberId && (second === "messages" || second === "media")) {
      if (second === "messages") {
        try {
          record.json = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
        } catch {
          return graphError(res, 400, 100, "(#100) The parameter messaging_product is required.");
        }
      }
      const i = faults.findIndex(
        (f) => !f.match || f.match({ path, ...(record.json ? { json: record.json } : {}) }),
      );
      if (i >= 0) {
        const [f] = faults.splice(i, 1);
        return graphError(res, f!.status, f!.code, f!.message ?? `(#${f!.code}) injected fault`, f!);
      }
      if (second === "media") {
        const form = await new Request(`${root}${path}`, {
          method: "POST",
          headers: { "content-type": req.headers["content-type"] ?? "" },
          body: raw,
        })
          .formData()
          .catch(() => undefined);
        const file = form?.get("file");
        if (form?.get("messaging_product") !== "whatsapp" || !(file instanceof Blob))
          return graphError(res, 400, 100, "(#100) messaging_product and file are required");
        const id = String(10 ** 15 + uploads.size + 1);
        uploads.set(id, {
          id,
          bytes: Buffer.from(await file.arrayBuffer()),
          mime: String(form.get("type") ?? file.type),
          fileName: (file as File).name ?? "",
        });
        return json(res, { id });
      }
      const payload = record.json!;
      const problems = validateCloudPayload(payload, (id) => uploads.has(id));
      if (problems.length)
        return graphError(res, 400, 131009, `(#131009) Parameter value is not valid: ${problems.join("; ")}`);
      const to = String(payload.to);
      if (unreachable.has(to)) return graphError(res, 400, 131026, "Message undeliverable.");
      const id = `wamid.${randomBytes(12).toString("base64url")}`;
      sent.push({ id, to, type: String(payload.type ?? "text"), payload, text: readableText(payload) });
      return json(res, {
        messaging_product: "whatsapp",
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id }],
      });
    }
    if (req.method === "GET" && first && !second) {
      const file = inbound.get(first);
      if (!file) return graphError(res, 400, 100, `(#100) Object with ID '${first}' does not exist`);
      return json(res, {
        messaging_product: "whatsapp",
        url: `${root}/media-download/${first}`,
        mime_type: file.mime,
        sha256: createHash("sha256").update(file.bytes).digest("hex"),
        file_size: file.bytes.byteLength,
        id: first,
      });
    }
    return graphError(res, 400, 2500, `Unknown path components: ${path}`);
  };

  const server: Server = createServer((req, res) => {
    const record: GraphRequest = {
      method: req.method ?? "GET",
      path: (req.url ?? "/").split("?")[0]!,
      status: 0,
      at: Date.now(),
    };
    requests.push(record);
    handle(req, res, record)
      .then((status) => {
        record.status = status;
        const error = errors.get(res);
        if (error) record.error = error;
      })
      .catch((e: unknown) => {
        record.status = 500;
        if (!res.headersSent) res.writeHead(500);
        res.end(String(e));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const sentTo = (to: string) => sent.filter((m) => m.to === to);
  return {
    root,
    version,
    phoneNumberId,
    token,
    requests,
    sent,
    uploads,
    unreachable,
    addInboundMedia(bytes, mime) {
      const id = String(2 * 10 ** 15 + inbound.size + 1);
      inbound.set(id, { bytes, mime });
      return id;
    },
    failNext(fault) {
      faults.push(fault);
    },
    sentTo,
    async waitForMessage(to, opts = {}) {
      const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
      for (;;) {
        const list = sentTo(to);
        const start = opts.fromStart ? 0 : (positions.get(to) ?? 0);
        const i = list.findIndex((m, n) => n >= start && (!opts.match || opts.match(m)));
        if (i >= 0) {
          if (!opts.fromStart) positions.set(to, i + 1);
          return list[i]!;
        }
        if (Date.now() > deadline) {
          const seen = list.slice(start).map((m) => `${m.type}: ${m.text.slice(0, 80)}`);
          const refused = requests
            .filter((r) => r.status >= 400 && String(r.json?.to ?? "") === to)
            .map((r) => `${r.status} ${r.path} ${r.error}`);
          throw new Error(
            `no matching message to ${to}; after position ${start} got:\n${seen.join("\n")}\nrefused:\n${refused.join("\n")}`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
