CREATE TABLE "analytics_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"dataset_version_id" uuid NOT NULL,
	"indicator_id" text NOT NULL,
	"indicator_version" integer NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"officer_id" text,
	"declarant_id" text,
	"office_code" text,
	"n" integer NOT NULL,
	"observed" double precision NOT NULL,
	"expected" double precision NOT NULL,
	"limit" double precision NOT NULL,
	"score" double precision NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"reason" text,
	"reference" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_dataset_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"mode" text NOT NULL,
	"source_name" text NOT NULL,
	"content_hash" text NOT NULL,
	"size_bytes" double precision NOT NULL,
	"mapping_id" uuid,
	"row_count" integer,
	"valid_rows" integer,
	"rejected_rows" integer,
	"report" jsonb,
	"error" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"imported_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_datasets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'declarations' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_mappings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"source_system" text DEFAULT '' NOT NULL,
	"mapping" jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_results" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"indicator_id" text NOT NULL,
	"indicator_version" integer NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"officer_id" text,
	"declarant_id" text,
	"office_code" text,
	"n" integer NOT NULL,
	"observed" double precision NOT NULL,
	"expected" double precision NOT NULL,
	"lower95" double precision,
	"upper95" double precision,
	"lower998" double precision,
	"upper998" double precision,
	"score" double precision NOT NULL,
	"extra" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"dataset_version_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"period_from" text,
	"period_to" text,
	"catalogue" jsonb NOT NULL,
	"alert_count" integer,
	"seconds" double precision,
	"error" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "analytics_alerts_status" ON "analytics_alerts" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "analytics_alerts_run" ON "analytics_alerts" USING btree ("tenant_id","run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "analytics_dataset_versions_number" ON "analytics_dataset_versions" USING btree ("tenant_id","dataset_id","number");--> statement-breakpoint
CREATE INDEX "analytics_dataset_versions_hash" ON "analytics_dataset_versions" USING btree ("tenant_id","content_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "analytics_datasets_name" ON "analytics_datasets" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "analytics_mappings_name" ON "analytics_mappings" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "analytics_results_run" ON "analytics_results" USING btree ("tenant_id","run_id","indicator_id");--> statement-breakpoint
CREATE INDEX "analytics_runs_version" ON "analytics_runs" USING btree ("tenant_id","dataset_version_id");