CREATE TABLE "officer_invites" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"office_code" text NOT NULL,
	"code_hash" text NOT NULL,
	"max_uses" integer DEFAULT 1 NOT NULL,
	"uses" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "officer_invites_code_hash_unique" UNIQUE("code_hash")
);
--> statement-breakpoint
CREATE TABLE "officers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"office_code" text NOT NULL,
	"channel" text NOT NULL,
	"user_id" text NOT NULL,
	"display_name" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "officer_invites" ADD CONSTRAINT "officer_invites_office_code_offices_code_fk" FOREIGN KEY ("office_code") REFERENCES "public"."offices"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "officers" ADD CONSTRAINT "officers_office_code_offices_code_fk" FOREIGN KEY ("office_code") REFERENCES "public"."offices"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "officers_office_user_unique" ON "officers" USING btree ("office_code","channel","user_id");--> statement-breakpoint
CREATE INDEX "officers_user_idx" ON "officers" USING btree ("channel","user_id");