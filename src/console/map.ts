import { readFileSync } from "node:fs";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";

/** The map's frame: Indonesia from 94.9°E to 141.1°E, 6.1°N to 11.1°S, equirectangular. */
const WEST = 94.9;
const NORTH = 6.2;
const SCALE = 30; // viewBox units per degree
export const MAP_WIDTH = Math.round((141.1 - WEST) * SCALE);
export const MAP_HEIGHT = Math.round((NORTH + 11.1) * SCALE);

/** One regency as an SVG path (whole viewBox units, consecutive duplicates dropped). */
export interface RegencyShape {
  code: string;
  name: string;
  d: string;
  /** Bounding box in viewBox units: [minX, minY, maxX, maxY]. */
  box: [number, number, number, number];
}

/**
 * The 514 regencies of `kab_kota.topojson` as SVG paths, drawn by the console's map page itself (no
 * tiles, no internet). Computed once; about 300 kB of path data.
 */
export function regencyShapes(path: string): RegencyShape[] {
  const topo = JSON.parse(readFileSync(path, "utf8")) as Topology;
  const object = Object.values(topo.objects)[0] as GeometryCollection<{ code: string; name: string }>;
  const fc = feature(topo, object) as unknown as GeoJSON.FeatureCollection<
    GeoJSON.Polygon | GeoJSON.MultiPolygon,
    { code: string; name: string }
  >;
  return fc.features.map((f) => {
    const polygons = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
    let d = "";
    const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const poly of polygons) {
      for (const ring of poly) {
        let seg = "";
        let n = 0;
        let px = Number.NaN;
        let py = Number.NaN;
        for (const [lon, lat] of ring as [number, number][]) {
          const x = Math.round((lon - WEST) * SCALE);
          const y = Math.round((NORTH - lat) * SCALE);
          if (x === px && y === py) continue;
          box[0] = Math.min(box[0], x);
          box[1] = Math.min(box[1], y);
          box[2] = Math.max(box[2], x);
          box[3] = Math.max(box[3], y);
          seg += `${n === 0 ? "M" : "L"}${x} ${y}`;
          px = x;
          py = y;
          n++;
        }
        if (n >= 3) d += `${seg}Z`;
      }
    }
    return { code: f.properties.code, name: f.properties.name, d, box };
  });
}

/** The viewBox showing the regencies whose code starts with `prefix` (a province), with a margin; all of Indonesia without one. */
export function viewBoxOf(shapes: RegencyShape[], prefix: string | undefined): string {
  const inside = prefix ? shapes.filter((s) => s.code.startsWith(`${prefix}.`)) : [];
  if (!inside.length) return `0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`;
  const x0 = Math.min(...inside.map((s) => s.box[0]));
  const y0 = Math.min(...inside.map((s) => s.box[1]));
  const x1 = Math.max(...inside.map((s) => s.box[2]));
  const y1 = Math.max(...inside.map((s) => s.box[3]));
  const m = Math.max(x1 - x0, y1 - y0) * 0.08 + 4;
  return `${x0 - m} ${y0 - m} ${x1 - x0 + 2 * m} ${y1 - y0 + 2 * m}`;
}
