SELECT arusha_enable_rls('case_settings');
SELECT arusha_enable_rls('case_counters');
SELECT arusha_enable_rls('cases');
SELECT arusha_enable_rls('case_assignments');
SELECT arusha_enable_rls('case_notes');
SELECT arusha_enable_rls('case_subjects');
SELECT arusha_enable_rls('case_files');
SELECT arusha_enable_rls('case_events');
