/**
 * GPS → regency benchmark: `node --import tsx test/bench/gps.bench.ts` (or `npm run bench -- gps`).
 * Loads ../shared/regions/kab_kota.topojson (beside the repository), then runs the 10,000 points of
 * gps_samples.json in a loop for about 2 s on one core. Prints Markdown rows `| benchmark | figure | target |`.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GpsLocator } from "../../src/regions/gps.js";

const BOUNDARIES = fileURLToPath(new URL("../../../shared/regions/kab_kota.topojson", import.meta.url));
const SAMPLES = fileURLToPath(new URL("../../../shared/regions/gps_samples.json", import.meta.url));

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

const loadStart = performance.now();
const locator = await GpsLocator.load(BOUNDARIES);
const loadMs = performance.now() - loadStart;
const rssMb = process.memoryUsage().rss / 1024 / 1024;

const samples = JSON.parse(readFileSync(SAMPLES, "utf8")) as [number, number, string][];
const lats = Float64Array.from(samples, (s) => s[1]);
const lngs = Float64Array.from(samples, (s) => s[0]);

let right = 0;
for (const [lng, lat, code] of samples) {
  const r = locator.locate(lat, lng);
  if ((r.status === "inside" || r.status === "nearby") && r.regencyCode === code) right++;
}
const accuracy = (100 * right) / samples.length;

// Warm up, then time whole passes over the samples for about 2 s.
let sink = 0;
for (let i = 0; i < lats.length; i++) sink += locator.locate(lats[i]!, lngs[i]!).status.length;
let points = 0;
const start = performance.now();
let elapsed = 0;
while (elapsed < 2000) {
  for (let i = 0; i < lats.length; i++) sink += locator.locate(lats[i]!, lngs[i]!).status.length;
  points += lats.length;
  elapsed = performance.now() - start;
}
const perSecond = (points / elapsed) * 1000;
if (sink === 0) console.error("unreachable");

console.log(`| GPS lookup: points/s (one core) | ${fmt(Math.round(perSecond / 1000) * 1000)} | ≥ 100,000 |`);
console.log(`| GPS boundaries: load time | ${fmt(loadMs)} ms | — |`);
console.log(`| GPS boundaries: RSS after load | ${fmt(rssMb)} MB | — |`);
console.log(`| GPS accuracy on gps_samples.json | ${fmt(accuracy, 2)} % | ≥ 99.3 % |`);
