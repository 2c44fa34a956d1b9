import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/conditions.js";
import { advance } from "../../src/engine/engine.js";
import { interpolate } from "../../src/engine/locale.js";
import type { Session } from "../../src/engine/types.js";
import { Conversation, fakeLookups, locales, registryOf, settings, tx } from "./fakes.js";

const HOUR = 3_600_000;

/** menu (main) → a small report flow with a branch, a check, a summary and a submit. */
function registry() {
  return registryOf(
    {
      id: "menu",
      main: true,
      start: "menu",
      steps: {
        menu: {
          type: "choice",
          store: "m",
          text: tx("Menu"),
          options: [
            { value: "report", label: tx("Lapor") },
            { value: "status", label: tx("Status") },
          ],
          next: [{ if: { answer: "m", equals: "report" }, goto: "go" }, { goto: "num" }],
        },
        go: { type: "flow", flow: "report" },
        num: { type: "report_number", text: tx("Nomor?") },
        bye: { type: "end", status: "done", text: tx("Sebentar.") },
      },
    },
    {
      id: "report",
      start: "track",
      commands: ["lapor"],
      resumable: true,
      steps: {
        track: {
          type: "choice",
          store: "track",
          label: tx("Jalur"),
          editable: false,
          text: tx("Jalur?"),
          options: [
            { value: "tip", label: tx("Tip") },
            { value: "formal", label: tx("Resmi") },
          ],
        },
        what: { type: "text", store: "what", label: tx("Apa"), text: tx("Apa yang terjadi?") },
        learned: {
          type: "date",
          store: "learned",
          label: tx("Tahu"),
          text: tx("Kapan tahu?"),
          skip_if: { answer: "track", not_equals: "formal" },
        },
        deadline: {
          type: "check",
          check: "reporting_deadline",
          args: { learned: "learned" },
          next: [{ if: { result: "late" }, goto: "late" }, { goto: "who" }],
        },
        late: {
          type: "message",
          set: { track: "tip" },
          text: tx("Terlambat {{daysLate}} hari (batas {{deadline}}), jadi informasi awal."),
          next: "who",
        },
        who: { type: "text", store: "who", label: tx("Siapa"), text: tx("Siapa?"), allow_none: true },
        summary: { type: "summary", text: tx("Ringkasan:") },
        submit: { type: "submit", text: tx("Terima kasih, nomor {{report.number}}.") },
      },
    },
  );
}

function startReport(c: Conversation) {
  c.send({ kind: "command", name: "lapor", args: "" });
}

describe("advance", () => {
  it("opens the main menu for a new contact, and a slash command starts its flow directly", () => {
    const c = new Conversation(registry());
    const r = c.send("halo");
    expect(r.outputs[0]?.text).toBe("Menu");
    expect(c.session?.flowId).toBe("menu");
    const d = new Conversation(registry());
    startReport(d);
    expect(d.session).toMatchObject({ flowId: "report", stepId: "track", status: "active" });
  });

  it("runs a flow to the submit effect, with only the answers of the path taken", () => {
    const c = new Conversation(registry());
    startReport(c);
    c.send("tip");
    c.send("Pak camat kampanye");
    c.send("tidak tahu");
    const summary = c.send("kirim");
    expect(summary.effects.filter((e) => e.kind === "submit_report")).toEqual([
      {
        kind: "submit_report",
        flowId: "report",
        lang: "id",
        answers: { track: "tip", what: "Pak camat kampanye", who: null },
      },
    ]);
    expect(summary.outputs[0]?.text).toBe("Terima kasih, nomor {{report.number}}.");
    expect(c.session?.status).toBe("done");
  });

  it("runs checks, sets their variables for texts and follows their result", () => {
    const c = new Conversation(registry());
    startReport(c);
    c.send("resmi");
    c.send("Pak camat kampanye");
    const r = c.send("2024-11-01");
    expect(r.outputs.map((o) => o.text)).toEqual([
      "Tanggal dicatat: 2024-11-01.",
      "Terlambat 12 hari (batas 2024-11-08), jadi informasi awal.",
      "Siapa?",
    ]);
    expect(c.session?.answers.track).toBe("tip");
    c.send("Budi");
    // The learned date is off the tip path now, so the summary leaves it out.
    expect(c.session?.stepId).toBe("summary");
  });

  it("goes back one question with the previous answer, and not before the first", () => {
    const c = new Conversation(registry());
    startReport(c);
    expect(c.send("kembali").outputs[0]?.text).toBe("Ini sudah pertanyaan pertama.");
    c.send("tip");
    c.send("Pak camat kampanye");
    const r = c.send({ kind: "command", name: "kembali", args: "" });
    expect(r.outputs.map((o) => o.text)).toEqual([
      "Jawaban Anda sebelumnya: Pak camat kampanye. Silakan kirim jawaban baru.",
      "Apa yang terjadi?",
    ]);
    expect(c.session?.history).toEqual(["track"]);
  });

  it("cancels without saving, restarts from the first step, gives context help", () => {
    const c = new Conversation(registry());
    startReport(c);
    c.send("tip");
    expect(c.send("bantuan").outputs.map((o) => o.text)[1]).toBe("Apa yang terjadi?");
    const restart = c.send("ulang");
    expect(restart.outputs.map((o) => o.text)).toEqual(["Baik, kita mulai lagi dari awal.", "Jalur?"]);
    expect(c.session?.answers).toEqual({});
    const cancel = c.send("batal");
    expect(cancel.effects.some((e) => e.kind === "submit_report")).toBe(false);
    expect(c.session?.status).toBe("cancelled");
    expect(c.send("halo").outputs[0]?.text).toBe("Menu");
  });

  it("switches language and asks the same question again in it, keeping it for later sessions", () => {
    const c = new Conversation(registry());
    startReport(c);
    const r = c.send("english");
    expect(r.outputs.map((o) => o.text)).toEqual(["All right, let's continue in English.", "Jalur? (en)"]);
    c.send("batal");
    expect(c.send("hello").outputs[0]?.text).toBe("Menu (en)");
  });

  it("asks 'continue or start over?' after a long pause, and continues where it was", () => {
    const c = new Conversation(registry());
    startReport(c);
    c.send("tip");
    const r = c.send("Pak camat kampanye", 5 * HOUR);
    expect(r.outputs[0]?.choices?.map((x) => x.value)).toEqual(["continue", "restart"]);
    expect(c.session?.resumePrompt).toBe(true);
    expect(c.send("lanjut").outputs[0]?.text).toBe("Apa yang terjadi?");
    expect(c.session?.resumePrompt).toBeUndefined();
  });

  it("expires a session older than the TTL and says the unfinished report was not saved", () => {
    const c = new Conversation(registry());
    startReport(c);
    c.send("tip");
    const r = c.send("halo", 4 * 24 * HOUR);
    expect(r.outputs[0]?.text).toMatch(/lebih dari 3 hari .* tidak kami simpan/);
    expect(r.outputs[1]?.text).toBe("Menu");
    expect(c.session?.flowId).toBe("menu");
  });

  it("edits one answer from the summary and comes straight back", () => {
    const c = new Conversation(registry());
    startReport(c);
    c.send("tip");
    c.send("Pak camat kampanye");
    const summary = c.send("Budi");
    expect(summary.outputs[0]?.text).toBe(
      "Ringkasan:\n\n• Jalur: Tip\n• Apa: Pak camat kampanye\n• Siapa: Budi",
    );
    const edit = c.send("ubah");
    expect(edit.outputs[0]?.choices?.map((x) => x.value)).toEqual(["what", "who", "back_to_summary"]);
    c.send("Apa");
    const back = c.send("Lurah membagikan kaos");
    expect(back.outputs[0]?.text).toContain("• Apa: Lurah membagikan kaos");
    expect(c.session?.stepId).toBe("summary");
    expect(c.session?.returnTo).toBeUndefined();
  });

  it("emits a status query for a report number typed at the menu", () => {
    const c = new Conversation(registry());
    c.send("halo");
    c.send("status");
    const r = c.send("LN-7K3M-9QX2");
    expect(r.effects).toContainEqual({ kind: "status_query", number: "LN-7K3M-9QX2" });
    expect(c.session?.status).toBe("done");
  });

  it("keeps sessions plain JSON and never mutates the session it was given", () => {
    const c = new Conversation(registry());
    startReport(c);
    const before = structuredClone(c.session) as Session;
    const frozen = JSON.parse(JSON.stringify(before)) as Session;
    advance(
      registry(),
      frozen,
      { kind: "text", text: "tip" },
      { now: new Date(c.clock + 1000), lookups: fakeLookups, locales, settings },
    );
    expect(frozen).toEqual(before);
    expect(JSON.parse(JSON.stringify(c.session))).toEqual(c.session);
  });

  it("starts over when the stored session points at a step that no longer exists", () => {
    const c = new Conversation(registry());
    startReport(c);
    c.session = { ...(c.session as Session), stepId: "removed_step" };
    const r = c.send("halo");
    expect(r.outputs[0]?.text).toBe("Menu");
    expect(r.effects.some((e) => e.kind === "log" && e.level === "warn")).toBe(true);
  });

  it("says so for an unknown slash command and repeats the question", () => {
    const c = new Conversation(registry());
    startReport(c);
    const r = c.send({ kind: "command", name: "xyz", args: "" });
    expect(r.outputs.map((o) => o.text)).toEqual([expect.stringMatching(/tidak kami kenal/), "Jalur?"]);
  });
});

describe("conditions and texts", () => {
  it("evaluates the tiny condition language", () => {
    const answers = { track: "formal", cat: "medsos_kampanye", none: null };
    expect(evaluate({ answer: "track", equals: "formal" }, { answers })).toBe(true);
    expect(evaluate({ answer: "track", not_equals: "formal" }, { answers })).toBe(false);
    expect(evaluate({ answer: "cat", starts_with: "medsos_" }, { answers })).toBe(true);
    expect(evaluate({ answer: "cat", in: ["a", "medsos_kampanye"] }, { answers })).toBe(true);
    expect(evaluate({ answer: "none", exists: true }, { answers })).toBe(false);
    expect(evaluate({ answer: "missing", exists: false }, { answers })).toBe(true);
    expect(
      evaluate(
        { all: [{ answer: "track", equals: "formal" }, { not: { result: "late" } }] },
        { answers, result: "ok" },
      ),
    ).toBe(true);
    expect(
      evaluate({ any: [{ result: "late" }, { answer: "track", equals: "tip" }] }, { answers, result: "ok" }),
    ).toBe(false);
  });

  it("reads check variables with `var`", () => {
    const cond = { var: "dayCounting", equals: "working" } as const;
    expect(evaluate(cond, { answers: {}, vars: { dayCounting: "working" } })).toBe(true);
    expect(evaluate(cond, { answers: { dayCounting: "working" } })).toBe(false);
  });

  it("fills known placeholders and leaves the host's", () => {
    expect(interpolate("No {{report.number}}, batas {{ deadline }}", { deadline: "27 Nov" })).toBe(
      "No {{report.number}}, batas 27 Nov",
    );
  });
});
