SELECT arusha_enable_rls('analytics_datasets');
SELECT arusha_enable_rls('analytics_dataset_versions');
SELECT arusha_enable_rls('analytics_mappings');
SELECT arusha_enable_rls('analytics_runs');
SELECT arusha_enable_rls('analytics_results');
SELECT arusha_enable_rls('analytics_alerts');
