/**
 * A local stand-in for the Telegram Bot API server (https://core.telegram.org/bots/api), for tests and
 * benchmarks without internet. Point grammY at it with
 * `new Bot(stub.token, { client: { apiRoot: stub.apiRoot } })`.
 *
 * It speaks the real protocol: `GET|POST /bot<token>/<method>` with query-string, JSON, urlencoded or
 * multipart parameters; `{ ok: true, result }` or `{ ok: false, error_code, description, parameters? }`
 * with the matching HTTP status; file downloads at `/file/bot<token>/<file_path>`; long polling that
 * really holds `getUpdates` for `timeout` seconds.
 *
 * Tests inject what users do (`sendText`, `sendCommand`, `sendPhoto`, `pressButton`, ...) and observe
 * what the bot did (`requests`, `sentTo`, `waitFor`, `waitForMessage`, `answeredCallbacks`, `stats`).
 * Faults: `failNext` (any error, e.g. 429 or 502), `failChat` (e.g. 403 blocked), optional flood
 * control (`rateLimit`).
 *
 * Known deviations from Telegram: photos are not recompressed (every PhotoSize serves the original
 * bytes); URLs given as files are not downloaded (400); group privacy mode, inline mode, payments and
 * webhooks delivery (setWebhook is only recorded) are not simulated; some error descriptions for rare
 * cases are approximations.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Message, Update, UserFromGetMe } from "grammy/types";
import { type FileKind, FileStore, type StoredFile, type StubPhotoSize } from "./bot-api-stub-files.js";
import { detectAutoEntities, EntityParseError, formatText, type StubEntity } from "./bot-api-stub-format.js";
import { DecodeError, decodeRequest, type Params, type UploadedPart } from "./bot-api-stub-http.js";
import { KeyedBuckets, KeyedWindows, SlidingWindow } from "./bot-api-stub-ratelimit.js";

export type { StoredFile, StubPhotoSize } from "./bot-api-stub-files.js";
export type { StubEntity } from "./bot-api-stub-format.js";
export type { Params, UploadedPart } from "./bot-api-stub-http.js";

// ------------------------------------------------------------------------------------------------ types

/** A Telegram user as the tests describe it; its private chat has the same id. */
export interface StubUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: true;
}

/** A group chat users can write in (ids are negative; supergroups start with -100). */
export interface StubGroup {
  id: number;
  type: "group" | "supergroup";
  title: string;
  username?: string;
  is_forum?: true;
}

/** A Bot API error response body. `error_code` is also used as the HTTP status. */
export interface BotApiErrorSpec {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** Flood-control settings. Every limit is off unless given. */
export interface RateLimitOptions {
  /** Successful message sends per sliding second over all chats (Telegram: ~30). */
  globalPerSecond?: number;
  /** Successful message sends per sliding second to one chat (Telegram: ~1). */
  perChatPerSecond?: number;
  /**
   * With `perChatPerSecond`: a chat may take this many sends at once, then `perChatPerSecond`
   * (a token bucket, Telegram's "short bursts"). Unset: a strict sliding second.
   */
  perChatBurst?: number;
  /** Sends per sliding minute to one group chat (negative id) (Telegram: 20). */
  perGroupPerMinute?: number;
  /** Honour `allow_paid_broadcast: true` by raising the global limit (default true). */
  paidBroadcast?: boolean;
  /** Global limit for paid-broadcast requests (default 1000). */
  paidBroadcastPerSecond?: number;
  /** While a chat's (or the global) retry_after window runs, answer its sends with 429 too (default true). */
  rejectDuringRetryAfter?: boolean;
  /**
   * Requests arriving within this many ms after a 429 was answered are not counted as unhonoured
   * (they were probably already in flight). Default 0.
   */
  inFlightGraceMs?: number;
}

/** Options of {@link startBotApiStub}. */
export interface BotApiStubOptions {
  /** Bot token; the digits before ":" are the bot's user id. */
  token?: string;
  rateLimit?: RateLimitOptions;
  /**
   * Keep the request log and every message (default true). With `false` memory stays bounded: only
   * counters are kept (`stats`), `requests` stays empty, only the most recent messages are remembered
   * (see `maxMessagesPerChat` / `maxStoredMessages`; edits, button presses, replies and `sentTo` work
   * on those), and `waitFor` sees only requests completing after it was called.
   */
  keepLog?: boolean;
  /** With `keepLog: false`: messages remembered per chat (default 10). */
  maxMessagesPerChat?: number;
  /** With `keepLog: false`: messages remembered over all chats, oldest forgotten first (default 10000; 0 = none). */
  maxStoredMessages?: number;
  /** What to do with chat ids never seen in an injected update: accept (default) or 400 "chat not found". */
  unknownChats?: "accept" | "reject";
  /** Overrides for the getMe result. */
  botInfo?: Partial<UserFromGetMe>;
}

/** One logged Bot API call. `done` becomes true when the response was sent. */
export interface RequestRecord {
  seq: number;
  method: string;
  params: Params;
  /** Arrival time (ms since epoch). */
  at: number;
  /** `params.chat_id` (numeric when it was numeric). */
  chatId?: number | string;
  /** Field names of uploaded file parts. */
  uploads?: string[];
  done: boolean;
  /** Completion order (1-based), set when done. */
  doneSeq?: number;
  respondedAt?: number;
  ok?: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  /** True when the client disconnected before the response (e.g. an aborted long poll). */
  aborted?: boolean;
  /** Messages this call created (send*, copyMessage, forwardMessage). */
  sent?: SentMessage[];
}

/** A message the bot sent (or copied/forwarded), kept up to date with later edits and deletions. */
export interface SentMessage {
  method: string;
  chat_id: number;
  message_id: number;
  /** Text, or caption for media (after parse_mode was applied, like Telegram shows it). */
  text: string | undefined;
  /** The reply_markup the bot gave (any kind), after the latest edit. */
  reply_markup: unknown;
  /** file_id of the photo (largest size), document, video, ...; `stub.fileBytes(fileId)` gives the bytes. */
  fileId: string | undefined;
  /** The Message object as returned to the bot (updated by edits). */
  message: Message;
  /** Parameters of the sending call. */
  params: Params;
  at: number;
  edited: boolean;
  deleted: boolean;
}

/** A recorded answerCallbackQuery call. */
export interface AnsweredCallback {
  callback_query_id: string;
  /** callback_data of the pressed button. */
  data: string | undefined;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
  at: number;
}

/** Counters, kept even with `keepLog: false`. */
export interface StubStats {
  totalRequests: number;
  /** Requests per method (all outcomes). */
  byMethod: Record<string, number>;
  /** Successful message-creating calls (send* except sendChatAction, copyMessage, forwardMessage). */
  totalSends: number;
  /** Successful message-creating calls per chat id. */
  byChat: Map<number | string, number>;
  /** Successful sends whose content (method, text/caption, media bytes, location) was already sent to the chat. */
  duplicates: number;
  /** ok:false responses. */
  errors: number;
  /** 429 responses of any origin. */
  rateLimited: number;
  rateLimitedGlobal: number;
  rateLimitedPerChat: number;
  /** Errors answered because of failNext / failChat. */
  injectedFailures: number;
  /** Sends that arrived while a retry_after window they fell under was still running. */
  unhonoured429: number;
  unhonoured429Chat: number;
  unhonoured429Global: number;
  paidBroadcastSends: number;
  /** Highest number of successful sends within any sliding second. */
  peakSendsPerSecond: number;
  fileDownloads: number;
}

/** Extra context given to custom handlers installed with {@link BotApiStub.setHandler}. */
export interface HandlerContext {
  stub: BotApiStub;
  uploads: Map<string, UploadedPart>;
  record: RequestRecord;
}

/** A custom method implementation: return the `result`, or throw {@link StubApiError}. */
export type StubHandler = (params: Params, ctx: HandlerContext) => unknown;

/** Throw from a handler to answer `{ ok: false, ... }`. */
export class StubApiError extends Error {
  constructor(readonly spec: BotApiErrorSpec) {
    super(spec.description);
  }
}

/** Options shared by the injection helpers. */
export interface InjectOptions {
  /** Write in this group instead of the user's private chat. */
  chat?: StubGroup;
  /** message_id (in the same chat) this message replies to. */
  replyTo?: number;
}

// ----------------------------------------------------------------------------------------- internals

type Obj = Record<string, unknown>;

interface ChatObj {
  id: number;
  type: "private" | "group" | "supergroup" | "channel";
  title?: string;
  first_name?: string;
  last_name?: string;
  username?: string;
  is_forum?: true;
}

interface MsgObj {
  [key: string]: unknown;
  message_id: number;
  chat: ChatObj;
  date: number;
}

interface StoredMessage {
  msg: MsgObj;
  byBot: boolean;
  sent?: SentMessage;
  deleted: boolean;
}

interface Call {
  method: string;
  params: Params;
  uploads: Map<string, UploadedPart>;
  record: RequestRecord;
  now: number;
}

interface Poller {
  record: RequestRecord;
  res: ServerResponse;
  limit: number;
  timer: NodeJS.Timeout | undefined;
}

interface Waiter {
  predicate: (r: RequestRecord) => boolean;
  resolve: (r: RequestRecord) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface Block {
  setAt: number;
  until: number;
  /** Set by the free global limit: does not apply to paid-broadcast requests. */
  freeOnly?: boolean;
}

type MethodImpl = (call: Call) => unknown;

const DEFAULT_TOKEN = "123456789:TEST-local-stand-in-token_not-a-real-one";
const MAX_BODY = 60 * 1024 * 1024;
const MAX_DOWNLOAD = 20 * 1024 * 1024;
const TIMER_TOLERANCE_MS = 10;

/** Methods that create messages: counted by flood control and in `stats.totalSends`. */
const SEND_METHODS = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendVideo",
  "sendAudio",
  "sendVoice",
  "sendAnimation",
  "sendSticker",
  "sendVideoNote",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendDice",
  "sendMediaGroup",
  "copyMessage",
  "forwardMessage",
]);

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

const DEFAULT_ALLOWED_EXCLUDED = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

const MEDIA_FIELDS = ["photo", "document", "video", "audio", "voice", "animation", "sticker", "video_note"];

function bad(description: string): StubApiError {
  return new StubApiError({ error_code: 400, description: `Bad Request: ${description}` });
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** 53-bit string hash (cyrb53). */
function hash53(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function summarize(r: RequestRecord): string {
  const p = r.params;
  const parts = [`#${r.seq} ${r.method}`];
  if (r.chatId !== undefined) parts.push(`chat=${r.chatId}`);
  const text = str(p.text) ?? str(p.caption) ?? str(p.callback_query_id) ?? str(p.data);
  if (text !== undefined) parts.push(JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text));
  if (!r.done) parts.push("(pending)");
  else if (r.ok) parts.push("ok");
  else parts.push(`-> ${r.error_code} ${r.description ?? ""}`);
  return parts.join(" ");
}

// ---------------------------------------------------------------------------------------------- stub

/** The running stand-in. Create with {@link startBotApiStub}. */
export class BotApiStub {
  /** "http://127.0.0.1:PORT" — pass as grammY's `client.apiRoot`. */
  readonly apiRoot: string;
  readonly token: string;
  /** The getMe result. */
  readonly botInfo: UserFromGetMe;
  /** Log of calls in arrival order (empty with `keepLog: false`). */
  readonly requests: RequestRecord[] = [];
  /** answerCallbackQuery calls in order. */
  readonly answeredCallbacks: AnsweredCallback[] = [];
  readonly stats: StubStats = {
    totalRequests: 0,
    byMethod: {},
    totalSends: 0,
    byChat: new Map(),
    duplicates: 0,
    errors: 0,
    rateLimited: 0,
    rateLimitedGlobal: 0,
    rateLimitedPerChat: 0,
    injectedFailures: 0,
    unhonoured429: 0,
    unhonoured429Chat: 0,
    unhonoured429Global: 0,
    paidBroadcastSends: 0,
    peakSendsPerSecond: 0,
    fileDownloads: 0,
  };
  /** Stored files (uploads and injected user files). */
  readonly files = new FileStore();
  /** The webhook recorded by setWebhook (updates are not pushed to it), or null. */
  webhook: {
    url: string;
    secret_token?: string;
    allowed_updates?: string[];
    max_connections?: number;
  } | null = null;
  /** Command lists set with setMyCommands, by `scope.type[:chat_id[:user_id]]|language_code`. */
  readonly commands = new Map<string, Array<{ command: string; description: string }>>();

  private readonly server: Server;
  private readonly botFrom: Obj;
  private readonly keepLog: boolean;
  private readonly maxMessagesPerChat: number;
  private readonly maxStoredMessages: number;
  /** With keepLog false: [chatId, messageId] in storage order, for global eviction. */
  private storedOrder: Array<[number, number]> = [];
  private storedHead = 0;
  private unknownChats: "accept" | "reject";
  private readonly rate: RateLimitOptions | undefined;
  private readonly methods = new Map<string, { name: string; impl: MethodImpl }>();
  private readonly custom = new Map<string, StubHandler>();

  private seq = 0;
  private doneSeq = 0;
  private cursor = 0;
  private readonly doneOrder: RequestRecord[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<(r: RequestRecord) => void>();

  private updates: Update[] = [];
  private nextUpdateId = 1;
  private allowedUpdates: string[] = [];
  private poller: Poller | null = null;
  private flushScheduled = false;
  private readonly drainWaiters = new Set<() => void>();

  private readonly chats = new Map<number, ChatObj>();
  private readonly usernames = new Map<string, number>();
  private readonly messages = new Map<number, Map<number, StoredMessage>>();
  private readonly nextMessageId = new Map<number, number>();
  private readonly callbacks = new Map<string, { data: string | undefined; answered: boolean }>();
  private callbackCounter = 0;
  private mediaGroupCounter = 0;
  private groupCounter = 0;
  private userCounter = 0;

  private readonly failQueue = new Map<string, BotApiErrorSpec[]>();
  private readonly chatFailures = new Map<string, BotApiErrorSpec>();

  private readonly globalWindow = new SlidingWindow(1000);
  private readonly chatWindows = new KeyedWindows(1000);
  private chatBuckets: KeyedBuckets | undefined;
  private readonly groupWindows = new KeyedWindows(60_000);
  private globalBlock: Block | null = null;
  private readonly chatBlocks = new Map<string, Block>();
  /** hash53(chat, content) of every successful send, for `stats.duplicates`. */
  private readonly fingerprints = new Set<number>();
  private closed = false;

  /** @internal use {@link startBotApiStub}. */
  constructor(server: Server, port: number, opts: BotApiStubOptions) {
    this.server = server;
    this.apiRoot = `http://127.0.0.1:${port}`;
    this.token = opts.token ?? DEFAULT_TOKEN;
    this.keepLog = opts.keepLog ?? true;
    this.maxMessagesPerChat = opts.maxMessagesPerChat ?? 10;
    this.maxStoredMessages = opts.maxStoredMessages ?? 10_000;
    this.unknownChats = opts.unknownChats ?? "accept";
    this.rate = opts.rateLimit;
    if (this.rate?.perChatPerSecond !== undefined && this.rate.perChatBurst !== undefined)
      this.chatBuckets = new KeyedBuckets(this.rate.perChatPerSecond, this.rate.perChatBurst);
    const id = Number.parseInt(this.token.split(":")[0] ?? "", 10);
    this.botInfo = {
      id: Number.isFinite(id) ? id : 123456789,
      is_bot: true,
      first_name: "LaporNetral Test",
      username: "lapornetral_test_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      ...opts.botInfo,
    } as UserFromGetMe;
    this.botFrom = {
      id: this.botInfo.id,
      is_bot: true,
      first_name: this.botInfo.first_name,
      username: this.botInfo.username,
    };
    this.installMethods();
  }

  // ------------------------------------------------------------------------------------ configuration

  /**
   * Makes the next `times` calls of `method` (canonical name, or "*" for any method except getUpdates)
   * fail with `error`, e.g. `{ error_code: 429, description: "Too Many Requests: retry after 2",
   * parameters: { retry_after: 2 } }` or `{ error_code: 502, description: "Bad Gateway" }`.
   */
  failNext(method: string, error: BotApiErrorSpec, times = 1): void {
    const q = this.failQueue.get(method) ?? [];
    for (let i = 0; i < times; i++) q.push(error);
    this.failQueue.set(method, q);
  }

  /**
   * Makes every call with this `chat_id` fail with `error` (e.g. 403 "Forbidden: bot was blocked by
   * the user", 400 "Bad Request: chat not found"); `null` lifts it.
   */
  failChat(chatId: number | string, error: BotApiErrorSpec | null): void {
    if (error) this.chatFailures.set(String(chatId), error);
    else this.chatFailures.delete(String(chatId));
  }

  /** Whether sends to chats never seen in an injected update succeed ("accept") or 400 "chat not found". */
  setUnknownChats(mode: "accept" | "reject"): void {
    this.unknownChats = mode;
  }

  /** Installs (or with `null` removes) a custom implementation for a method, overriding the built-in one. */
  setHandler(method: string, handler: StubHandler | null): void {
    if (handler) this.custom.set(method.toLowerCase(), handler);
    else this.custom.delete(method.toLowerCase());
  }

  // --------------------------------------------------------------------------------------- injection

  /** Creates a user with a fresh id (1000001, 1000002, ...). */
  user(firstName = "Budi", extra: Partial<StubUser> = {}): StubUser {
    this.userCounter++;
    return { id: 1_000_000 + this.userCounter, first_name: firstName, language_code: "id", ...extra };
  }

  /** Creates a group (default) or supergroup chat with a fresh negative id. */
  group(
    opts: { title?: string; type?: "group" | "supergroup"; id?: number; username?: string } = {},
  ): StubGroup {
    this.groupCounter++;
    const type = opts.type ?? "group";
    const id =
      opts.id ??
      (type === "supergroup" ? -1_000_000_000_000 - this.groupCounter : -400_000_000 - this.groupCounter);
    const g: StubGroup = { id, type, title: opts.title ?? `Grup Uji ${this.groupCounter}` };
    if (opts.username) g.username = opts.username;
    this.registerChat({ ...g });
    return g;
  }

  /** Registers a chat as known (relevant with `unknownChats: "reject"`). */
  addChat(chat: StubUser | StubGroup): void {
    if ("type" in chat) this.registerChat({ ...chat });
    else this.registerChat(this.privateChat(chat));
  }

  /** Queues a raw update (update_id is assigned) and returns it. */
  injectUpdate(update: Obj): Update {
    const u = { update_id: this.nextUpdateId++, ...update } as unknown as Update;
    this.updates.push(u);
    this.scheduleFlush();
    return u;
  }

  /** Injects a message from `user` with arbitrary content fields (text, photo, ...). */
  injectMessage(user: StubUser, fields: Obj, opts: InjectOptions = {}): Update {
    const chat = opts.chat ? this.registerChat({ ...opts.chat }) : this.registerChat(this.privateChat(user));
    const msg = this.createMessage(chat, this.userObj(user), { ...fields }, false);
    if (opts.replyTo !== undefined) {
      const target = this.findMessage(chat.id, opts.replyTo);
      if (target) msg.reply_to_message = this.quoteOf(target.msg);
    }
    return this.injectUpdate({ message: msg });
  }

  /** The user sends a text message (automatic entities such as bot_command or url are added). */
  sendText(user: StubUser, text: string, opts: InjectOptions = {}): Update {
    const entities = detectAutoEntities(text);
    return this.injectMessage(user, entities.length ? { text, entities } : { text }, opts);
  }

  /** The user sends a command such as "/start" or "/lapor abc"; in groups `mention` appends "@botname". */
  sendCommand(user: StubUser, command: string, opts: InjectOptions & { mention?: boolean } = {}): Update {
    let text = command.startsWith("/") ? command : `/${command}`;
    if (opts.mention) {
      const sp = text.indexOf(" ");
      const head = sp === -1 ? text : text.slice(0, sp);
      text = `${head}@${this.botInfo.username}${sp === -1 ? "" : text.slice(sp)}`;
    }
    const first = text.split(/\s/, 1)[0]!;
    const entities: StubEntity[] = [{ type: "bot_command", offset: 0, length: first.length }];
    const rest = detectAutoEntities(text).filter((e) => e.offset >= first.length);
    return this.injectMessage(user, { text, entities: [...entities, ...rest] }, opts);
  }

  /** The user shares a location. */
  sendLocation(
    user: StubUser,
    latitude: number,
    longitude: number,
    opts: InjectOptions & { horizontalAccuracy?: number; livePeriod?: number } = {},
  ): Update {
    const location: Obj = { latitude, longitude };
    if (opts.horizontalAccuracy !== undefined) location.horizontal_accuracy = opts.horizontalAccuracy;
    if (opts.livePeriod !== undefined) location.live_period = opts.livePeriod;
    return this.injectMessage(user, { location }, opts);
  }

  /**
   * The user sends a photo: the bytes are stored and the message gets a `photo` array of several
   * sizes; the largest is the original (Telegram would recompress; the stand-in keeps the bytes).
   */
  sendPhoto(user: StubUser, bytes: Uint8Array, opts: InjectOptions & { caption?: string } = {}): Update {
    const photo = this.files.addPhoto(Buffer.from(bytes));
    return this.injectMessage(user, { photo, ...this.userCaption(opts.caption) }, opts);
  }

  /** The user sends a file as a document. */
  sendDocument(
    user: StubUser,
    bytes: Uint8Array,
    opts: InjectOptions & { fileName?: string; mimeType?: string; caption?: string } = {},
  ): Update {
    const f = this.files.add(Buffer.from(bytes), "document", {
      fileName: opts.fileName ?? "document.dat",
      ...(opts.mimeType ? { mimeType: opts.mimeType } : {}),
    });
    return this.injectMessage(
      user,
      { document: this.mediaObject(f, {}), ...this.userCaption(opts.caption) },
      opts,
    );
  }

  /** The user sends a video. */
  sendVideo(
    user: StubUser,
    bytes: Uint8Array,
    opts: InjectOptions & { caption?: string; duration?: number; width?: number; height?: number } = {},
  ): Update {
    const f = this.files.add(Buffer.from(bytes), "video", { fileName: "video.mp4", mimeType: "video/mp4" });
    const video = this.mediaObject(f, { duration: opts.duration, width: opts.width, height: opts.height });
    return this.injectMessage(user, { video, ...this.userCaption(opts.caption) }, opts);
  }

  /** The user sends a voice note. */
  sendVoice(user: StubUser, bytes: Uint8Array, opts: InjectOptions & { duration?: number } = {}): Update {
    const f = this.files.add(Buffer.from(bytes), "voice", { mimeType: "audio/ogg" });
    return this.injectMessage(user, { voice: this.mediaObject(f, { duration: opts.duration }) }, opts);
  }

  /** The user sends a sticker. */
  sendSticker(user: StubUser, opts: InjectOptions & { emoji?: string; bytes?: Uint8Array } = {}): Update {
    const f = this.files.add(Buffer.from(opts.bytes ?? Buffer.from("RIFF\0\0\0\0WEBP")), "sticker");
    const sticker = { ...this.mediaObject(f, {}), emoji: opts.emoji ?? "👍", set_name: "StubStickers" };
    return this.injectMessage(user, { sticker }, opts);
  }

  /** The user shares a contact (by default their own phone number). */
  sendContact(user: StubUser, phoneNumber: string, opts: InjectOptions = {}): Update {
    const contact = { phone_number: phoneNumber, first_name: user.first_name, user_id: user.id };
    return this.injectMessage(user, { contact }, opts);
  }

  /**
   * The user presses an inline button with `callbackData` on a message the bot sent. `message` is a
   * SentMessage, a Message, or a message_id (in the user's private chat or `opts.chat`). Throws if the
   * message has no such button, unless `force`.
   */
  pressButton(
    user: StubUser,
    message: SentMessage | Message | number,
    callbackData: string,
    opts: { chat?: StubGroup; force?: boolean } = {},
  ): Update {
    let chatId: number;
    let messageId: number;
    if (typeof message === "number") {
      chatId = opts.chat?.id ?? user.id;
      messageId = message;
    } else if ("chat_id" in message && "method" in message) {
      chatId = message.chat_id;
      messageId = message.message_id;
    } else {
      chatId = (message as Message).chat.id;
      messageId = (message as Message).message_id;
    }
    const stored = this.findMessage(chatId, messageId);
    if (!stored || stored.deleted) throw new Error(`pressButton: no message ${messageId} in chat ${chatId}`);
    if (!opts.force) {
      const rows =
        (stored.msg.reply_markup as { inline_keyboard?: Obj[][] } | undefined)?.inline_keyboard ?? [];
      const all = rows.flat();
      if (!all.some((b) => b.callback_data === callbackData)) {
        const have = all.map((b) => JSON.stringify(b.callback_data ?? b.url ?? b.text)).join(", ") || "none";
        throw new Error(
          `pressButton: message ${messageId} in chat ${chatId} has no button with callback_data ${JSON.stringify(callbackData)} (buttons: ${have})`,
        );
      }
    }
    const id = `${4_611_686_018_427 + ++this.callbackCounter}${String(Math.abs(user.id) % 1_000_000).padStart(6, "0")}`;
    this.callbacks.set(id, { data: callbackData, answered: false });
    const chatInstance = String((Math.abs(chatId) * 2_654_435_761) % 9_007_199_254_740_881);
    return this.injectUpdate({
      callback_query: {
        id,
        from: this.userObj(user),
        message: structuredClone(stored.msg),
        chat_instance: `-${chatInstance}`,
        data: callbackData,
      },
    });
  }

  /** Number of updates not yet confirmed by the bot (via getUpdates offset). */
  get pendingUpdates(): number {
    return this.updates.length;
  }

  /**
   * Resolves once every injected update was confirmed by a later getUpdates offset (with `bot.start()`
   * this means the bot finished handling them).
   */
  drained(opts: { timeoutMs?: number } = {}): Promise<void> {
    if (this.updates.length === 0) return Promise.resolve();
    const timeoutMs = opts.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.drainWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.drainWaiters.delete(done);
        reject(
          new Error(`drained() timed out after ${timeoutMs}ms; ${this.updates.length} update(s) unconfirmed`),
        );
      }, timeoutMs);
      this.drainWaiters.add(done);
    });
  }

  // --------------------------------------------------------------------------------------- observing

  /** Messages the bot sent to a chat, in order (including later-deleted ones, flagged). */
  sentTo(chatId: number | string): SentMessage[] {
    const id =
      typeof chatId === "number" ? chatId : this.usernames.get(chatId.replace(/^@/, "").toLowerCase());
    const store = id === undefined ? undefined : this.messages.get(id);
    if (!store) return [];
    const out: SentMessage[] = [];
    for (const m of store.values()) if (m.sent) out.push(m.sent);
    return out;
  }

  /** Bytes of a stored file (throws for an unknown file_id). */
  fileBytes(fileId: string): Buffer {
    const f = this.files.get(fileId);
    if (!f) throw new Error(`fileBytes: unknown file_id ${fileId}`);
    return f.bytes;
  }

  /** A stored file's metadata and bytes, or undefined. */
  file(fileId: string): StoredFile | undefined {
    return this.files.get(fileId);
  }

  /** Subscribes to completed requests; returns the unsubscribe function. */
  onRequest(listener: (r: RequestRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Makes later `waitFor` calls ignore every request completed so far. */
  markSeen(): void {
    this.cursor = this.doneSeq;
  }

  /** Empties the request log (counters are kept). */
  clearLog(): void {
    this.requests.length = 0;
    this.doneOrder.length = 0;
    this.cursor = this.doneSeq;
  }

  /**
   * Resolves with the first completed request matching `predicate` that completed after the one the
   * previous `waitFor` resolved with (so consecutive calls walk forward through the log), or, with
   * `fromStart`, the first in the whole log. Rejects after `timeoutMs` (default 5000) listing the last
   * requests.
   */
  waitFor(
    predicate: (r: RequestRecord) => boolean,
    opts: { timeoutMs?: number; fromStart?: boolean } = {},
  ): Promise<RequestRecord> {
    const from = opts.fromStart ? 0 : this.cursor;
    for (const r of this.doneOrder) {
      if ((r.doneSeq ?? 0) > from && predicate(r)) {
        this.cursor = Math.max(this.cursor, r.doneSeq ?? 0);
        return Promise.resolve(r);
      }
    }
    const timeoutMs = opts.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (r) => {
          clearTimeout(waiter.timer);
          this.waiters.delete(waiter);
          this.cursor = Math.max(this.cursor, r.doneSeq ?? 0);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(waiter.timer);
          this.waiters.delete(waiter);
          reject(e);
        },
        timer: setTimeout(() => {
          const recent = this.doneOrder.slice(-12).map((r) => `  ${summarize(r)}`);
          const pending = this.requests.filter((r) => !r.done).map((r) => `  ${summarize(r)}`);
          waiter.reject(
            new Error(
              `waitFor timed out after ${timeoutMs}ms. Last requests:\n${[...recent, ...pending].join("\n") || "  (none)"}`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * Waits for the bot's next successful message-creating call to `chatId` (see `waitFor` for the
   * ordering) whose SentMessage satisfies `match`, and returns that SentMessage.
   */
  async waitForMessage(
    chatId: number,
    opts: { timeoutMs?: number; fromStart?: boolean; match?: (m: SentMessage) => boolean } = {},
  ): Promise<SentMessage> {
    let found: SentMessage | undefined;
    await this.waitFor((r) => {
      if (!r.ok || !r.sent) return false;
      found = r.sent.find((m) => m.chat_id === chatId && (!opts.match || opts.match(m)));
      return found !== undefined;
    }, opts);
    return found!;
  }

  // --------------------------------------------------------------------------------------- lifecycle

  /** Answers held long polls with an empty batch, rejects pending waits and closes the server. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.poller) this.respondPoll([]);
    for (const w of [...this.waiters]) w.reject(new Error("bot API stub closed"));
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ------------------------------------------------------------------------------------ HTTP handling

  /** @internal */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const search = q === -1 ? "" : url.slice(q);
    if (path.startsWith("/file/bot")) {
      req.resume();
      this.serveFile(req, res, path);
      return;
    }
    if (!path.startsWith("/bot")) {
      req.resume();
      sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    const slash = path.indexOf("/", 4);
    const token = slash === -1 ? path.slice(4) : path.slice(4, slash);
    if (token !== this.token) {
      req.resume();
      sendJson(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
      return;
    }
    const rawMethod = slash === -1 ? "" : decodeURIComponent(path.slice(slash + 1));
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooBig = true;
      else chunks.push(c);
    });
    req.on("end", () => {
      if (tooBig) {
        sendJson(res, 413, { ok: false, error_code: 413, description: "Request Entity Too Large" });
        return;
      }
      this.dispatch(
        rawMethod,
        req,
        res,
        search,
        chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size),
      );
    });
    req.on("error", () => res.destroy());
  }

  private serveFile(req: IncomingMessage, res: ServerResponse, path: string): void {
    const rest = path.slice("/file/bot".length);
    const slash = rest.indexOf("/");
    const token = slash === -1 ? rest : rest.slice(0, slash);
    if (token !== this.token) {
      sendJson(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
      return;
    }
    const filePath = decodeURIComponent(rest.slice(slash + 1));
    const f = this.files.byPath.get(filePath);
    if (!f || (req.method !== "GET" && req.method !== "HEAD")) {
      sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    this.stats.fileDownloads++;
    res.writeHead(200, {
      "content-type": f.mime_type ?? "application/octet-stream",
      "content-length": f.bytes.length,
    });
    res.end(req.method === "HEAD" ? undefined : f.bytes);
  }

  private dispatch(
    rawMethod: string,
    req: IncomingMessage,
    res: ServerResponse,
    search: string,
    body: Buffer,
  ): void {
    const now = Date.now();
    const key = rawMethod.toLowerCase();
    const customHandler = this.custom.get(key);
    const entry = this.methods.get(key);
    const method = entry?.name ?? rawMethod;
    let params: Params = {};
    let uploads = new Map<string, UploadedPart>();
    let decodeError: string | undefined;
    try {
      ({ params, uploads } = decodeRequest(req.headers["content-type"], search, body));
    } catch (e) {
      decodeError = e instanceof DecodeError ? e.message : `Bad Request: ${(e as Error).message}`;
    }
    const record: RequestRecord = { seq: ++this.seq, method, params, at: now, done: false };
    const chatParam = params.chat_id;
    if (typeof chatParam === "number" || typeof chatParam === "string") record.chatId = chatParam;
    if (uploads.size > 0) record.uploads = [...uploads.keys()];
    if (this.keepLog) this.requests.push(record);
    this.stats.totalRequests++;
    this.stats.byMethod[method] = (this.stats.byMethod[method] ?? 0) + 1;

    if (!entry && !customHandler) {
      this.finish(res, record, { error_code: 404, description: "Not Found: method not found" });
      return;
    }
    if (decodeError !== undefined) {
      this.finish(res, record, { error_code: 400, description: decodeError });
      return;
    }
    const counted = SEND_METHODS.has(method);
    const chatKey = record.chatId === undefined ? undefined : String(record.chatId);
    const paid = params.allow_paid_broadcast === true && (this.rate?.paidBroadcast ?? true);
    if (counted) this.checkUnhonoured(chatKey, paid, now);

    const injected = this.takeInjectedFailure(method);
    if (injected) {
      this.stats.injectedFailures++;
      const retry = injected.parameters?.retry_after;
      if (counted && injected.error_code === 429 && typeof retry === "number") {
        const block = { setAt: now, until: now + retry * 1000 };
        if (chatKey !== undefined) this.chatBlocks.set(chatKey, block);
        else this.globalBlock = block;
      }
      this.finish(res, record, injected);
      return;
    }
    if (method === "getUpdates" && !customHandler) {
      this.getUpdates(record, res);
      return;
    }
    const call: Call = { method, params, uploads, record, now };
    try {
      if (chatKey !== undefined) {
        const failure = this.chatFailures.get(chatKey);
        if (failure) {
          this.stats.injectedFailures++;
          throw new StubApiError(failure);
        }
      }
      if (counted) {
        const limited = this.checkRateLimit(chatKey, record.chatId, paid, now);
        if (limited) throw new StubApiError(limited);
      }
      const result = customHandler
        ? customHandler(params, { stub: this, uploads, record })
        : (entry as { impl: MethodImpl }).impl(call);
      if (result instanceof Promise) {
        result.then(
          (r) => this.succeed(res, record, r, counted, chatKey, now),
          (e) => this.finishError(res, record, e),
        );
        return;
      }
      this.succeed(res, record, result, counted, chatKey, now);
    } catch (e) {
      this.finishError(res, record, e);
    }
  }

  private succeed(
    res: ServerResponse,
    record: RequestRecord,
    result: unknown,
    counted: boolean,
    chatKey: string | undefined,
    now: number,
  ): void {
    if (counted) {
      this.globalWindow.add(now);
      const inWindow = this.globalWindow.count(now);
      if (inWindow > this.stats.peakSendsPerSecond) this.stats.peakSendsPerSecond = inWindow;
      if (this.rate && chatKey !== undefined) {
        if (this.chatBuckets) this.chatBuckets.take(chatKey, now);
        else if (this.rate.perChatPerSecond !== undefined) this.chatWindows.add(chatKey, now);
        if (
          this.rate.perGroupPerMinute !== undefined &&
          typeof record.chatId === "number" &&
          record.chatId < 0
        ) {
          this.groupWindows.add(chatKey, now);
        }
      }
      this.stats.totalSends++;
      if (record.params.allow_paid_broadcast === true && (this.rate?.paidBroadcast ?? true)) {
        this.stats.paidBroadcastSends++;
      }
      const chat = record.chatId ?? "";
      this.stats.byChat.set(chat, (this.stats.byChat.get(chat) ?? 0) + 1);
      this.countDuplicate(record, result);
    }
    this.finish(res, record, undefined, result);
  }

  private finishError(res: ServerResponse, record: RequestRecord, e: unknown): void {
    if (e instanceof StubApiError) this.finish(res, record, e.spec);
    else if (e instanceof EntityParseError)
      this.finish(res, record, { error_code: 400, description: e.description });
    else {
      this.finish(res, record, {
        error_code: 500,
        description: `Internal Server Error: bot API stub failed: ${(e as Error)?.stack ?? String(e)}`,
      });
    }
  }

  /** Sends the response, completes the record and notifies waiters. */
  private finish(
    res: ServerResponse,
    record: RequestRecord,
    error: BotApiErrorSpec | undefined,
    result?: unknown,
  ): void {
    record.done = true;
    record.respondedAt = Date.now();
    record.doneSeq = ++this.doneSeq;
    if (error) {
      record.ok = false;
      record.error_code = error.error_code;
      record.description = error.description;
      this.stats.errors++;
      if (error.error_code === 429) this.stats.rateLimited++;
      const body: Obj = { ok: false, error_code: error.error_code, description: error.description };
      if (error.parameters) body.parameters = error.parameters;
      sendJson(res, error.error_code, body);
    } else {
      record.ok = true;
      record.result = result;
      sendJson(res, 200, { ok: true, result });
    }
    if (this.keepLog) this.doneOrder.push(record);
    for (const l of this.listeners) l(record);
    for (const w of [...this.waiters]) if (w.predicate(record)) w.resolve(record);
  }

  private takeInjectedFailure(method: string): BotApiErrorSpec | undefined {
    const q = this.failQueue.get(method);
    if (q && q.length > 0) return q.shift();
    if (method === "getUpdates") return undefined;
    const any = this.failQueue.get("*");
    return any && any.length > 0 ? any.shift() : undefined;
  }

  // -------------------------------------------------------------------------------------- flood control

  /** The global block relevant to a request (a free-limit block does not bind paid broadcasts). */
  private globalBlockFor(paid: boolean): Block | null {
    const b = this.globalBlock;
    return b && !(paid && b.freeOnly) ? b : null;
  }

  private checkUnhonoured(chatKey: string | undefined, paid: boolean, now: number): void {
    const grace = this.rate?.inFlightGraceMs ?? 0;
    const violates = (b: Block | null | undefined) =>
      !!b && now < b.until - TIMER_TOLERANCE_MS && now >= b.setAt + grace;
    if (violates(this.globalBlockFor(paid))) {
      this.stats.unhonoured429++;
      this.stats.unhonoured429Global++;
    } else if (chatKey !== undefined && violates(this.chatBlocks.get(chatKey))) {
      this.stats.unhonoured429++;
      this.stats.unhonoured429Chat++;
    }
    if (chatKey !== undefined) {
      const b = this.chatBlocks.get(chatKey);
      if (b && b.until <= now) this.chatBlocks.delete(chatKey);
    }
  }

  private checkRateLimit(
    chatKey: string | undefined,
    chatId: number | string | undefined,
    paid: boolean,
    now: number,
  ): BotApiErrorSpec | null {
    const rl = this.rate;
    if (!rl) return null;
    const tooMany = (ms: number): BotApiErrorSpec => {
      const retry = Math.max(1, Math.ceil(ms / 1000));
      return {
        error_code: 429,
        description: `Too Many Requests: retry after ${retry}`,
        parameters: { retry_after: retry },
      };
    };
    if (rl.rejectDuringRetryAfter ?? true) {
      const chatBlock = chatKey === undefined ? undefined : this.chatBlocks.get(chatKey);
      const globalBlock = this.globalBlockFor(paid);
      const until = Math.max(globalBlock?.until ?? 0, chatBlock?.until ?? 0);
      if (until > now) {
        if ((globalBlock?.until ?? 0) === until) this.stats.rateLimitedGlobal++;
        else this.stats.rateLimitedPerChat++;
        return tooMany(until - now);
      }
    }
    const globalLimit = paid ? (rl.paidBroadcastPerSecond ?? 1000) : rl.globalPerSecond;
    if (globalLimit !== undefined) {
      const ms = this.globalWindow.msUntilBelow(globalLimit, now);
      if (ms > 0) {
        const err = tooMany(ms);
        this.globalBlock = {
          setAt: now,
          until: now + (err.parameters?.retry_after ?? 1) * 1000,
          freeOnly: !paid,
        };
        this.stats.rateLimitedGlobal++;
        return err;
      }
    }
    if (chatKey !== undefined) {
      let ms = 0;
      if (rl.perChatPerSecond !== undefined) {
        ms = this.chatBuckets
          ? this.chatBuckets.msUntilToken(chatKey, now)
          : (this.chatWindows.peek(chatKey)?.msUntilBelow(rl.perChatPerSecond, now) ?? 0);
      }
      if (ms === 0 && rl.perGroupPerMinute !== undefined && typeof chatId === "number" && chatId < 0) {
        ms = this.groupWindows.peek(chatKey)?.msUntilBelow(rl.perGroupPerMinute, now) ?? 0;
      }
      if (ms > 0) {
        const err = tooMany(ms);
        this.chatBlocks.set(chatKey, { setAt: now, until: now + (err.parameters?.retry_after ?? 1) * 1000 });
        this.stats.rateLimitedPerChat++;
        return err;
      }
    }
    return null;
  }

  private countDuplicate(record: RequestRecord, result: unknown): void {
    const msgs = (Array.isArray(result) ? result : [result]) as Array<Obj | undefined>;
    const first = msgs[0];
    let media = "";
    let text = "";
    if (record.method === "copyMessage" || record.method === "forwardMessage") {
      media = `${String(record.params.from_chat_id)}:${String(record.params.message_id)}`;
    } else {
      for (const m of msgs) {
        if (!m) continue;
        text += `${str(m.text) ?? ""}\u0001${str(m.caption) ?? ""}\u0001`;
        const fid = this.primaryFileId(m as MsgObj);
        if (fid) media += `${this.files.get(fid)?.sha1 ?? fid},`;
        const loc = m.location as { latitude?: number; longitude?: number } | undefined;
        if (loc) media += `${loc.latitude},${loc.longitude}`;
      }
    }
    if (!first && !media) return;
    const fp = hash53(`${String(record.chatId)}\u0000${record.method}\u0000${text}\u0000${media}`);
    if (this.fingerprints.has(fp)) this.stats.duplicates++;
    else this.fingerprints.add(fp);
  }

  // --------------------------------------------------------------------------------------- long polling

  private getUpdates(record: RequestRecord, res: ServerResponse): void {
    const p = record.params;
    if (this.webhook) {
      this.finish(res, record, {
        error_code: 409,
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });
      return;
    }
    const offset = typeof p.offset === "number" ? p.offset : 0;
    if (offset > 0) this.confirmBelow(offset);
    else if (offset < 0) this.updates = this.updates.slice(offset);
    if (Array.isArray(p.allowed_updates)) this.allowedUpdates = p.allowed_updates.map(String);
    const rawLimit = typeof p.limit === "number" ? p.limit : 100;
    const limit = Math.min(100, Math.max(1, rawLimit));
    const timeout = typeof p.timeout === "number" ? Math.max(0, p.timeout) : 0;
    if (this.poller) {
      const old = this.poller;
      this.poller = null;
      if (old.timer) clearTimeout(old.timer);
      this.finish(old.res, old.record, {
        error_code: 409,
        description:
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      });
    }
    const batch = this.takeBatch(limit);
    if (batch.length > 0 || timeout === 0 || this.closed) {
      this.finish(res, record, undefined, batch);
      return;
    }
    const poller: Poller = { record, res, limit, timer: undefined };
    poller.timer = setTimeout(() => {
      if (this.poller === poller) this.respondPoll([]);
    }, timeout * 1000);
    res.on("close", () => {
      if (this.poller === poller && !res.writableEnded) {
        clearTimeout(poller.timer);
        this.poller = null;
        record.aborted = true;
        record.done = true;
        record.doneSeq = ++this.doneSeq;
        record.respondedAt = Date.now();
      }
    });
    this.poller = poller;
  }

  private confirmBelow(offset: number): void {
    if (this.updates.length === 0 || this.updates[0]!.update_id >= offset) return;
    this.updates = this.updates.filter((u) => u.update_id >= offset);
    if (this.updates.length === 0) for (const d of [...this.drainWaiters]) d();
  }

  private isAllowed(u: Update): boolean {
    const type = Object.keys(u).find((k) => k !== "update_id") ?? "";
    return this.allowedUpdates.length === 0
      ? !DEFAULT_ALLOWED_EXCLUDED.has(type)
      : this.allowedUpdates.includes(type);
  }

  private takeBatch(limit: number): Update[] {
    if (this.updates.length === 0) return [];
    const kept: Update[] = [];
    const batch: Update[] = [];
    for (const u of this.updates) {
      if (!this.isAllowed(u)) continue; // dropped, as Telegram never delivers them
      kept.push(u);
      if (batch.length < limit) batch.push(u);
    }
    this.updates = kept;
    if (kept.length === 0) for (const d of [...this.drainWaiters]) d();
    return batch;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.poller) return;
      const batch = this.takeBatch(this.poller.limit);
      if (batch.length > 0) this.respondPoll(batch);
    });
  }

  private respondPoll(batch: Update[]): void {
    const poller = this.poller;
    if (!poller) return;
    this.poller = null;
    if (poller.timer) clearTimeout(poller.timer);
    this.finish(poller.res, poller.record, undefined, batch);
  }

  // ------------------------------------------------------------------------------------ chats, messages

  private privateChat(user: StubUser): ChatObj {
    const c: ChatObj = { id: user.id, type: "private", first_name: user.first_name };
    if (user.last_name) c.last_name = user.last_name;
    if (user.username) c.username = user.username;
    return c;
  }

  private userObj(user: StubUser): Obj {
    return { is_bot: false, ...user };
  }

  private registerChat(chat: ChatObj): ChatObj {
    const known = this.chats.get(chat.id);
    const merged = known ? Object.assign(known, chat) : chat;
    this.chats.set(chat.id, merged);
    if (chat.username) this.usernames.set(chat.username.toLowerCase(), chat.id);
    return merged;
  }

  private resolveChat(value: unknown, field = "chat_id"): ChatObj {
    if (value === undefined || value === null || value === "") throw bad(`${field} is empty`);
    if (typeof value === "string") {
      const id = this.usernames.get(value.replace(/^@/, "").toLowerCase());
      if (id === undefined) throw bad("chat not found");
      return this.chats.get(id)!;
    }
    if (typeof value !== "number" || !Number.isInteger(value) || value === 0) throw bad("chat not found");
    const known = this.chats.get(value);
    if (known) return known;
    if (this.unknownChats === "reject") throw bad("chat not found");
    const s = String(value);
    const chat: ChatObj =
      value > 0
        ? { id: value, type: "private", first_name: `User ${value}` }
        : s.startsWith("-100")
          ? { id: value, type: "supergroup", title: `Group ${value}` }
          : { id: value, type: "group", title: `Group ${value}` };
    if (this.keepLog || this.chats.size < 10_000) this.chats.set(value, chat);
    return chat;
  }

  private createMessage(chat: ChatObj, from: Obj | undefined, fields: Obj, byBot: boolean): MsgObj {
    const id = (this.nextMessageId.get(chat.id) ?? 0) + 1;
    this.nextMessageId.set(chat.id, id);
    // chat and from objects are shared between messages (never mutated per message)
    const msg: MsgObj = { message_id: id, date: unixNow(), chat };
    if (from) msg.from = from;
    Object.assign(msg, fields);
    if (!this.keepLog && (this.maxMessagesPerChat <= 0 || this.maxStoredMessages <= 0)) return msg;
    let store = this.messages.get(chat.id);
    if (!store) {
      store = new Map();
      this.messages.set(chat.id, store);
    }
    store.set(id, { msg, byBot, deleted: false });
    if (!this.keepLog) {
      if (store.size > this.maxMessagesPerChat) {
        const oldest = store.keys().next().value;
        if (oldest !== undefined) store.delete(oldest);
      }
      this.storedOrder.push([chat.id, id]);
      while (this.storedOrder.length - this.storedHead > this.maxStoredMessages) {
        const [c, m] = this.storedOrder[this.storedHead++]!;
        const s = this.messages.get(c);
        if (s?.delete(m) && s.size === 0) this.messages.delete(c);
      }
      if (this.storedHead > 4096 && this.storedHead * 2 > this.storedOrder.length) {
        this.storedOrder = this.storedOrder.slice(this.storedHead);
        this.storedHead = 0;
      }
    }
    return msg;
  }

  private findMessage(chatId: number, messageId: number): StoredMessage | undefined {
    return this.messages.get(chatId)?.get(messageId);
  }

  private quoteOf(msg: MsgObj): Obj {
    const { reply_to_message: _omit, ...rest } = msg;
    return structuredClone(rest);
  }

  private userCaption(caption: string | undefined): Obj {
    if (caption === undefined) return {};
    const entities = detectAutoEntities(caption);
    return entities.length ? { caption, caption_entities: entities } : { caption };
  }

  private primaryFileId(m: MsgObj): string | undefined {
    const photo = m.photo as StubPhotoSize[] | undefined;
    if (photo && photo.length > 0) return photo[photo.length - 1]!.file_id;
    for (const f of MEDIA_FIELDS) {
      const v = m[f] as { file_id?: string } | undefined;
      if (v?.file_id) return v.file_id;
    }
    return undefined;
  }

  private mediaObject(f: StoredFile, extra: Obj): Obj {
    const o: Obj = { file_id: f.file_id, file_unique_id: f.file_unique_id };
    const num = (v: unknown, d: number) => (typeof v === "number" ? v : d);
    switch (f.kind) {
      case "video":
      case "animation":
        o.width = num(extra.width, 640);
        o.height = num(extra.height, 360);
        o.duration = num(extra.duration, 0);
        break;
      case "audio":
        o.duration = num(extra.duration, 0);
        if (typeof extra.performer === "string") o.performer = extra.performer;
        if (typeof extra.title === "string") o.title = extra.title;
        break;
      case "voice":
        o.duration = num(extra.duration, 0);
        break;
      case "video_note":
        o.length = num(extra.length, 240);
        o.duration = num(extra.duration, 0);
        break;
      case "sticker":
        Object.assign(o, { type: "regular", width: 512, height: 512, is_animated: false, is_video: false });
        break;
      default:
        break;
    }
    if (f.file_name !== undefined && f.kind !== "sticker" && f.kind !== "voice" && f.kind !== "video_note") {
      o.file_name = f.file_name;
    }
    if (f.mime_type !== undefined && f.kind !== "sticker" && f.kind !== "video_note")
      o.mime_type = f.mime_type;
    o.file_size = f.file_size;
    return o;
  }

  // ------------------------------------------------------------------------------- parameter helpers

  private replyMarkup(value: unknown): { given: unknown; inline: Obj | undefined } {
    if (value === undefined || value === null) return { given: undefined, inline: undefined };
    if (typeof value !== "object" || Array.isArray(value))
      throw bad("can't parse reply keyboard markup JSON object");
    const rm = value as Obj;
    if ("inline_keyboard" in rm) {
      const rows = rm.inline_keyboard;
      if (!Array.isArray(rows) || !rows.every(Array.isArray))
        throw bad('can\'t parse inline keyboard button: field "inline_keyboard" must be an Array of Arrays');
      for (const row of rows as unknown[][]) {
        for (const b of row) {
          const button = b as Obj;
          if (typeof button?.text !== "string")
            throw bad("can't parse inline keyboard button: Text must be a String");
          const actions = Object.keys(button).filter(
            (k) => k !== "text" && k !== "icon_custom_emoji_id" && k !== "style",
          );
          if (actions.length === 0) throw bad("text buttons are unallowed in the inline keyboard");
          if ("callback_data" in button) {
            const data = button.callback_data;
            if (typeof data !== "string" || Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64) {
              throw bad("BUTTON_DATA_INVALID");
            }
          }
          if ("url" in button && !/^(https?|tg):\/\/\S+$/i.test(String(button.url))) {
            throw bad(`inline keyboard button URL '${String(button.url)}' is invalid: Wrong HTTP URL`);
          }
        }
      }
      return { given: rm, inline: rows.length > 0 ? rm : undefined };
    }
    if ("keyboard" in rm && !Array.isArray(rm.keyboard)) throw bad('field "keyboard" must be an Array');
    return { given: rm, inline: undefined };
  }

  private formatted(
    text: unknown,
    parseMode: unknown,
    entities: unknown,
    kind: "text" | "caption",
  ): { text: string; entities: StubEntity[] } | undefined {
    if (text === undefined || text === null) {
      if (kind === "text") throw bad("message text is empty");
      return undefined;
    }
    const raw = typeof text === "string" ? text : String(text);
    if (typeof entities === "string") throw bad("can't parse entities JSON object");
    const out = formatText(raw, parseMode, entities);
    if (kind === "text") {
      if (out.text.trim() === "") throw bad("message text is empty");
      if (out.text.length > 4096) throw bad("message is too long");
    } else if (out.text.length > 1024) throw bad("message caption is too long");
    return out;
  }

  private captionFields(p: Params): Obj {
    const c = this.formatted(p.caption, p.parse_mode, p.caption_entities, "caption");
    if (!c || c.text === "") return {};
    return c.entities.length ? { caption: c.text, caption_entities: c.entities } : { caption: c.text };
  }

  private replyTo(chat: ChatObj, p: Params): Obj {
    const rp = p.reply_parameters as
      | { message_id?: number; chat_id?: number; allow_sending_without_reply?: boolean }
      | undefined;
    const id =
      rp?.message_id ?? (typeof p.reply_to_message_id === "number" ? p.reply_to_message_id : undefined);
    if (id === undefined) return {};
    const targetChat = typeof rp?.chat_id === "number" ? rp.chat_id : chat.id;
    const target = this.findMessage(targetChat, id);
    if (!target || target.deleted) {
      if (rp?.allow_sending_without_reply || p.allow_sending_without_reply === true) return {};
      throw bad("message to be replied not found");
    }
    return targetChat === chat.id ? { reply_to_message: this.quoteOf(target.msg) } : {};
  }

  /** Resolves an InputFile parameter (upload, attach://, file_id or URL) to a stored file. */
  private inputFile(
    call: Call,
    value: unknown,
    field: string,
    kind: FileKind,
  ): { file: StoredFile; photo?: StubPhotoSize[] } {
    let part: UploadedPart | undefined;
    if (value === undefined && call.uploads.has(field)) part = call.uploads.get(field);
    else if (typeof value === "string" && value.startsWith("attach://")) {
      part = call.uploads.get(value.slice("attach://".length));
      if (!part) throw bad(`wrong file identifier/HTTP URL specified`);
    } else if (value === undefined || value === null || value === "") {
      throw bad(`there is no ${field} in the request`);
    }
    if (part) {
      if (part.data.length === 0) throw bad("file must be non-empty");
      if (kind === "photo") {
        const photo = this.files.addPhoto(part.data);
        return { file: this.files.get(photo[photo.length - 1]!.file_id)!, photo };
      }
      const ct =
        part.contentType && part.contentType !== "application/octet-stream" ? part.contentType : undefined;
      const file = this.files.add(part.data, kind, {
        ...(part.filename !== undefined ? { fileName: part.filename } : {}),
        ...(ct ? { mimeType: ct } : {}),
      });
      return { file };
    }
    const s = String(value);
    if (/^https?:\/\//i.test(s)) throw bad("failed to get HTTP URL content");
    const file = this.files.get(s);
    if (!file) throw bad("wrong file identifier/HTTP URL specified");
    if ((file.kind === "photo") !== (kind === "photo")) throw bad("type of file mismatch");
    if (kind === "photo") return { file, photo: this.files.photoSet(s)! };
    return { file };
  }

  private mediaFields(call: Call, kind: FileKind, value: unknown, field: string, extra: Params): Obj {
    const { file, photo } = this.inputFile(call, value, field, kind);
    if (photo) return { photo };
    const o = this.mediaObject(file, extra);
    return { [kind]: o };
  }

  /** Common part of every message-creating method: chat, reply, markup; stores a SentMessage. */
  private botSend(call: Call, content: Obj, opts: { chat?: ChatObj; markup?: boolean } = {}): MsgObj {
    const p = call.params;
    const chat = opts.chat ?? this.resolveChat(p.chat_id);
    const { given, inline } =
      opts.markup === false ? { given: undefined, inline: undefined } : this.replyMarkup(p.reply_markup);
    const fields: Obj = { ...this.replyTo(chat, p), ...content };
    if (typeof p.message_thread_id === "number" && chat.type === "supergroup") {
      fields.message_thread_id = p.message_thread_id;
    }
    if (p.has_spoiler === true) fields.has_media_spoiler = true;
    if (p.show_caption_above_media === true) fields.show_caption_above_media = true;
    if (p.protect_content === true) fields.has_protected_content = true;
    if (inline) fields.reply_markup = inline;
    const msg = this.createMessage(chat, this.botFrom, fields, true);
    const sent: SentMessage = {
      method: call.method,
      chat_id: chat.id,
      message_id: msg.message_id,
      text: str(msg.text) ?? str(msg.caption),
      reply_markup: given,
      fileId: this.primaryFileId(msg),
      message: msg as unknown as Message,
      params: p,
      at: call.now,
      edited: false,
      deleted: false,
    };
    const stored = this.findMessage(chat.id, msg.message_id);
    if (stored) stored.sent = sent;
    call.record.sent ??= [];
    call.record.sent.push(sent);
    return msg;
  }

  private editable(p: Params): StoredMessage {
    if (p.inline_message_id !== undefined) throw bad("MESSAGE_ID_INVALID");
    const chat = this.resolveChat(p.chat_id);
    if (typeof p.message_id !== "number") throw bad("message identifier is not specified");
    const stored = this.findMessage(chat.id, p.message_id);
    if (!stored || stored.deleted) throw bad("message to edit not found");
    if (!stored.byBot) throw bad("message can't be edited");
    return stored;
  }

  private applyEdit(
    stored: StoredMessage,
    changes: Obj,
    markupGiven: unknown,
    inline: Obj | undefined,
  ): MsgObj {
    const msg = stored.msg;
    const before = JSON.stringify([
      msg.text,
      msg.entities,
      msg.caption,
      msg.caption_entities,
      msg.reply_markup,
      msg.photo,
      msg.document,
      msg.video,
    ]);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) delete msg[k];
      else msg[k] = v;
    }
    if (inline) msg.reply_markup = inline;
    else delete msg.reply_markup;
    const after = JSON.stringify([
      msg.text,
      msg.entities,
      msg.caption,
      msg.caption_entities,
      msg.reply_markup,
      msg.photo,
      msg.document,
      msg.video,
    ]);
    if (before === after) {
      throw bad(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    msg.edit_date = unixNow();
    if (stored.sent) {
      stored.sent.text = str(msg.text) ?? str(msg.caption);
      stored.sent.reply_markup = markupGiven;
      stored.sent.fileId = this.primaryFileId(msg);
      stored.sent.edited = true;
    }
    return msg;
  }

  private copyContent(source: MsgObj): Obj {
    const out: Obj = {};
    for (const k of [
      "text",
      "entities",
      "caption",
      "caption_entities",
      "location",
      "contact",
      "venue",
      "dice",
      "media_group_id",
      ...MEDIA_FIELDS,
    ]) {
      if (source[k] !== undefined) out[k] = structuredClone(source[k]);
    }
    delete out.media_group_id;
    return out;
  }

  // -------------------------------------------------------------------------------------- method table

  private installMethods(): void {
    const m: Record<string, MethodImpl> = {
      getMe: () => this.botInfo,
      logOut: () => true,
      close: () => true,
      getUpdates: () => [], // handled in dispatch
      setWebhook: ({ params: p }) => {
        const url = str(p.url) ?? "";
        if (url === "") {
          this.webhook = null;
          return true;
        }
        if (!/^https:\/\//i.test(url)) throw bad("bad webhook: An HTTPS URL must be provided for webhook");
        this.webhook = { url };
        if (typeof p.secret_token === "string") this.webhook.secret_token = p.secret_token;
        if (Array.isArray(p.allowed_updates)) this.webhook.allowed_updates = p.allowed_updates.map(String);
        if (typeof p.max_connections === "number") this.webhook.max_connections = p.max_connections;
        if (p.drop_pending_updates === true) this.updates = [];
        return true;
      },
      deleteWebhook: ({ params: p }) => {
        this.webhook = null;
        if (p.drop_pending_updates === true) {
          this.updates = [];
          for (const d of [...this.drainWaiters]) d();
        }
        return true;
      },
      getWebhookInfo: () => ({
        url: this.webhook?.url ?? "",
        has_custom_certificate: false,
        pending_update_count: this.updates.length,
        ...(this.webhook?.max_connections ? { max_connections: this.webhook.max_connections } : {}),
        ...(this.webhook?.allowed_updates ? { allowed_updates: this.webhook.allowed_updates } : {}),
      }),
      setMyCommands: ({ params: p }) => {
        if (!Array.isArray(p.commands)) throw bad("can't parse commands JSON object");
        if (p.commands.length > 100) throw bad("BOT_COMMANDS_TOO_MUCH");
        for (const c of p.commands as Obj[]) {
          if (typeof c?.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command))
            throw bad("BOT_COMMAND_INVALID");
          if (typeof c.description !== "string" || c.description.length < 1 || c.description.length > 256) {
            throw bad("BOT_COMMAND_DESCRIPTION_INVALID");
          }
        }
        const cmds = (p.commands as Obj[]).map((c) => ({
          command: String(c.command),
          description: String(c.description),
        }));
        this.commands.set(this.commandKey(p), cmds);
        return true;
      },
      getMyCommands: ({ params: p }) => this.commands.get(this.commandKey(p)) ?? [],
      deleteMyCommands: ({ params: p }) => {
        this.commands.delete(this.commandKey(p));
        return true;
      },
      setMyDescription: () => true,
      setMyShortDescription: () => true,
      setMyName: () => true,
      setChatMenuButton: () => true,
      setMyDefaultAdministratorRights: () => true,
      getChat: ({ params: p }) => ({
        ...this.resolveChat(p.chat_id),
        accent_color_id: 0,
        max_reaction_count: 11,
      }),
      getChatMember: ({ params: p }) => {
        this.resolveChat(p.chat_id);
        const uid = typeof p.user_id === "number" ? p.user_id : 0;
        if (uid === this.botInfo.id) return { status: "member", user: { ...this.botInfo } };
        const chat = this.chats.get(uid);
        return {
          status: "member",
          user: { id: uid, is_bot: false, first_name: chat?.first_name ?? `User ${uid}` },
        };
      },
      pinChatMessage: ({ params: p }) => {
        this.resolveChat(p.chat_id);
        return true;
      },
      unpinChatMessage: ({ params: p }) => {
        this.resolveChat(p.chat_id);
        return true;
      },
      sendChatAction: ({ params: p }) => {
        this.resolveChat(p.chat_id);
        if (typeof p.action !== "string" || !CHAT_ACTIONS.has(p.action))
          throw bad("wrong parameter action in request");
        return true;
      },
      sendMessage: (call) => {
        const p = call.params;
        const t = this.formatted(p.text, p.parse_mode, p.entities, "text")!;
        const content: Obj = { text: t.text };
        if (t.entities.length) content.entities = t.entities;
        if (p.link_preview_options && typeof p.link_preview_options === "object") {
          content.link_preview_options = p.link_preview_options;
        }
        return this.botSend(call, content);
      },
      sendPhoto: (call) => this.sendMedia(call, "photo"),
      sendDocument: (call) => this.sendMedia(call, "document"),
      sendVideo: (call) => this.sendMedia(call, "video"),
      sendAudio: (call) => this.sendMedia(call, "audio"),
      sendVoice: (call) => this.sendMedia(call, "voice"),
      sendAnimation: (call) => this.sendMedia(call, "animation"),
      sendSticker: (call) => this.sendMedia(call, "sticker"),
      sendVideoNote: (call) => this.sendMedia(call, "video_note"),
      sendLocation: (call) => {
        const p = call.params;
        const lat = p.latitude;
        const lon = p.longitude;
        if (typeof lat !== "number" || typeof lon !== "number" || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
          throw bad("wrong latitude or longitude");
        }
        const location: Obj = { latitude: lat, longitude: lon };
        for (const k of ["horizontal_accuracy", "live_period", "heading", "proximity_alert_radius"]) {
          if (typeof p[k] === "number") location[k] = p[k];
        }
        return this.botSend(call, { location });
      },
      sendVenue: (call) => {
        const p = call.params;
        const location = { latitude: Number(p.latitude), longitude: Number(p.longitude) };
        return this.botSend(call, {
          location,
          venue: { location, title: String(p.title ?? ""), address: String(p.address ?? "") },
        });
      },
      sendContact: (call) => {
        const p = call.params;
        if (typeof p.phone_number !== "string" || typeof p.first_name !== "string")
          throw bad("phone number is empty");
        const contact: Obj = { phone_number: p.phone_number, first_name: p.first_name };
        if (typeof p.last_name === "string") contact.last_name = p.last_name;
        return this.botSend(call, { contact });
      },
      sendDice: (call) => {
        const emoji = str(call.params.emoji) ?? "🎲";
        return this.botSend(call, { dice: { emoji, value: 1 + Math.floor(Math.random() * 6) } });
      },
      sendMediaGroup: (call) => this.sendMediaGroup(call),
      copyMessage: (call) => {
        const p = call.params;
        const from = this.resolveChat(p.from_chat_id, "from_chat_id");
        const src = typeof p.message_id === "number" ? this.findMessage(from.id, p.message_id) : undefined;
        if (!src || src.deleted) throw bad("message to copy not found");
        const content = this.copyContent(src.msg);
        if (p.caption !== undefined) {
          delete content.caption;
          delete content.caption_entities;
          Object.assign(content, this.captionFields(p));
        }
        const msg = this.botSend(call, content);
        return { message_id: msg.message_id };
      },
      forwardMessage: (call) => {
        const p = call.params;
        const from = this.resolveChat(p.from_chat_id, "from_chat_id");
        const src = typeof p.message_id === "number" ? this.findMessage(from.id, p.message_id) : undefined;
        if (!src || src.deleted) throw bad("message to forward not found");
        const sender = src.msg.from as Obj | undefined;
        const origin =
          from.type === "private" || (sender && from.type !== "channel")
            ? {
                type: "user",
                sender_user: sender ?? { id: from.id, is_bot: false, first_name: from.first_name },
                date: src.msg.date,
              }
            : { type: "chat", sender_chat: from, date: src.msg.date };
        return this.botSend(
          call,
          { forward_origin: origin, ...this.copyContent(src.msg) },
          { markup: false },
        );
      },
      editMessageText: ({ params: p }) => {
        const stored = this.editable(p);
        if (typeof stored.msg.text !== "string") throw bad("there is no text in the message to edit");
        const t = this.formatted(p.text, p.parse_mode, p.entities, "text")!;
        const { given, inline } = this.replyMarkup(p.reply_markup);
        return this.applyEdit(
          stored,
          { text: t.text, entities: t.entities.length ? t.entities : undefined },
          given,
          inline,
        );
      },
      editMessageCaption: ({ params: p }) => {
        const stored = this.editable(p);
        if (typeof stored.msg.text === "string") throw bad("there is no caption in the message to edit");
        const c = this.captionFields(p);
        const { given, inline } = this.replyMarkup(p.reply_markup);
        return this.applyEdit(
          stored,
          { caption: c.caption, caption_entities: c.caption_entities },
          given,
          inline,
        );
      },
      editMessageReplyMarkup: ({ params: p }) => {
        const stored = this.editable(p);
        const { given, inline } = this.replyMarkup(p.reply_markup);
        return this.applyEdit(stored, {}, given, inline);
      },
      editMessageMedia: (call) => {
        const p = call.params;
        const stored = this.editable(p);
        const media = p.media as Obj | undefined;
        if (!media || typeof media !== "object") throw bad("can't parse InputMedia JSON object");
        const kind = String(media.type) as FileKind;
        if (!["photo", "video", "document", "audio", "animation"].includes(kind))
          throw bad("wrong media type");
        const changes: Obj = {};
        for (const f of MEDIA_FIELDS) changes[f] = undefined;
        Object.assign(changes, this.mediaFields(call, kind, media.media, "media", media as Params));
        const c = this.captionFields(media as Params);
        changes.caption = c.caption;
        changes.caption_entities = c.caption_entities;
        const { given, inline } = this.replyMarkup(p.reply_markup);
        return this.applyEdit(stored, changes, given, inline);
      },
      deleteMessage: ({ params: p }) => {
        const chat = this.resolveChat(p.chat_id);
        const stored = typeof p.message_id === "number" ? this.findMessage(chat.id, p.message_id) : undefined;
        if (!stored || stored.deleted) throw bad("message to delete not found");
        stored.deleted = true;
        if (stored.sent) stored.sent.deleted = true;
        return true;
      },
      deleteMessages: ({ params: p }) => {
        const chat = this.resolveChat(p.chat_id);
        if (!Array.isArray(p.message_ids)) throw bad("message identifiers are not specified");
        for (const id of p.message_ids) {
          const stored = typeof id === "number" ? this.findMessage(chat.id, id) : undefined;
          if (stored) {
            stored.deleted = true;
            if (stored.sent) stored.sent.deleted = true;
          }
        }
        return true;
      },
      answerCallbackQuery: ({ params: p, now }) => {
        const id =
          str(p.callback_query_id) ??
          (typeof p.callback_query_id === "number" ? String(p.callback_query_id) : "");
        const cb = this.callbacks.get(id);
        if (!cb || cb.answered)
          throw bad("query is too old and response timeout expired or query ID is invalid");
        if (typeof p.text === "string" && p.text.length > 200) throw bad("MESSAGE_TOO_LONG");
        cb.answered = true;
        const a: AnsweredCallback = { callback_query_id: id, data: cb.data, at: now };
        if (typeof p.text === "string") a.text = p.text;
        if (typeof p.show_alert === "boolean") a.show_alert = p.show_alert;
        if (typeof p.url === "string") a.url = p.url;
        if (typeof p.cache_time === "number") a.cache_time = p.cache_time;
        this.answeredCallbacks.push(a);
        return true;
      },
      getFile: ({ params: p }) => {
        const f = typeof p.file_id === "string" ? this.files.get(p.file_id) : undefined;
        if (!f) throw bad("invalid file_id");
        if (f.file_size > MAX_DOWNLOAD) throw bad("file is too big");
        return {
          file_id: f.file_id,
          file_unique_id: f.file_unique_id,
          file_size: f.file_size,
          file_path: f.file_path,
        };
      },
    };
    for (const [name, impl] of Object.entries(m)) this.methods.set(name.toLowerCase(), { name, impl });
  }

  private commandKey(p: Params): string {
    const scope = (p.scope as { type?: string; chat_id?: unknown; user_id?: unknown } | undefined) ?? {
      type: "default",
    };
    const parts = [scope.type ?? "default"];
    if (scope.chat_id !== undefined) parts.push(String(scope.chat_id));
    if (scope.user_id !== undefined) parts.push(String(scope.user_id));
    return `${parts.join(":")}|${str(p.language_code) ?? ""}`;
  }

  private sendMedia(call: Call, kind: FileKind): MsgObj {
    const p = call.params;
    const chat = this.resolveChat(p.chat_id);
    const fields = this.mediaFields(call, kind, p[kind], kind, p);
    const content: Obj = { ...fields };
    if (kind !== "sticker" && kind !== "video_note") Object.assign(content, this.captionFields(p));
    if (kind === "sticker") (content.sticker as Obj).emoji = str(p.emoji) ?? "🙂";
    return this.botSend(call, content, { chat });
  }

  private sendMediaGroup(call: Call): MsgObj[] {
    const p = call.params;
    const chat = this.resolveChat(p.chat_id);
    const media = p.media;
    if (!Array.isArray(media)) throw bad("can't parse media JSON object");
    if (media.length < 2 || media.length > 10)
      throw bad("wrong number of media in the album: must include 2-10 items");
    const types = media.map((m) => String((m as Obj)?.type));
    for (const t of types)
      if (!["photo", "video", "document", "audio"].includes(t)) throw bad(`wrong media type "${t}"`);
    if (types.includes("document") && types.some((t) => t !== "document"))
      throw bad("document can't be mixed with other media types");
    if (types.includes("audio") && types.some((t) => t !== "audio"))
      throw bad("audio can't be mixed with other media types");
    const prepared = media.map((item) => {
      const m = item as Params;
      const kind = String(m.type) as FileKind;
      return { ...this.mediaFields(call, kind, m.media, "media", m), ...this.captionFields(m) };
    });
    const groupId = `${13_800_000_000_000_000 + ++this.mediaGroupCounter * 1000}`;
    const replyTo = this.replyTo(chat, p);
    return prepared.map((content) =>
      this.botSend(call, { ...replyTo, ...content, media_group_id: groupId }, { chat, markup: false }),
    );
  }
}

/**
 * Starts a Bot API stand-in on 127.0.0.1 with a random port.
 *
 * @example
 * const stub = await startBotApiStub();
 * const bot = new Bot(stub.token, { client: { apiRoot: stub.apiRoot } });
 * bot.on("message:text", (ctx) => ctx.reply("hai"));
 * void bot.start();
 * stub.sendText({ id: 42, first_name: "Budi" }, "halo");
 * const reply = await stub.waitForMessage(42);
 * await bot.stop();
 * await stub.close();
 */
export async function startBotApiStub(opts: BotApiStubOptions = {}): Promise<BotApiStub> {
  let stub: BotApiStub | undefined;
  const server = createServer({ keepAliveTimeout: 120_000, requestTimeout: 0 }, (req, res) =>
    stub!.handle(req, res),
  );
  server.headersTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  stub = new BotApiStub(server, (server.address() as AddressInfo).port, opts);
  return stub;
}
