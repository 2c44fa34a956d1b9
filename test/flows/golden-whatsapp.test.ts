/**
 * The golden transcripts on the WhatsApp Web renderer: every conversation in test/flows/golden/ is
 * replayed through the real engine, and every output is rendered with `renderForWhatsAppText`.
 * Each choice must appear numbered 1…n, in order, with its label, followed by the hint; and at
 * each question with choices, typing the number, or the label, must do exactly what pressing the
 * button does. A flow change that breaks WhatsApp menus fails here.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  renderForWhatsAppText,
  renderReplyForWhatsApp,
  type WhatsAppLabels,
} from "../../src/channels/whatsapp/render.js";
import { advance } from "../../src/engine/engine.js";
import type { FlowRegistry } from "../../src/engine/flow-schema.js";
import { type LocaleBundle, t } from "../../src/engine/locale.js";
import type { Lookups } from "../../src/engine/lookups.js";
import type { Lang, Output, Session } from "../../src/engine/types.js";
import {
  DEFAULT_SETTINGS,
  duration,
  GOLDEN_DIR,
  type GoldenScenario,
  goldenFiles,
  loadGoldenWorld,
} from "../support/golden.js";

let registry: FlowRegistry;
let locales: LocaleBundle;
let lookups: Lookups;
const labels = (lang: Lang): WhatsAppLabels => ({
  choiceHint: t(locales, lang, "whatsapp.choice_hint"),
  locationHint: t(locales, lang, "whatsapp.location_hint"),
});

beforeAll(async () => {
  ({ registry, locales, lookups } = await loadGoldenWorld());
});

const files = goldenFiles();

/** What a step did, to compare a typed answer with a button press. */
function outcome(r: { session: Session; outputs: Output[] }) {
  const { updatedAt: _u, ...session } = r.session;
  return { session, outputs: r.outputs };
}

describe("golden transcripts on the WhatsApp Web renderer", () => {
  it("has scenarios", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const scenario = parse(readFileSync(join(GOLDEN_DIR, file), "utf8")) as GoldenScenario;
    it(`${file}: numbered menus, answered by number and by words`, () => {
      const settings = { ...DEFAULT_SETTINGS, ...scenario.settings };
      let clock = Date.parse(scenario.start);
      let session: Session | null = null;
      let menus = 0;
      for (const [i, turn] of scenario.turns.entries()) {
        clock += 60_000 + (turn.advance ? duration(turn.advance) : 0);
        const ctx = { now: new Date(clock), lookups, locales, settings };
        const result = advance(registry, session, turn.in, ctx);
        const lang = result.session.lang;
        for (const output of result.outputs) {
          const text = renderForWhatsAppText(output, labels(lang)).join("\n");
          const label = `${file} turn ${i + 1}`;
          if (output.choices?.length) {
            const menu = output.choices.map((c, n) => `${n + 1}. ${c.label}`).join("\n");
            expect(text, `${label}: numbered menu`).toContain(`\n\n${menu}\n\n${labels(lang).choiceHint}`);
          } else if (output.ask === "location") {
            expect(text, `${label}: location hint`).toContain(labels(lang).locationHint);
          }
          expect(text.startsWith(output.text), `${label}: the flow's text first`).toBe(true);
        }
        // The step's replies go as one message (under the length limit), every output in order.
        const reply = renderReplyForWhatsApp(result.outputs, labels(lang));
        let at = -1;
        for (const output of result.outputs) {
          const found = reply
            .join("\n\n")
            .indexOf(renderForWhatsAppText(output, labels(lang)).join("\n\n"), at + 1);
          expect(found, `${file} turn ${i + 1}: outputs in order in the reply`).toBeGreaterThan(at);
          at = found;
        }
        if (reply.join("").length <= 4000) expect(reply).toHaveLength(1);
        // At a question with choices, a typed number or label does what the button does.
        const asked = [...result.outputs].reverse().find((o) => o.choices?.length);
        if (asked && result.session.status === "active") {
          const answerCtx = { ...ctx, now: new Date(clock + 60_000) };
          for (const [n, choice] of asked.choices!.entries()) {
            const pressed = outcome(
              advance(registry, result.session, { kind: "choice", value: choice.value }, answerCtx),
            );
            const byNumber = outcome(
              advance(registry, result.session, { kind: "text", text: String(n + 1) }, answerCtx),
            );
            const byWords = outcome(
              advance(registry, result.session, { kind: "text", text: choice.label }, answerCtx),
            );
            const what = `${file} turn ${i + 1}, choice ${n + 1} "${choice.label}"`;
            expect(byNumber, `${what}: by number`).toEqual(pressed);
            expect(byWords, `${what}: by words`).toEqual(pressed);
            menus++;
          }
        }
        session = result.session;
      }
      expect(menus).toBeGreaterThan(0);
    });
  }
});
