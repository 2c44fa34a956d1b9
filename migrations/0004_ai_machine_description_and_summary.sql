ALTER TABLE "evidence" ADD COLUMN "machine_description" jsonb;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "machine_summary" jsonb;