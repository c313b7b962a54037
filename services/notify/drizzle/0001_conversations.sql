CREATE TABLE "conversation_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"user_key" text NOT NULL,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"agent" text,
	"wamid" text,
	"type" text NOT NULL,
	"text" text,
	"detail" jsonb,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"user_key" text PRIMARY KEY NOT NULL,
	"user_name" text,
	"state" text NOT NULL,
	"agent" text,
	"events" integer NOT NULL,
	"first_activity_at" timestamp with time zone NOT NULL,
	"last_activity_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "conversation_events_order_idx" ON "conversation_events" USING btree ("user_key","occurred_at","seq");--> statement-breakpoint
CREATE INDEX "conversations_activity_idx" ON "conversations" USING btree ("last_activity_at");--> statement-breakpoint
CREATE INDEX "conversations_state_idx" ON "conversations" USING btree ("state","last_activity_at");--> statement-breakpoint
CREATE INDEX "conversations_agent_idx" ON "conversations" USING btree ("agent","last_activity_at");