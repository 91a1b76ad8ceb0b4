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
  // Optional, last so that extracts written before it read as they did: the customs procedure
  // code (e.g. ASYCUDA's CPC '4000'), text; empty = unknown. When a version has it, the fair
  // comparison also holds the procedure equal (strata and the expected-hit model's features).
  'procedure',
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

/** declarations: the canonical extract; trade: partner trade statistics (UN Comtrade style,
 * for mirror analysis); duty_rates: the duty rate per HS code (potential revenue loss). */
export const DATASET_KINDS = ['declarations', 'trade', 'duty_rates'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];
/**
 * A version's life. The wizard: `uploaded` (the file staged, its mapping to choose) →
 * `validating` → `validated` (the report shown, the analyst's choice awaited) → `rejected`, or
 * `pending` → `importing` → `imported`; a staged file left for a day is `discarded`. The one-step
 * upload and the CLI start at `pending`.
 */
export const VERSION_STATUSES = [
  'uploaded',
  'validating',
  'validated',
  'pending',
  'importing',
  'imported',
  'rejected',
  'failed',
  'discarded',
] as const;
/** Statuses whose uploaded file is kept, staged, for the next step of the wizard. */
export const STAGED_STATUSES = ['uploaded', 'validating', 'validated'] as const;
/** Where a running validation or import is (polled by the wizard). */
export const IMPORT_STAGES = ['reading', 'validating', 'writing', 'done'] as const;
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
  // partner trade statistics and duty rates
  'bad_year',
  'unknown_flow',
  'duplicate_key',
  'bad_rate',
] as const;
export type IssueReason = (typeof ISSUE_REASONS)[number];

export const SUBJECT_TYPES = ['officer', 'office', 'declarant', 'pair', 'hs6', 'hs_partner_year'] as const;
export const ALERT_STATUSES = ['new', 'under_review', 'dismissed', 'escalated', 'risk_map'] as const;
export const RUN_STATUSES = ['pending', 'running', 'done', 'failed'] as const;

/** Partner trade statistics (UN Comtrade style), one row per reporter × partner × year × HS × flow. */
export const TRADE_COLUMNS = [
  'reporter',
  'reporter_name',
  'partner',
  'partner_name',
  'year',
  'hs_code',
  'flow',
  'value',
  'quantity',
  'quantity_unit',
  'net_weight',
  'estimated',
  'classification',
] as const;
export type TradeColumn = (typeof TRADE_COLUMNS)[number];
export const TRADE_REQUIRED = ['reporter', 'partner', 'year', 'hs_code', 'flow', 'value'] as const;
export const FLOWS = ['import', 'export', 're-import', 're-export'] as const;

/** A duty-rate table: the rate (percent of the customs value) per HS code or HS prefix. */
export const RATE_COLUMNS = ['hs_code', 'rate', 'description'] as const;
export type RateColumn = (typeof RATE_COLUMNS)[number];
export const RATE_REQUIRED = ['hs_code', 'rate'] as const;

/** Why a mirror figure may differ for innocent reasons (domain.md §4.3), shown beside each figure. */
export const MIRROR_CAVEATS = [
  'cif_fob',
  'timing',
  'reexport',
  'one_side',
  'hs_version',
  'estimated',
  'unit',
  'no_rate',
  // Declared side from the administration's declarations (analytics.mirror.ts, declaredSide):
  'origin_unmatched',
  'hs_level',
  'partial_year',
  'currency',
  // I17: a gap shared over the people who handled the flows is not their doing.
  'attribution',
] as const;
export type MirrorCaveat = (typeof MIRROR_CAVEATS)[number];

/** Who handled the declared flows, for I17 (the gap attributed to actors). */
export const ACTOR_ROLES = ['officer', 'declarant', 'importer'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

/** The orders of the mirror table (numbers descending, names ascending). */
export const MIRROR_SORTS = [
  'value_gap_log',
  'value_gap_abs',
  'revenue_loss',
  'quantity_gap_log',
  'weight_gap_log',
  'declared_value',
  'mirror_value',
  'year',
  'partner_name',
  'hs_code',
] as const;
export type MirrorSort = (typeof MIRROR_SORTS)[number];
