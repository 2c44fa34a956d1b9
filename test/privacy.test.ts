/**
 * Logs never carry who a reporter is: not their chat id (on WhatsApp that is a phone number), not
 * their name, phone or address on a formal report. The whole conversation runs at debug level
 * with every log line captured.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { fileThroughWeb, tipInputs } from "./support/citizen.js";

describe("privacy in logs", () => {
  let app: App;
  let dataDir: string;
  const lines: string[] = [];
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "lapor-priv-"));
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    app = await startApp(
      loadConfig({ DATA_DIR: dataDir, WEB_SIMULATOR: "false" }),
      createLogger({ level: "debug", destination }),
      {
        workerIntervalMs: 0,
      },
    );
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a whole report, delivered, leaves no chat id in the logs", async () => {
    const chatId = "6281234567890";
    const number = await fileThroughWeb(app, chatId, tipInputs({ accused: "Budi" }));
    await app.worker.drain();
    const log = lines.join("");
    expect(log).toContain(number); // the public tracking number is fine, and proves lines were captured
    expect(log).not.toContain(chatId);
    expect(log).not.toContain("81234567890");
  });
});
