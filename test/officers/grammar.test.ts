/** The one grammar of what officers type, the same on every channel. */
import { describe, expect, it } from "vitest";
import { parseOfficerText } from "../../src/officers/grammar.js";

describe("parseOfficerText", () => {
  it("reads commands with the bot's name, any case, arguments over several lines", () => {
    expect(parseOfficerText("/Tanya@LaporNetralBot LN-7K3M-9QX2 Kapan\nfoto diambil?")).toEqual({
      kind: "command",
      name: "tanya",
      args: "LN-7K3M-9QX2 Kapan\nfoto diambil?",
    });
    expect(parseOfficerText("  /laporan  ")).toEqual({ kind: "command", name: "laporan", args: "" });
  });

  it("reads /petugas with or without a code, on every channel alike", () => {
    expect(parseOfficerText("/petugas abcd2345 terima kasih")).toEqual({ kind: "invite", code: "abcd2345" });
    expect(parseOfficerText("/petugas@LaporBot")).toEqual({ kind: "invite", code: undefined });
  });

  it("reads a numbered answer, with a report number when typed", () => {
    expect(parseOfficerText("4 ln-7k3m-9qx2")).toEqual({ kind: "number", choice: 4, report: "LN-7K3M-9QX2" });
    expect(parseOfficerText("1")).toEqual({ kind: "number", choice: 1, report: undefined });
  });

  it("leaves everything else to the citizen flow", () => {
    for (const text of ["/laporanku", "/start", "/status LN-7K3M-9QX2", "siap, terima kasih", "100 ribu", ""])
      expect(parseOfficerText(text)).toBeUndefined();
  });
});
