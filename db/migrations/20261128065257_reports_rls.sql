SELECT arusha_enable_rls('report_channels');--> statement-breakpoint
SELECT arusha_enable_rls('report_handler_keys');--> statement-breakpoint
SELECT arusha_enable_rls('reports');--> statement-breakpoint
SELECT arusha_enable_rls('report_seals');--> statement-breakpoint
SELECT arusha_enable_rls('report_messages');--> statement-breakpoint
SELECT arusha_enable_rls('report_files');
