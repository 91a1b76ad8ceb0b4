CREATE TABLE "programme_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"partnership_id" uuid NOT NULL,
	"phases" jsonb NOT NULL,
	"kpis" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "programme_indicators" DROP CONSTRAINT "programme_indicators_link";--> statement-breakpoint
ALTER TABLE "programme_consents" ADD COLUMN "subject_id" uuid;--> statement-breakpoint
ALTER TABLE "programme_indicators" ADD COLUMN "link_measure" text;--> statement-breakpoint
ALTER TABLE "programme_plans" ADD CONSTRAINT "programme_plans_partnership_id_programme_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."programme_partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "programme_plans_partnership" ON "programme_plans" USING btree ("partnership_id");--> statement-breakpoint
ALTER TABLE "programme_consents" ADD CONSTRAINT "programme_consents_subject" CHECK (("programme_consents"."scope" = 'action_plan') = ("programme_consents"."subject_id" is not null));--> statement-breakpoint
ALTER TABLE "programme_indicators" ADD CONSTRAINT "programme_indicators_link" CHECK (("programme_indicators"."link" is null and "programme_indicators"."link_factor" is null and "programme_indicators"."link_kpi" is null and "programme_indicators"."link_measure" is null) or ("programme_indicators"."link" = 'rad_factor' and "programme_indicators"."link_factor" between 1 and 10 and "programme_indicators"."link_kpi" is null and "programme_indicators"."link_measure" is null) or ("programme_indicators"."link" = 'kpi' and "programme_indicators"."link_kpi" is not null and "programme_indicators"."link_factor" is null and "programme_indicators"."link_measure" is null) or ("programme_indicators"."link" = 'survey_index' and ("programme_indicators"."link_factor" is null or "programme_indicators"."link_factor" between 1 and 10) and "programme_indicators"."link_kpi" is null and "programme_indicators"."link_measure" is null) or ("programme_indicators"."link" = 'case_statistics' and "programme_indicators"."link_measure" in ('closed', 'substantiated') and "programme_indicators"."link_factor" is null and "programme_indicators"."link_kpi" is null));--> statement-breakpoint
-- A partnership's multi-annual plan (docs/adr/0028, "Multi-annual plan"): written by the Secretariat
-- in its tenant, read by whoever can read the partnership (its administration, the donors it lists).
SELECT arusha_enable_rls('programme_plans');--> statement-breakpoint
CREATE POLICY programme_plans_partnership_read ON programme_plans FOR SELECT TO arusha_app
  USING (partnership_id IN (SELECT p.id FROM programme_partnerships p));
