import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ConfigError } from "./errors.js";

/** The project's root folder (where package.json is). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where the boundary file is found when `BOUNDARIES_PATH` is not set: `../shared/regions/` beside the project. */
export const DEFAULT_BOUNDARIES_PATH = resolve(PROJECT_ROOT, "../shared/regions/kab_kota.topojson");

/**
 * The boundary file the program reads: `BOUNDARIES_PATH` when set, else the default beside the
 * project. Tests use it too, so they find the region data the same way the program does.
 */
export function boundariesFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.BOUNDARIES_PATH ? resolve(env.BOUNDARIES_PATH) : DEFAULT_BOUNDARIES_PATH;
}

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], { message: "must be true or false" })
  .transform((v) => ["true", "1", "yes", "on"].includes(v));
const hours = z.coerce.number({ message: "must be a number of hours" }).positive("must be more than 0");
const optionalUrl = z.url({ message: "must be a URL such as http://127.0.0.1:8081" }).optional();
/** Settings whose values are never echoed in error messages or logs. */
const SECRET_NAME = /TOKEN|SECRET|KEY|PASSWORD|DATABASE_URL/;
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/**
 * Every setting of the program, read from the environment (see `.env.example` for each one with a
 * comment). Validated once, in {@link loadConfig}; the rest of the code receives this typed object.
 */
const schema = z.object({
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  DATABASE_PREPARE: bool.default(true),
  PGLITE_PORT: z.coerce.number().int("must be a whole number").min(1).max(65535).optional(),
  BOUNDARIES_PATH: z.string().min(1).optional(),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce
    .number()
    .int("must be a whole number")
    .min(0)
    .max(65535, "must be at most 65535")
    .default(3000),
  WEB_SIMULATOR: bool.default(true),
  // Reverse proxy in front of the web server: false (none), true (any), or its addresses/CIDRs.
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(true|false|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, {
      message: "must be false, true, or the proxy's addresses such as 127.0.0.1,10.0.0.0/8",
    })
    .default("false")
    .transform((v): boolean | string[] => (v === "true" ? true : v === "false" ? false : v.split(/\s*,\s*/))),
  // The pages without a login (simulator, inbox, evidence files, /admin/whatsapp without token) are
  // served only to this machine unless the operator opens them on purpose.
  WEB_PUBLIC_DEMO: bool.default(false),
  CONSOLE: bool.optional(),
  CONSOLE_URL: z.url({ protocol: /^https?$/, message: "must be an http(s):// URL" }).optional(),
  DEFAULT_ADMIN_DESTINATION: z
    .string()
    .regex(
      /^(telegram|whatsapp|webhook|web|wacloud):.+$/,
      "must look like telegram:<chat id>, whatsapp:<chat id>, wacloud:<wa_id>, webhook:<url> or web:<inbox>",
    )
    .default("web:admin"),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "does not look like a bot token from @BotFather")
    .optional(),
  TELEGRAM_API_ROOT: optionalUrl,
  TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https$/, message: "must be an https:// URL" }).optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16-256 characters of A-Z, a-z, 0-9, _ and -")
    .optional(),
  /** Signs officers' buttons; unset: a key generated once and kept in the database (`src/officers/secret.ts`). */
  OFFICER_ACTION_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  SESSION_TTL_HOURS: hours.default(72),
  SESSION_RESUME_AFTER_HOURS: hours.default(2),
  DAY_COUNTING: z.enum(["calendar", "working"]).default("calendar"),
  MAX_FILE_MB: z.coerce.number().positive().max(2000).default(20),
  ACK_REMINDER_HOURS: hours.default(24),
  DIGEST_HOUR: z.coerce
    .number()
    .int("must be a whole hour")
    .min(0)
    .max(23, "must be an hour from 0 to 23")
    .default(8),
  DELIVERY_POLL_MS: z.coerce.number().int().min(10).max(3_600_000).default(500),
  DELIVERY_LEASE_SECONDS: z.coerce.number().int().min(5).max(3_600).default(20),
  // Webhook destinations (src/delivery/transports/webhook.ts): HMAC-SHA256 signing secrets.
  WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  WEBHOOK_SECRETS: z
    .string()
    .refine((v) => {
      try {
        const m = JSON.parse(v) as unknown;
        return (
          typeof m === "object" &&
          m !== null &&
          !Array.isArray(m) &&
          Object.values(m).every((x) => typeof x === "string" && x.length >= 16)
        );
      } catch {
        return false;
      }
    }, 'must be a JSON object {"<webhook URL>": "<secret of at least 16 characters>", …}')
    .optional(),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  PUBLIC_BASE_URL: z.url({ message: "must be a URL such as https://lapor.example.org" }).optional(),
  REPLY_RECOVER_AFTER_SECONDS: z.coerce.number().min(0).max(86_400).default(30),
  // WhatsApp Business Cloud API (starts when the four WACLOUD_* credentials below are all set).
  GRAPH_API_ROOT: z
    .url({ message: "must be a URL such as https://graph.facebook.com" })
    .default("https://graph.facebook.com"),
  GRAPH_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, "must look like v21.0")
    .default("v21.0"),
  WACLOUD_ACCESS_TOKEN: z.string().min(20, "does not look like a Graph API access token").optional(),
  WACLOUD_PHONE_NUMBER_ID: z
    .string()
    .regex(/^\d{5,20}$/, "must be the numeric phone number id")
    .optional(),
  WACLOUD_APP_SECRET: z.string().min(8, "must be the Meta app secret").optional(),
  WACLOUD_VERIFY_TOKEN: z.string().min(8, "must be at least 8 characters").optional(),
  WACLOUD_WEBHOOK_PATH: z
    .string()
    .regex(/^\/[A-Za-z0-9/_-]*$/, "must be a URL path such as /wacloud/webhook")
    .default("/wacloud/webhook"),
  WACLOUD_NOTIFY_TEMPLATE: z
    .string()
    .regex(/^[a-z0-9_]{1,512}$/, "must be a template name (a-z, 0-9, _)")
    .optional(),
  WACLOUD_NOTIFY_TEMPLATE_LANG: z
    .string()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "must be a language code such as id or en_US")
    .default("id"),
  WHATSAPP_WEB_ENABLED: bool.default(false),
  WHATSAPP_CHROMIUM_PATH: z.string().min(1).default("/usr/bin/chromium"),
  WHATSAPP_PAIRING_PHONE: z
    .string()
    .regex(/^\d{8,15}$/, "must be the phone number in international form, digits only, e.g. 6281234567890")
    .optional(),
  WHATSAPP_SEND_MIN_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(1000),
  WHATSAPP_SEND_MAX_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(4000),
  WHATSAPP_WATCHDOG_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  WHATSAPP_ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  // AI help (src/ai/): an OpenAI-compatible server; without OPENAI_MODEL everything runs offline.
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_MODEL: z.string().min(1).optional(),
  OPENAI_VISION_MODEL: z.string().min(1).optional(),
  AI_TIMEOUT_MS: z.coerce
    .number({ message: "must be a number of milliseconds" })
    .int("must be a whole number of milliseconds")
    .min(100)
    .max(60_000)
    .default(4000),
  AI_SEND_IMAGES: bool.default(false),
  BROADCASTS: bool.default(true),
  BROADCAST_POLL_MS: z.coerce.number().int().min(10).max(3_600_000).default(1000),
  BROADCAST_TEST_ADDRESS: z
    .string()
    .regex(/^(telegram|whatsapp|wacloud):.+$/, "must look like telegram:<chat id>")
    .optional(),
  BROADCAST_CLAIM_LEASE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
  TELEGRAM_BROADCAST_PER_SECOND: z.coerce.number().positive().max(1000).default(30),
  TELEGRAM_BROADCAST_PER_CHAT_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  TELEGRAM_GROUP_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
  TELEGRAM_PAID_BROADCAST: bool.default(false),
  TELEGRAM_PAID_BROADCAST_PER_SECOND: z.coerce.number().positive().max(1000).default(1000),
  WHATSAPP_BROADCAST_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000).default(4000),
  WHATSAPP_BROADCAST_JITTER_MS: z.coerce.number().int().min(0).max(600_000).default(3000),
  WACLOUD_BROADCAST_PER_SECOND: z.coerce.number().positive().max(1000).default(80),
});

/** The validated settings. */
export type Config = z.infer<typeof schema> & {
  /** Absolute path of DATA_DIR. */
  dataDir: string;
  /** Absolute path of the boundary file, or undefined when there is none (GPS lookup then answers "unavailable"). */
  boundariesPath: string | undefined;
};

/**
 * Reads and validates the settings. Throws {@link ConfigError} naming the first wrong variable;
 * `main.ts` prints it and exits. Empty strings count as "not set".
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, blankToUndefined(env[k])]));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? "?");
    const shown = SECRET_NAME.test(variable) ? "" : ` (got ${JSON.stringify(input[variable] ?? null)})`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const c = parsed.data;
  if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_WEBHOOK_SECRET) {
    throw new ConfigError("TELEGRAM_WEBHOOK_SECRET", "is required when TELEGRAM_WEBHOOK_URL is set");
  }
  const wacloud = [
    "WACLOUD_ACCESS_TOKEN",
    "WACLOUD_PHONE_NUMBER_ID",
    "WACLOUD_APP_SECRET",
    "WACLOUD_VERIFY_TOKEN",
  ] as const;
  const missing = wacloud.find((k) => !c[k]);
  if (missing && wacloud.some((k) => c[k]))
    throw new ConfigError(
      missing,
      "is required when any WACLOUD_* credential is set (the Cloud API needs all four)",
    );
  if (c.WHATSAPP_SEND_MAX_DELAY_MS < c.WHATSAPP_SEND_MIN_DELAY_MS) {
    throw new ConfigError("WHATSAPP_SEND_MAX_DELAY_MS", "must be at least WHATSAPP_SEND_MIN_DELAY_MS");
  }
  const boundariesPath = c.BOUNDARIES_PATH
    ? resolve(c.BOUNDARIES_PATH)
    : existsSync(DEFAULT_BOUNDARIES_PATH)
      ? DEFAULT_BOUNDARIES_PATH
      : undefined;
  return { ...c, dataDir: resolve(c.DATA_DIR), boundariesPath };
}
