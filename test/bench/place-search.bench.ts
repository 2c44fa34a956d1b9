/**
 * Place search benchmark: loads the region catalog, builds the {@link PlaceSearch} index (timed),
 * then runs the fixture queries (test/fixtures/place-queries.json) over and over for about two
 * seconds on one core. Prints Markdown table rows for BENCHMARKS.md:
 *
 *   node --import tsx test/bench/place-search.bench.ts
 */
import { readFileSync } from "node:fs";
import { loadRegionCatalog } from "../../src/regions/catalog.js";
import { PlaceSearch } from "../../src/regions/place-search.js";

interface FixtureQuery {
  q: string;
  code: string;
}

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/place-queries.json", import.meta.url), "utf8"),
) as FixtureQuery[];

const catalog = await loadRegionCatalog();
const t0 = performance.now();
const search = PlaceSearch.build(catalog);
const buildMs = performance.now() - t0;

// Warm up, then measure.
for (const f of fixture) search.find(f.q);
let queries = 0;
let hits = 0;
const start = performance.now();
let elapsed = 0;
while (elapsed < 2000) {
  for (const f of fixture) {
    const r = search.find(f.q);
    if ((r.best?.regencyCode ?? r.best?.provinceCode) === f.code) hits++;
  }
  queries += fixture.length;
  elapsed = performance.now() - start;
}
const perSecond = Math.round((queries / elapsed) * 1000);
const fmt = (n: number) => n.toLocaleString("en-US");

console.log(`| place search: queries/s (one core) | ${fmt(perSecond)} | ≥ 5,000 |`);
console.log(`| place search: index build | ${fmt(Math.round(buildMs))} ms | — |`);
if (hits < queries * 0.95)
  console.error(`warning: fixture top-1 accuracy ${((hits / queries) * 100).toFixed(1)} %`);
