/**
 * Start-up cost of region knowledge: loading idn-area-data (38 + 514 + 7,285 + 83,762 regions),
 * building the place index and reading the boundaries, in a fresh process; then the process's RSS.
 */
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { loadRegions } from "../../src/services.js";

const config = loadConfig({ ...process.env, DATABASE_URL: "" });
const t0 = performance.now();
const regions = await loadRegions(config, createLogger({ level: "silent" }));
const ms = performance.now() - t0;
global.gc?.();
const rss = process.memoryUsage().rss / 1024 / 1024;
if (!regions.gps.available) throw new Error("boundary file not found: set BOUNDARIES_PATH");
console.log(`| regions + place index + boundaries: load time | ${Math.round(ms)} ms | < 1,500 ms |`);
console.log(`| process RSS with all regions loaded | ${Math.round(rss)} MB | < 250 MB |`);
