import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import aliases from "../../src/regions/aliases.json" with { type: "json" };
import { loadRegionCatalog, type RegionCatalog } from "../../src/regions/catalog.js";
import {
  normalizeCompact,
  normalizeText,
  parsePlaceQuery,
  stripAdminPrefix,
} from "../../src/regions/normalize.js";
import { PlaceSearch, type PlaceSearchResult } from "../../src/regions/place-search.js";

interface FixtureQuery {
  q: string;
  code: string;
  note: string;
}

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/place-queries.json", import.meta.url), "utf8"),
) as FixtureQuery[];

let catalog: RegionCatalog;
let search: PlaceSearch;

beforeAll(async () => {
  catalog = await loadRegionCatalog();
  search = PlaceSearch.build(catalog);
});

/** The code a result resolved to: the regency, or the province for province-only matches. */
function top(r: PlaceSearchResult): string | null {
  return r.best ? (r.best.regencyCode ?? r.best.provinceCode) : null;
}

function codes(r: PlaceSearchResult): (string | null)[] {
  return r.candidates.map((c) => c.regencyCode ?? c.provinceCode);
}

/** Structural invariants every result must satisfy. */
function checkShape(r: PlaceSearchResult, limit = 8): void {
  expect(["match", "ambiguous", "no_match", "invalid"]).toContain(r.status);
  expect(r.ambiguous).toBe(r.status === "ambiguous");
  if (r.status === "no_match" || r.status === "invalid") expect(r.best).toBeNull();
  else expect(r.best).toEqual(r.candidates[0]);
  if (r.status === "invalid") expect(r.error).toBeTruthy();
  expect(r.candidates.length).toBeLessThanOrEqual(limit);
  const groups = r.candidates.map((c) => c.regencyCode ?? `p${c.provinceCode}`);
  expect(new Set(groups).size).toBe(groups.length);
  for (let i = 0; i < r.candidates.length; i++) {
    const c = r.candidates[i]!;
    expect(c.score).toBeGreaterThanOrEqual(0);
    expect(c.score).toBeLessThanOrEqual(1);
    if (i > 0) expect(c.score).toBeLessThanOrEqual(r.candidates[i - 1]!.score);
  }
}

describe("normalize", () => {
  it("lowercases, strips diacritics, punctuation and emoji, collapses spaces", () => {
    expect(normalizeText("  Kab.  SOLOK,   Sumbar!! 😀 ")).toBe("kab solok sumbar");
    expect(normalizeText("Bélitung")).toBe("belitung");
    expect(normalizeText("Ma'rang")).toBe("marang");
    expect(normalizeText("Tj. Pinang")).toBe("tanjung pinang");
    expect(normalizeCompact("Pekan Baru")).toBe(normalizeCompact("pekanbaru"));
    expect(normalizeCompact("Muko-Muko")).toBe("mukomuko");
  });

  it("recognizes administrative prefixes and keeps their kind", () => {
    const tokens = parsePlaceQuery("Kec. Arosuka, Kab. Solok di provinsi Sumatera Barat");
    expect(tokens.map((t) => t.role)).toEqual([
      "keyword",
      "name",
      "keyword",
      "name",
      "stopword",
      "keyword",
      "name",
      "name",
    ]);
    expect(tokens[0]!.hint).toBe("kecamatan");
    expect(tokens[2]!.hint).toBe("kabupaten");
    expect(tokens[5]!.hint).toBe("provinsi");
    expect(stripAdminPrefix("Kota Adm. Jakarta Timur")).toEqual({ hint: "kota", rest: "jakarta timur" });
    expect(stripAdminPrefix("Kecamatan Metro Pusat")).toEqual({ hint: "kecamatan", rest: "metro pusat" });
    expect(stripAdminPrefix("Desa Sidomulyo")).toEqual({ hint: "desa", rest: "sidomulyo" });
    expect(stripAdminPrefix("Kota")).toEqual({ hint: undefined, rest: "kota" });
  });
});

describe("aliases.json", () => {
  it("maps every alias to an existing regency or province", () => {
    for (const a of aliases) {
      expect(a.name.trim(), JSON.stringify(a)).not.toBe("");
      expect(a.note.trim(), JSON.stringify(a)).not.toBe("");
      expect(catalog.regencyByCode.has(a.code) || catalog.provinceByCode.has(a.code), JSON.stringify(a)).toBe(
        true,
      );
    }
  });
});

describe("PlaceSearch fixture", () => {
  it("has at least 220 queries whose expected codes exist", () => {
    expect(fixture.length).toBeGreaterThanOrEqual(220);
    for (const f of fixture) {
      expect(catalog.regencyByCode.has(f.code) || catalog.provinceByCode.has(f.code), f.q).toBe(true);
    }
  });

  it("finds the expected regency (or province) first for >= 95% of the fixture", () => {
    const misses: string[] = [];
    for (const f of fixture) {
      const r = search.find(f.q);
      checkShape(r);
      if (top(r) !== f.code) {
        misses.push(`${JSON.stringify(f.q)}: expected ${f.code}, got ${top(r)} (${r.status}; ${f.note})`);
      }
    }
    const accuracy = (fixture.length - misses.length) / fixture.length;
    expect(
      accuracy,
      `top-1 accuracy ${accuracy.toFixed(3)}; misses:\n${misses.join("\n")}`,
    ).toBeGreaterThanOrEqual(0.95);
  });
});

describe("PlaceSearch specific cases", () => {
  it.each([
    ["kab solok", "13.02"],
    ["Kota Metro", "18.72"],
    ["metro lampung", "18.72"],
    ["balikpapan", "64.71"],
    ["Kec. Arosuka", "13.02"],
    ["arosuka", "13.02"],
    ["pekan baru", "14.71"],
    ["Mukomuko", "17.06"],
  ])("seed place %s → %s", (q, code) => {
    const r = search.find(q);
    expect(r.status).toBe("match");
    expect(r.best?.regencyCode).toBe(code);
  });

  it("gives 1.0 to an exact regency and less to a typo", () => {
    expect(search.find("kota metro").best?.score).toBe(1);
    const typo = search.find("balikpapn");
    expect(typo.best?.regencyCode).toBe("64.71");
    expect(typo.best!.score).toBeLessThan(1);
  });

  it("treats 'solok' as ambiguous between Kabupaten Solok and Kota Solok", () => {
    const r = search.find("solok");
    expect(r.status).toBe("ambiguous");
    expect(r.ambiguous).toBe(true);
    expect(codes(r).slice(0, 2).sort()).toEqual(["13.02", "13.72"]);
    expect(codes(r)).toContain("13.11"); // Solok Selatan, a different regency, ranks lower
  });

  it("matches 'kota solok' clearly to Kota Solok", () => {
    const r = search.find("kota solok");
    expect(r.status).toBe("match");
    expect(r.best?.regencyCode).toBe("13.72");
    expect(r.best?.score).toBe(1);
  });

  it("treats a village name found in many regencies as ambiguous, one candidate per regency", () => {
    const r = search.find("sidomulyo");
    checkShape(r);
    expect(r.status).toBe("ambiguous");
    expect(r.candidates.length).toBe(8);
    for (const c of r.candidates) expect(normalizeCompact(c.matchedName)).toContain("sidomulyo");
    expect(search.find("sidomulyo", { limit: 3 }).candidates.length).toBe(3);
  });

  it("prefers a regency over a district or village of the same name", () => {
    const r = search.find("metro");
    expect(r.status).toBe("match");
    expect(r.best?.matchedLevel).toBe("regency");
    expect(r.best?.matchedName).toBe("Kota Metro");
  });

  it("resolves a capital that is not in the official list through the alias file", () => {
    const r = search.find("Kec. Arosuka");
    expect(r.best?.matchedLevel).toBe("alias");
    expect(r.best?.matchedCode).toBe("13.02");
    expect(r.best?.regencyName).toBe("Kabupaten Solok");
  });

  it.each([
    ["Padangsidimpuan", "12.77"],
    ["Padang Sidempuan", "12.77"],
    ["Kepulauan Siau Tagulandang Biaro", "71.09"],
    ["Kep. Sitaro", "71.09"],
    ["Siau Tagulandang Biaro", "71.09"],
  ])("matches both spellings: %s → %s", (q, code) => {
    const r = search.find(q);
    expect(r.status).toBe("match");
    expect(r.best?.regencyCode).toBe(code);
  });

  it("uses both parts of 'kec. A kab. B': the district inside the named regency wins", () => {
    const r = search.find("kec payung sekaki kota pekanbaru");
    expect(r.status).toBe("match");
    expect(r.best?.regencyCode).toBe("14.71");
    expect(r.best?.matchedLevel).toBe("district");
    expect(r.best?.matchedName).toBe("Kec. Payung Sekaki, Kota Pekanbaru");
    expect(search.find("kec. payung sekaki kab. solok").best?.regencyCode).toBe("13.02");
  });

  it("shows villages with their kecamatan and regency", () => {
    const r = search.find("desa donoharjo kec ngaglik sleman");
    expect(r.best?.matchedLevel).toBe("village");
    expect(r.best?.matchedName).toBe("Desa Donoharjo, Kec. Ngaglik, Kab. Sleman");
  });

  it.each([
    ["lampung", "18"],
    ["jawa barat", "32"],
    ["jabar", "32"],
    ["provinsi riau", "14"],
  ])("province-only query %s → province %s with no regency", (q, code) => {
    const r = search.find(q);
    expect(r.status).toBe("match");
    expect(r.best?.regencyCode).toBeNull();
    expect(r.best?.regencyName).toBeNull();
    expect(r.best?.provinceCode).toBe(code);
  });

  it("treats 'jogja' as ambiguous between Kota Yogyakarta and the province", () => {
    const r = search.find("jogja");
    expect(r.status).toBe("ambiguous");
    expect(codes(r).slice(0, 2)).toEqual(["34.71", "34"]);
  });

  it("rejects empty, too long and letterless text", () => {
    for (const q of ["", "   ", "😀😀", "12345", "!!!", "a".repeat(10_000)]) {
      const r = search.find(q);
      checkShape(r);
      expect(r.status, q.slice(0, 20)).toBe("invalid");
      expect(r.error).toMatch(/\w/);
    }
    expect(search.find("").error).toMatch(/empty/);
    expect(search.find("x".repeat(201)).error).toMatch(/long/);
  });

  it("returns no_match with suggestions for garbage, never throwing", () => {
    for (const q of ["asdfgh", "'; DROP TABLE offices; --", "qwerty zxcv", "x"]) {
      const r = search.find(q);
      checkShape(r);
      expect(["no_match", "invalid"], q).toContain(r.status);
      if (r.status === "no_match") expect(r.suggestions.length, q).toBeGreaterThan(0);
    }
    const near = search.find("balikpapn x");
    expect(near.best?.regencyCode === "64.71" || near.suggestions.includes("Kota Balikpapan")).toBe(true);
    const suggested = search.find("sleemaan jogjaa kota");
    if (suggested.status === "no_match") expect(suggested.suggestions.length).toBeGreaterThan(0);
  });

  it("never throws on arbitrary input", () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const alphabet = [
      "a",
      "e",
      "k",
      "b",
      " ",
      ".",
      ",",
      "-",
      "'",
      "é",
      "😀",
      "\u0000",
      "\n",
      "kab ",
      "kota ",
      "solok",
    ];
    for (let i = 0; i < 2000; i++) {
      let q = "";
      const len = rnd(40);
      for (let k = 0; k < len; k++)
        q += rnd(4) === 0 ? String.fromCodePoint(rnd(0x2ffff)) : alphabet[rnd(alphabet.length)];
      const r = search.find(q);
      checkShape(r);
      expect(r.query).toBe(q);
    }
    const long = Array.from({ length: 3000 }, (_, i) => `kab solok ${i}`).join(" ");
    expect(search.find(long).status).toBe("invalid");
  });
});
