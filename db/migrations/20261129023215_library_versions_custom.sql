-- Withdrawn copies, translations and hidden comments (docs/adr/0027, amended 2026-11-29).
-- A withdrawn (unpublished) copy is read by the Secretariat only; every tenant reads the others.
DROP POLICY library_published_read ON library_published;
--> statement-breakpoint
CREATE POLICY library_published_read ON library_published FOR SELECT TO arusha_app
  USING (unpublished_at IS NULL OR library_is_moderator());
--> statement-breakpoint
-- The searched text of a copy, one row per language: read where the copy is (the subquery runs
-- under library_published's own policy, so a withdrawn copy's texts go with it); written by the
-- Secretariat at publication.
ALTER TABLE library_published_texts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE library_published_texts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY library_texts_read ON library_published_texts FOR SELECT TO arusha_app
  USING (entry_id IN (SELECT id FROM library_published));
--> statement-breakpoint
CREATE POLICY library_texts_insert ON library_published_texts FOR INSERT TO arusha_app
  WITH CHECK (library_is_moderator());
--> statement-breakpoint
CREATE POLICY library_texts_update ON library_published_texts FOR UPDATE TO arusha_app
  USING (library_is_moderator()) WITH CHECK (library_is_moderator());
--> statement-breakpoint
CREATE POLICY library_texts_delete ON library_published_texts FOR DELETE TO arusha_app
  USING (library_is_moderator());
--> statement-breakpoint
DO $$ BEGIN EXECUTE format('CREATE POLICY owner_all ON library_published_texts TO %I USING (true) WITH CHECK (true)', current_user); END $$;
--> statement-breakpoint
-- The copies published so far: their text, in their own language, moves to the new table (the
-- next migration drops the old search columns).
INSERT INTO library_published_texts (entry_id, language, title, summary, what_done, what_changed, ts_config)
  SELECT id, language, title, summary, what_done, what_changed, ts_config FROM library_published;
--> statement-breakpoint
-- Hidden comments: the Secretariat and the author's organisation still read them.
DROP POLICY library_comments_read ON library_comments;
--> statement-breakpoint
CREATE POLICY library_comments_read ON library_comments FOR SELECT TO arusha_app
  USING (hidden_at IS NULL OR tenant_id = app_tenant() OR library_is_moderator());
--> statement-breakpoint
-- Only the hiding columns are writable, and only from the Secretariat's tenant (a permissive policy
-- to reach other tenants' rows, a restrictive one so that the author cannot un-hide its own).
GRANT UPDATE (hidden_at, hidden_reason, hidden_by) ON library_comments TO arusha_app;
--> statement-breakpoint
CREATE POLICY library_comments_hide ON library_comments FOR UPDATE TO arusha_app
  USING (library_is_moderator()) WITH CHECK (library_is_moderator());
--> statement-breakpoint
CREATE POLICY library_comments_hide_only ON library_comments AS RESTRICTIVE FOR UPDATE TO arusha_app
  USING (library_is_moderator()) WITH CHECK (library_is_moderator());
