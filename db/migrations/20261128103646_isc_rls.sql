-- The Integrity Sub-Committee (docs/adr/0029-isc-access.md): the Secretariat's tenant owns and
-- writes every row; delegates of Member administrations read the Secretariat's rows.
-- Is the current tenant the WCO Secretariat? (its own organisation row, itself under RLS)
CREATE OR REPLACE FUNCTION isc_is_secretariat() RETURNS boolean LANGUAGE sql STABLE
  AS $$ SELECT EXISTS (SELECT 1 FROM organisations WHERE id = app_tenant() AND type = 'secretariat') $$;
--> statement-breakpoint
-- Is the current user an ISC delegate: a member of an administration (the current tenant) with a
-- role that holds isc.read (the built-in grants in isc.permissions.ts; keep both lists equal)?
CREATE OR REPLACE FUNCTION isc_is_delegate() RETURNS boolean LANGUAGE sql STABLE
  AS $$ SELECT EXISTS (
    SELECT 1 FROM organisations o JOIN memberships m ON m.tenant_id = o.id
    WHERE o.id = app_tenant() AND o.type = 'administration' AND m.user_id = app_user()
      AND m.roles && ARRAY['platform_admin', 'org_admin', 'integrity_officer', 'programme_manager', 'isc_delegate']::text[]
  ) $$;
--> statement-breakpoint
-- Does this tenant id belong to a Secretariat organisation? The one fact a delegate's tenant may
-- learn about another organisation (it cannot read that row under RLS), hence SECURITY DEFINER.
CREATE OR REPLACE FUNCTION isc_owned_by_secretariat(owner uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT EXISTS (SELECT 1 FROM organisations WHERE id = owner AND type = 'secretariat')
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION isc_owned_by_secretariat(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION isc_owned_by_secretariat(uuid) TO arusha_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION isc_policies(tbl regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE POLICY isc_delegates_read ON %s FOR SELECT TO arusha_app USING (isc_is_delegate() AND isc_owned_by_secretariat(tenant_id))', tbl);
  EXECUTE format('CREATE POLICY isc_secretariat_insert ON %s AS RESTRICTIVE FOR INSERT TO arusha_app WITH CHECK (isc_is_secretariat())', tbl);
  EXECUTE format('CREATE POLICY isc_secretariat_update ON %s AS RESTRICTIVE FOR UPDATE TO arusha_app USING (isc_is_secretariat()) WITH CHECK (isc_is_secretariat())', tbl);
  EXECUTE format('CREATE POLICY isc_secretariat_delete ON %s AS RESTRICTIVE FOR DELETE TO arusha_app USING (isc_is_secretariat())', tbl);
END $$;
--> statement-breakpoint
SELECT arusha_enable_rls('isc_sessions');--> statement-breakpoint
SELECT isc_policies('isc_sessions');--> statement-breakpoint
SELECT arusha_enable_rls('isc_work_items');--> statement-breakpoint
SELECT isc_policies('isc_work_items');--> statement-breakpoint
SELECT arusha_enable_rls('isc_documents');--> statement-breakpoint
SELECT isc_policies('isc_documents');--> statement-breakpoint
SELECT arusha_enable_rls('isc_agenda_items');--> statement-breakpoint
SELECT isc_policies('isc_agenda_items');--> statement-breakpoint
SELECT arusha_enable_rls('isc_recommendations');--> statement-breakpoint
SELECT isc_policies('isc_recommendations');--> statement-breakpoint
DROP FUNCTION isc_policies(regclass);
