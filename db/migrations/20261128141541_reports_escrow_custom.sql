SELECT arusha_enable_rls('reports_escrow');--> statement-breakpoint
SELECT arusha_enable_rls('reports_escrow_custodians');--> statement-breakpoint
SELECT arusha_enable_rls('reports_escrow_seals');
