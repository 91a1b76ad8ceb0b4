SELECT arusha_enable_rls('courses', 'tenant_id', true);--> statement-breakpoint
SELECT arusha_enable_rls('course_versions', 'tenant_id', true);--> statement-breakpoint
SELECT arusha_enable_rls('enrolment_campaigns');--> statement-breakpoint
SELECT arusha_enable_rls('enrolments');--> statement-breakpoint
SELECT arusha_enable_rls('quiz_attempts');--> statement-breakpoint
SELECT arusha_enable_rls('certificates');
