-- Files of the programme (docs/adr/0028, "Files, edits and deletes").
-- An EOI's files: the administration's rows, read by the Secretariat like the EOI; immutable.
SELECT arusha_enable_rls('programme_eoi_attachments');--> statement-breakpoint
CREATE POLICY programme_eoi_attachments_secretariat_read ON programme_eoi_attachments FOR SELECT TO arusha_app
  USING (programme_is_secretariat());--> statement-breakpoint
REVOKE UPDATE, DELETE ON programme_eoi_attachments FROM arusha_app;--> statement-breakpoint
-- An activity's report files: read by whoever can read the activity (its policies decide).
SELECT arusha_enable_rls('programme_activity_reports');--> statement-breakpoint
CREATE POLICY programme_activity_reports_activity_read ON programme_activity_reports FOR SELECT TO arusha_app
  USING (activity_id IN (SELECT a.id FROM programme_activities a));--> statement-breakpoint
-- With STORAGE=database, files are rows of stored_files readable by their own tenant only: a
-- programme file is also readable wherever its row is (that row's own row-level security decides),
-- so the Secretariat reads an administration's EOI files. Local storage needs no rule.
CREATE POLICY programme_files_read ON stored_files FOR SELECT TO arusha_app USING (
  EXISTS (
    SELECT 1 FROM programme_eoi_attachments f
    WHERE f.tenant_id = stored_files.tenant_id AND f.storage_key = stored_files.key
  )
  OR EXISTS (
    SELECT 1 FROM programme_activity_reports f
    WHERE f.tenant_id = stored_files.tenant_id AND f.storage_key = stored_files.key
  )
);
