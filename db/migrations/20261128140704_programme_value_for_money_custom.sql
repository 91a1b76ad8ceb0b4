-- Value for money (docs/adr/0028). An activity's links to outputs are read by whoever can read
-- the activity (its policies decide: the Secretariat, the donors paying it, the partners it serves).
SELECT arusha_enable_rls('programme_activity_outputs');--> statement-breakpoint
CREATE POLICY programme_activity_outputs_activity_read ON programme_activity_outputs FOR SELECT TO arusha_app
  USING (activity_id IN (SELECT a.id FROM programme_activities a));--> statement-breakpoint
-- The Secretariat's exchange rates are read by whoever can read one of its partnerships (a partner,
-- a donor listed on it), to convert its value-for-money figures into a reporting currency.
CREATE POLICY programme_rates_partnership_read ON programme_rates FOR SELECT TO arusha_app
  USING (tenant_id IN (SELECT p.tenant_id FROM programme_partnerships p));--> statement-breakpoint
-- The activities delivered to the calling administration's partnerships. SECURITY DEFINER (reads
-- without row-level security, filtered by app_tenant() itself): a cost-line policy that read
-- programme_activities under its own policies would recurse (activities read cost lines).
CREATE OR REPLACE FUNCTION programme_partner_activity_ids() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT a.id FROM programme_activities a
        WHERE a.partnership_ids && ARRAY(SELECT p.id FROM programme_partnerships p WHERE p.administration_id = app_tenant()) $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION programme_partner_activity_ids() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION programme_partner_activity_ids() TO arusha_app;--> statement-breakpoint
-- A partner administration reads the cost lines of the activities delivered to it (value for money
-- of its own partnership; the IATI file publishes the same expenditure).
CREATE POLICY programme_costs_partner_read ON programme_costs FOR SELECT TO arusha_app
  USING (activity_id IN (SELECT programme_partner_activity_ids()));
