-- Edited: the foreign key names the table unqualified, so it resolves in DATABASE_SCHEMA (search_path), not public.
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"idempotency_key" text,
	"request_hash" text NOT NULL,
	"template_name" text NOT NULL,
	"language" text NOT NULL,
	"send_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "notification_recipients" (
	"id" uuid PRIMARY KEY NOT NULL,
	"notification_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"to" text NOT NULL,
	"components" jsonb NOT NULL,
	"status" text NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"dispatched_attempt" integer DEFAULT 0 NOT NULL,
	"wamid" text,
	"error_code" integer,
	"error_title" text,
	"error_details" text,
	"status_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notification_recipients" ADD CONSTRAINT "notification_recipients_notification_id_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "recipients_notification_idx" ON "notification_recipients" USING btree ("notification_id","position");--> statement-breakpoint
CREATE INDEX "recipients_owed_idx" ON "notification_recipients" USING btree ("status","dispatched_attempt");