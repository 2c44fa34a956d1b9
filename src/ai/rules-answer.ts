/**
 * Answers to questions about the rules, grounded in `flows/rules/`. Offline: the best BM25
 * passage, naming its rule, with a "not sure" line when the match is weak. With an LLM: the
 * retrieved passages are the context; the answer must cite at least one of them by id (otherwise
 * it is discarded for the offline answer) and says when it is not sure. Every answer says it is a
 * general explanation (never a verdict on a particular civil servant) and ends with how to report.
 */
import { z } from "zod";
import { type LocaleBundle, t } from "../engine/locale.js";
import type { Lang, Output } from "../engine/types.js";
import type { Logger } from "../log.js";
import { type LlmClient, LlmError } from "./llm.js";
import { fillPrompt } from "./prompts.js";
import type { Hit, RulesIndex } from "./retrieval.js";
import { scrubPersonalData } from "./scrub.js";

/** Below this BM25 score, or with a runner-up this close, the offline answer says it is not sure. */
export const SURE_SCORE = 4;
const SURE_LEAD = 1.25;

/** Liking, commenting, sharing, following: acts on someone else's post, in slang too. */
const INTERACTION =
  /\b(?:like|likes|ngelike|nglike|ngelaik|love|jempol|suka|menyukai|komen|komentar|ngomen|mengomentari|share|ngeshare|membagikan|follow|ngefollow|mengikuti|repost|retweet)\b/i;

/**
 * The question as searched: "like postingan paslon di ig" is about liking, so the post it acts on
 * and the platform are not also read as posting (which is another rule).
 */
export function searchText(question: string): string {
  if (!INTERACTION.test(question)) return question;
  return question
    .replace(/\b(?:di)?postingan(?:nya)?\b/gi, " ")
    .replace(/\b(?:di\s+)?(?:ig|fb|instagram|facebook|tiktok|twitter|wa|whatsapp|yt|youtube)\b/gi, " ");
}

/** The model's answer. */
export const RulesAnswerSchema = z.strictObject({
  answer: z.string().min(1).max(1500),
  passage_ids: z.array(z.string()).min(1),
  sure: z.boolean(),
});

/** Where an answer came from, for logs and tests. */
export type AnswerSource = "llm" | "offline" | "none";

/** Answers rules questions. */
export class RulesAdvisor {
  constructor(
    private readonly index: RulesIndex,
    private readonly locales: LocaleBundle,
    private readonly logger: Logger,
    private readonly llm?: { client: LlmClient; prompt: string },
  ) {}

  /** The answer to show (never rejects). */
  async answer(question: string, lang: Lang): Promise<Output> {
    return { text: (await this.explain(question, lang)).text };
  }

  /** The answer with where it came from and the passages it cites. */
  async explain(
    question: string,
    lang: Lang,
  ): Promise<{ text: string; source: AnswerSource; cited: string[] }> {
    const hits = this.index.search(searchText(question), 4);
    if (this.llm && hits.length > 0) {
      try {
        const r = await this.askModel(question, lang, hits);
        if (r) return r;
      } catch (e) {
        if (!(e instanceof LlmError)) this.logger.warn({ err: e }, "rules answer by the LLM failed");
      }
    }
    return this.offline(hits, lang);
  }

  private tail(lang: Lang, sure: boolean): string[] {
    return [
      ...(sure ? [] : [t(this.locales, lang, "rules_answer.not_sure")]),
      t(this.locales, lang, "rules_answer.general"),
      t(this.locales, lang, "rules_answer.how_to_report"),
    ];
  }

  /** The best passage as the answer. */
  offline(hits: readonly Hit[], lang: Lang): { text: string; source: AnswerSource; cited: string[] } {
    const best = hits[0];
    if (!best) {
      const text = [
        t(this.locales, lang, "rules_answer.not_found"),
        t(this.locales, lang, "rules_answer.how_to_report"),
      ];
      return { text: text.join("\n\n"), source: "none", cited: [] };
    }
    const second = hits[1]?.score ?? 0;
    const sure = best.score >= SURE_SCORE && best.score >= second * SURE_LEAD;
    const p = best.passage;
    const text = [
      t(this.locales, lang, "rules_answer.offline", { title: p.title[lang], id: p.id, text: p.text[lang] }),
      ...this.tail(lang, sure),
    ].join("\n\n");
    return { text, source: "offline", cited: [p.id] };
  }

  private async askModel(
    question: string,
    lang: Lang,
    hits: readonly Hit[],
  ): Promise<{ text: string; source: AnswerSource; cited: string[] } | undefined> {
    const { client, prompt } = this.llm!;
    const passages = hits
      .map((h) => `[${h.passage.id}] ${h.passage.title[lang]}\n${h.passage.text[lang]}`)
      .join("\n\n");
    const raw = await client.json({
      purpose: "rules_answer",
      name: "rules_answer",
      schema: RulesAnswerSchema,
      system: fillPrompt(prompt, { language: lang === "id" ? "Indonesian" : "English", passages }),
      user: [{ text: scrubPersonalData(question) }],
    });
    const parsed = RulesAnswerSchema.safeParse(raw);
    if (!parsed.success) {
      this.logger.warn(
        { purpose: "rules_answer", reason: "malformed" },
        "LLM rules answer invalid; offline answer",
      );
      return undefined;
    }
    const retrieved = new Set(hits.map((h) => h.passage.id));
    const cited = [...new Set(parsed.data.passage_ids)].filter((id) => retrieved.has(id));
    if (cited.length === 0) {
      this.logger.warn(
        { purpose: "rules_answer", reason: "ungrounded" },
        "LLM answer cites no retrieved rule; offline answer",
      );
      return undefined;
    }
    const sources = cited
      .map((id) => {
        const p = hits.find((h) => h.passage.id === id)!.passage;
        return t(this.locales, lang, "rules_answer.source", { title: p.title[lang], id });
      })
      .join(", ");
    const text = [
      t(this.locales, lang, "rules_answer.llm", { answer: parsed.data.answer.trim(), sources }),
      ...this.tail(lang, parsed.data.sure),
    ].join("\n\n");
    return { text, source: "llm", cited };
  }
}
