CREATE TABLE "report_channels" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"name" jsonb NOT NULL,
	"intro" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"questionnaire" jsonb NOT NULL,
	"recipients" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"languages" jsonb NOT NULL,
	"retention_days" integer DEFAULT 90 NOT NULL,
	"ack_days" integer DEFAULT 7 NOT NULL,
	"feedback_days" integer DEFAULT 90 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"size" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT date_trunc('hour', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_handler_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"public_key" "bytea" NOT NULL,
	"kdf" jsonb NOT NULL,
	"wrapped_by_passphrase" "bytea" NOT NULL,
	"wrapped_by_recovery" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"direction" text NOT NULL,
	"author_id" uuid,
	"body" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT date_trunc('hour', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_seals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"sealed" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT date_trunc('hour', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"receipt_lookup" text NOT NULL,
	"reporter_seal" "bytea" NOT NULL,
	"answers" "bytea" NOT NULL,
	"statistical" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"language" text NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"close_reason" text,
	"case_id" uuid,
	"legal_hold" boolean DEFAULT false NOT NULL,
	"received_at" timestamp with time zone DEFAULT date_trunc('hour', now()) NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"purged_at" timestamp with time zone,
	"reporter_activity_at" timestamp with time zone DEFAULT date_trunc('hour', now()) NOT NULL,
	"created_at" timestamp with time zone DEFAULT date_trunc('hour', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('hour', now()) NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "report_channels_slug" ON "report_channels" USING btree ("tenant_id","slug");--> statement-breakpoint
CREATE INDEX "report_files_report_idx" ON "report_files" USING btree ("tenant_id","report_id");--> statement-breakpoint
CREATE UNIQUE INDEX "report_handler_keys_user" ON "report_handler_keys" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "report_messages_seq" ON "report_messages" USING btree ("tenant_id","report_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "report_seals_report_user" ON "report_seals" USING btree ("tenant_id","report_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_receipt_lookup" ON "reports" USING btree ("tenant_id","receipt_lookup");--> statement-breakpoint
CREATE INDEX "reports_channel_idx" ON "reports" USING btree ("tenant_id","channel_id","status");