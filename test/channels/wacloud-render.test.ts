/**
 * The Cloud API renderer and error classification on their own: shortening labels, the shape
 * chosen for each number of choices, splitting long texts, and how Graph errors are classified for
 * the delivery worker's retries. Every payload is checked with the Graph API stand-in's validator.
 */
import { describe, expect, it } from "vitest";
import { GraphApiError, GraphNetworkError } from "../../src/channels/wacloud/graph-api.js";
import { renderForCloudApi, shorten } from "../../src/channels/wacloud/render.js";
import { hubSignature, verifyHubSignature } from "../../src/channels/wacloud/signature.js";
import { CustomerWindowClosedError } from "../../src/channels/wacloud/transport.js";
import { classifyWaCloudFailure as classifyGraphError } from "../../src/delivery/failure.js";
import type { Choice } from "../../src/engine/types.js";
import { validateCloudPayload } from "../support/graph-api-validate.js";

const labels = { listButton: "Pilih", numberedHint: "Balas dengan nomor atau kata pilihan Anda." };
const valid = (m: Record<string, unknown>) =>
  validateCloudPayload({ messaging_product: "whatsapp", to: "628123456789", ...m });
const choices = (n: number, label = (i: number) => `Pilihan nomor ${i + 1}`): Choice[] =>
  Array.from({ length: n }, (_, i) => ({ value: `v${i}`, label: label(i) }));

describe("Cloud API renderer", () => {
  it("shortens long labels at a word boundary with an ellipsis, and leaves short ones alone", () => {
    expect(shorten("Ya", 20)).toBe("Ya");
    expect(shorten("Informasi awal (tanpa identitas)", 20)).toBe("Informasi awal…");
    expect(shorten("Supercalifragilisticexpialidocious", 20)).toHaveLength(20);
  });

  it("renders 1-3 choices as reply buttons, 4-10 as a list, more as a numbered text menu", () => {
    const three = renderForCloudApi({ text: "Pilih", choices: choices(3) }, labels);
    expect(three.map((m) => (m.interactive as { type: string }).type)).toEqual(["button"]);
    const ten = renderForCloudApi({ text: "Pilih", choices: choices(10) }, labels);
    expect((ten[0]!.interactive as { type: string }).type).toBe("list");
    const eleven = renderForCloudApi({ text: "Pilih", choices: choices(11) }, labels);
    expect(eleven.map((m) => m.type)).toEqual(["text"]);
    expect((eleven[0]!.text as { body: string }).body).toContain("11. Pilihan nomor 11");
    for (const m of [...three, ...ten, ...eleven]) expect(valid(m)).toEqual([]);
  });

  it("uses a list when shortened button titles would collide, and keeps long rows readable", () => {
    const same = choices(2, (i) => `Rekomendasi kepada Komisi ASN nomor ${i}`);
    const [m] = renderForCloudApi({ text: "Pilih", choices: same }, labels);
    expect((m!.interactive as { type: string }).type).toBe("list");
    expect(valid(m!)).toEqual([]);
    const rows = (
      m!.interactive as { action: { sections: { rows: { title: string; description: string }[] }[] } }
    ).action.sections[0]!.rows;
    expect(rows[1]!.description).toMatch(/nomor 1$/);
  });

  it("splits a long text, keeping the interactive part last and within its body limit", () => {
    const long = Array.from({ length: 60 }, (_, i) => `Baris ${i} ${"kata ".repeat(20)}`).join("\n");
    const messages = renderForCloudApi({ text: long, choices: choices(2) }, labels);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.slice(0, -1).every((m) => m.type === "text")).toBe(true);
    expect(messages.at(-1)!.type).toBe("interactive");
    for (const m of messages) expect(valid(m)).toEqual([]);
  });

  it("asks for a location with a location request message", () => {
    const [m] = renderForCloudApi({ text: "Di mana kejadiannya?", ask: "location" }, labels);
    expect(m).toMatchObject({ type: "interactive", interactive: { type: "location_request_message" } });
    expect(valid(m!)).toEqual([]);
  });
});

describe("Graph error classification and signatures", () => {
  it("retries rate limits and server errors (with Retry-After), gives up on unreachable recipients", () => {
    const r429 = classifyGraphError(new GraphApiError(429, 130429, undefined, "throughput", 7000));
    expect([r429.retryable, r429.retryAfterMs]).toEqual([true, 7000]);
    expect(classifyGraphError(new GraphApiError(400, 131048, undefined, "spam rate limit")).retryable).toBe(
      true,
    );
    expect(classifyGraphError(new GraphApiError(503, undefined, undefined, "unavailable")).retryable).toBe(
      true,
    );
    expect(classifyGraphError(new GraphNetworkError("ECONNREFUSED")).retryable).toBe(true);
    const gone = classifyGraphError(new GraphApiError(400, 131026, undefined, "Message undeliverable."));
    expect([gone.retryable, gone.kind, gone.platformCode]).toEqual([false, "gone", 131026]);
    // Meta's rate limit answered with HTTP 400 is still a rate limit: errors are read by code.
    const limited = classifyGraphError(new GraphApiError(400, 131056, undefined, "pair rate limit"));
    expect([limited.kind, limited.retryable]).toEqual(["retry_after", true]);
    const window = classifyGraphError(new GraphApiError(400, 131047, undefined, "Re-engagement message"));
    expect([window.kind, window.bug]).toEqual(["refused", false]);
    expect(
      classifyGraphError(new GraphApiError(400, 131030, undefined, "not in allowed list")).retryable,
    ).toBe(false);
    expect(classifyGraphError(new CustomerWindowClosedError(30)).retryable).toBe(false);
  });

  it("checks X-Hub-Signature-256 on the exact bytes", () => {
    const body = Buffer.from('{"object":"whatsapp_business_account"}');
    expect(verifyHubSignature(body, hubSignature(body, "s3cret-app"), "s3cret-app")).toBe(true);
    expect(verifyHubSignature(Buffer.from(`${body} `), hubSignature(body, "s3cret-app"), "s3cret-app")).toBe(
      false,
    );
    expect(verifyHubSignature(body, undefined, "s3cret-app")).toBe(false);
    expect(verifyHubSignature(body, "sha1=abc", "s3cret-app")).toBe(false);
  });
});
