-- The A-CIP programme across tenants (docs/adr/0028).
-- Is the current tenant the WCO Secretariat? Reads the caller's own organisation row only
-- (organisations is itself under row-level security); its type is set by platform administrators.
CREATE OR REPLACE FUNCTION programme_is_secretariat() RETURNS boolean LANGUAGE sql STABLE
  AS $$ SELECT EXISTS (SELECT 1 FROM organisations WHERE id = app_tenant() AND type = 'secretariat') $$;
--> statement-breakpoint
-- The donor organisations the Secretariat may link a donor to: id and name only, and nothing
-- at all for any other tenant.
CREATE OR REPLACE FUNCTION programme_donor_organisations() RETURNS TABLE (id uuid, name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT o.id, o.name FROM organisations o
        WHERE o.type = 'donor'
          AND EXISTS (SELECT 1 FROM organisations s WHERE s.id = app_tenant() AND s.type = 'secretariat')
        ORDER BY o.name $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION programme_donor_organisations() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION programme_donor_organisations() TO arusha_app;
--> statement-breakpoint
SELECT arusha_enable_rls('programme_eois');
--> statement-breakpoint
-- What an administration submitted is read by the Secretariat as it was sent: nobody edits it.
CREATE POLICY programme_eois_secretariat_read ON programme_eois FOR SELECT TO arusha_app USING (programme_is_secretariat());
--> statement-breakpoint
REVOKE UPDATE, DELETE ON programme_eois FROM arusha_app;
--> statement-breakpoint
SELECT arusha_enable_rls('programme_eoi_reviews');
--> statement-breakpoint
CREATE POLICY programme_eoi_reviews_own_read ON programme_eoi_reviews FOR SELECT TO arusha_app USING (administration_id = app_tenant());
--> statement-breakpoint
SELECT arusha_enable_rls('programme_eoi_events');
--> statement-breakpoint
CREATE POLICY programme_eoi_events_own_read ON programme_eoi_events FOR SELECT TO arusha_app USING (administration_id = app_tenant());
--> statement-breakpoint
REVOKE UPDATE, DELETE ON programme_eoi_events FROM arusha_app;
--> statement-breakpoint
SELECT arusha_enable_rls('programme_donors');
--> statement-breakpoint
CREATE POLICY programme_donors_own_read ON programme_donors FOR SELECT TO arusha_app USING (organisation_id = app_tenant());
--> statement-breakpoint
SELECT arusha_enable_rls('programme_agreements');
--> statement-breakpoint
CREATE POLICY programme_agreements_donor_read ON programme_agreements FOR SELECT TO arusha_app
  USING (donor_id IN (SELECT d.id FROM programme_donors d WHERE d.organisation_id = app_tenant()));
--> statement-breakpoint
SELECT arusha_enable_rls('programme_disbursements');
--> statement-breakpoint
CREATE POLICY programme_disbursements_donor_read ON programme_disbursements FOR SELECT TO arusha_app
  USING (agreement_id IN (SELECT a.id FROM programme_agreements a JOIN programme_donors d ON d.id = a.donor_id WHERE d.organisation_id = app_tenant()));
--> statement-breakpoint
SELECT arusha_enable_rls('programme_partnerships');
--> statement-breakpoint
CREATE POLICY programme_partnerships_own_read ON programme_partnerships FOR SELECT TO arusha_app
  USING (administration_id = app_tenant()
    OR donor_ids && ARRAY(SELECT d.id FROM programme_donors d WHERE d.organisation_id = app_tenant()));
--> statement-breakpoint
SELECT arusha_enable_rls('programme_costs');
--> statement-breakpoint
CREATE POLICY programme_costs_donor_read ON programme_costs FOR SELECT TO arusha_app
  USING (agreement_id IN (SELECT a.id FROM programme_agreements a JOIN programme_donors d ON d.id = a.donor_id WHERE d.organisation_id = app_tenant()));
--> statement-breakpoint
SELECT arusha_enable_rls('programme_activities');
--> statement-breakpoint
CREATE POLICY programme_activities_funded_read ON programme_activities FOR SELECT TO arusha_app
  USING (id IN (SELECT c.activity_id FROM programme_costs c JOIN programme_agreements a ON a.id = c.agreement_id
                  JOIN programme_donors d ON d.id = a.donor_id WHERE d.organisation_id = app_tenant())
    OR partnership_ids && ARRAY(SELECT p.id FROM programme_partnerships p WHERE p.administration_id = app_tenant()));
--> statement-breakpoint
SELECT arusha_enable_rls('programme_rates');
