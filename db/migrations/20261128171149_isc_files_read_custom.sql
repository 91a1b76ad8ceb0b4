-- With STORAGE=database, files are rows of stored_files under row-level security, readable by
-- their own tenant only. A session's documents are the Secretariat's files that Members'
-- delegates and invited observers read: a file is readable wherever its isc_documents row is
-- (that row's own row-level security decides). Local storage needs no rule.
CREATE POLICY isc_files_read ON stored_files FOR SELECT TO arusha_app USING (
  EXISTS (
    SELECT 1 FROM isc_documents d
    WHERE d.tenant_id = stored_files.tenant_id AND d.storage_key = stored_files.key
  )
);
