import { z } from 'zod';
import {
  ACTOR_ROLES,
  ALERT_STATUSES,
  ASSIGNMENTS,
  CANONICAL_COLUMNS,
  CHANNELS,
  DATASET_KINDS,
  IMPORT_MODES,
  IMPORT_STAGES,
  MIRROR_CAVEATS,
  MIRROR_SORTS,
  RATE_COLUMNS,
  ISSUE_REASONS,
  RUN_STATUSES,
  SUBJECT_TYPES,
  TRADE_COLUMNS,
  VERSION_STATUSES,
} from './analytics.vocab.ts';

export const IdParam = z.object({ id: z.uuid() }).strict();
const Name = z.string().trim().min(1).max(200);
// A real calendar day: 2025-02-30 passed a digits pattern and failed in DuckDB (500 on a query, a failed run).
const Day = z.iso.date();

export const DatasetCreate = z
  .object({
    name: Name,
    description: z.string().trim().max(2000).default(''),
    /** declarations (default), trade (partner trade statistics) or duty_rates. */
    kind: z.enum(DATASET_KINDS).default('declarations'),
  })
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
  /** The built-in mapping recognised from the headers (trade statistics), if any. */
  mapping: z.string().optional(),
  /** Without a mapping: canonical column → the header taken for it, when not spelled exactly. */
  matchedColumns: z.record(z.string(), z.string()).optional(),
});

/** Canonical column (of any dataset kind) → the file's header. */
const MappingColumns = z.partialRecord(
  z.enum([...new Set([...CANONICAL_COLUMNS, ...TRADE_COLUMNS, ...RATE_COLUMNS])]),
  z.string().min(1).max(200),
);
const Codes = z.record(z.string().max(100), z.string().max(100));
/** Code translations whose every value is a canonical one (what the import accepts): a
 * saved mapping that turned R into 'purple' would have every row of its files rejected later. */
export const CanonicalCodes = z
  .object({
    channel: z.record(z.string().max(100), z.enum(CHANNELS)).optional(),
    assignment: z.record(z.string().max(100), z.enum(ASSIGNMENTS)).optional(),
    offence: z.record(z.string().max(100), z.enum(['0', '1'])).optional(),
  })
  .strict();

export const DatasetVersion = z.object({
  id: z.uuid(),
  datasetId: z.uuid(),
  number: z.number().int(),
  status: z.enum(VERSION_STATUSES),
  /** Where a running validation or import is (null before it starts). */
  stage: z.enum(IMPORT_STAGES).nullable(),
  mode: z.enum(IMPORT_MODES),
  sourceName: z.string(),
  contentHash: z.string(),
  sizeBytes: z.number(),
  mappingId: z.uuid().nullable(),
  /** The mapping the wizard validated with (null: `mappingId`'s, or the canonical names). */
  columnMapping: z
    .object({ columns: z.record(z.string(), z.string()), codes: z.record(z.string(), Codes) })
    .nullable(),
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
    columns: MappingColumns,
    codes: CanonicalCodes.default({}),
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

// ---- the import wizard: upload, mapping on the first rows, validation, the analyst's choice ------

/** The wizard's first step: the file is staged as a version of this dataset (status `uploaded`). */
export const UploadFields = z.object({ datasetId: z.uuid() }).strict();
export const PreviewQuery = z
  .object({
    /** Suggest this saved mapping's columns and codes (else: the headers' names). */
    mappingId: z.uuid().optional(),
  })
  .strict();
/** The first rows of a staged file as read, and a suggested mapping onto the dataset's columns. */
export const Preview = z.object({
  kind: z.enum(DATASET_KINDS),
  /** The file's header, in order. */
  columns: z.array(z.string()),
  /** The first rows (at most 10) as read: text, null for an empty cell. */
  rows: z.array(z.array(z.string().nullable())),
  /** The dataset kind's columns, in order; a row without a required one is rejected. */
  targets: z.array(z.object({ column: z.string(), required: z.boolean() })),
  /** Column → the file's header; code translations (a saved mapping's). */
  suggested: z.object({ columns: z.record(z.string(), z.string()), codes: z.record(z.string(), Codes) }),
  /** The saved or built-in mapping the suggestion starts from (null: header names only). */
  suggestedFrom: z.object({ mappingId: z.uuid().nullable(), name: z.string() }).nullable(),
  /** For each file column with at most 30 distinct values in its first 10,000 rows: those values. */
  values: z.record(z.string(), z.array(z.string())),
});
/**
 * The mapping to validate a staged file with. Codes translate to canonical values only; a column
 * not listed is read from the file's column of the same name, if there is one.
 */
export const ValidateBody = z
  .object({
    columns: MappingColumns,
    codes: CanonicalCodes.default({}),
    /** The saved mapping this one came from (recorded with the version). */
    mappingId: z.uuid().optional(),
  })
  .strict();
/** After validation: refuse the file, or import its valid rows with the rejects saved. */
export const ChoiceBody = z.object({ choice: z.enum(IMPORT_MODES) }).strict();

/** A mirror run's settings (a run over partner trade statistics). */
export const MirrorParams = z
  .object({
    /** The administration's country: its reporter code in the trade file. */
    country: z.string().trim().min(1).max(50),
    /** CIF/FOB factor applied to the partner's exports. */
    factor: z.number().min(1).max(3).default(1.1),
    /** Alert when ln(X·c) − ln(M) is at least this (ln 2: mirror twice the declared value) … */
    threshold: z.number().min(0).max(20).default(Math.LN2),
    /** … and X·c − M at least this much (currency of the file). */
    minGap: z.number().min(0).max(1e15).default(100000),
    /** An imported duty-rate table (potential revenue loss). */
    dutyRatesVersionId: z.uuid().optional(),
    /** The declared side from a declarations version instead of the trade file (and I17). */
    declarationsVersionId: z.uuid().optional(),
    /** Customs values × this = the trade file's currency (1 when omitted). */
    currencyFactor: z.number().gt(0).max(1e6).optional(),
  })
  .strict();
export const RunCreate = z
  .object({
    datasetVersionId: z.uuid(),
    from: Day.optional(),
    to: Day.optional(),
    mirror: MirrorParams.optional(),
  })
  .strict()
  .refine((b) => !b.from || !b.to || b.from < b.to, {
    path: ['to'],
    message: 'must be after from (registrations before this day)',
  });
/**
 * How a run's I6 expected hits were obtained (`params.expectedHits`, docs/adr/0026): while the run
 * trains, its stage; once done, the method (or why the strata served) and, for the model, which
 * model produced them — its versions, features, cache key, when it was trained and its AUC.
 */
export const ExpectedHitsRecord = z.looseObject({
  method: z.enum(['model', 'strata']).optional(),
  reason: z.string().nullable().optional(),
  key: z.string().optional(),
  modelVersion: z.number().int().optional(),
  hitsVersion: z.number().int().optional(),
  indicatorVersion: z.number().int().optional(),
  features: z.array(z.string()).optional(),
  trainedAt: z.string().nullable().optional(),
  folds: z.number().int().optional(),
  trainingRows: z.number().int().optional(),
  controlled: z.number().int().optional(),
  auc: z.number().nullable().optional(),
  logLoss: z.number().nullable().optional(),
  cached: z.boolean().optional(),
  stage: z.string().optional(),
  done: z.number().int().optional(),
});

/**
 * I10's pairs in a run (docs/adr/0025): m tested (the BH correction's count), the candidates
 * evaluated (above expectation), those stored as results (the significant and the most deviant).
 */
export const PairsStored = z.object({
  tested: z.number().int(),
  evaluated: z.number().int(),
  stored: z.number().int(),
  kept: z.number().int(),
});

export const Run = z.object({
  id: z.uuid(),
  datasetVersionId: z.uuid(),
  status: z.enum(RUN_STATUSES),
  periodFrom: z.string().nullable(),
  periodTo: z.string().nullable(),
  catalogue: z.record(z.string(), z.number().int()),
  /** A mirror run's settings and, once done, its summary figures; I6's expected hits; I10's pairs. */
  params: z
    .looseObject({ expectedHits: ExpectedHitsRecord.optional(), pairs: PairsStored.optional() })
    .nullable(),
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
  /** The run's period (null: the whole extract). */
  periodFrom: z.string().nullable(),
  periodTo: z.string().nullable(),
  status: z.enum(ALERT_STATUSES),
  reason: z.string().nullable(),
  reference: z.string().nullable(),
  /** The case it was escalated to, the risk it was added to the register as. */
  caseId: z.uuid().nullable(),
  riskId: z.uuid().nullable(),
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

/**
 * Per indicator: how triage decided its alerts and how many the cases they went to substantiated.
 * The outcome counts (substantiated, closed not substantiated, case open, closed) are null when
 * suppressed under `minCell` of the answer (the cases module's threshold), with `suppressed` set.
 */
export const SubstantiationRow = z.object({
  indicatorId: z.string(),
  raised: z.number().int(),
  underReview: z.number().int(),
  dismissed: z.number().int(),
  escalated: z.number().int(),
  riskMap: z.number().int(),
  /** Dismissed, escalated or put on the risk map. */
  triaged: z.number().int(),
  /** Escalated alerts whose case is closed (the share's denominator). */
  casesClosed: z.number().int().nullable(),
  /** … closed with the decision "substantiated". */
  substantiated: z.number().int().nullable(),
  /** … closed otherwise. */
  notSubstantiated: z.number().int().nullable(),
  /** Escalated alerts whose case is not closed yet. */
  caseOpen: z.number().int().nullable(),
  /** Some outcome count is withheld (small-cell suppression). */
  suppressed: z.boolean(),
  /** substantiated / casesClosed with its 95 % Wilson interval; null with no case closed or suppressed. */
  share: z.number().nullable(),
  shareLow: z.number().nullable(),
  shareHigh: z.number().nullable(),
  /** On the risk map with the risk still draft or open: counted apart, not as substantiated. */
  riskMapOpen: z.number().int(),
});
export const Substantiation = z.object({
  /** Counts under this are suppressed. */
  minCell: z.number().int(),
  items: z.array(SubstantiationRow),
});

const Num = z.number().nullable();
export const MirrorRow = z.object({
  hs_code: z.string(),
  partner: z.string(),
  partner_name: z.string().nullable(),
  year: z.number().int(),
  declared_value: Num,
  mirror_value: Num,
  mirror_cif: Num,
  value_gap_log: Num,
  value_gap_abs: Num,
  declared_quantity: Num,
  mirror_quantity: Num,
  quantity_unit: z.string().nullable(),
  quantity_gap_log: Num,
  declared_weight: Num,
  mirror_weight: Num,
  weight_gap_log: Num,
  reexport_value: Num,
  reimport_value: Num,
  /** Percent; null when no rate matches (the loss is then unknown, not zero). */
  duty_rate: Num,
  rate_hs: z.string().nullable(),
  revenue_loss: Num,
  declared_rows: z.number().int(),
  mirror_rows: z.number().int(),
  declared_hs: z.string().nullable(),
  mirror_hs: z.string().nullable(),
  caveats: z.array(z.enum(MIRROR_CAVEATS)),
});
export const MirrorSummary = z.object({
  cells: z.number().int(),
  twoSided: z.number().int(),
  declaredOnly: z.number().int(),
  mirrorOnly: z.number().int(),
  declaredValue: z.number(),
  mirrorCif: z.number(),
  positiveGap: z.number(),
  revenueLoss: z.number(),
  unknownRateCells: z.number().int(),
  unknownRateGap: z.number(),
  mirrorOnlyValue: z.number(),
  reexportValue: z.number(),
  estimatedCells: z.number().int(),
});
const QNum = (min: number, max: number) => z.coerce.number().min(min).max(max);
export const MirrorQuery = z
  .object({
    country: z.string().trim().min(1).max(50),
    factor: QNum(1, 3).default(1.1),
    dutyRatesVersionId: z.uuid().optional(),
    /** The declared side from a declarations version (else the country's reporter rows). */
    declarationsVersionId: z.uuid().optional(),
    currencyFactor: QNum(1e-6, 1e6).default(1),
    sort: z.enum(MIRROR_SORTS).default('value_gap_log'),
    limit: QNum(1, 500).default(50),
    offset: QNum(0, 1e7).default(0),
    hs: z
      .string()
      .regex(/^[0-9A-Za-z]{1,12}$/)
      .optional(),
    partner: z.string().trim().min(1).max(50).optional(),
    year: z.coerce.number().int().min(1900).max(2100).optional(),
    twoSided: z.enum(['true', 'false']).optional(),
  })
  .strict();
/** The declared side when it comes from declarations: its size and what could not be matched. */
export const DeclaredSide = z.object({
  versionId: z.uuid(),
  currencyFactor: z.number(),
  declarations: z.number().int(),
  value: z.number(),
  years: z.array(z.number().int()),
  partialYears: z.array(z.number().int()),
  /** Origins with no partner code: their declarations are declared-only cells of their own. */
  unmatchedOrigins: z.array(
    z.object({ origin: z.string(), declarations: z.number().int(), value: z.number().nullable() }),
  ),
});
const Fit = {
  n: z.number().int(),
  coef: z.array(z.number()),
  se: z.array(z.number()),
  r2: z.number(),
  alpha: z.number(),
  beta: z.number(),
  seBeta: z.number(),
};
/** I15 evasion elasticity (with a duty-rate table): OLS of the log gap on the rate (a fraction). */
export const Elasticity = z.object({
  simple: z.object(Fit).nullable(),
  full: z.object({ ...Fit, gamma: z.number(), seGamma: z.number() }).nullable(),
});
export const Mirror = z.object({
  country: z.string(),
  factor: z.number(),
  dutyRatesVersionId: z.uuid().nullable(),
  declared: DeclaredSide.nullable(),
  /** Null without a duty-rate table. */
  elasticity: Elasticity.nullable(),
  rows: z.array(MirrorRow),
  total: z.number().int(),
  summary: MirrorSummary,
});
export const MirrorActorsQuery = z
  .object({
    country: z.string().trim().min(1).max(50),
    declarationsVersionId: z.uuid(),
    factor: QNum(1, 3).default(1.1),
    currencyFactor: QNum(1e-6, 1e6).default(1),
    role: z.enum(ACTOR_ROLES).optional(),
    limit: QNum(1, 500).default(50),
    offset: QNum(0, 1e7).default(0),
  })
  .strict();
export const MirrorActorRowsQuery = z
  .object({
    country: z.string().trim().min(1).max(50),
    declarationsVersionId: z.uuid(),
    currencyFactor: QNum(1e-6, 1e6).default(1),
    role: z.enum(ACTOR_ROLES),
    /** '' for the declarations that name none. */
    actor: z.string().max(200),
  })
  .strict();
export const MirrorActor = z.object({
  role: z.enum(ACTOR_ROLES),
  /** '' when the declarations do not name one. */
  actor_id: z.string(),
  declarations: z.number().int(),
  cells: z.number().int(),
  declared_value: z.number(),
  attributed_gap: z.number(),
  gap_log_weighted: Num,
  caveats: z.array(z.enum(MIRROR_CAVEATS)),
});
export const MirrorActors = z.object({
  country: z.string(),
  factor: z.number(),
  declared: DeclaredSide,
  rows: z.array(MirrorActor),
  total: z.number().int(),
  /** Σ max(0, X·c − M) over the two-sided cells: each role's attributed gaps add up to it. */
  positiveGap: z.number(),
});
export const MirrorCountry = z.object({
  code: z.string(),
  name: z.string().nullable(),
  imports: z.number().int(),
  partners: z.number().int(),
});
export const MirrorCellQuery = z
  .object({
    country: z.string().trim().min(1).max(50),
    declarationsVersionId: z.uuid().optional(),
    currencyFactor: QNum(1e-6, 1e6).default(1),
    hs: z.string().regex(/^[0-9A-Za-z]{1,12}$/),
    partner: z.string().trim().min(1).max(50),
    year: z.coerce.number().int().min(1900).max(2100),
  })
  .strict();

// ---- people: officer profile, rows behind a figure, dashboard by RAD factor ----------------------

const SubjectText = z.string().trim().min(1).max(200);
export const OfficerParams = z.object({ id: z.uuid(), officer: SubjectText }).strict();
export const OfficerQuery = z.object({ period: z.enum(['month', 'quarter']).default('month') }).strict();
/** One period of one indicator for one officer: observed against expected, with funnel limits. */
export const PeriodPoint = z.object({
  period: z.string(),
  n: z.number().int(),
  observed: z.number(),
  expected: z.number(),
  lower95: z.number().nullable(),
  upper95: z.number().nullable(),
  lower998: z.number().nullable(),
  upper998: z.number().nullable(),
});
export const OfficerIndicator = z.object({
  indicatorId: z.string(),
  indicatorVersion: z.number().int(),
  /** The subject's result in the latest finished run of this version (null: not computed). */
  overall: Result.nullable(),
  /** Per period (funnel indicators; empty for the others). */
  series: z.array(PeriodPoint),
});
export const OfficerProfile = z.object({
  officerId: z.string(),
  datasetVersionId: z.uuid(),
  runId: z.uuid().nullable(),
  period: z.enum(['month', 'quarter']),
  periods: z.array(z.string()),
  declarations: z.number().int(),
  indicators: z.array(OfficerIndicator),
  /** Officer × declarant pairs of this officer that stood out (I10), highest score first. */
  pairs: z.array(Result),
  /** The run's I10 counts: it stores the significant pairs and only the most deviant others. */
  pairsStored: PairsStored.nullable(),
  alerts: z.array(Alert),
});

/** Filters of the declarations behind a figure (a page read from Parquet, never all rows). */
export const RowsQuery = z
  .object({
    officer: SubjectText.optional(),
    declarant: SubjectText.optional(),
    indicator: z
      .string()
      .regex(/^I\d{1,2}$/)
      .optional(),
    period: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/)
      .optional(),
    from: Day.optional(),
    to: Day.optional(),
    offset: z.coerce.number().int().min(0).max(1e9).default(0),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export const RowsPage = DeclarationRows.extend({
  offset: z.number().int(),
  limit: z.number().int(),
});

/** Per indicator of a run: subjects computed, outside the limits on the bad side, alerts raised. */
export const RunSummaryRow = z.object({
  indicatorId: z.string(),
  indicatorVersion: z.number().int(),
  subjects: z.number().int(),
  outside95: z.number().int(),
  outside998: z.number().int(),
  alerts: z.number().int(),
});
