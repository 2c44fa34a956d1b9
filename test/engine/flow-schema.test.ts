import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { checkFlows, formatProblem, loadFlows } from "../../src/engine/flow-schema.js";
import { MODULE_TEXT_KEYS } from "../../src/setup/text-keys.js";

const repo = resolve(fileURLToPath(import.meta.url), "../../..");
const flowsDir = join(repo, "flows");

const tmp: string[] = [];
afterEach(() => {
  for (const d of tmp.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A folder with the real locales and menu plus one extra flow file. */
function dirWith(name: string, yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "flows-"));
  tmp.push(dir);
  cpSync(join(flowsDir, "locales"), join(dir, "locales"), { recursive: true });
  cpSync(join(flowsDir, "menu.yaml"), join(dir, "menu.yaml"));
  cpSync(join(flowsDir, "complaint.yaml"), join(dir, "complaint.yaml"));
  writeFileSync(join(dir, name), yaml);
  return dir;
}

function messages(dir: string): string[] {
  return checkFlows(dir).map((p) => formatProblem({ ...p, file: p.file.replace(/^.*[\\/]/, "") }));
}

describe("checkFlows", () => {
  it("finds no problem in the project's flows", () => {
    expect(checkFlows(flowsDir, MODULE_TEXT_KEYS).map(formatProblem)).toEqual([]);
  });

  it("loads the project's flows with the menu as the main flow", async () => {
    const registry = await loadFlows(flowsDir);
    expect(registry.mainFlowId).toBe("menu");
    expect(Object.keys(registry.flows).sort()).toEqual(["complaint", "menu", "subscribe"]);
  });

  it("names the file and the path of a missing English text", () => {
    const dir = dirWith(
      "extra.yaml",
      `id: extra
start: pick
steps:
  pick:
    type: choice
    store: x
    text: { id: "Pilih", en: "Pick" }
    options:
      - { value: a, label: { id: A, en: A } }
      - { value: b, label: { id: B } }
    next: done
  done: { type: end, status: done }
`,
    );
    expect(messages(dir)).toContain("extra.yaml: steps.pick.options[1].label.en: required");
  });

  it("reports unknown steps, checks, flows, answers, unreachable steps and duplicate stores", () => {
    const dir = dirWith(
      "extra.yaml",
      `id: extra
start: first
steps:
  first:
    type: text
    store: name
    text: { id: "Nama?", en: "Name?" }
    next: [{ if: { answer: nama, equals: x }, goto: nowhere }, { goto: check }]
  check:
    type: check
    check: no_such_check
    next: [{ if: { result: late }, goto: again }, { goto: jump }]
  again:
    type: text
    store: name
    text: { id: "Lagi?", en: "Again?" }
    next: jump
  jump: { type: flow, flow: missing }
  orphan: { type: end, status: done }
`,
    );
    const m = messages(dir);
    expect(m).toContain('extra.yaml: steps.first.next[0].goto: unknown step "nowhere"');
    expect(m).toContain('extra.yaml: steps.first.next[0].if: no step stores the answer "nama"');
    expect(m.some((s) => s.startsWith('extra.yaml: steps.check.check: unknown check "no_such_check"'))).toBe(
      true,
    );
    expect(m).toContain('extra.yaml: steps.jump.flow: unknown flow "missing"');
    expect(m).toContain('warning: extra.yaml: steps.again.store: "name" is also stored by step "first"');
    expect(m).toContain("warning: extra.yaml: steps.orphan: unreachable from the start step");
  });

  it("reports a bad start step, an unknown step type and a file named differently from its id", () => {
    const dir = dirWith(
      "other.yaml",
      `id: extra
start: nope
steps:
  a: { type: wat, text: { id: x, en: x } }
`,
    );
    const m = messages(dir);
    expect(m.some((s) => s.startsWith("other.yaml: steps.a"))).toBe(true);
    const dir2 = dirWith("other.yaml", `id: extra\nstart: nope\nsteps:\n  a: { type: end, status: done }\n`);
    const m2 = messages(dir2);
    expect(m2).toContain('other.yaml: id: must equal the file name ("other")');
    expect(m2).toContain('other.yaml: start: unknown step "nope"');
  });

  it("reports YAML syntax errors and missing locale texts", () => {
    const dir = dirWith("broken.yaml", "id: [unclosed\n");
    expect(messages(dir).some((s) => s.startsWith("broken.yaml: "))).toBe(true);
    writeFileSync(join(dir, "locales", "en.yaml"), "commands:\n  back: [back]\n");
    const m = messages(dir);
    expect(m).toContain("en.yaml: errors.choose_one: required (a text)");
    expect(m).toContain("en.yaml: commands.cancel: required (a list of words)");
  });

  it("refuses to load invalid flows, listing every error", async () => {
    const dir = dirWith("extra.yaml", `id: extra\nstart: a\nsteps:\n  a: { type: end }\n`);
    await expect(loadFlows(dir)).rejects.toThrow(/extra\.yaml: steps\.a\.status: /);
  });
});
