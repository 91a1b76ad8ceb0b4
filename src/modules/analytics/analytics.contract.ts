import { z } from 'zod';
import {
  ALERT_STATUSES,
  CANONICAL_COLUMNS,
  IMPORT_MODES,
  ISSUE_REASONS,
  RUN_STATUSES,
  SUBJECT_TYPES,
  VERSION_STATUSES,
} from './analytics.vocab.ts';

export const IdParam = z.object({ id: z.uuid() }).strict();
const Name = z.string().trim().min(1).max(200);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const DatasetCreate = z
  .object({ name: Name, description: z.string().trim().max(2000).default('') })
  .strict();

export const Issue = z.object({
  row: z.number().int(),
  column: z.string(),
  reason: z.enum(ISSUE_REASONS),
  value: z.string().nullable(),
});
export const Report = z.object({
  /** Data rows read (the header is not counted). */
  rows: z.number().int(),
  validRows: z.number().int(),
  rejectedRows: z.number().int(),
  /** Problems with the file as a whole (unreadable, empty, missing columns): nothing imported. */
  fileErrors: z.array(
    z.object({ reason: z.enum(['unreadable', 'empty', 'missing_column']), detail: z.string() }),
  ),
  byReason: z.partialRecord(z.enum(ISSUE_REASONS), z.number().int()),
  /** The first issues by row number (row 2 is the first data row, after the header). */
  issues: z.array(Issue),
  columns: z.array(z.string()),
  extraColumns: z.array(z.string()),
});

export const DatasetVersion = z.object({
  id: z.uuid(),
  datasetId: z.uuid(),
  number: z.number().int(),
  status: z.enum(VERSION_STATUSES),
  mode: z.enum(IMPORT_MODES),
  sourceName: z.string(),
  contentHash: z.string(),
  sizeBytes: z.number(),
  mappingId: z.uuid().nullable(),
  rowCount: z.number().int().nullable(),
  validRows: z.number().int().nullable(),
  rejectedRows: z.number().int().nullable(),
  report: Report.nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  importedAt: z.string().nullable(),
});

export const Dataset = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  kind: z.string(),
  createdAt: z.string(),
  version: z.number().int(),
  versions: z.array(DatasetVersion),
});

export const ImportFields = z
  .object({
    datasetId: z.uuid(),
    mode: z.enum(IMPORT_MODES).default('reject-file'),
    mappingId: z.uuid().optional(),
  })
  .strict();

export const MappingBody = z
  .object({
    name: Name,
    sourceSystem: z.string().trim().max(200).default(''),
    columns: z.partialRecord(z.enum(CANONICAL_COLUMNS), z.string().min(1).max(200)),
    codes: z
      .object({
        channel: z.record(z.string().max(100), z.string().max(100)).optional(),
        assignment: z.record(z.string().max(100), z.string().max(100)).optional(),
        offence: z.record(z.string().max(100), z.string().max(100)).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
export const MappingUpdate = MappingBody.extend({ version: z.number().int().min(1) }).strict();
export const Mapping = z.object({
  id: z.uuid(),
  name: z.string(),
  sourceSystem: z.string(),
  columns: z.record(z.string(), z.string()),
  codes: z.record(z.string(), z.record(z.string(), z.string())),
  version: z.number().int(),
});

export const RunCreate = z
  .object({ datasetVersionId: z.uuid(), from: Day.optional(), to: Day.optional() })
  .strict();
export const Run = z.object({
  id: z.uuid(),
  datasetVersionId: z.uuid(),
  status: z.enum(RUN_STATUSES),
  periodFrom: z.string().nullable(),
  periodTo: z.string().nullable(),
  catalogue: z.record(z.string(), z.number().int()),
  alertCount: z.number().int().nullable(),
  seconds: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const IndicatorDef = z.object({
  id: z.string(),
  version: z.number().int(),
  kind: z.string(),
  name: z.string(),
  description: z.string(),
  unit: z.string(),
  direction: z.string(),
  subject: z.string(),
  radFactor: z.number().int(),
  source: z.string(),
  formula: z.record(z.string(), z.union([z.string(), z.number()])),
  hash: z.string(),
});

export const ResultsQuery = z.object({ indicator: z.string().regex(/^I\d{1,2}$/) }).strict();
/** What a result and an alert say about their subject. */
const Measure = z.object({
  indicatorId: z.string(),
  indicatorVersion: z.number().int(),
  subjectType: z.enum(SUBJECT_TYPES),
  subjectId: z.string(),
  officerId: z.string().nullable(),
  declarantId: z.string().nullable(),
  officeCode: z.string().nullable(),
  n: z.number().int(),
  observed: z.number(),
  expected: z.number(),
});
export const Result = Measure.extend({
  lower95: z.number().nullable(),
  upper95: z.number().nullable(),
  lower998: z.number().nullable(),
  upper998: z.number().nullable(),
  score: z.number(),
  extra: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
});

export const AlertsQuery = z
  .object({
    status: z.enum(ALERT_STATUSES).optional(),
    indicator: z
      .string()
      .regex(/^I\d{1,2}$/)
      .optional(),
    runId: z.uuid().optional(),
  })
  .strict();
export const Alert = z.object({
  id: z.uuid(),
  runId: z.uuid(),
  datasetVersionId: z.uuid(),
  ...Measure.shape,
  limit: z.number(),
  score: z.number(),
  explanation: z.string(),
  status: z.enum(ALERT_STATUSES),
  reason: z.string().nullable(),
  reference: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export const Triage = z
  .object({
    status: z.enum(ALERT_STATUSES).exclude(['new']),
    reason: z.string().trim().min(1).max(2000).optional(),
    reference: z.string().trim().min(1).max(200).optional(),
    version: z.number().int().min(1),
  })
  .strict();

export const DeclarationRows = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
  total: z.number().int(),
});

export const SubstantiationRow = z.object({
  indicatorId: z.string(),
  total: z.number().int(),
  decided: z.number().int(),
  substantiated: z.number().int(),
});
