import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { ConfigError } from "../src/errors.js";

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("settings", () => {
  it("has working defaults with nothing set: embedded database, simulator on port 3000", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      DATABASE_URL: undefined,
      PORT: 3000,
      WEB_SIMULATOR: true,
      SESSION_TTL_HOURS: 72,
      DAY_COUNTING: "calendar",
    });
    expect(c.dataDir).toMatch(/data$/);
  });

  it("treats empty strings as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", TELEGRAM_BOT_TOKEN: " " }).TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it("names the wrong variable", () => {
    expect(errorOf({ PORT: "abc" }).variable).toBe("PORT");
    expect(errorOf({ DAY_COUNTING: "lunar" }).message).toMatch(/^DAY_COUNTING:/);
    expect(errorOf({ DATABASE_URL: "mysql://x" }).variable).toBe("DATABASE_URL");
    expect(errorOf({ WEB_SIMULATOR: "maybe" }).message).toMatch(/true or false/);
    expect(errorOf({ TELEGRAM_WEBHOOK_URL: "https://example.org/tg" }).variable).toBe(
      "TELEGRAM_WEBHOOK_SECRET",
    );
  });

  it("never echoes a secret's value", () => {
    const e = errorOf({ TELEGRAM_BOT_TOKEN: "not-a-token-but-secret" });
    expect(e.variable).toBe("TELEGRAM_BOT_TOKEN");
    expect(e.message).not.toContain("not-a-token-but-secret");
  });
});
