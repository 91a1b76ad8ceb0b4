ALTER TABLE "analytics_alerts" ADD COLUMN "period_from" text;--> statement-breakpoint
ALTER TABLE "analytics_alerts" ADD COLUMN "period_to" text;--> statement-breakpoint
ALTER TABLE "analytics_alerts" ADD COLUMN "case_id" uuid;--> statement-breakpoint
ALTER TABLE "analytics_alerts" ADD COLUMN "risk_id" uuid;--> statement-breakpoint
-- Alerts raised before: the period of the run that raised them, and the case their escalation opened.
UPDATE "analytics_alerts" AS a SET "period_from" = r."period_from", "period_to" = r."period_to" FROM "analytics_runs" AS r WHERE r."id" = a."run_id";--> statement-breakpoint
UPDATE "analytics_alerts" AS a SET "case_id" = c."id" FROM "cases" AS c WHERE c."tenant_id" = a."tenant_id" AND c."source_kind" = 'analytics_alert' AND c."source_ref" = a."id"::text AND a."status" = 'escalated';
