/**
 * `media`: evidence, collected across as many messages as the citizen needs. Photos, videos,
 * documents and links (found in texts and captions by `lookups.extractLinks`) are added up; after
 * each, a "Selesai" button and a running count are shown. The step ends on "Selesai", or on
 * "Tidak ada bukti" when `allow_none` and nothing was sent. A file the host refused gets a kind
 * message (too large: the limit, and a tip) and the step goes on.
 *
 * Stores an {@link EvidenceAnswer}.
 */
import type { StepOf } from "../flow-schema.js";
import { matchesAny } from "../normalize.js";
import type { Choice, EvidenceAnswer, EvidenceLink, MediaItem, Output, StepState } from "../types.js";
import { asJson } from "../types.js";
import type { HandleResult, InputKind, StepContext } from "./kind.js";

/** Button values. */
const DONE = "done";
const NONE = "none";

type Collected = Extract<StepState, { kind: "media" }>;

function collected(sc: StepContext): Collected {
  const p = sc.session.pending;
  return p?.kind === "media" ? p : { kind: "media", items: [], links: [] };
}

/** Whole megabytes for people ("20 MB"); smaller limits in KB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function buttons(step: StepOf<"media">, state: Collected, sc: StepContext): Choice[] {
  if (state.items.length + state.links.length > 0) return [{ value: DONE, label: sc.t("media.done") }];
  return step.allow_none ? [{ value: NONE, label: sc.t("media.none") }] : [];
}

function status(step: StepOf<"media">, state: Collected, sc: StepContext, text: string): Output {
  const choices = buttons(step, state, sc);
  return { text, ask: "media", ...(choices.length > 0 ? { choices } : {}) };
}

function counts(state: Collected): { files: number; links: number; count: number } {
  return {
    files: state.items.length,
    links: state.links.length,
    count: state.items.length + state.links.length,
  };
}

function finish(state: Collected): HandleResult {
  const answer: EvidenceAnswer = { items: state.items, links: state.links, none: false };
  return { answer: asJson(answer) };
}

function addLinks(state: Collected, found: readonly EvidenceLink[]): Collected {
  const links = [...state.links];
  for (const l of found)
    if (!links.some((x) => x.url === l.url)) links.push({ url: l.url, platform: l.platform });
  return { ...state, links };
}

/** The `media` input kind. */
export const media: InputKind<StepOf<"media">> = {
  accepts: ["text", "choice", "media", "media_rejected"],
  ask: "media",
  init(step, sc) {
    const prior = step.store ? sc.session.answers[step.store] : undefined;
    if (prior && typeof prior === "object" && !Array.isArray(prior)) {
      const ev = prior as unknown as EvidenceAnswer;
      if (ev.items.length + ev.links.length > 0) return { kind: "media", items: ev.items, links: ev.links };
    }
    return undefined;
  },
  prompt(step, sc) {
    const state = collected(sc);
    if (counts(state).count === 0) return [status(step, state, sc, sc.question(step))];
    return [status(step, state, sc, sc.t("media.received", counts(state)))];
  },
  handle(step, input, sc) {
    let state = collected(sc);
    const n = counts(state).count;
    const max = step.max_items ?? 20;
    const reply = (s: Collected, text: string): HandleResult => ({
      reprompt: [status(step, s, sc, text)],
      pending: s,
    });

    if (input.kind === "media") {
      const items: MediaItem[] = [...state.items];
      let duplicates = 0;
      for (const item of input.items) {
        if (items.some((x) => x.sha256 === item.sha256)) duplicates++;
        else items.push(item);
      }
      state = { ...state, items };
      for (const item of input.items) {
        if (item.caption) state = addLinks(state, sc.engine.lookups.extractLinks(item.caption));
      }
      if (counts(state).count >= max) {
        return {
          ...finish(state),
          outputs: [{ text: sc.t("media.limit_reached", { max, ...counts(state) }) }],
        };
      }
      const text =
        duplicates > 0 && duplicates === input.items.length
          ? sc.t("media.duplicate", counts(state))
          : sc.t("media.received", counts(state));
      return reply(state, text);
    }
    if (input.kind === "media_rejected") {
      const vars = {
        fileName: input.fileName ?? "",
        limit: formatBytes(input.limit ?? sc.engine.settings.maxFileBytes),
        size: input.size === undefined ? "" : formatBytes(input.size),
      };
      return reply(state, sc.t(`media.${input.reason}`, vars));
    }
    // "1" typed under the numbered menu (WhatsApp Web) is its only button.
    const numbered =
      input.kind === "text" && input.text.trim() === "1" ? buttons(step, state, sc)[0]?.value : undefined;
    const said =
      numbered ?? (input.kind === "text" ? input.text : input.kind === "choice" ? input.value : "");
    const isDone =
      said === DONE || matchesAny(said, sc.words("words.done")) || matchesAny(said, [sc.t("media.done")]);
    const isNone =
      said === NONE || matchesAny(said, sc.words("words.none")) || matchesAny(said, [sc.t("media.none")]);
    if (isDone || isNone) {
      if (n > 0) return finish(state);
      if (isNone && step.allow_none) {
        const answer: EvidenceAnswer = { items: [], links: [], none: true };
        return { answer: asJson(answer) };
      }
      return reply(state, sc.t("media.nothing_yet"));
    }
    if (input.kind === "text") {
      const found = sc.engine.lookups.extractLinks(input.text);
      if (found.length > 0) {
        state = addLinks(state, found);
        if (counts(state).count >= max) {
          return {
            ...finish(state),
            outputs: [{ text: sc.t("media.limit_reached", { max, ...counts(state) }) }],
          };
        }
        return reply(state, sc.t("media.links_received", counts(state)));
      }
    }
    return reply(state, sc.t("media.expected", counts(state)));
  },
};
