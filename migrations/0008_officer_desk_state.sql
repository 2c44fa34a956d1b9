CREATE TABLE "app_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "officer_messages" (
	"channel" text NOT NULL,
	"message_id" text NOT NULL,
	"handled_at" timestamp with time zone NOT NULL,
	CONSTRAINT "officer_messages_channel_message_id_pk" PRIMARY KEY("channel","message_id")
);
--> statement-breakpoint
CREATE TABLE "officer_pending" (
	"channel" text NOT NULL,
	"chat_id" text NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"report_number" text NOT NULL,
	"command" text,
	"actions" jsonb,
	"card_ref" text,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "officer_pending_channel_chat_id_user_id_pk" PRIMARY KEY("channel","chat_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "office_destinations" ADD COLUMN "lang" text DEFAULT 'id' NOT NULL;--> statement-breakpoint
ALTER TABLE "officers" ADD COLUMN "lang" text DEFAULT 'id' NOT NULL;