import type { Command } from "commander";
import { InputError } from "../errors.js";
import type { Route } from "../routing/route.js";
import type { AdminServices, RegionLoader } from "./context.js";
import { output } from "./output.js";
import { gpsResultJson, parseCoordinate, placeResultJson } from "./regions.js";

/** `route <lat> <lon>` and `route "<place>"`: which offices would receive a report from there, and why. */
export function registerRouteCommand(
  program: Command,
  services: () => Promise<AdminServices>,
  regions: RegionLoader,
): void {
  program
    .command("route")
    .description(
      'show the delivery chain for a GPS point or a place: route -5.1131 105.3067 | route "kota metro"',
    )
    .argument("<where...>", "lat lon, or a place name")
    .option("--json", "print JSON")
    .action(async (where: string[], o: { json?: boolean }) => {
      const isPoint = where.length === 2 && where.every((w) => /^-?\d+(\.\d+)?$/.test(w));
      let lookup: unknown;
      let regionCode: string | null;
      if (isPoint) {
        const lat = parseCoordinate("lat", where[0]);
        const lon = parseCoordinate("lon", where[1]);
        const r = gpsResultJson(lat, lon, (await regions.gps()).locate(lat, lon));
        if (r.status === "invalid") throw new InputError("point", r.error ?? "invalid point");
        lookup = r;
        regionCode = r.code;
      } else {
        const r = placeResultJson((await regions.places()).places.find(where.join(" ")));
        if (r.status === "invalid") throw new InputError("place", r.error ?? "invalid place");
        lookup = r;
        regionCode = r.code;
      }
      const s = await services();
      const route = await (await s.router()).forRegion(regionCode);
      output({ lookup, route }, o.json, ({ route: rt }: { route: Route }) => [
        `region: ${rt.regionCode ? `${s.catalog.describe(rt.regionCode)} (${rt.regionCode})` : "unknown"}`,
        ...((lookup as { ambiguous?: boolean }).ambiguous
          ? ["(the place is ambiguous: the citizen would be asked to choose; showing the best match)"]
          : []),
        ...rt.steps.map((st, i) => {
          const to = st.destinations.map((d) => `${d.channel}:${d.address}`).join(", ");
          return `${i + 1}. ${st.usable ? "→" : "×"} ${st.officeName}${to ? ` [${to}]` : ""}\n     ${st.reason}`;
        }),
      ]);
    });
}
