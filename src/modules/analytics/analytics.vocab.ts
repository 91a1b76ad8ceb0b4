// Closed vocabularies of the analytics module (shared by schema, contract, engine and UI).

/** The canonical declaration extract, in this column order (issue 5). */
export const CANONICAL_COLUMNS = [
  'declaration_id',
  'office_code',
  'registered_at',
  'assessed_at',
  'released_at',
  'declarant_id',
  'importer_id',
  'officer_id',
  'assignment',
  'channel_system',
  'channel_final',
  'rerouted_by',
  'hs6',
  'origin',
  'customs_value',
  'net_mass_kg',
  'duties_declared',
  'duties_assessed',
  'offence',
] as const;
export type CanonicalColumn = (typeof CANONICAL_COLUMNS)[number];

/** A row without these is rejected; the others may be empty (unknown). */
export const REQUIRED_COLUMNS = [
  'declaration_id',
  'office_code',
  'registered_at',
  'declarant_id',
  'officer_id',
  'channel_system',
] as const satisfies readonly CanonicalColumn[];

export const CHANNELS = ['green', 'blue', 'yellow', 'red'] as const;
export const ASSIGNMENTS = ['random', 'manual', 'rule'] as const;

export const DATASET_KINDS = ['declarations'] as const;
export const VERSION_STATUSES = ['pending', 'importing', 'imported', 'rejected', 'failed'] as const;
export const IMPORT_MODES = ['reject-file', 'import-valid'] as const;

export const ISSUE_REASONS = [
  'missing_required',
  'bad_date',
  'negative_value',
  'bad_number',
  'unknown_channel',
  'unknown_assignment',
  'bad_offence',
  'duplicate_id',
] as const;
export type IssueReason = (typeof ISSUE_REASONS)[number];

export const SUBJECT_TYPES = ['officer', 'office', 'declarant', 'pair', 'hs6'] as const;
export const ALERT_STATUSES = ['new', 'under_review', 'dismissed', 'escalated', 'risk_map'] as const;
export const RUN_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
