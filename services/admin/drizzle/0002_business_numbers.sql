CREATE TABLE "business_numbers" (
	"phone_number_id" text PRIMARY KEY NOT NULL,
	"waba_id" text NOT NULL,
	"display_phone_number" text NOT NULL,
	"name" text NOT NULL,
	"token_source" text NOT NULL,
	"token_ciphertext" text,
	"token_secret_name" text,
	"throughput_tier" text DEFAULT 'standard' NOT NULL,
	"agent_ids" integer[],
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "business_numbers_token_check" CHECK (("business_numbers"."token_source" = 'stored' AND "business_numbers"."token_ciphertext" IS NOT NULL AND "business_numbers"."token_secret_name" IS NULL) OR ("business_numbers"."token_source" = 'secret' AND "business_numbers"."token_secret_name" IS NOT NULL AND "business_numbers"."token_ciphertext" IS NULL)),
	CONSTRAINT "business_numbers_throughput_tier_check" CHECK ("business_numbers"."throughput_tier" IN ('standard', 'high'))
);
