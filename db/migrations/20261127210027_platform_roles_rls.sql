-- Tenant isolation enforced by the database (ARCHITECTURE.md, layer 1).
-- The application serves tenant requests as `arusha_app`: neither owner nor superuser,
-- subject to FORCE ROW LEVEL SECURITY, with the tenant set per transaction.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'arusha_app') THEN
    CREATE ROLE arusha_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END $$;
--> statement-breakpoint
DO $$ BEGIN
  EXECUTE format('GRANT arusha_app TO %I', current_user);
EXCEPTION WHEN others THEN NULL; -- already a member, or a superuser who needs no grant
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO arusha_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_tenant() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_user() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;
--> statement-breakpoint
-- The one way to make a table tenant-owned. shared_reads: rows with a NULL tenant are
-- reference data every tenant may read (never write).
CREATE OR REPLACE FUNCTION arusha_enable_rls(tbl regclass, tenant_col text DEFAULT 'tenant_id', shared_reads boolean DEFAULT false)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  IF shared_reads THEN
    EXECUTE format('CREATE POLICY tenant_isolation ON %s TO arusha_app USING (%I IS NULL OR %I = app_tenant()) WITH CHECK (%I = app_tenant())', tbl, tenant_col, tenant_col, tenant_col);
  ELSE
    EXECUTE format('CREATE POLICY tenant_isolation ON %s TO arusha_app USING (%I = app_tenant()) WITH CHECK (%I = app_tenant())', tbl, tenant_col, tenant_col);
  END IF;
  EXECUTE format('DROP POLICY IF EXISTS owner_all ON %s', tbl);
  EXECUTE format('CREATE POLICY owner_all ON %s TO %I USING (true) WITH CHECK (true)', tbl, current_user);
END $$;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO arusha_app;
--> statement-breakpoint
GRANT SELECT, UPDATE ON organisations TO arusha_app;
--> statement-breakpoint
SELECT arusha_enable_rls('organisations', 'id');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON org_units, memberships, invitations, stored_files TO arusha_app;
--> statement-breakpoint
SELECT arusha_enable_rls('org_units');
--> statement-breakpoint
SELECT arusha_enable_rls('memberships');
--> statement-breakpoint
SELECT arusha_enable_rls('invitations');
--> statement-breakpoint
SELECT arusha_enable_rls('stored_files');
--> statement-breakpoint
-- Users are global (one person, several organisations); a tenant sees only its members.
GRANT SELECT ON users TO arusha_app;
--> statement-breakpoint
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE users FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY members_of_tenant ON users TO arusha_app USING (
  id = app_user() OR id IN (SELECT m.user_id FROM memberships m WHERE m.tenant_id = app_tenant())
);
--> statement-breakpoint
DO $$ BEGIN EXECUTE format('CREATE POLICY owner_all ON users TO %I USING (true) WITH CHECK (true)', current_user); END $$;
--> statement-breakpoint
-- Audit: append-only for the application.
GRANT SELECT, INSERT ON audit_events TO arusha_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON audit_heads TO arusha_app;
--> statement-breakpoint
SELECT arusha_enable_rls('audit_events');
--> statement-breakpoint
SELECT arusha_enable_rls('audit_heads');
--> statement-breakpoint
GRANT SELECT, INSERT ON jobs TO arusha_app;
--> statement-breakpoint
SELECT arusha_enable_rls('jobs');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON libraries, library_nodes TO arusha_app;
--> statement-breakpoint
SELECT arusha_enable_rls('libraries', 'tenant_id', true);
--> statement-breakpoint
SELECT arusha_enable_rls('library_nodes', 'tenant_id', true);
--> statement-breakpoint
-- Credentials and machinery stay with the owner role only.
REVOKE ALL ON sessions, recovery_codes, api_tokens, password_resets, login_throttle, mail_outbox, job_schedules FROM arusha_app;
--> statement-breakpoint
-- A tenant transaction may queue mail (it is sent only if that transaction commits) but never read it.
GRANT INSERT ON mail_outbox TO arusha_app;
