/**
 * BM25 ranking of the rules passages for a question in the citizen's own words, on the stemmed
 * tokens of `text.ts` (informal spellings written out). A passage's title, both languages of its
 * text and its keywords are indexed; the title and keywords count twice.
 *
 * @example new RulesIndex(passages).search("apakah asn boleh like postingan paslon?")[0].passage.id === "medsos_interaksi"
 */
import type { Passage } from "./rules-file.js";
import { tokens } from "./text.js";

/** One ranked passage. */
export interface Hit {
  passage: Passage;
  score: number;
}

/** Words too common to help ranking (question words, fillers, the subject of every rule). */
const STOPWORDS = new Set(
  tokens(
    "apa apakah yang dan atau di ke dari itu ini ada saya aku kami kita dia ia boleh bolehkah tidak ya dong sih kah " +
      "kalau jika untuk dengan sebagai pada juga sudah akan bisa harus saja jadi mau bagaimana kenapa mengapa " +
      "asn orang the a is can to of in what how buat nya lah pak bu",
  ),
);

const K1 = 1.2;
const B = 0.75;

/** A BM25 index over the passages, built once. */
export class RulesIndex {
  private readonly docs: { passage: Passage; tf: Map<string, number>; length: number }[];
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;

  constructor(readonly passages: readonly Passage[]) {
    this.docs = passages.map((p) => {
      const heavy = [p.title.id, p.title.en, ...(p.keywords ?? [])].join(" ");
      const toks = [...tokens(heavy), ...tokens(heavy), ...tokens(`${p.text.id} ${p.text.en}`)].filter(
        (t) => !STOPWORDS.has(t),
      );
      const tf = new Map<string, number>();
      for (const t of toks) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      return { passage: p, tf, length: toks.length };
    });
    this.avgLength = this.docs.reduce((s, d) => s + d.length, 0) / Math.max(1, this.docs.length);
  }

  /** The passages ranked for `question`, best first, only those that share a word with it. */
  search(question: string, limit = 3): Hit[] {
    const query = [...new Set(tokens(question).filter((t) => !STOPWORDS.has(t)))];
    const n = this.docs.length;
    const hits: Hit[] = [];
    for (const d of this.docs) {
      let score = 0;
      for (const q of query) {
        const f = d.tf.get(q);
        if (!f) continue;
        const df = this.df.get(q) ?? 0;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * (f * (K1 + 1))) / (f + K1 * (1 - B + (B * d.length) / this.avgLength));
      }
      if (score > 0) hits.push({ passage: d.passage, score });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /** A passage by id. */
  get(id: string): Passage | undefined {
    return this.passages.find((p) => p.id === id);
  }
}
