import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.ts';
import {
  ALERT_STATUSES,
  DATASET_KINDS,
  IMPORT_MODES,
  IMPORT_STAGES,
  RUN_STATUSES,
  SUBJECT_TYPES,
  VERSION_STATUSES,
} from './analytics.vocab.ts';

/** A named series of extracts (e.g. "Port I declarations"); each import is a version of it. */
export const analyticsDatasets = pgTable(
  'analytics_datasets',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    kind: text('kind', { enum: DATASET_KINDS }).notNull().default('declarations'),
    description: text('description').notNull().default(''),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('analytics_datasets_name').on(t.tenantId, t.name)],
);

/**
 * One import of a file into a dataset. The rows live in a Parquet file named by this id
 * (`<DATA_DIR>/analytics/<tenant>/<id>.parquet`), written whole or not at all; the content
 * hash recognises a file imported before.
 */
export const analyticsDatasetVersions = pgTable(
  'analytics_dataset_versions',
  {
    id: id(),
    tenantId: tenantId(),
    datasetId: uuid('dataset_id').notNull(),
    number: integer('number').notNull(),
    status: text('status', { enum: VERSION_STATUSES }).notNull().default('pending'),
    mode: text('mode', { enum: IMPORT_MODES }).notNull(),
    sourceName: text('source_name').notNull(),
    contentHash: text('content_hash').notNull(),
    sizeBytes: doublePrecision('size_bytes').notNull(),
    mappingId: uuid('mapping_id'),
    /**
     * The column mapping the wizard validated and imports with (ColumnMapping), as the analyst
     * left it — a saved mapping may change later; null: `mapping_id`'s, or the canonical names.
     */
    columnMapping: jsonb('column_mapping'),
    /** Where a running validation or import is (reading, validating, writing, done). */
    stage: text('stage', { enum: IMPORT_STAGES }),
    rowCount: integer('row_count'),
    validRows: integer('valid_rows'),
    rejectedRows: integer('rejected_rows'),
    /** ValidationReport: counts by reason, the first issues with row numbers, columns. */
    report: jsonb('report'),
    error: text('error'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    importedAt: timestamp('imported_at', { withTimezone: true }),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    uniqueIndex('analytics_dataset_versions_number').on(t.tenantId, t.datasetId, t.number),
    index('analytics_dataset_versions_hash').on(t.tenantId, t.contentHash),
  ],
);

/** How one source system's export maps onto the canonical schema (headers and codes). */
export const analyticsMappings = pgTable(
  'analytics_mappings',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    sourceSystem: text('source_system').notNull().default(''),
    /** ColumnMapping: { columns: { canonical: header }, codes: { channel: {…}, … } }. */
    mapping: jsonb('mapping').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('analytics_mappings_name').on(t.tenantId, t.name)],
);

/** One computation of the indicator catalogue over a dataset version. */
export const analyticsRuns = pgTable(
  'analytics_runs',
  {
    id: id(),
    tenantId: tenantId(),
    datasetVersionId: uuid('dataset_version_id').notNull(),
    status: text('status', { enum: RUN_STATUSES }).notNull().default('pending'),
    periodFrom: text('period_from'),
    periodTo: text('period_to'),
    /** { indicatorId: version } — the definitions this run used. */
    catalogue: jsonb('catalogue').notNull(),
    /** A mirror run's settings (country, CIF/FOB factor, alert threshold, duty-rate version); null otherwise. */
    params: jsonb('params'),
    alertCount: integer('alert_count'),
    seconds: doublePrecision('seconds'),
    error: text('error'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('analytics_runs_version').on(t.tenantId, t.datasetVersionId)],
);

/** A subject's figure for one indicator in one run (the funnel plot's points). */
export const analyticsResults = pgTable(
  'analytics_results',
  {
    id: id(),
    tenantId: tenantId(),
    runId: uuid('run_id').notNull(),
    indicatorId: text('indicator_id').notNull(),
    indicatorVersion: integer('indicator_version').notNull(),
    subjectType: text('subject_type', { enum: SUBJECT_TYPES }).notNull(),
    subjectId: text('subject_id').notNull(),
    officerId: text('officer_id'),
    declarantId: text('declarant_id'),
    officeCode: text('office_code'),
    n: integer('n').notNull(),
    observed: doublePrecision('observed').notNull(),
    expected: doublePrecision('expected').notNull(),
    lower95: doublePrecision('lower95'),
    upper95: doublePrecision('upper95'),
    lower998: doublePrecision('lower998'),
    upper998: doublePrecision('upper998'),
    score: doublePrecision('score').notNull(),
    extra: jsonb('extra').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('analytics_results_run').on(t.tenantId, t.runId, t.indicatorId)],
);

/** A subject outside its limits or a significant deviation, for people to review. */
export const analyticsAlerts = pgTable(
  'analytics_alerts',
  {
    id: id(),
    tenantId: tenantId(),
    runId: uuid('run_id').notNull(),
    datasetVersionId: uuid('dataset_version_id').notNull(),
    indicatorId: text('indicator_id').notNull(),
    indicatorVersion: integer('indicator_version').notNull(),
    subjectType: text('subject_type', { enum: SUBJECT_TYPES }).notNull(),
    subjectId: text('subject_id').notNull(),
    officerId: text('officer_id'),
    declarantId: text('declarant_id'),
    officeCode: text('office_code'),
    n: integer('n').notNull(),
    observed: doublePrecision('observed').notNull(),
    expected: doublePrecision('expected').notNull(),
    limit: doublePrecision('limit').notNull(),
    score: doublePrecision('score').notNull(),
    /**
     * The period of the run that raised it (null: the whole extract). Part of what makes an alert
     * the same one again: indicator and version, subject, dataset version, period.
     */
    periodFrom: text('period_from'),
    periodTo: text('period_to'),
    status: text('status', { enum: ALERT_STATUSES }).notNull().default('new'),
    /** Why it was dismissed; the case or risk reference it went to. */
    reason: text('reason'),
    reference: text('reference'),
    /** The case it was escalated to (cases module) and the risk it was added to (risks module). */
    caseId: uuid('case_id'),
    riskId: uuid('risk_id'),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('analytics_alerts_status').on(t.tenantId, t.status),
    index('analytics_alerts_run').on(t.tenantId, t.runId),
  ],
);
