/**
 * Offline reading of a citizen's story: category by the offline classifier, place names written
 * after "Kota/Kabupaten/Kecamatan/Desa…", date phrases for the date parser, links, the accused's
 * agency, name ("Pak/Bu X") and position ("kadis pendidikan kota X", "pak lurah", "bu camat"…, read by
 * `readAccusedRole` in src/parsing/agency.ts). The engine turns
 * these raw facts into prefilled answers (see `src/engine/prefill.ts`), checking each one, and the
 * citizen confirms every one of them.
 */
import type { StoryFacts } from "../engine/types.js";
import { readAccusedRole, trimDinasName } from "../parsing/agency.js";
import { extractLinks } from "../parsing/links.js";
import { classifyStory } from "./classifier.js";

/** Below this confidence the classifier's category is not offered (the question is asked instead). */
export const MIN_CATEGORY_CONFIDENCE = 0.35;

/** Words after "Pak/Bu" that are a position, not a name. */
const NOT_NAMES =
  /^(kasi|kadis|kabid|kabag|kasubag|kepala|camat|lurah|guru|bidan|dokter|sekda|sekcam|kades|rt|rw|haji|ustadz|kepsek|lurahnya|camatnya|pns|asn|ketua|sekretaris|bupati|wali|gubernur|itu|ini|yang|tersebut)$/i;

const NAME =
  /\b(?:[Pp]ak|[Bb]u|[Bb]apak|[Ii]bu|[Ss]dr\.?|[Ss]audara|[Ss]audari)\s+([A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+){0,2})/g;

const PLACE =
  /\b([Kk]ota|[Kk]abupaten|[Kk]ab\.?|[Kk]ecamatan|[Kk]ec\.?|[Dd]esa|[Kk]elurahan|[Kk]el\.?)\s+([A-Z][\p{L}]+(?:\s+[A-Z][\p{L}]+)?)/gu;

/** Words that end a place or agency name typed in lower case ("kota metro kmrn sore …"). */
const STOP = String.raw`(?:ikut|yang|yg|di|ke|pada|dan|sedang|itu|ini|kemarin|kemaren|kmrn|tadi|td|saat|waktu|posting|pasang|hadir|like|komen|share|pakai|pake|memakai|jadi|sudah|udah|tgl|tanggal|hari)\b`;

const PLACE_LOWER = new RegExp(
  String.raw`\b(kota|kabupaten|kab\.?)\s+(?!ini\b|itu\b|yang\b|kami\b)([a-z]+(?:\s+(?!${STOP})[a-z]+)?)`,
  "i",
);

const AGENCY =
  /\b(dinas\s+(?!di\b|ke\b|yang\b|itu\b)[a-z]+(?:\s+(?!di\b|ke\b|yang\b|itu\b|kota\b|kabupaten\b|kab\b)[a-z]+)?|disdik|dinkes|dinsos|dishub|disdukcapil|bappeda|bpbd|bkpsdm|bapenda|bpkad|puskesmas\s+[A-Za-z]+|rsud\s+[A-Za-z]+|(?:sdn|smpn|sman|smkn|sd negeri|smp negeri|sma negeri)\s*\d+\s*[A-Za-z]*|kecamatan\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|kelurahan\s+[A-Z][a-z]+)(\s+(?:kota|kabupaten|kab\.?)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?/giu;

const MONTHS =
  "jan\\w*|feb\\w*|mar\\w*|apr\\w*|mei|jun\\w*|jul\\w*|agu\\w*|agt|sep\\w*|okt\\w*|nov\\w*|des\\w*";
const DATE = new RegExp(
  `\\b((?:kemarin|kemaren|kmrn|kmarin|kmren|kmaren)(?:\\s+(?:sore|malam|pagi|siang|lusa))?|hari ini|tadi(?:\\s+(?:pagi|siang|sore|malam))?|(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu)\\s+(?:lalu|kemarin|kemaren|kmrn)|minggu lalu|\\d{1,2}[/-]\\d{1,2}(?:[/-]\\d{2,4})?|(?:(?:tgl|tanggal)\\.?\\s*)?\\d{1,2}\\s+(?:${MONTHS})(?:\\s+\\d{4})?|(?:tgl|tanggal)\\.?\\s*\\d{1,2})\\b`,
  "i",
);

/**
 * The facts read offline from a story. Every value is raw (checked by the engine against its step).
 *
 * @example readStoryOffline("Pak Budi, Camat Metro Pusat, posting ajakan pilih paslon 2 di FB kemarin, di Kota Metro")
 *   → { category: "medsos_kampanye", place: "Kota Metro", event_date: "kemarin", accused_name: "Budi", accused_position: "Camat", … }
 */
export function readStoryOffline(text: string): StoryFacts {
  const facts: StoryFacts = {};
  const c = classifyStory(text);
  // Unsure between two or three categories: offer them (best first) instead of one guess.
  if (c.alternatives.length > 1) facts.category = c.alternatives.map((a) => a.category);
  else if (c.category !== "lainnya" && c.confidence >= MIN_CATEGORY_CONFIDENCE) facts.category = c.category;

  for (const m of text.matchAll(PLACE)) {
    const kind = m[1]!.toLowerCase().replace(".", "");
    const word = { kab: "Kabupaten", kec: "Kecamatan", kel: "Kelurahan" }[kind] ?? m[1]!;
    facts.place = `${word} ${m[2]}`;
    if (kind === "kota" || kind.startsWith("kab")) break;
  }

  // "kota metro" typed in lower case (the place search checks it; words that end a name stop it).
  if (facts.place === undefined) {
    const m = PLACE_LOWER.exec(text);
    if (m) facts.place = `${m[1]!.toLowerCase().startsWith("kab") ? "Kabupaten" : "Kota"} ${m[2]}`;
  }

  const date = DATE.exec(text);
  if (date) facts.event_date = date[1]!;

  for (const m of text.matchAll(NAME)) {
    const first = m[1]!.split(/\s+/)[0]!;
    if (NOT_NAMES.test(first)) continue;
    facts.accused_name = m[1]!.trim();
    break;
  }

  // Position and agency from everyday phrases ("kadis pendidikan kota X", "pak lurah", "bu camat Y");
  // an agency written out ("Dinas Sosial", "SDN 2 Metro") wins over the one a position implies.
  const role = readAccusedRole(text);
  if (role.position) facts.accused_position = role.position;
  const agency = AGENCY.exec(text);
  AGENCY.lastIndex = 0;
  if (agency) facts.agency = trimDinasName(agency[0]);
  else if (role.agency) facts.agency = role.agency;

  const links = extractLinks(text).map((l) => l.url);
  if (links.length > 0) facts.links = links;
  return facts;
}
