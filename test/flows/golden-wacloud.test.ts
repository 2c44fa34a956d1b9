/**
 * Every golden transcript (`test/flows/golden/*.yaml`) replayed through the real engine and
 * rendered with the WhatsApp Cloud API renderer: every payload must be valid for the Cloud API
 * (the stand-in's validator: lengths, ≤3 buttons, ≤10 rows, required fields), every button and row
 * id must map back to the output's choice values, numbered menus must carry every label, and the
 * texts must arrive whole. A flow change that breaks WhatsApp menus fails here.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cloudLabels } from "../../src/channels/wacloud/channel.js";
import type { CloudMessage } from "../../src/channels/wacloud/graph-api.js";
import { CLOUD_LIMITS, renderForCloudApi, shorten } from "../../src/channels/wacloud/render.js";
import { advance } from "../../src/engine/engine.js";
import type { FlowRegistry } from "../../src/engine/flow-schema.js";
import type { LocaleBundle } from "../../src/engine/locale.js";
import type { Lookups } from "../../src/engine/lookups.js";
import type { Output, Session } from "../../src/engine/types.js";
import {
  DEFAULT_SETTINGS,
  duration,
  GOLDEN_DIR,
  type GoldenScenario,
  goldenFiles,
  loadGoldenWorld,
} from "../support/golden.js";
import { validateCloudPayload } from "../support/graph-api-validate.js";

type Interactive = {
  type: string;
  body: { text: string };
  action: {
    buttons?: { reply: { id: string; title: string } }[];
    sections?: { rows: { id: string; title: string; description?: string }[] }[];
    button?: string;
  };
};

/** The visible body of a message. */
function bodyOf(m: CloudMessage): string {
  if (m.type === "text") return (m.text as { body: string }).body;
  return (m.interactive as Interactive).body.text;
}

const norm = (s: string) => s.replace(/\s+/g, " ").trim();

/** Checks one output's rendering; returns which shape it took. */
function check(output: Output, messages: CloudMessage[], where: string, lang: "id" | "en"): string {
  expect(messages.length, `${where}: at least one message`).toBeGreaterThan(0);
  for (const m of messages) {
    const problems = validateCloudPayload({ messaging_product: "whatsapp", to: "6281234567890", ...m });
    expect(problems, `${where}: ${JSON.stringify(m).slice(0, 200)}`).toEqual([]);
  }
  const last = messages[messages.length - 1]!;
  const before = messages.slice(0, -1);
  for (const m of before) expect(m.type, `${where}: only the last message is interactive`).toBe("text");
  const choices = output.choices ?? [];
  const values = choices.map((c) => c.value);
  const text = norm(messages.map(bodyOf).join(" "));
  const asList = (last.interactive as Interactive | undefined)?.type === "list";
  if (choices.length > 0 && choices.length <= CLOUD_LIMITS.buttons && !asList) {
    const i = last.interactive as Interactive;
    expect(i.type, where).toBe("button");
    expect(
      i.action.buttons!.map((b) => b.reply.id),
      `${where}: button ids are the choice values`,
    ).toEqual(values);
    i.action.buttons!.forEach((b, n) => {
      const label = norm(choices[n]!.label);
      const title = b.reply.title.replace(/…$/, "");
      expect(label.startsWith(title), `${where}: "${b.reply.title}" shortens "${label}"`).toBe(true);
    });
    expect(text, where).toBe(norm(output.text));
    return "buttons";
  }
  if (choices.length > 0 && choices.length <= CLOUD_LIMITS.rows) {
    const i = last.interactive as Interactive;
    if (choices.length <= CLOUD_LIMITS.buttons) {
      const titles = choices.map((c) => shorten(c.label, CLOUD_LIMITS.buttonTitle));
      expect(
        new Set(titles).size,
        `${where}: a list for ≤3 choices only when button titles collide`,
      ).toBeLessThan(titles.length);
    }
    expect(i.type, where).toBe("list");
    const rows = i.action.sections!.flatMap((s) => s.rows);
    expect(
      rows.map((r) => r.id),
      `${where}: row ids are the choice values`,
    ).toEqual(values);
    rows.forEach((r, n) => {
      const label = norm(choices[n]!.label);
      const shown = r.title.replace(/…$/, "");
      expect(label.startsWith(shown), `${where}: row "${r.title}" begins "${label}"`).toBe(true);
      if (label.length > CLOUD_LIMITS.rowTitle)
        expect(r.description, `${where}: the rest of "${label}" is in the description`).toBeDefined();
    });
    expect(text, where).toBe(norm(output.text));
    return "list";
  }
  if (choices.length > CLOUD_LIMITS.rows) {
    expect(last.type, where).toBe("text");
    for (const [n, c] of choices.entries())
      expect(text, `${where}: numbered "${c.label}"`).toContain(norm(`${n + 1}. ${c.label}`));
    expect(text.startsWith(norm(output.text)), where).toBe(true);
    void lang;
    return "numbered";
  }
  if (output.ask === "location") {
    expect((last.interactive as Interactive).type, where).toBe("location_request_message");
    expect(text, where).toBe(norm(output.text));
    return "location";
  }
  for (const m of messages) expect(m.type, where).toBe("text");
  expect(text, where).toBe(norm(output.text));
  return "text";
}

let registry: FlowRegistry;
let locales: LocaleBundle;
let lookups: Lookups;

beforeAll(async () => {
  ({ registry, locales, lookups } = await loadGoldenWorld());
});

const files = goldenFiles();
const shapes = new Set<string>();

describe("golden transcripts rendered for the WhatsApp Cloud API", () => {
  for (const file of files) {
    const scenario = parse(readFileSync(join(GOLDEN_DIR, file), "utf8")) as GoldenScenario;
    it(`${file}: every output is a valid Cloud API payload`, () => {
      const settings = { ...DEFAULT_SETTINGS, ...scenario.settings };
      let clock = Date.parse(scenario.start);
      let session: Session | null = null;
      for (const [i, turn] of scenario.turns.entries()) {
        clock += 60_000 + (turn.advance ? duration(turn.advance) : 0);
        const result = advance(registry, session, turn.in, {
          now: new Date(clock),
          lookups,
          locales,
          settings,
        });
        session = result.session;
        const lang = result.session.lang;
        result.outputs.forEach((output, n) => {
          const where = `${file} turn ${i + 1} output ${n + 1}`;
          shapes.add(check(output, renderForCloudApi(output, cloudLabels(locales, lang)), where, lang));
        });
      }
    });
  }

  it("the transcripts exercise every shape: text, buttons, list, numbered menu, location request", () => {
    expect([...shapes].sort()).toEqual(["buttons", "list", "location", "numbered", "text"]);
  });
});
