import { eq, like, or, type SQL, sql } from "drizzle-orm";
import { NATIONAL_OFFICE_CODE, type OfficeLevel, reports } from "../db/schema/index.js";

/**
 * Which reports a console user may see, decided once here and applied to every query and file of
 * the console: an officer of a Bawaslu Kabupaten/Kota sees the reports that office holds; a
 * provincial office its own and those of its regencies; Bawaslu RI and admins see all.
 */
export type Scope = { kind: "all" } | { kind: "office"; code: string } | { kind: "province"; code: string };

/** The scope of a signed-in user acting for `office`. */
export function scopeOf(
  office: { code: string; level: OfficeLevel },
  role: "officer" | "admin" | "demo",
): Scope {
  if (role === "admin" || office.level === "national" || office.code === NATIONAL_OFFICE_CODE)
    return { kind: "all" };
  if (office.level === "province") return { kind: "province", code: office.code };
  return { kind: "office", code: office.code };
}

/** The SQL condition on `reports` for a scope (undefined: no restriction). */
export function scopeCondition(scope: Scope): SQL | undefined {
  if (scope.kind === "all") return undefined;
  if (scope.kind === "office") return eq(reports.officeCode, scope.code);
  return or(eq(reports.officeCode, scope.code), like(reports.officeCode, `${scope.code}.%`));
}

/** The same condition as raw SQL over a `reports` alias `r`, for hand-written statements. */
export function scopeSql(scope: Scope): SQL {
  if (scope.kind === "all") return sql`true`;
  if (scope.kind === "office") return sql`r.office_code = ${scope.code}`;
  return sql`(r.office_code = ${scope.code} or r.office_code like ${`${scope.code}.%`})`;
}

/** True when a report held by `officeCode` is inside the scope. */
export function inScope(scope: Scope, officeCode: string | null): boolean {
  if (scope.kind === "all") return true;
  if (officeCode === null) return false;
  if (scope.kind === "office") return officeCode === scope.code;
  return officeCode === scope.code || officeCode.startsWith(`${scope.code}.`);
}
