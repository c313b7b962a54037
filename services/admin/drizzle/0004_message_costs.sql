CREATE TABLE "message_costs" (
	"wamid" text PRIMARY KEY NOT NULL,
	"phone_number_id" text NOT NULL,
	"agent_id" text,
	"origin" text,
	"message_type" text,
	"template_name" text,
	"template_language" text,
	"sent_at" timestamp with time zone,
	"priced_at" timestamp with time zone,
	"pricing_model" text,
	"category" text,
	"pricing_type" text,
	"meta_billable" boolean,
	"billable" boolean,
	"reported_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "message_costs_reported_at_idx" ON "message_costs" USING btree ("reported_at");