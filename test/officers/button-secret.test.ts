/**
 * The key that signs officers' buttons survives a restart without any token or setting (it is
 * generated once and kept in the database), and `OFFICER_ACTION_SECRET` overrides it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { signAction } from "../../src/officers/actions.js";

describe("the officers' button secret", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "lapor-secret-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const start = (env: Record<string, string> = {}) =>
    startApp(
      loadConfig({ DATA_DIR: dataDir, WEB_SIMULATOR: "false", ...env }),
      createLogger({ level: "silent" }),
      { workerIntervalMs: 0, broadcastIntervalMs: 0 },
    );

  it("is kept across a restart without a token, and the setting overrides it", async () => {
    const first = await start();
    const data = first.officers.actions.sign("ack", 41, "18.72");
    expect(first.officers.actions.read(data)).toEqual({ action: "ack", reportId: 41, officeCode: "18.72" });
    await first.close();

    const again = await start();
    expect(again.officers.actions.read(data)).toEqual({ action: "ack", reportId: 41, officeCode: "18.72" });
    // A forged signature is still refused.
    expect(again.officers.actions.read(data.replace(/:[^:]+$/, ":AAAAAAAAAAAA"))).toBeUndefined();
    await again.close();

    const configured = "a-secret-from-the-environment-0123456789";
    const overridden = await start({ OFFICER_ACTION_SECRET: configured });
    expect(overridden.officers.actions.read(data)).toBeUndefined();
    expect(overridden.officers.actions.sign("ack", 41, "18.72")).toBe(
      signAction(configured, "ack", 41, "18.72"),
    );
    await overridden.close();
  }, 120_000);
});
