/**
 * The one door to the LLM: the `openai` SDK against any OpenAI-compatible server
 * (`OPENAI_BASE_URL`), with a short timeout and no retries, asking for structured output
 * (`response_format: json_schema`, built from a zod schema) and returning the parsed JSON.
 * Every failure is an {@link LlmError} with a `reason` (timeout, http, malformed, network), logged
 * here without any content of the request; callers fall back to their offline path.
 */
import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type {
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import { z } from "zod";
import { LaporError } from "../errors.js";
import type { Logger } from "../log.js";

/** Why a call to the model failed. */
export type LlmFailure = "timeout" | "http" | "network" | "malformed" | "refused";

/** A call to the model failed; the caller goes on without it. */
export class LlmError extends LaporError {
  constructor(
    readonly purpose: string,
    readonly reason: LlmFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super("llm", `${purpose}: ${reason}: ${message}`, options);
  }
}

/** How to reach the model. */
export interface LlmSettings {
  baseURL?: string | undefined;
  apiKey?: string | undefined;
  model: string;
  /** The model for image input; defaults to `model`. */
  visionModel?: string | undefined;
  timeoutMs: number;
}

/** One message part: text, or an image as bytes (sent as a data URL). */
export type Part = { text: string } | { image: Uint8Array; mime: string };

/** The JSON schema of a zod schema, as OpenAI's `response_format` wants it. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
}

/** The configured model. Build once; share. */
export class LlmClient {
  private readonly client: OpenAI;

  constructor(
    readonly settings: LlmSettings,
    private readonly logger: Logger,
  ) {
    this.client = new OpenAI({
      apiKey: settings.apiKey ?? "not-needed",
      ...(settings.baseURL ? { baseURL: settings.baseURL } : {}),
      timeout: settings.timeoutMs,
      maxRetries: 0,
    });
  }

  /**
   * Asks for a JSON object of `schema` and returns it unvalidated but parsed (callers validate,
   * field by field where that helps). Throws {@link LlmError}.
   */
  async json(options: {
    purpose: string;
    name: string;
    schema: z.ZodType;
    system: string;
    user: Part[];
    vision?: boolean;
  }): Promise<unknown> {
    const { purpose } = options;
    const model = options.vision ? (this.settings.visionModel ?? this.settings.model) : this.settings.model;
    const content: ChatCompletionContentPart[] = options.user.map((p) =>
      "text" in p
        ? { type: "text", text: p.text }
        : {
            type: "image_url",
            image_url: { url: `data:${p.mime};base64,${Buffer.from(p.image).toString("base64")}` },
          },
    );
    const messages: ChatCompletionMessageParam[] = [
      { role: "system", content: options.system },
      { role: "user", content },
    ];
    const started = Date.now();
    try {
      const completion = await this.client.chat.completions.create(
        {
          model,
          messages,
          temperature: 0,
          response_format: {
            type: "json_schema",
            json_schema: { name: options.name, schema: jsonSchemaOf(options.schema), strict: true },
          },
        },
        { timeout: this.settings.timeoutMs, maxRetries: 0 },
      );
      const choice = completion.choices?.[0];
      const text = choice?.message?.content;
      if (choice?.message?.refusal) throw new LlmError(purpose, "refused", "the model refused");
      if (typeof text !== "string" || text.trim() === "")
        throw new LlmError(purpose, "malformed", "no content in the answer");
      try {
        return JSON.parse(text);
      } catch (e) {
        throw new LlmError(purpose, "malformed", "the content is not JSON", { cause: e });
      }
    } catch (e) {
      const err = toLlmError(purpose, e);
      this.logger.warn(
        {
          purpose,
          reason: err.reason,
          ms: Date.now() - started,
          model,
          status: e instanceof APIError ? e.status : undefined,
        },
        "LLM call failed; going on without it",
      );
      throw err;
    }
  }
}

function toLlmError(purpose: string, e: unknown): LlmError {
  if (e instanceof LlmError) return e;
  if (e instanceof APIConnectionTimeoutError || e instanceof APIUserAbortError)
    return new LlmError(purpose, "timeout", "no answer in time", { cause: e });
  if (e instanceof APIError && e.status !== undefined)
    return new LlmError(purpose, "http", `HTTP ${e.status}`, { cause: e });
  return new LlmError(purpose, "network", e instanceof Error ? e.message : String(e), { cause: e });
}
