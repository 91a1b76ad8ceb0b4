-- With STORAGE=database, files are rows of stored_files under row-level security, readable by
-- their own tenant only. The library shares files across tenants under its own rules, so a file
-- is also readable where the library's rows say so, through those rows' own row-level security:
-- the Secretariat reads the attachments of the submissions it moderates; every tenant reads the
-- files of published copies (held in the Secretariat's storage). Local storage needs no rule.
CREATE POLICY library_files_read ON stored_files FOR SELECT TO arusha_app USING (
  EXISTS (
    SELECT 1 FROM library_submissions s, jsonb_array_elements(s.attachments) a
    WHERE s.tenant_id = stored_files.tenant_id AND a->>'storageKey' = stored_files.key
  )
  OR EXISTS (
    SELECT 1 FROM library_published p, jsonb_array_elements(p.attachments) a
    WHERE a->>'filesTenantId' = stored_files.tenant_id::text AND a->>'storageKey' = stored_files.key
  )
);
