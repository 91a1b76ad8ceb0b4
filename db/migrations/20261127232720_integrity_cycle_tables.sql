CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"message_key" text NOT NULL,
	"vars" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"link" text,
	"dedupe_key" text NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "action_milestones" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"action_id" uuid NOT NULL,
	"title" text NOT NULL,
	"due_date" date NOT NULL,
	"done_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "action_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"title" text NOT NULL,
	"horizon_start" date NOT NULL,
	"horizon_end" date NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"funding_source" text,
	"assessment_id" uuid,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"approval_note" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_values" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"kpi_id" uuid NOT NULL,
	"period_end" date NOT NULL,
	"value" double precision NOT NULL,
	"note" text,
	"source" text DEFAULT 'manual' NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpis" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plan_id" uuid,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"definition" text,
	"unit" text NOT NULL,
	"direction" text NOT NULL,
	"baseline" double precision,
	"target" double precision,
	"target_date" date,
	"factor" integer,
	"action_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"ref" text NOT NULL,
	"objective" text NOT NULL,
	"description" text,
	"factor" integer,
	"gap_item_urns" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"risk_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"owner_unit_id" uuid,
	"owner_user_id" uuid,
	"start_date" date,
	"due_date" date,
	"budget" numeric(16, 2),
	"currency" text,
	"status" text DEFAULT 'not_started' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"evidence" text,
	"origin" text DEFAULT 'manual' NOT NULL,
	"completed_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_comments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"item_urn" text NOT NULL,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"mentions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_evidence" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"item_urn" text NOT NULL,
	"storage_key" text NOT NULL,
	"filename" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_responses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"item_urn" text NOT NULL,
	"factor" integer,
	"rating" integer,
	"not_applicable" boolean DEFAULT false NOT NULL,
	"na_reason" text,
	"narrative" text,
	"strengths" text,
	"weaknesses" text,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"confidence" text,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_team" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"title" text NOT NULL,
	"type" text NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"framework_library_id" uuid NOT NULL,
	"scale_library_id" uuid NOT NULL,
	"scale_urn" text NOT NULL,
	"scope_unit_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"start_date" date,
	"end_date" date,
	"revision_of" uuid,
	"revision" integer DEFAULT 1 NOT NULL,
	"scores" jsonb,
	"validated_at" timestamp with time zone,
	"validated_by" uuid,
	"validation_note" text,
	"closed_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "benchmark_shares" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"framework_urn" text NOT NULL,
	"wco_region" text,
	"factor_scores" jsonb NOT NULL,
	"overall" double precision,
	"shared_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risk_controls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"risk_id" uuid NOT NULL,
	"description" text NOT NULL,
	"kind" text NOT NULL,
	"automated" boolean DEFAULT false NOT NULL,
	"effectiveness" text DEFAULT 'untested' NOT NULL,
	"last_tested_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risk_processes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text,
	"description" text,
	"position" integer DEFAULT 0 NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risk_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"matrix" jsonb NOT NULL,
	"matrix_urn" text,
	"review_days" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risk_snapshots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"label" text NOT NULL,
	"data" jsonb NOT NULL,
	"taken_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"ref" text NOT NULL,
	"process_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"scheme" text NOT NULL,
	"actors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"drivers" text,
	"factors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"org_unit_id" uuid,
	"owner_user_id" uuid,
	"inherent_likelihood" integer NOT NULL,
	"inherent_impact" integer NOT NULL,
	"residual_likelihood" integer NOT NULL,
	"residual_impact" integer NOT NULL,
	"treatment" text DEFAULT 'reduce' NOT NULL,
	"treatment_note" text,
	"acceptance" text DEFAULT 'none' NOT NULL,
	"acceptance_decided_by" uuid,
	"acceptance_decided_at" timestamp with time zone,
	"acceptance_note" text,
	"status" text DEFAULT 'open' NOT NULL,
	"last_reviewed_at" timestamp with time zone,
	"next_review_on" date,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedupe" ON "notifications" USING btree ("tenant_id","user_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "action_milestones_action_idx" ON "action_milestones" USING btree ("action_id");--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_values_period" ON "kpi_values" USING btree ("kpi_id","period_end","source");--> statement-breakpoint
CREATE UNIQUE INDEX "kpis_code" ON "kpis" USING btree ("tenant_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_actions_ref" ON "plan_actions" USING btree ("plan_id","ref");--> statement-breakpoint
CREATE INDEX "plan_actions_due_idx" ON "plan_actions" USING btree ("tenant_id","status","due_date");--> statement-breakpoint
CREATE INDEX "assessment_comments_item_idx" ON "assessment_comments" USING btree ("assessment_id","item_urn");--> statement-breakpoint
CREATE INDEX "assessment_evidence_item_idx" ON "assessment_evidence" USING btree ("assessment_id","item_urn");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_responses_item" ON "assessment_responses" USING btree ("assessment_id","item_urn");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_team_member" ON "assessment_team" USING btree ("assessment_id","user_id","role");--> statement-breakpoint
CREATE INDEX "assessments_tenant_idx" ON "assessments" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "benchmark_shares_tenant" ON "benchmark_shares" USING btree ("tenant_id","framework_urn");--> statement-breakpoint
CREATE INDEX "risk_controls_risk_idx" ON "risk_controls" USING btree ("risk_id");--> statement-breakpoint
CREATE UNIQUE INDEX "risk_processes_code" ON "risk_processes" USING btree ("tenant_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "risks_ref" ON "risks" USING btree ("tenant_id","ref");--> statement-breakpoint
CREATE INDEX "risks_process_idx" ON "risks" USING btree ("tenant_id","process_id");