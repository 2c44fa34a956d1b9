/**
 * `location`: where the event happened, as a GPS point shared from the phone or a typed place name.
 *
 * - A GPS point is placed by `lookups.locate`; outside Indonesia gets a kind message, a point that
 *   is not valid (latitude beyond ±90 …) says so, and when the map cannot be read a request to type
 *   the place name instead.
 * - A typed name is searched by `lookups.findPlace`: one match is confirmed ("Apakah lokasi ini
 *   benar: Kota Metro, Lampung?"), several are offered as buttons plus "none of these", none gets
 *   suggestions and the question again.
 *
 * Stores a {@link PlaceAnswer}.
 */
import type { StepOf } from "../flow-schema.js";
import type { PlaceCandidate } from "../lookups.js";
import type { Choice, Inbound, Output, PlaceAnswer, StepState } from "../types.js";
import { asJson } from "../types.js";
import { matchChoice } from "./choice.js";
import { type HandleResult, type InputKind, listChoices, type StepContext } from "./kind.js";
import { readYesNo, yesNoChoices } from "./yes-no.js";

/** How many candidates of an ambiguous name are offered. */
const MAX_CANDIDATES = 6;
/** How many names are suggested when nothing matched. */
const MAX_SUGGESTIONS = 3;
/** The button value of "none of these". */
const NONE_OF_THESE = "none";

/** "Kota Metro, Lampung"; "Lampung" when only the province is known. */
export function placeName(place: Pick<PlaceAnswer, "regencyName" | "provinceName">): string {
  return place.regencyName ? `${place.regencyName}, ${place.provinceName}` : place.provinceName;
}

/** "Kota Metro, Lampung"; for a district or village: "Kec. Metro Pusat, Kota Metro, Lampung". */
function candidateLabel(c: PlaceCandidate): string {
  const finer = c.matchedLevel === "district" || c.matchedLevel === "village";
  return finer && c.matchedName ? `${c.matchedName}, ${c.provinceName}` : placeName(c);
}

/** The location answer for a place-search candidate and the words typed. */
export function fromCandidate(c: PlaceCandidate, raw: string): PlaceAnswer {
  return {
    source: "text",
    raw,
    regencyCode: c.regencyCode,
    regencyName: c.regencyName,
    provinceCode: c.provinceCode,
    provinceName: c.provinceName,
  };
}

/** A kind message that itself says what to send, waiting for a new place. */
function askAgain(text: string): HandleResult {
  const ask: Output = { text, ask: "location" };
  return { reprompt: [ask], pending: null };
}

function confirm(sc: StepContext, state: Extract<StepState, { kind: "location_confirm" }>): HandleResult {
  const key = state.nearby ? "location.confirm_nearby" : "location.confirm";
  return {
    reprompt: [{ text: sc.t(key, { place: state.label }), choices: yesNoChoices(sc), ask: "yes_no" }],
    pending: state,
  };
}

function pickChoices(state: Extract<StepState, { kind: "location_pick" }>, sc: StepContext): Choice[] {
  return [
    ...state.candidates.map((c, i) => ({ value: String(i + 1), label: c.label })),
    { value: NONE_OF_THESE, label: sc.t("location.none_of_these") },
  ];
}

function gps(lat: number, lon: number, sc: StepContext): HandleResult {
  const r = sc.engine.lookups.locate(lat, lon);
  switch (r.status) {
    case "inside":
    case "nearby": {
      const place: PlaceAnswer = {
        source: "gps",
        lat,
        lon,
        regencyCode: r.regencyCode,
        regencyName: r.regencyName,
        provinceCode: r.provinceCode,
        provinceName: r.provinceName,
      };
      return confirm(sc, {
        kind: "location_confirm",
        place,
        label: placeName(place),
        nearby: r.status === "nearby",
      });
    }
    case "outside":
      return askAgain(sc.t("location.outside"));
    case "invalid":
      // Not a point on Earth (e.g. 999, 999): say so, it is not an outage.
      return askAgain(sc.t("location.bad_point"));
    default:
      return askAgain(sc.t("location.gps_unavailable"));
  }
}

function search(text: string, sc: StepContext): HandleResult {
  const raw = text.trim();
  const r = sc.engine.lookups.findPlace(raw);
  if (r.status === "match" && r.best) {
    return confirm(sc, {
      kind: "location_confirm",
      place: fromCandidate(r.best, raw),
      label: candidateLabel(r.best),
    });
  }
  if (r.status === "ambiguous" || (r.status === "match" && r.candidates.length > 1)) {
    const candidates = r.candidates
      .slice(0, MAX_CANDIDATES)
      .map((c) => ({ place: fromCandidate(c, raw), label: candidateLabel(c) }));
    if (candidates.length === 1) {
      const only = candidates[0]!;
      return confirm(sc, { kind: "location_confirm", place: only.place, label: only.label });
    }
    const state: StepState = { kind: "location_pick", raw, candidates };
    return {
      reprompt: [{ text: sc.t("location.pick", { raw }), choices: pickChoices(state, sc), ask: "choice" }],
      pending: state,
    };
  }
  if (r.status === "invalid") return askAgain(sc.t("location.invalid"));
  if (r.status === "outside") return askAgain(sc.t("location.outside"));
  if (r.suggestions.length > 0) {
    const suggestions = r.suggestions.slice(0, MAX_SUGGESTIONS);
    const text = sc.t("location.no_match_suggest", { raw, suggestions: suggestions.join(", ") });
    // A suggestion pressed comes back as a choice whose value is searched like a typed name.
    const choices = suggestions.map((name) => ({ value: name, label: name }));
    return {
      reprompt: [{ text, choices, ask: "location" }],
      pending: { kind: "location_suggest", suggestions },
    };
  }
  return askAgain(sc.t("location.no_match", { raw }));
}

function fresh(input: Inbound, sc: StepContext): HandleResult | undefined {
  if (input.kind === "location") return gps(input.lat, input.lon, sc);
  if (input.kind === "text") return search(input.text, sc);
  if (input.kind === "choice") return search(input.value, sc);
  return undefined;
}

/** The `location` input kind. */
export const location: InputKind<StepOf<"location">> = {
  accepts: ["text", "choice", "location"],
  ask: "location",
  prompt(step, sc) {
    const p = sc.session.pending;
    if (p?.kind === "location_confirm") {
      return [
        {
          text: sc.t(p.nearby ? "location.confirm_nearby" : "location.confirm", { place: p.label }),
          choices: yesNoChoices(sc),
          ask: "yes_no",
        },
      ];
    }
    if (p?.kind === "location_pick") {
      return [{ text: sc.t("location.pick", { raw: p.raw }), choices: pickChoices(p, sc), ask: "choice" }];
    }
    return [{ text: sc.question(step), ask: "location" }];
  },
  handle(step, input, sc) {
    const p = sc.session.pending;
    if (p?.kind === "location_confirm") {
      const yes = readYesNo(input, sc);
      if (yes === true)
        return { answer: asJson(p.place), outputs: [{ text: sc.t("location.noted", { place: p.label }) }] };
      if (yes === false) return askAgain(sc.t("location.type_again"));
      return fresh(input, sc) ?? { reprompt: location.prompt(step, sc) };
    }
    if (p?.kind === "location_pick") {
      const choices = pickChoices(p, sc);
      const value = matchChoice(input, choices);
      if (value === NONE_OF_THESE) return askAgain(sc.t("location.type_again"));
      const picked = value === undefined ? undefined : p.candidates[Number(value) - 1];
      if (picked)
        return {
          answer: asJson(picked.place),
          outputs: [{ text: sc.t("location.noted", { place: picked.label }) }],
        };
      if (input.kind === "choice") {
        return {
          reprompt: [
            {
              ...location.prompt(step, sc)[0]!,
              text: sc.t("errors.choose_one", { choices: listChoices(choices) }),
            },
          ],
        };
      }
      return fresh(input, sc) ?? { reprompt: location.prompt(step, sc) };
    }
    if (p?.kind === "location_suggest" && input.kind === "text" && /^\s*\d{1,2}\s*$/.test(input.text)) {
      const picked = p.suggestions[Number(input.text.trim()) - 1];
      if (picked) return search(picked, sc);
    }
    return fresh(input, sc) ?? { reprompt: location.prompt(step, sc) };
  },
};
