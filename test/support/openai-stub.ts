/**
 * A local stand-in for an OpenAI-compatible chat completions server, for the AI tests.
 *
 * `POST /v1/chat/completions` (and `/chat/completions`) checks the request like the real API does
 * (a model, messages with roles and content, `response_format: { type: "json_schema",
 * json_schema: { name, schema } }`, image parts as `data:` URLs) and answers 400 with an
 * OpenAI-style error when the shape is wrong. Answers are scripted per test by a handler that sees
 * the parsed request: a JSON object (sent as the message content), raw content (e.g. malformed),
 * an HTTP error status, or a delay (to test timeouts). Every request is recorded.
 *
 * @example
 * const stub = await startOpenAiStub();
 * stub.answer((req) => (req.schemaName === "story_facts" ? { json: { category: "atribut", … } } : { status: 500 }));
 * // OPENAI_BASE_URL = stub.baseUrl ("http://127.0.0.1:PORT/v1")
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A recorded, parsed request. */
export interface StubRequest {
  path: string;
  model: string;
  /** The schema name of `response_format.json_schema`. */
  schemaName: string;
  schema: Record<string, unknown>;
  system: string;
  /** Every text of the user messages, joined. */
  userText: string;
  /** The decoded images of the user messages. */
  images: { mime: string; bytes: Buffer }[];
  /** The whole body as received, for privacy checks. */
  raw: string;
  authorization: string | undefined;
}

/** What the stand-in answers. */
export type StubReply =
  | { json: unknown; delayMs?: number }
  | { content: string; delayMs?: number }
  | { status: number; delayMs?: number };

/** The running stand-in. */
export interface OpenAiStub {
  /** The base URL to give the SDK ("http://127.0.0.1:PORT/v1"). */
  baseUrl: string;
  requests: StubRequest[];
  /** Sets how requests are answered (default: HTTP 500). */
  answer(handler: (req: StubRequest) => StubReply): void;
  /** Requests whose schema name is `name`. */
  requestsFor(name: string): StubRequest[];
  close(): Promise<void>;
}

class ShapeError extends Error {}

function fail(res: ServerResponse, status: number, message: string, type = "invalid_request_error"): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { message, type, param: null, code: null } }));
}

function parseRequest(path: string, raw: string, auth: string | undefined): StubRequest {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    throw new ShapeError("We could not parse the JSON body of your request.");
  }
  if (typeof body.model !== "string" || body.model === "")
    throw new ShapeError("you must provide a model parameter");
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    throw new ShapeError("'messages' must be a non-empty array");
  const rf = body.response_format as
    | { type?: string; json_schema?: { name?: string; schema?: unknown } }
    | undefined;
  if (rf?.type !== "json_schema")
    throw new ShapeError("response_format.type must be json_schema in these tests");
  if (typeof rf.json_schema?.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(rf.json_schema.name))
    throw new ShapeError("response_format.json_schema.name is required (a-z, 0-9, _ and -)");
  const schema = rf.json_schema.schema as Record<string, unknown> | undefined;
  if (typeof schema !== "object" || schema === null || schema.type !== "object")
    throw new ShapeError("response_format.json_schema.schema must be a JSON schema of an object");
  let system = "";
  const texts: string[] = [];
  const images: { mime: string; bytes: Buffer }[] = [];
  for (const m of body.messages as { role?: unknown; content?: unknown }[]) {
    if (!["system", "user", "assistant", "developer"].includes(String(m.role)))
      throw new ShapeError(`Invalid value for 'messages.role': ${String(m.role)}`);
    const parts =
      typeof m.content === "string"
        ? [{ type: "text", text: m.content }]
        : Array.isArray(m.content)
          ? (m.content as { type?: string; text?: unknown; image_url?: { url?: unknown } }[])
          : null;
    if (!parts) throw new ShapeError("'content' must be a string or an array of content parts");
    for (const p of parts) {
      if (p.type === "text") {
        if (typeof p.text !== "string") throw new ShapeError("a text part needs 'text'");
        if (m.role === "system" || m.role === "developer") system += p.text;
        else texts.push(p.text);
      } else if (p.type === "image_url") {
        if (m.role !== "user") throw new ShapeError("image parts are only allowed in user messages");
        const url = String(p.image_url?.url ?? "");
        const d = /^data:(image\/[a-z+.-]+);base64,([A-Za-z0-9+/=]+)$/.exec(url);
        if (!d) throw new ShapeError("image_url.url must be a data URL (data:image/...;base64,...) here");
        images.push({ mime: d[1]!, bytes: Buffer.from(d[2]!, "base64") });
      } else throw new ShapeError(`Invalid content part type: ${String(p.type)}`);
    }
  }
  return {
    path,
    model: body.model,
    schemaName: rf.json_schema.name,
    schema,
    system,
    userText: texts.join("\n"),
    images,
    raw,
    authorization: auth,
  };
}

function completion(model: string, content: string) {
  return {
    id: `chatcmpl-stub-${Math.random().toString(36).slice(2)}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: null },
        finish_reason: "stop",
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

/** Starts the stand-in on a free port of 127.0.0.1. */
export async function startOpenAiStub(): Promise<OpenAiStub> {
  const requests: StubRequest[] = [];
  let handler: (req: StubRequest) => StubReply = () => ({ status: 500 });
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0]!;
      if (req.method !== "POST" || !["/v1/chat/completions", "/chat/completions"].includes(path)) {
        fail(res, 404, `Unknown request URL: ${req.method} ${path}`);
        return;
      }
      let parsed: StubRequest;
      try {
        parsed = parseRequest(path, Buffer.concat(chunks).toString("utf8"), req.headers.authorization);
      } catch (e) {
        fail(res, 400, (e as Error).message);
        return;
      }
      requests.push(parsed);
      const reply = handler(parsed);
      const send = () => {
        if (res.destroyed) return;
        if ("status" in reply)
          fail(res, reply.status, "The server had an error while processing your request.", "server_error");
        else {
          const content = "json" in reply ? JSON.stringify(reply.json) : reply.content;
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(completion(parsed.model, content)));
        }
      };
      if (reply.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, reply.delayMs);
        timers.add(timer);
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    answer(h) {
      handler = h;
    },
    requestsFor: (name) => requests.filter((r) => r.schemaName === name),
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
