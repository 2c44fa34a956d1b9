CREATE TABLE "broadcast_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"address" text NOT NULL,
	"lang" text NOT NULL,
	"subscriber_id" bigint,
	"officer_id" bigint,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error_class" text,
	"error" text,
	"claimed_at" timestamp with time zone,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "broadcast_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"broadcast_id" bigint NOT NULL,
	"occurrence_at" timestamp with time zone NOT NULL,
	"preview" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'sending' NOT NULL,
	"recipients" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "broadcast_subscribers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"contact_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"role" text NOT NULL,
	"scope" text NOT NULL,
	"regency_code" text,
	"province_code" text,
	"lang" text NOT NULL,
	"opted_in_at" timestamp with time zone DEFAULT now() NOT NULL,
	"opted_in_via" text NOT NULL,
	"opted_out_at" timestamp with time zone,
	"opted_out_via" text,
	"opted_out_reason" text
);
--> statement-breakpoint
CREATE TABLE "broadcasts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"content_id" text,
	"text_id" text NOT NULL,
	"text_en" text NOT NULL,
	"image_path" text,
	"audience" text NOT NULL,
	"regions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"test_address" text,
	"schedule" jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"paused_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "broadcast_deliveries" ADD CONSTRAINT "broadcast_deliveries_run_id_broadcast_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."broadcast_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broadcast_runs" ADD CONSTRAINT "broadcast_runs_broadcast_id_broadcasts_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."broadcasts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broadcast_subscribers" ADD CONSTRAINT "broadcast_subscribers_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "broadcast_deliveries_run_recipient_unique" ON "broadcast_deliveries" USING btree ("run_id","channel","address");--> statement-breakpoint
CREATE INDEX "broadcast_deliveries_status_idx" ON "broadcast_deliveries" USING btree ("status","id");--> statement-breakpoint
CREATE UNIQUE INDEX "broadcast_runs_occurrence_unique" ON "broadcast_runs" USING btree ("broadcast_id","occurrence_at","preview");--> statement-breakpoint
CREATE UNIQUE INDEX "broadcast_subscribers_open_contact_unique" ON "broadcast_subscribers" USING btree ("contact_id") WHERE "broadcast_subscribers"."opted_out_at" is null;--> statement-breakpoint
CREATE INDEX "broadcast_subscribers_region_idx" ON "broadcast_subscribers" USING btree ("province_code","regency_code") WHERE "broadcast_subscribers"."opted_out_at" is null;