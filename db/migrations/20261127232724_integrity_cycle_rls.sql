SELECT arusha_enable_rls('assessments');--> statement-breakpoint
SELECT arusha_enable_rls('assessment_team');--> statement-breakpoint
SELECT arusha_enable_rls('assessment_responses');--> statement-breakpoint
SELECT arusha_enable_rls('assessment_evidence');--> statement-breakpoint
SELECT arusha_enable_rls('assessment_comments');--> statement-breakpoint
SELECT arusha_enable_rls('benchmark_shares');--> statement-breakpoint
SELECT arusha_enable_rls('risk_settings');--> statement-breakpoint
SELECT arusha_enable_rls('risk_processes');--> statement-breakpoint
SELECT arusha_enable_rls('risks');--> statement-breakpoint
SELECT arusha_enable_rls('risk_controls');--> statement-breakpoint
SELECT arusha_enable_rls('risk_snapshots');--> statement-breakpoint
SELECT arusha_enable_rls('action_plans');--> statement-breakpoint
SELECT arusha_enable_rls('plan_actions');--> statement-breakpoint
SELECT arusha_enable_rls('action_milestones');--> statement-breakpoint
SELECT arusha_enable_rls('kpis');--> statement-breakpoint
SELECT arusha_enable_rls('kpi_values');--> statement-breakpoint
SELECT arusha_enable_rls('notifications');
