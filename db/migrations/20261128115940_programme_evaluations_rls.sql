SELECT arusha_enable_rls('programme_evaluations');--> statement-breakpoint
CREATE POLICY programme_evaluations_partnership_read ON programme_evaluations FOR SELECT TO arusha_app
  USING (partnership_id IN (SELECT p.id FROM programme_partnerships p));
