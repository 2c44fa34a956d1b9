import { describe, expect, it } from "vitest";
import { readPersonAnswer, saysDontKnow } from "../../src/parsing/person.js";

describe("a person's name as typed", () => {
  it.each([
    ["Sugeng Riyadi, lurahnya", { name: "Sugeng Riyadi", position: "Lurah" }],
    ["Sugeng Riyadi sebagai camat", { name: "Sugeng Riyadi", position: "Camat" }],
    ["gk tau namanya", { name: null }],
    ["Ga tau pak", { name: null }],
    ["gak tau namanya, pokoknya camat", { name: null, position: "Camat" }],
    ["pak camat", { name: null, position: "Camat" }],
    ["Budi Santoso", undefined],
    ["Ahmad Lurah", undefined],
  ])("%j", (text, expected) => {
    expect(readPersonAnswer(text)).toEqual(expected);
  });

  it.each([
    "tidak tahu",
    "tdk tau",
    "gk tau namanya",
    "ga tau",
    "gatau",
    "nggak tahu pak",
    "kurang tahu",
    "tidak kenal",
    "saya tidak tahu namanya",
    "don't know",
  ])("%j means I don't know", (text) => {
    expect(saysDontKnow(text)).toBe(true);
  });

  it.each(["Tahu Sumedang", "Tauhid", "Agus", "tidak"])("%j is not I don't know", (text) => {
    expect(saysDontKnow(text)).toBe(false);
  });
});
