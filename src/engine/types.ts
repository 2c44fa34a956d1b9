/**
 * The engine's vocabulary: what comes in from a channel ({@link Inbound}), what goes out
 * ({@link Output}, {@link Effect}) and what is kept between messages ({@link Session}).
 *
 * Everything here is plain JSON so a session can be stored as `jsonb` and a transcript replayed.
 * No type here knows about Telegram, WhatsApp or a database.
 */

/** The languages every user-facing text exists in. Indonesian first. */
export type Lang = "id" | "en";

/** Every language, in the order texts are written in the flow files. */
export const LANGS: readonly Lang[] = ["id", "en"];

/** Any JSON value: what an answer or a variable may hold. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * One file a citizen sent, already downloaded and stored by the host.
 *
 * @example { ref: "ev/2f1c…", kind: "photo", mime: "image/jpeg", size: 183200, sha256: "ab12…" }
 */
export interface MediaItem {
  /** Opaque storage key: the bytes are already stored by the host. */
  ref: string;
  kind: "photo" | "video" | "document" | "audio";
  mime: string;
  size: number;
  /** Hex SHA-256 of the original bytes, computed by the host at intake. */
  sha256: string;
  fileName?: string;
  caption?: string;
  /** When the file arrived (ISO), kept as evidence metadata. */
  receivedAt?: string;
  /** The platform's message id the file came in, kept as evidence metadata. */
  messageId?: string;
}

/**
 * What can be read from a citizen's story, by the offline extractor (`lookups.readStory`) or by an
 * LLM (`Inbound.extracted`). Raw values: the engine checks each against the step that would ask for
 * it (an option value, a place the place search finds, a date the date parser reads, …) and drops
 * what does not fit. Keys are the fact names of a flow's `story.facts`.
 */
export interface StoryFacts {
  /** A category option value ("medsos_interaksi"), or two or three of them, best first, when unsure. */
  category?: string | string[];
  /** A place name as written ("Kota Metro", "Kecamatan Metro Pusat"). */
  place?: string;
  /** The day of the event: YYYY-MM-DD or a phrase the date parser reads ("kemarin"). */
  event_date?: string;
  accused_name?: string;
  accused_position?: string;
  /** The accused's agency as written ("Dinas Pendidikan Kota Metro"). */
  agency?: string;
  /** Links to posts. */
  links?: string[];
}

/** The fact names of {@link StoryFacts}. */
export const STORY_FACTS = [
  "category",
  "place",
  "event_date",
  "accused_name",
  "accused_position",
  "agency",
  "links",
] as const;

/** Why the host could not accept a file (it did not store it); `empty`: zero bytes. */
export type MediaRejectReason = "too_large" | "unsupported_type" | "download_failed" | "empty";

/**
 * A message from a citizen, normalized by a channel adapter. The engine never sees a platform update.
 *
 * - `text`: anything typed.
 * - `choice`: a button press; `value` is the `value` of one of the {@link Output.choices}.
 * - `location`: a GPS point shared from the phone.
 * - `media`: one or more files (an album arrives as one input).
 * - `media_rejected`: a file the host refused (too large, wrong type, download failed).
 * - `unsupported`: something the engine cannot read (`what`: "sticker", "voice", "contact", "poll" …).
 * - `command`: a slash command such as `/batal` (`name` without the slash, lower case).
 */
export type Inbound =
  | {
      kind: "text";
      text: string;
      /** Facts an LLM read from this text (attached by the host's `enrich` hook; validated). */
      extracted?: StoryFacts;
    }
  | { kind: "choice"; value: string }
  | { kind: "location"; lat: number; lon: number }
  | { kind: "media"; items: MediaItem[] }
  | { kind: "media_rejected"; reason: MediaRejectReason; fileName?: string; size?: number; limit?: number }
  | { kind: "unsupported"; what: string }
  | { kind: "command"; name: string; args: string };

/** One button or menu entry. Channels without buttons number the labels ("1. Kirim"). */
export interface Choice {
  value: string;
  label: string;
}

/**
 * A renderer hint telling the channel what kind of answer is expected: e.g. Telegram shows a
 * "share location" button for `location`, WhatsApp Web numbers the choices for `choice`.
 */
export type AskHint = "text" | "choice" | "location" | "media" | "date" | "phone" | "yes_no";

/** An abstract message to the citizen. Channels render it with what they have. */
export interface Output {
  text: string;
  choices?: Choice[];
  ask?: AskHint;
  /** Hide a reply keyboard left by an earlier message (the next answer is typed). */
  removeKeyboard?: boolean;
}

/** The report's place as stored in the answers by a location step. */
export interface PlaceAnswer {
  source: "gps" | "text";
  /** What the citizen typed (text source only). */
  raw?: string;
  lat?: number;
  lon?: number;
  /** Kemendagri regency code ("18.72"); null when only the province is known. */
  regencyCode: string | null;
  regencyName: string | null;
  provinceCode: string;
  provinceName: string;
}

/** A link to a post found in a citizen's message. */
export interface EvidenceLink {
  url: string;
  platform: string;
}

/** What a media step stores: the files and links collected, or an explicit "no evidence". */
export interface EvidenceAnswer {
  items: MediaItem[];
  links: EvidenceLink[];
  none: boolean;
}

/** What an agency step stores: the words as typed plus a normalized form for routing and search. */
export interface AgencyAnswer {
  raw: string;
  normalized: string;
  kind: string;
}

/** What a phone step stores. */
export interface PhoneAnswer {
  e164: string;
  display: string;
}

/** Every answer of a session by its `store` key. Values are JSON (see the answer shapes above). */
export type Answers = Record<string, Json>;

/** Stores a typed answer shape (all of whose fields are JSON) where a {@link Json} is expected. */
export function asJson(value: PlaceAnswer | EvidenceAnswer | AgencyAnswer | PhoneAnswer | MediaItem): Json {
  return value as unknown as Json;
}

/**
 * Sub-state of the current step while it waits for more input. Kept in the session so a step can
 * span many messages (e.g. several evidence files) and survive a restart of the host.
 */
export type StepState =
  /** A place was found; waiting for "yes, that is right". */
  | { kind: "location_confirm"; place: PlaceAnswer; label: string; nearby?: boolean }
  /** Several places matched the typed name; waiting for the citizen to pick one. */
  | { kind: "location_pick"; raw: string; candidates: { place: PlaceAnswer; label: string }[] }
  /** No place matched; these names were suggested, so a typed number ("1", on WhatsApp) picks one. */
  | { kind: "location_suggest"; suggestions: string[] }
  /** Evidence collected so far. */
  | { kind: "media"; items: MediaItem[]; links: EvidenceLink[] }
  /** A day still to come this year was typed; waiting for "yes, last year's" (`date`). */
  | { kind: "date_confirm"; date: string }
  /** The summary is showing the list of answers that can be changed. */
  | { kind: "summary_edit" }
  /** An answer read from the citizen's story is shown; waiting for "yes, that is right". */
  | { kind: "prefill_confirm" };

/** Whether a session still waits for the citizen. */
export type SessionStatus = "active" | "done" | "cancelled";

/**
 * Everything the engine remembers about one conversation. Plain JSON: the host stores it as jsonb
 * and hands it back unchanged with the next message.
 */
export interface Session {
  /** The flow being run ("menu", "complaint"). */
  flowId: string;
  /** The step waiting for input. */
  stepId: string;
  lang: Lang;
  answers: Answers;
  /** Values computed by checks (e.g. `deadline`, `daysLate`), usable as `{{deadline}}` in texts. */
  vars: Record<string, Json>;
  /** Ids of the input steps answered so far, oldest first: "back" pops from here. */
  history: string[];
  /** Sub-state of the current step (see {@link StepState}). */
  pending?: StepState;
  /** While editing one answer from the summary: the summary step to come back to. */
  returnTo?: string;
  /** Set when a citizen came back after a long pause and was asked "continue or start over?". */
  resumePrompt?: boolean;
  /**
   * A file or location sent with the message that triggered the resume question: handled after
   * "continue", so the citizen need not send it again (a typed text is not kept: the question is
   * asked again instead).
   */
  resumeInput?: Inbound;
  /**
   * Answers read from the citizen's story, by `store` key, not yet confirmed: when the flow reaches
   * a step whose answer is here, it asks "we read: …, right?" instead of the full question.
   */
  prefill?: Answers;
  status: SessionStatus;
  /** ISO timestamp of the session's creation. */
  startedAt: string;
  /** ISO timestamp of the last message handled. */
  updatedAt: string;
}

/**
 * Work the host must do, in the same transaction that saves the session.
 *
 * - `submit_report`: save the report (answers of the steps actually taken) and its evidence; the
 *   host then fills `{{report.number}}` in the outputs.
 * - `status_query`: the citizen asked for the status of a report by number; the host replies.
 * - `rules_question`: the citizen asked a question about the rules; the host answers it with an
 *   output inserted at index `at` of the outputs (after what was said before the question).
 * - `subscribe`: opt the contact in to the reminder broadcasts (see {@link SubscribeRequest}).
 * - `unsubscribe`: opt the contact out (decided by the host, which knows whether they subscribed).
 * - `log`: a line for the operators' log. Never carries personal data.
 */
export type Effect =
  | { kind: "submit_report"; flowId: string; lang: Lang; answers: Answers }
  | ({ kind: "subscribe" } & SubscribeRequest)
  | { kind: "unsubscribe"; via: "word"; word: string }
  | { kind: "status_query"; number: string }
  | { kind: "rules_question"; question: string; lang: Lang; at?: number }
  | { kind: "log"; level: "debug" | "info" | "warn"; message: string };

/**
 * What a `subscribe` step asks the host to record: who the subscriber is, how far the reminders
 * reach, the region codes for that reach, and the language to write in.
 */
export interface SubscribeRequest {
  flowId: string;
  lang: Lang;
  role: "warga" | "asn";
  scope: "regency" | "province" | "national";
  regencyCode: string | null;
  provinceCode: string | null;
}

/** What one call of the engine returns: the session to save, messages to send, work to do. */
export interface StepResult {
  session: Session;
  outputs: Output[];
  effects: Effect[];
}
