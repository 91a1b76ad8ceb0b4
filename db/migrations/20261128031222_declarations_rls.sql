SELECT arusha_enable_rls('declaration_settings');--> statement-breakpoint
SELECT arusha_enable_rls('declaration_cycles');--> statement-breakpoint
SELECT arusha_enable_rls('declarations');--> statement-breakpoint
SELECT arusha_enable_rls('declaration_flags');
