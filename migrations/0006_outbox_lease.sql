ALTER TABLE "outbox" ADD COLUMN "locked_by" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "part_in_flight" integer;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "sent_parts" jsonb DEFAULT '[]'::jsonb NOT NULL;