CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_key" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "office_coverage" (
	"id" serial PRIMARY KEY NOT NULL,
	"office_code" text NOT NULL,
	"region_code" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "office_destinations" (
	"id" serial PRIMARY KEY NOT NULL,
	"office_code" text NOT NULL,
	"channel" text NOT NULL,
	"address" text NOT NULL,
	"label" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offices" (
	"code" text PRIMARY KEY NOT NULL,
	"level" text NOT NULL,
	"name" text NOT NULL,
	"region_code" text,
	"parent_code" text,
	"address" text,
	"phone" text,
	"email" text,
	"hours" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "office_coverage" ADD CONSTRAINT "office_coverage_office_code_offices_code_fk" FOREIGN KEY ("office_code") REFERENCES "public"."offices"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "office_destinations" ADD CONSTRAINT "office_destinations_office_code_offices_code_fk" FOREIGN KEY ("office_code") REFERENCES "public"."offices"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity","entity_key");--> statement-breakpoint
CREATE UNIQUE INDEX "office_coverage_region_unique" ON "office_coverage" USING btree ("region_code");--> statement-breakpoint
CREATE UNIQUE INDEX "office_destinations_unique" ON "office_destinations" USING btree ("office_code","channel","address");--> statement-breakpoint
CREATE INDEX "office_destinations_office_idx" ON "office_destinations" USING btree ("office_code");--> statement-breakpoint
CREATE INDEX "offices_parent_idx" ON "offices" USING btree ("parent_code");