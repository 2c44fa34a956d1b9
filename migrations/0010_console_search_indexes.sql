-- The office console: full-text search over number, account, accused, position and agency (the
-- expression must match src/console/queries.ts SEARCH_VECTOR), and the list's filters and order.
CREATE INDEX IF NOT EXISTS "reports_search_idx" ON "reports" USING gin (to_tsvector('simple'::regconfig, "number" || ' ' || "account" || ' ' || coalesce("accused_name", '') || ' ' || coalesce("accused_position", '') || ' ' || coalesce("agency_raw", '') || ' ' || coalesce("agency_normalized", '')));--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "reports_office_created_idx" ON "reports" ("office_code", "created_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "reports_region_idx" ON "reports" ("region_code");
