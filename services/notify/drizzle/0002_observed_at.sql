-- Rows logged before this release only know Meta's second: it becomes their observed_at (same order as before).
DROP INDEX "conversation_events_order_idx";--> statement-breakpoint
ALTER TABLE "conversation_events" ADD COLUMN "observed_at" timestamp with time zone;--> statement-breakpoint
UPDATE "conversation_events" SET "observed_at" = "occurred_at";--> statement-breakpoint
ALTER TABLE "conversation_events" ALTER COLUMN "observed_at" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "conversation_events_order_idx" ON "conversation_events" USING btree ("user_key","observed_at","seq");
