import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { boundariesFile } from "../../src/config.js";
import { DataFileError } from "../../src/errors.js";
import { GpsLocator } from "../../src/regions/gps.js";

/** The region data found as the program finds it: `BOUNDARIES_PATH`, else `../shared/regions/`. */
const BOUNDARIES = boundariesFile();
const SAMPLES = join(dirname(BOUNDARIES), "gps_samples.json");

function requireSharedFile(path: string): void {
  if (!existsSync(path)) {
    throw new Error(
      `Shared region data missing: ${path}. The tests read ../shared/regions/ beside the repository ` +
        "(see the README on where to get kab_kota.topojson and gps_samples.json).",
    );
  }
}

let locator: GpsLocator;

beforeAll(async () => {
  requireSharedFile(BOUNDARIES);
  locator = await GpsLocator.load(BOUNDARIES);
});

describe("GpsLocator on kab_kota.topojson", () => {
  it("indexes all 514 regencies", () => {
    expect(locator.available).toBe(true);
    expect(locator.regionCount).toBe(514);
  });

  it("places >= 99.3% of gps_samples.json in the labelled regency", async () => {
    requireSharedFile(SAMPLES);
    const samples = JSON.parse(await readFile(SAMPLES, "utf8")) as [number, number, string][];
    expect(samples.length).toBe(10_000);
    let right = 0;
    const misses: string[] = [];
    for (const [lng, lat, code] of samples) {
      const r = locator.locate(lat, lng);
      if ((r.status === "inside" || r.status === "nearby") && r.regencyCode === code) right++;
      else
        misses.push(
          `(${lat}, ${lng}) want ${code} got ${"regencyCode" in r ? `${r.status} ${r.regencyCode}` : r.status}`,
        );
    }
    const accuracy = right / samples.length;
    expect(
      accuracy,
      `accuracy ${(accuracy * 100).toFixed(2)}% (${misses.length} misses), e.g. ${misses.slice(0, 5).join("; ")}`,
    ).toBeGreaterThanOrEqual(0.993);
  });

  it("finds Kota Metro inside its boundary", () => {
    expect(locator.locate(-5.1131, 105.3067)).toEqual({
      status: "inside",
      regencyCode: "18.72",
      regencyName: "Kota Metro",
      distanceKm: 0,
    });
  });

  it("answers outside for the open Indian Ocean", () => {
    expect(locator.locate(-20, 90)).toEqual({ status: "outside" });
  });

  it("answers nearby for a point about 2 km off the coast of Makassar", () => {
    const r = locator.locate(-5.14, 119.37);
    expect(r.status).toBe("nearby");
    if (r.status !== "nearby") return;
    expect(r.regencyCode).toBe("73.71");
    expect(r.distanceKm).toBeGreaterThan(1);
    expect(r.distanceKm).toBeLessThan(10);
  });

  it.each([
    [Number.NaN, 106.8, /latitude is NaN/],
    [100, 106.8, /latitude 100 is outside/],
    [-6.2, -200, /longitude -200 is outside/],
    [-6.2, Number.POSITIVE_INFINITY, /longitude is infinite/],
    [Number.NEGATIVE_INFINITY, 106.8, /latitude is infinite/],
  ])("rejects invalid coordinates (%s, %s)", (lat, lon, reason) => {
    const r = locator.locate(lat, lon);
    expect(r.status).toBe("invalid");
    if (r.status === "invalid") expect(r.reason).toMatch(reason);
  });
});

/**
 * A hand-made topology (no transform, so arcs are absolute [lng, lat]) near (0, 0):
 * - 01.02 "Kabupaten B": [0.9, 2] × [0, 1], listed first and overlapping A on [0.9, 1] × [0, 1];
 * - 01.01 "Kabupaten A": [0, 1] × [0, 1] with a hole [0.4, 0.6]²;
 * - 01.71 "Kota A": the enclave [0.45, 0.55]², not quite filling A's hole.
 */
const SYNTHETIC = {
  type: "Topology",
  arcs: [
    [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ],
    [
      [0.4, 0.4],
      [0.4, 0.6],
      [0.6, 0.6],
      [0.6, 0.4],
      [0.4, 0.4],
    ],
    [
      [0.45, 0.45],
      [0.55, 0.45],
      [0.55, 0.55],
      [0.45, 0.55],
      [0.45, 0.45],
    ],
    [
      [0.9, 0],
      [2, 0],
      [2, 1],
      [0.9, 1],
      [0.9, 0],
    ],
  ],
  objects: {
    kab_kota: {
      type: "GeometryCollection",
      geometries: [
        { type: "Polygon", arcs: [[3]], properties: { code: "01.02", name: "Kabupaten B" } },
        { type: "Polygon", arcs: [[0], [1]], properties: { code: "01.01", name: "Kabupaten A" } },
        { type: "MultiPolygon", arcs: [[[2]]], properties: { code: "01.71", name: "Kota A" } },
      ],
    },
  },
};

describe("GpsLocator on a synthetic topology", () => {
  const synthetic = GpsLocator.fromTopology(SYNTHETIC);

  it("uses holes: a point in the enclave belongs to the enclave", () => {
    expect(synthetic.regionCount).toBe(3);
    expect(synthetic.locate(0.5, 0.5)).toMatchObject({ status: "inside", regencyCode: "01.71" });
    expect(synthetic.locate(0.2, 0.2)).toMatchObject({ status: "inside", regencyCode: "01.01" });
  });

  it("gives a point in the gap between a hole and its enclave to the enclave", () => {
    // 0.02° from A's hole edge but 0.03° from Kota A: the hole says "not A".
    expect(synthetic.locate(0.5, 0.42)).toMatchObject({ status: "nearby", regencyCode: "01.71" });
  });

  it("breaks overlaps by the lowest regency code", () => {
    expect(synthetic.locate(0.5, 0.95)).toMatchObject({ status: "inside", regencyCode: "01.01" });
    expect(synthetic.locate(0.5, 1.5)).toMatchObject({ status: "inside", regencyCode: "01.02" });
  });

  it("measures nearby distances in km and honours maxNearbyKm", () => {
    const r = synthetic.locate(0.5, -0.05);
    expect(r.status).toBe("nearby");
    if (r.status === "nearby") expect(r.distanceKm).toBeCloseTo(0.05 * 111.32, 1);
    const tight = GpsLocator.fromTopology(SYNTHETIC, { maxNearbyKm: 1 });
    expect(tight.locate(0.5, -0.05)).toEqual({ status: "outside" });
    expect(tight.locate(0.5, -0.005)).toMatchObject({ status: "nearby", regencyCode: "01.01" });
  });

  it("rejects a topology without kab_kota, naming the source", () => {
    expect(() =>
      GpsLocator.fromTopology({ type: "Topology", arcs: [], objects: {} }, { source: "x.json" }),
    ).toThrow(/x\.json.*kab_kota/);
    expect(() => GpsLocator.fromTopology("nope")).toThrow(DataFileError);
  });
});

describe("GpsLocator without boundaries", () => {
  it("answers unavailable with the reason for valid points", () => {
    const none = GpsLocator.unavailable("no file");
    expect(none.available).toBe(false);
    expect(none.regionCount).toBe(0);
    expect(none.locate(-6.2, 106.8)).toEqual({ status: "unavailable", reason: "no file" });
    expect(none.locate(Number.NaN, 106.8).status).toBe("invalid");
  });

  it("rejects a missing file with DataFileError naming the path", async () => {
    const err = await GpsLocator.load("/nonexistent.topojson").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as DataFileError).message).toContain("/nonexistent.topojson");
    expect((err as DataFileError).path).toBe("/nonexistent.topojson");
  });

  it("rejects a garbage file with DataFileError", async () => {
    const path = join(tmpdir(), `gps-garbage-${process.pid}-${Date.now()}.topojson`);
    await writeFile(path, "this is {not json");
    try {
      const err = await GpsLocator.load(path).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataFileError);
      expect((err as DataFileError).message).toContain(path);
    } finally {
      await rm(path, { force: true });
    }
  });

  it("rejects JSON without the kab_kota object with DataFileError", async () => {
    const path = join(tmpdir(), `gps-other-${process.pid}-${Date.now()}.topojson`);
    await writeFile(path, JSON.stringify({ type: "Topology", arcs: [], objects: { provinsi: {} } }));
    try {
      await expect(GpsLocator.load(path)).rejects.toThrow(/kab_kota/);
      await expect(GpsLocator.load(path)).rejects.toBeInstanceOf(DataFileError);
    } finally {
      await rm(path, { force: true });
    }
  });
});
