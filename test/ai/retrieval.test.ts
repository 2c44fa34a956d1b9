/**
 * Rules questions answered by BM25 over flows/rules/: for every question of
 * test/fixtures/rules-questions.json the top passage is the expected one; the offline answer
 * names the rule, says "not sure" when the match is weak, and ends with how to report.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RulesIndex } from "../../src/ai/retrieval.js";
import { RulesAdvisor, searchText } from "../../src/ai/rules-answer.js";
import { loadRules } from "../../src/ai/rules-file.js";
import { loadLocales, t } from "../../src/engine/locale.js";
import { createLogger } from "../../src/log.js";

const repo = resolve(fileURLToPath(import.meta.url), "../../..");
const passages = loadRules(join(repo, "flows/rules"));
const index = new RulesIndex(passages);
const locales = loadLocales(join(repo, "flows/locales"));
const questions = JSON.parse(readFileSync(join(repo, "test/fixtures/rules-questions.json"), "utf8")) as {
  question: string;
  passage: string;
}[];

describe("rules retrieval", () => {
  it("has at least 20 questions, each expecting a passage of the rules file", () => {
    expect(questions.length).toBeGreaterThanOrEqual(20);
    for (const q of questions) expect(index.get(q.passage), q.passage).toBeDefined();
  });

  it.each(questions)("$question → $passage", ({ question, passage }) => {
    // As the advisor searches it (an interaction with a post is not read as posting).
    expect(index.search(searchText(question))[0]?.passage.id).toBe(passage);
  });

  it("answers offline with the best passage, its rule, and how to report", async () => {
    const advisor = new RulesAdvisor(index, locales, createLogger({ level: "silent" }));
    const r = await advisor.explain("apakah ASN boleh like postingan paslon?", "id");
    expect(r.source).toBe("offline");
    expect(r.cited).toEqual(["medsos_interaksi"]);
    // The rule is named by its title, never by its internal id.
    expect(r.text).toContain(`"${index.get("medsos_interaksi")!.title.id}"`);
    expect(r.text).not.toMatch(/\(medsos_interaksi\)|medsos_/);
    expect(r.text).toContain(index.get("medsos_interaksi")!.text.id);
    expect(r.text.endsWith(t(locales, "id", "rules_answer.how_to_report"))).toBe(true);
    expect(r.text).toContain(t(locales, "id", "rules_answer.general"));

    const slang = await advisor.explain("pns boleh gk sih like postingan paslon di ig?", "id");
    expect(slang.cited).toEqual(["medsos_interaksi"]);
    expect((await advisor.explain("kalo cuma ngelike aja gpp kan?", "id")).cited).toEqual([
      "medsos_interaksi",
    ]);

    const vague = await advisor.explain("cuaca hari ini bagus kan?", "id");
    expect(vague.text).toContain(t(locales, "id", "rules_answer.not_sure"));
    const none = await advisor.explain("halo apa kabar", "en");
    expect(none.source).toBe("none");
    expect(none.text).toContain(t(locales, "en", "rules_answer.not_found"));
  });
});
