/**
 * A citizen who does not have the number: `/status` and the menu's "Cek status laporan" list that
 * contact's own reports with their numbers and statuses (and only that contact's); a number not
 * found for the contact gets the same list under the "not found" answer.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { Inbound } from "../../src/engine/types.js";
import { createLogger } from "../../src/log.js";
import { fileThroughWeb, tipInputs } from "../support/citizen.js";

describe("status without the number", () => {
  let app: App;
  let dataDir: string;
  let n = 0;
  const say = async (visitor: string, input: Inbound) => {
    const reply = await app.conversation.handle({
      channel: "web",
      chatId: visitor,
      messageId: `${visitor}-s${n++}`,
      receivedAt: new Date(),
      input,
    });
    return reply?.outputs.map((o) => o.text).join("\n") ?? "";
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "lapor-status-"));
    app = await startApp(
      loadConfig({ DATA_DIR: dataDir, WEB_SIMULATOR: "false" }),
      createLogger({ level: "silent" }),
      {
        workerIntervalMs: 0,
      },
    );
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists the contact's own reports at /status, at Cek status laporan and under a number not found", async () => {
    const first = await fileThroughWeb(app, "ani", tipInputs());
    let last = "";
    for (const input of tipInputs({ category: "pasang_apk" })) last = await say("ani", input);
    const second = /LN-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(last)![0];
    const other = await fileThroughWeb(app, "budi", tipInputs());

    const atCommand = await say("ani", { kind: "command", name: "status", args: "" });
    expect(atCommand).toContain("Laporan yang pernah Anda kirim dari akun ini");
    expect(atCommand).toContain("/status NOMOR");
    expect(atCommand).toContain(first);
    expect(atCommand).toContain(second);
    expect(atCommand).toContain(`${first} (`);
    expect(atCommand).toContain("diterima sistem");
    expect(atCommand).not.toContain(other);
    // The newest first.
    expect(atCommand.indexOf(second)).toBeLessThan(atCommand.indexOf(first));

    await say("ani", { kind: "command", name: "start", args: "" });
    const atMenu = await say("ani", { kind: "choice", value: "status" });
    expect(atMenu).toContain("Ketik nomor laporan Anda");
    expect(atMenu).toContain(first);
    expect(atMenu).toContain(second);
    // Typing one of them then shows its history.
    expect(await say("ani", { kind: "text", text: first })).toMatch(
      new RegExp(`Laporan ${first}\\nDitangani: .+\\nStatus sekarang`),
    );

    const notFound = await say("ani", { kind: "command", name: "status", args: other });
    expect(notFound).toContain("tidak kami temukan");
    expect(notFound).toContain(first);
    expect(notFound).not.toContain(`${other} (`);

    // A contact with no report gets no list.
    const stranger = await say("citra", { kind: "command", name: "status", args: "" });
    expect(stranger).toContain("Belum ada laporan yang dikirim dari akun ini");
    await say("citra", { kind: "command", name: "start", args: "" });
    const strangerMenu = await say("citra", { kind: "choice", value: "status" });
    expect(strangerMenu).toContain("Ketik nomor laporan Anda");
    expect(strangerMenu).not.toContain("Laporan yang pernah Anda kirim");
  });
});
