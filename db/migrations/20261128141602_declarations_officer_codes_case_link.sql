ALTER TABLE "declaration_settings" ADD COLUMN "officer_codes" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "declarations" ADD COLUMN "case_id" uuid;--> statement-breakpoint
ALTER TABLE "declarations" ADD COLUMN "case_reference" text;