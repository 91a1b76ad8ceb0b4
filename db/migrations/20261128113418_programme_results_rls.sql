-- Results framework (docs/adr/0028): a results row is read by whoever can read its partnership
-- (the partnership's own policies decide: the Secretariat, its administration, its donors).
SELECT arusha_enable_rls('programme_results');--> statement-breakpoint
CREATE POLICY programme_results_partnership_read ON programme_results FOR SELECT TO arusha_app
  USING (partnership_id IN (SELECT p.id FROM programme_partnerships p));--> statement-breakpoint
SELECT arusha_enable_rls('programme_indicators');--> statement-breakpoint
CREATE POLICY programme_indicators_partnership_read ON programme_indicators FOR SELECT TO arusha_app
  USING (partnership_id IN (SELECT p.id FROM programme_partnerships p));--> statement-breakpoint
SELECT arusha_enable_rls('programme_actuals');--> statement-breakpoint
CREATE POLICY programme_actuals_partnership_read ON programme_actuals FOR SELECT TO arusha_app
  USING (partnership_id IN (SELECT p.id FROM programme_partnerships p));--> statement-breakpoint
-- Consents live in the administration's tenant and are read there only (the service opens the
-- administration's tenant to check one before reading its assessments). No DELETE: history kept.
SELECT arusha_enable_rls('programme_consents');--> statement-breakpoint
REVOKE DELETE ON programme_consents FROM arusha_app;
