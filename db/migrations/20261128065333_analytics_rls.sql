SELECT arusha_enable_rls('analytics_datasets');--> statement-breakpoint
SELECT arusha_enable_rls('analytics_dataset_versions');--> statement-breakpoint
SELECT arusha_enable_rls('analytics_mappings');--> statement-breakpoint
SELECT arusha_enable_rls('analytics_runs');--> statement-breakpoint
SELECT arusha_enable_rls('analytics_results');--> statement-breakpoint
SELECT arusha_enable_rls('analytics_alerts');