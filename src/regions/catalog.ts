import { getDistricts, getProvinces, getRegencies, getVillages } from "idn-area-data";

/** A province (provinsi), e.g. `{ code: "18", name: "Lampung" }`. */
export interface Province {
  code: string;
  name: string;
}

/** A kabupaten or kota, e.g. `{ code: "18.72", name: "Kota Metro", kind: "kota", shortName: "Metro" }`. */
export interface Regency {
  code: string;
  provinceCode: string;
  /** Official name with its prefix, as in `idn-area-data` ("Kabupaten Solok", "Kota Administrasi Jakarta Pusat"). */
  name: string;
  kind: "kabupaten" | "kota";
  /** The name without "Kabupaten", "Kota", "Administrasi" ("Solok", "Jakarta Pusat"). */
  shortName: string;
}

/** A kecamatan (district), e.g. `{ code: "18.72.01", regencyCode: "18.72", name: "Metro Pusat" }`. */
export interface District {
  code: string;
  regencyCode: string;
  name: string;
}

/** A desa/kelurahan/nagari/gampong (village). */
export interface Village {
  code: string;
  districtCode: string;
  regencyCode: string;
  name: string;
}

/** Which level a Kemendagri code belongs to, by its number of dot-separated parts. */
export type RegionLevel = "province" | "regency" | "district" | "village";

/**
 * Every region of Indonesia from the npm package `idn-area-data` (Kemendagri codes), loaded once
 * and indexed by code. Build it with {@link loadRegionCatalog}.
 */
export class RegionCatalog {
  readonly provinceByCode = new Map<string, Province>();
  readonly regencyByCode = new Map<string, Regency>();
  readonly districtByCode = new Map<string, District>();
  readonly villageByCode = new Map<string, Village>();

  constructor(
    readonly provinces: readonly Province[],
    readonly regencies: readonly Regency[],
    readonly districts: readonly District[],
    readonly villages: readonly Village[],
  ) {
    for (const p of provinces) this.provinceByCode.set(p.code, p);
    for (const r of regencies) this.regencyByCode.set(r.code, r);
    for (const d of districts) this.districtByCode.set(d.code, d);
    for (const v of villages) this.villageByCode.set(v.code, v);
  }

  /** The level of a code such as "18", "18.72", "18.72.01" or "18.72.01.1001"; undefined when malformed. */
  static levelOf(code: string): RegionLevel | undefined {
    if (/^\d{2}$/.test(code)) return "province";
    if (/^\d{2}\.\d{2}$/.test(code)) return "regency";
    if (/^\d{2}\.\d{2}\.\d{2}$/.test(code)) return "district";
    if (/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/.test(code)) return "village";
    return undefined;
  }

  /** True when the code names a region that exists at its level. */
  has(code: string): boolean {
    switch (RegionCatalog.levelOf(code)) {
      case "province":
        return this.provinceByCode.has(code);
      case "regency":
        return this.regencyByCode.has(code);
      case "district":
        return this.districtByCode.has(code);
      case "village":
        return this.villageByCode.has(code);
      default:
        return false;
    }
  }

  /** The regency a district or village code lies in (or the regency itself); undefined for provinces. */
  regencyOf(code: string): Regency | undefined {
    return this.regencyByCode.get(code.slice(0, 5));
  }

  /** The province any code lies in. */
  provinceOf(code: string): Province | undefined {
    return this.provinceByCode.get(code.slice(0, 2));
  }

  /** A display name for any code: "Kota Metro", "Kec. Metro Pusat, Kota Metro", "Lampung". */
  describe(code: string): string | undefined {
    switch (RegionCatalog.levelOf(code)) {
      case "province":
        return this.provinceByCode.get(code)?.name;
      case "regency":
        return this.regencyByCode.get(code)?.name;
      case "district": {
        const d = this.districtByCode.get(code);
        return d && `Kec. ${d.name}, ${this.regencyOf(code)?.name}`;
      }
      case "village": {
        const v = this.villageByCode.get(code);
        const d = v && this.districtByCode.get(v.districtCode);
        return v && d && `${v.name}, Kec. ${d.name}, ${this.regencyOf(code)?.name}`;
      }
      default:
        return undefined;
    }
  }
}

const REGENCY_PREFIX = /^(Kabupaten|Kota)( Administrasi)? /;

/** Splits "Kota Administrasi Jakarta Pusat" into its kind and short name. */
export function splitRegencyName(name: string): { kind: "kabupaten" | "kota"; shortName: string } {
  const m = REGENCY_PREFIX.exec(name);
  if (!m) return { kind: "kabupaten", shortName: name };
  return { kind: m[1] === "Kota" ? "kota" : "kabupaten", shortName: name.slice(m[0].length) };
}

let cached: Promise<RegionCatalog> | undefined;

/** Loads (once per process) the 38 provinces, 514 regencies, 7,000+ districts and 83,000+ villages. */
export function loadRegionCatalog(): Promise<RegionCatalog> {
  cached ??= (async () => {
    const [provinces, regencies, districts, villages] = await Promise.all([
      getProvinces(),
      getRegencies(),
      getDistricts(),
      getVillages(),
    ]);
    return new RegionCatalog(
      provinces.map((p) => ({ code: p.code, name: p.name })),
      regencies.map((r) => ({
        code: r.code,
        provinceCode: r.province_code,
        name: r.name,
        ...splitRegencyName(r.name),
      })),
      districts.map((d) => ({ code: d.code, regencyCode: d.regency_code, name: d.name })),
      villages.map((v) => ({
        code: v.code,
        districtCode: v.district_code,
        regencyCode: v.district_code.slice(0, 5),
        name: v.name,
      })),
    );
  })();
  return cached;
}
