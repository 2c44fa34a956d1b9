/**
 * The offline classifier of complaint stories over the domain categories (`flows/complaint.yaml`,
 * step `category`): a multinomial naive Bayes model over word unigrams and bigrams (stemmed, with
 * informal spellings written out, see `text.ts`) and character n-grams of the words (3 to 5
 * letters, which carry regional and slang spellings: "mamasang", "masang", "pasang"), trained when
 * first used from the labelled stories in `classifier-training.json` (about 50 per category, written
 * in informal Indonesian, slang and regional registers, with the boundary rules of docs/domain.md).
 * Words after a negation ("tidak ikut", "bukan posting", "nda", "ora", "teu") become negated
 * features, so "tidak ikut kampanye" does not count as attending. The confidence is the model's
 * probability of the best category (tempered); when the best two are close, the top two or three
 * are returned as `alternatives` so the conversation can offer them.
 *
 * @example classifyStory("guru PNS like dan share konten cabup X") → { category: "medsos_interaksi", confidence: 0.9…, alternatives: [] }
 */
import training from "./classifier-training.json" with { type: "json" };
import { stem, words } from "./text.js";

/** The category ids, as in `flows/complaint.yaml` (step `category`) and docs/domain.md. */
export const CATEGORY_IDS = [
  "medsos_kampanye",
  "medsos_interaksi",
  "foto_simbol",
  "hadir_kampanye",
  "tim_kampanye",
  "atribut",
  "pasang_apk",
  "fasilitas_negara",
  "keputusan_menguntungkan",
  "mengerahkan",
  "dukungan_ktp",
  "parpol",
  "pencalonan",
  "lainnya",
] as const;

/** One category id. */
export type CategoryId = (typeof CATEGORY_IDS)[number];

/** A category with the model's probability for it. */
export interface ScoredCategory {
  category: CategoryId;
  confidence: number;
}

/** The classifier's verdict: a category and a confidence from 0 to 1 (`lainnya` when nothing fits). */
export interface Classification {
  category: CategoryId;
  confidence: number;
  /**
   * When the model is unsure (the best two are close, or the best is weak): the top two or three
   * categories, best first (the first is `category`), to offer as choices. Empty when it is sure.
   */
  alternatives: ScoredCategory[];
}

/**
 * Words that negate the next words ("tidak ikut", "bukan posting"), with the regional ones: nda
 * (Manado), tra (Papua), ora (Jawa), teu/henteu (Sunda), indak (Minang), kada (Banjar), dak
 * (Palembang), kaga/kagak (Betawi), dang/ndang (Batak), tena (Makassar).
 */
const NEGATIONS = new Set([
  "tidak",
  "bukan",
  "belum",
  "jangan",
  "tanpa",
  "nda",
  "ndak",
  "tra",
  "trada",
  "ora",
  "teu",
  "henteu",
  "indak",
  "kada",
  "dak",
  "kaga",
  "kagak",
  "dang",
  "ndang",
  "tena",
]);
/** How many words after a negation are negated. */
const NEGATION_REACH = 2;
/** Words that end a negation's reach (a new clause: "tidak like, tapi posting"). */
const CLAUSE_BREAKS = new Set([
  "tapi",
  "tetapi",
  "namun",
  "padahal",
  "malah",
  "justru",
  "cuma",
  "hanya",
  "katanya",
]);

/** Laplace smoothing of the word and character models. */
const ALPHA_WORD = 0.1;
const ALPHA_CHAR = 0.1;
/** Weight of the character n-gram evidence against the word evidence. */
const CHAR_WEIGHT = 0.4;
/** Temperature of the softmax that gives the confidence (chosen by cross-validation on the training stories: about one story in ten is then offered with alternatives). */
const TEMPERATURE = 12;
/** Below this probability of the best category, or this lead over the second, alternatives are offered. */
const SURE_PROBABILITY = 0.6;
const SURE_LEAD = 0.3;
/** An alternative is listed only above this probability. */
const ALTERNATIVE_MIN = 0.08;
const MAX_ALTERNATIVES = 3;

/** Word features: stemmed unigrams and bigrams, negated within a negation's reach. */
export function wordFeatures(text: string): string[] {
  const ws = words(text);
  const out: string[] = [];
  const stems: string[] = [];
  let negated = 0;
  for (const w of ws) {
    if (NEGATIONS.has(w)) {
      negated = NEGATION_REACH;
      stems.push(`!${w}`);
      continue;
    }
    if (CLAUSE_BREAKS.has(w)) negated = 0;
    const s = stem(w);
    const f = negated > 0 ? `not_${s}` : s;
    if (negated > 0) negated--;
    stems.push(f);
  }
  for (let i = 0; i < stems.length; i++) {
    const s = stems[i]!;
    if (!s.startsWith("!")) out.push(`w:${s}`);
    if (i + 1 < stems.length) out.push(`b:${s}_${stems[i + 1]}`);
  }
  return out;
}

/** Character features: 3- to 5-letter n-grams of each word with its edges marked. */
export function charFeatures(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (w.length < 2) continue;
    const s = `<${w}>`;
    for (let n = 3; n <= 5; n++) for (let i = 0; i + n <= s.length; i++) out.push(s.slice(i, i + n));
  }
  return out;
}

/** One half of the model (words or characters): log P(feature | category) with smoothing. */
class NaiveBayesPart {
  private readonly counts = new Map<string, Float64Array>();
  private readonly totals = new Float64Array(CATEGORY_IDS.length);

  constructor(private readonly alpha: number) {}

  add(category: number, features: readonly string[]): void {
    // Presence per story, not frequency: a word typed three times is one piece of evidence.
    for (const f of new Set(features)) {
      let c = this.counts.get(f);
      if (c === undefined) {
        c = new Float64Array(CATEGORY_IDS.length);
        this.counts.set(f, c);
      }
      c[category]! += 1;
      this.totals[category]! += 1;
    }
  }

  /** Adds each category's log-likelihood of the features to `into` (unknown features are skipped). */
  score(features: readonly string[], weight: number, into: Float64Array): void {
    const v = this.counts.size;
    for (const f of new Set(features)) {
      const c = this.counts.get(f);
      if (c === undefined) continue;
      for (let k = 0; k < CATEGORY_IDS.length; k++) {
        into[k]! += weight * Math.log((c[k]! + this.alpha) / (this.totals[k]! + this.alpha * v));
      }
    }
  }
}

/** The trained model. */
interface Model {
  words: NaiveBayesPart;
  chars: NaiveBayesPart;
}

/** One labelled story. */
export interface LabelledStory {
  text: string;
  category: string;
}

/** Trains a model from labelled stories (exported for cross-validation in tests). */
export function trainModel(stories: readonly LabelledStory[]): Model {
  const model: Model = { words: new NaiveBayesPart(ALPHA_WORD), chars: new NaiveBayesPart(ALPHA_CHAR) };
  for (const s of stories) {
    const k = CATEGORY_IDS.indexOf(s.category as CategoryId);
    if (k < 0) continue;
    model.words.add(k, wordFeatures(s.text));
    model.chars.add(k, charFeatures(s.text));
  }
  return model;
}

let defaultModel: Model | undefined;

/** The model trained on `classifier-training.json`, built on first use (a few milliseconds). */
function model(): Model {
  defaultModel ??= trainModel((training as { stories: LabelledStory[] }).stories);
  return defaultModel;
}

/** Trains the model now (at start-up) rather than on the first story a citizen sends. */
export function prepareClassifier(): void {
  model();
}

/** Probability of every category for a text, best first. */
export function categoryProbabilities(text: string, m: Model = model()): ScoredCategory[] {
  const scores = new Float64Array(CATEGORY_IDS.length);
  // Balanced training set: equal priors, so only the evidence counts.
  m.words.score(wordFeatures(text), 1, scores);
  m.chars.score(charFeatures(text), CHAR_WEIGHT, scores);
  let max = Number.NEGATIVE_INFINITY;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  const exp = Array.from(scores, (s) => {
    const e = Math.exp((s - max) / TEMPERATURE);
    sum += e;
    return e;
  });
  return CATEGORY_IDS.map((category, k) => ({ category, confidence: exp[k]! / sum })).sort(
    (a, b) => b.confidence - a.confidence,
  );
}

/**
 * The category of a complaint story, with a confidence (0 to 1) and, when the model is unsure,
 * the top two or three categories to offer. `lainnya` when the story is not about an election
 * violation (or has nothing to read).
 */
export function classifyStory(text: string, m?: Model): Classification {
  if (words(text).length === 0) return { category: "lainnya", confidence: 0.3, alternatives: [] };
  const ranked = categoryProbabilities(text, m);
  const top = ranked[0]!;
  const second = ranked[1]!;
  const sure = top.confidence >= SURE_PROBABILITY && top.confidence - second.confidence >= SURE_LEAD;
  const alternatives = sure
    ? []
    : ranked
        .slice(0, MAX_ALTERNATIVES)
        .filter((c, i) => i === 0 || c.confidence >= ALTERNATIVE_MIN)
        .map((c) => ({ category: c.category, confidence: round(c.confidence) }));
  return {
    category: top.category,
    confidence: round(top.confidence),
    alternatives: alternatives.length > 1 ? alternatives : [],
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
