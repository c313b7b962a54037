CREATE TABLE "message_templates" (
	"waba_id" text NOT NULL,
	"name" text NOT NULL,
	"language" text NOT NULL,
	"id" text NOT NULL,
	"category" text NOT NULL,
	"status" text NOT NULL,
	"quality" text DEFAULT 'UNKNOWN' NOT NULL,
	"reason" text,
	"parameter_format" text DEFAULT 'POSITIONAL' NOT NULL,
	"components" jsonb NOT NULL,
	"parameters" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_templates_waba_id_name_language_pk" PRIMARY KEY("waba_id","name","language")
);
--> statement-breakpoint
CREATE INDEX "message_templates_id_idx" ON "message_templates" USING btree ("id");--> statement-breakpoint
CREATE INDEX "message_templates_status_idx" ON "message_templates" USING btree ("waba_id","status");