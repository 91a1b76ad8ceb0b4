-- Observers of the Integrity Sub-Committee (docs/adr/0029, "Observers"): an organisation invited
-- to a session as an observer or a private-sector body (its id in the session's participants) reads
-- that session, its agenda and its documents, and the work-programme items marked public; nothing
-- else (no recommendations, no other session). Members' delegates and the Secretariat are unchanged.
-- Is the current user an observer's ISC reader: a member of an international, private-sector or
-- donor organisation (the current tenant) with a role that holds isc.read (isc.permissions.ts)?
CREATE OR REPLACE FUNCTION isc_is_observer() RETURNS boolean LANGUAGE sql STABLE
  AS $$ SELECT EXISTS (
    SELECT 1 FROM organisations o JOIN memberships m ON m.tenant_id = o.id
    WHERE o.id = app_tenant() AND o.type IN ('international', 'private_sector', 'donor') AND m.user_id = app_user()
      AND m.roles && ARRAY['platform_admin', 'org_admin', 'integrity_officer', 'programme_manager', 'isc_delegate']::text[]
  ) $$;
--> statement-breakpoint
-- Is the current tenant invited to this session as an observer or a private-sector body?
CREATE OR REPLACE FUNCTION isc_invited(participants jsonb) RETURNS boolean LANGUAGE sql STABLE
  AS $$ SELECT participants @> jsonb_build_array(jsonb_build_object('kind', 'observer', 'organisationId', app_tenant()::text))
            OR participants @> jsonb_build_array(jsonb_build_object('kind', 'private_sector', 'organisationId', app_tenant()::text)) $$;
--> statement-breakpoint
-- The organisations the Secretariat may invite as observers: id, name and type only, and nothing
-- at all for any other tenant (it cannot read other organisations' rows under RLS).
CREATE OR REPLACE FUNCTION isc_observer_organisations() RETURNS TABLE (id uuid, name text, type text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT o.id, o.name, o.type FROM organisations o
        WHERE o.type IN ('international', 'private_sector', 'donor')
          AND EXISTS (SELECT 1 FROM organisations s WHERE s.id = app_tenant() AND s.type = 'secretariat')
        ORDER BY o.name $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION isc_observer_organisations() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION isc_observer_organisations() TO arusha_app;
--> statement-breakpoint
CREATE POLICY isc_observers_read ON isc_sessions FOR SELECT TO arusha_app
  USING (isc_is_observer() AND isc_owned_by_secretariat(tenant_id) AND isc_invited(participants));
--> statement-breakpoint
-- Agenda items and documents of a session the observer reads (the subquery is itself under the
-- sessions' policies).
CREATE POLICY isc_observers_read ON isc_agenda_items FOR SELECT TO arusha_app
  USING (isc_is_observer() AND session_id IN (SELECT id FROM isc_sessions));
--> statement-breakpoint
CREATE POLICY isc_observers_read ON isc_documents FOR SELECT TO arusha_app
  USING (isc_is_observer() AND session_id IN (SELECT id FROM isc_sessions));
--> statement-breakpoint
CREATE POLICY isc_observers_read ON isc_work_items FOR SELECT TO arusha_app
  USING (isc_is_observer() AND isc_owned_by_secretariat(tenant_id) AND "public");
