SELECT arusha_enable_rls('posting_rules');--> statement-breakpoint
SELECT arusha_enable_rls('positions');--> statement-breakpoint
SELECT arusha_enable_rls('postings');
