import { z } from 'zod';
import {
  ACCEPTANCE_STATES,
  CONTROL_EFFECTIVENESS,
  CONTROL_KINDS,
  RISK_FLAGS,
  RISK_SCHEMES,
  RISK_STATUSES,
  TREATMENTS,
} from './risks.vocab.ts';

// Contracts of the risk register, shared by the routes and the UI. Strict objects, bounded
// strings and arrays. Ratings are checked against the administration's matrix in the service.

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const text = (max: number) => z.string().trim().min(1).max(max);
const optText = (max: number) => z.string().trim().max(max).nullable().optional();
const rating = z.number().int().min(1).max(10);

export const IdParam = z.object({ id: z.uuid() }).strict();
export const RiskRef = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/, 'letters, digits, . _ / - (at most 40), e.g. R-001');
export const ProcessCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, 'lower-case letters, digits and _, e.g. warehouse_licensing');
export const Factor = z.number().int().min(1, 'RAD factors are 1–10').max(10, 'RAD factors are 1–10');
export const Factors = z
  .array(Factor)
  .max(10)
  .refine((a) => new Set(a).size === a.length, 'a factor is listed twice');
export const Actor = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => !s.includes(';'), 'an actor cannot contain ";"');

export const LTextInput = z
  .object({
    en: z.string().trim().min(1).max(200),
    fr: z.string().trim().min(1).max(200).optional(),
    es: z.string().trim().min(1).max(200).optional(),
    ru: z.string().trim().min(1).max(200).optional(),
    ar: z.string().trim().min(1).max(200).optional(),
    pt: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
const LDesc = z
  .object({
    en: z.string().max(2000),
    fr: z.string().max(2000).optional(),
    es: z.string().max(2000).optional(),
    ru: z.string().max(2000).optional(),
    ar: z.string().max(2000).optional(),
    pt: z.string().max(2000).optional(),
  })
  .strict();
const AxisLevelInput = z
  .object({ value: z.number().int().min(1).max(10), label: LTextInput, description: LDesc.optional() })
  .strict();
export const MatrixInput = z
  .object({
    likelihood: z.array(AxisLevelInput).min(2).max(10),
    impact: z.array(AxisLevelInput).min(2).max(10),
    levels: z
      .array(
        z
          .object({
            id: z.string().max(31),
            label: LTextInput,
            color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour #rrggbb'),
            min: z.number().int().min(0).max(100),
            max: z.number().int().min(0).max(100),
          })
          .strict(),
      )
      .min(1)
      .max(10),
  })
  .strict();
export type MatrixInput = z.infer<typeof MatrixInput>;

export const ReviewDays = z.record(z.string().max(31), z.number().int().min(1).max(3650));
export const UpdateSettingsInput = z
  .object({ matrix: MatrixInput, reviewDays: ReviewDays, version: z.number().int().min(1) })
  .strict();

export const Level = z.object({ id: z.string(), label: z.string(), color: z.string() });
export type Level = z.infer<typeof Level>;
export const MatrixView = z.object({
  likelihood: z.array(z.object({ value: z.number(), label: z.string(), description: z.string().nullable() })),
  impact: z.array(z.object({ value: z.number(), label: z.string(), description: z.string().nullable() })),
  levels: z.array(Level.extend({ min: z.number(), max: z.number() })),
});
export type MatrixView = z.infer<typeof MatrixView>;
export const Settings = z.object({
  matrix: MatrixInput,
  view: MatrixView,
  matrixUrn: z.string().nullable(),
  reviewDays: z.record(z.string(), z.number()),
  version: z.number().int(),
});
export type Settings = z.infer<typeof Settings>;

// ---- processes --------------------------------------------------------------------------
export const Process = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  /** The administration's own name; null = the translated catalogue name. */
  customName: z.string().nullable(),
  description: z.string().nullable(),
  position: z.number().int(),
  archived: z.boolean(),
  riskCount: z.number().int(),
  version: z.number().int(),
});
export type Process = z.infer<typeof Process>;
export const CreateProcessInput = z
  .object({ code: ProcessCode, name: text(200), description: optText(2000) })
  .strict();
export const UpdateProcessInput = z
  .object({
    name: z.string().trim().min(1).max(200).nullable().optional(),
    description: optText(2000),
    archived: z.boolean().optional(),
    position: z.number().int().min(0).max(10000).optional(),
    version: z.number().int().min(1),
  })
  .strict();

// ---- risks ------------------------------------------------------------------------------
export const ControlInput = z
  .object({
    description: text(1000),
    kind: z.enum(CONTROL_KINDS),
    automated: z.boolean(),
    effectiveness: z.enum(CONTROL_EFFECTIVENESS),
    lastTestedOn: date.nullable().optional(),
  })
  .strict();
export type ControlInput = z.infer<typeof ControlInput>;

const riskFields = {
  processId: z.uuid(),
  title: text(300),
  description: optText(5000),
  scheme: z.enum(RISK_SCHEMES),
  actors: z.array(Actor).max(20).optional(),
  drivers: optText(2000),
  factors: Factors.optional(),
  orgUnitId: z.uuid().nullable().optional(),
  ownerUserId: z.uuid().nullable().optional(),
  inherentLikelihood: rating,
  inherentImpact: rating,
  residualLikelihood: rating,
  residualImpact: rating,
  treatment: z.enum(TREATMENTS).optional(),
  treatmentNote: optText(2000),
  status: z.enum(RISK_STATUSES).optional(),
  nextReviewOn: date.nullable().optional(),
  controls: z.array(ControlInput).max(50).optional(),
};
export const CreateRiskInput = z.object({ ref: RiskRef.optional(), ...riskFields }).strict();
export type CreateRiskInput = z.infer<typeof CreateRiskInput>;
export const UpdateRiskInput = z
  .object({
    ref: RiskRef.optional(),
    processId: riskFields.processId.optional(),
    title: riskFields.title.optional(),
    description: riskFields.description,
    scheme: riskFields.scheme.optional(),
    actors: riskFields.actors,
    drivers: riskFields.drivers,
    factors: riskFields.factors,
    orgUnitId: riskFields.orgUnitId,
    ownerUserId: riskFields.ownerUserId,
    inherentLikelihood: rating.optional(),
    inherentImpact: rating.optional(),
    residualLikelihood: rating.optional(),
    residualImpact: rating.optional(),
    treatment: riskFields.treatment,
    treatmentNote: riskFields.treatmentNote,
    status: riskFields.status,
    nextReviewOn: riskFields.nextReviewOn,
    controls: riskFields.controls,
    version: z.number().int().min(1),
  })
  .strict();
export type UpdateRiskInput = z.infer<typeof UpdateRiskInput>;

export const AcceptanceInput = z
  .object({
    decision: z.enum(['approve', 'reject']),
    note: z.string().trim().max(2000).nullable().optional(),
    version: z.number().int().min(1),
  })
  .strict();
export const ReviewInput = z
  .object({ note: z.string().trim().max(2000).nullable().optional(), version: z.number().int().min(1) })
  .strict();

export const RatingView = z.object({
  likelihood: z.number().int(),
  impact: z.number().int(),
  score: z.number().int(),
  level: Level,
});
export const Control = z.object({
  id: z.uuid(),
  description: z.string(),
  kind: z.enum(CONTROL_KINDS),
  automated: z.boolean(),
  effectiveness: z.enum(CONTROL_EFFECTIVENESS),
  lastTestedOn: z.string().nullable(),
});
export const Risk = z.object({
  id: z.uuid(),
  ref: z.string(),
  /** Null, like the ratings, only on a draft its owner has not completed. */
  processId: z.uuid().nullable(),
  process: z.string(),
  processCode: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  scheme: z.enum(RISK_SCHEMES),
  actors: z.array(z.string()),
  drivers: z.string().nullable(),
  factors: z.array(z.number().int()),
  orgUnitId: z.uuid().nullable(),
  orgUnit: z.string().nullable(),
  ownerUserId: z.uuid().nullable(),
  owner: z.string().nullable(),
  inherent: RatingView.nullable(),
  residual: RatingView.nullable(),
  treatment: z.enum(TREATMENTS),
  treatmentNote: z.string().nullable(),
  acceptance: z.enum(ACCEPTANCE_STATES),
  acceptanceDecidedBy: z.string().nullable(),
  acceptanceDecidedAt: z.string().nullable(),
  acceptanceNote: z.string().nullable(),
  status: z.enum(RISK_STATUSES),
  lastReviewedAt: z.string().nullable(),
  nextReviewOn: z.string().nullable(),
  overdue: z.boolean(),
  flags: z.array(z.enum(RISK_FLAGS)),
  controls: z.array(Control),
  /** The module and object that identified the risk (e.g. analytics and an alert id), if any. */
  source: z.object({ module: z.string(), ref: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Risk = z.infer<typeof Risk>;

export const ListQuery = z
  .object({
    processId: z.uuid().optional(),
    factor: z.coerce.number().pipe(Factor).optional(),
    orgUnitId: z.uuid().optional(),
    level: z.string().max(31).optional(),
    flag: z.enum(RISK_FLAGS).optional(),
    status: z.enum(RISK_STATUSES).optional(),
    q: z.string().max(200).optional(),
  })
  .strict();
export type ListQuery = z.infer<typeof ListQuery>;

// ---- heat map and snapshots -------------------------------------------------------------
export const HeatmapQuery = z
  .object({
    processId: z.uuid().optional(),
    factor: z.coerce.number().pipe(Factor).optional(),
    orgUnitId: z.uuid().optional(),
    snapshotId: z.uuid().optional(),
  })
  .strict();
export type HeatmapQuery = z.infer<typeof HeatmapQuery>;
export const HeatmapCell = z.object({
  likelihood: z.number().int(),
  impact: z.number().int(),
  score: z.number().int(),
  levelId: z.string(),
  color: z.string(),
  inherentCount: z.number().int(),
  residualCount: z.number().int(),
  /** Risks rated in this cell, inherent or residual. */
  riskIds: z.array(z.uuid()),
  inherentRiskIds: z.array(z.uuid()),
  residualRiskIds: z.array(z.uuid()),
});
export const HeatmapResult = z.object({
  likelihood: z.array(z.object({ value: z.number(), label: z.string() })),
  impact: z.array(z.object({ value: z.number(), label: z.string() })),
  levels: z.array(Level.extend({ min: z.number(), max: z.number() })),
  cells: z.array(HeatmapCell),
  total: z.number().int(),
  snapshot: z.object({ id: z.uuid(), label: z.string(), createdAt: z.string() }).nullable(),
});
export type HeatmapResult = z.infer<typeof HeatmapResult>;

export const CreateSnapshotInput = z.object({ label: text(200) }).strict();
const LevelCounts = z.record(z.string(), z.number().int());
export const SnapshotSummary = z.object({
  id: z.uuid(),
  label: z.string(),
  createdAt: z.string(),
  riskCount: z.number().int(),
  inherent: LevelCounts,
  residual: LevelCounts,
});
export const SnapshotRisk = z.object({
  id: z.uuid(),
  ref: z.string(),
  title: z.string(),
  processId: z.uuid(),
  processCode: z.string(),
  factors: z.array(z.number().int()),
  orgUnitId: z.uuid().nullable(),
  inherent: z.object({ likelihood: z.number(), impact: z.number(), score: z.number(), levelId: z.string() }),
  residual: z.object({ likelihood: z.number(), impact: z.number(), score: z.number(), levelId: z.string() }),
});
export type SnapshotRisk = z.infer<typeof SnapshotRisk>;
export const SnapshotDetail = SnapshotSummary.extend({
  levels: z.array(Level),
  risks: z.array(SnapshotRisk),
});
export const TrendQuery = z.object({ from: z.uuid(), to: z.uuid() }).strict();
const Moved = z.object({
  id: z.uuid(),
  ref: z.string(),
  title: z.string(),
  fromLevel: z.string(),
  toLevel: z.string(),
  direction: z.enum(['up', 'down']),
});
export const TrendResult = z.object({
  from: SnapshotSummary,
  to: SnapshotSummary,
  levels: z.array(Level),
  moved: z.array(Moved),
  added: z.array(z.object({ id: z.uuid(), ref: z.string(), title: z.string() })),
  closed: z.array(z.object({ id: z.uuid(), ref: z.string(), title: z.string() })),
});
export type TrendResult = z.infer<typeof TrendResult>;

export const People = z.object({
  units: z.array(z.object({ id: z.uuid(), name: z.string(), code: z.string().nullable() })),
  members: z.array(z.object({ userId: z.uuid(), name: z.string(), email: z.string() })),
});

// ---- import / export --------------------------------------------------------------------
export const ExportQuery = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') }).strict();
export const ImportQuery = z
  .object({ dryRun: z.enum(['true', 'false']).optional(), format: z.enum(['xlsx', 'csv']).optional() })
  .strict();
export const ImportRowError = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  message: z.string(),
});
export const ImportReport = z.object({
  dryRun: z.boolean(),
  rows: z.number().int(),
  created: z.array(z.string()),
  updated: z.array(z.string()),
  unchanged: z.array(z.string()),
  errors: z.array(ImportRowError),
});
export type ImportReport = z.infer<typeof ImportReport>;
export type UpdateProcessInputT = z.infer<typeof UpdateProcessInput>;
export type SnapshotSummaryT = z.infer<typeof SnapshotSummary>;
export type PeopleT = z.infer<typeof People>;
