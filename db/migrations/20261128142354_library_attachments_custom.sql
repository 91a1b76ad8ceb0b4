SELECT arusha_enable_rls('library_attachments');--> statement-breakpoint
