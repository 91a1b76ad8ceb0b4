-- The best-practice library across administrations (docs/adr/0027).
-- Is the current tenant the WCO Secretariat? Reads the caller's own organisation row only
-- (organisations is itself under row-level security); its type is set by platform administrators.
CREATE OR REPLACE FUNCTION library_is_moderator() RETURNS boolean LANGUAGE sql STABLE
  AS $$ SELECT EXISTS (SELECT 1 FROM organisations WHERE id = app_tenant() AND type = 'secretariat') $$;
--> statement-breakpoint
SELECT arusha_enable_rls('library_entries');
--> statement-breakpoint
SELECT arusha_enable_rls('library_submissions');
--> statement-breakpoint
-- The Secretariat reads every submission and records its decision on it; nothing else.
CREATE POLICY library_moderation_read ON library_submissions FOR SELECT TO arusha_app USING (library_is_moderator());
--> statement-breakpoint
CREATE POLICY library_moderation_decide ON library_submissions FOR UPDATE TO arusha_app
  USING (library_is_moderator()) WITH CHECK (library_is_moderator());
--> statement-breakpoint
-- A snapshot's content never changes once submitted: only its decision columns may be updated.
REVOKE UPDATE ON library_submissions FROM arusha_app;
--> statement-breakpoint
GRANT UPDATE (status, reason, decided_by, decided_at, updated_at, version) ON library_submissions TO arusha_app;
--> statement-breakpoint
SELECT arusha_enable_rls('library_comments');
--> statement-breakpoint
-- Comments on published entries are read by every tenant; written and deleted by their own.
CREATE POLICY library_comments_read ON library_comments FOR SELECT TO arusha_app USING (true);
--> statement-breakpoint
REVOKE UPDATE ON library_comments FROM arusha_app;
--> statement-breakpoint
-- The published copy: no tenant column; every tenant reads it, only the Secretariat writes it.
ALTER TABLE library_published ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE library_published FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY library_published_read ON library_published FOR SELECT TO arusha_app USING (true);
--> statement-breakpoint
CREATE POLICY library_published_insert ON library_published FOR INSERT TO arusha_app WITH CHECK (library_is_moderator());
--> statement-breakpoint
CREATE POLICY library_published_update ON library_published FOR UPDATE TO arusha_app
  USING (library_is_moderator()) WITH CHECK (library_is_moderator());
--> statement-breakpoint
REVOKE DELETE ON library_published FROM arusha_app;
--> statement-breakpoint
DO $$ BEGIN EXECUTE format('CREATE POLICY owner_all ON library_published TO %I USING (true) WITH CHECK (true)', current_user); END $$;
