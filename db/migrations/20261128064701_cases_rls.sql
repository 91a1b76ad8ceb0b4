SELECT arusha_enable_rls('case_settings');--> statement-breakpoint
SELECT arusha_enable_rls('case_counters');--> statement-breakpoint
SELECT arusha_enable_rls('cases');--> statement-breakpoint
SELECT arusha_enable_rls('case_assignments');--> statement-breakpoint
SELECT arusha_enable_rls('case_notes');--> statement-breakpoint
SELECT arusha_enable_rls('case_subjects');--> statement-breakpoint
SELECT arusha_enable_rls('case_files');--> statement-breakpoint
SELECT arusha_enable_rls('case_events');