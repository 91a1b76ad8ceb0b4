import { z } from 'zod';
import {
  ACTION_ORIGINS,
  ACTION_STATUSES,
  KPI_DIRECTIONS,
  KPI_SOURCES,
  PLAN_STATUSES,
} from './action-plans.vocab.ts';

// Contracts shared by the routes and the UI. Strict objects, bounded strings and arrays.

const day = z.iso.date();
const text = (max: number) => z.string().trim().min(1).max(max);
const optText = (max: number) => z.string().trim().max(max).nullable().optional();
const factor = z.number().int().min(1).max(10);
const urn = z
  .string()
  .max(200)
  .regex(/^urn:[a-z0-9][a-z0-9-]*(:[a-z0-9][a-z0-9._-]*)+$/, 'a checklist item URN');
const version = z.number().int().min(1);

export const IdParam = z.object({ id: z.uuid() }).strict();
export const KpiValueParam = z.object({ id: z.uuid(), valueId: z.uuid() }).strict();
export const VersionQuery = z.object({ version: z.coerce.number().int().min(1) }).strict();
export const PlanIdQuery = z.object({ planId: z.uuid().optional() }).strict();

// ---- plans ----------------------------------------------------------------------------
export const Plan = z.object({
  id: z.uuid(),
  title: z.string(),
  horizonStart: day,
  horizonEnd: day,
  status: z.enum(PLAN_STATUSES),
  fundingSource: z.string().nullable(),
  assessmentId: z.uuid().nullable(),
  approvedBy: z.uuid().nullable(),
  approvedByName: z.string().nullable(),
  approvedAt: z.iso.datetime().nullable(),
  approvalNote: z.string().nullable(),
  createdBy: z.uuid(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type PlanT = z.infer<typeof Plan>;

export const PlanListItem = Plan.extend({
  actionCount: z.number().int(),
  doneCount: z.number().int(),
  overdueCount: z.number().int(),
});
export type PlanListItemT = z.infer<typeof PlanListItem>;

export const CreatePlanInput = z
  .object({
    title: text(300),
    horizonStart: day,
    horizonEnd: day,
    fundingSource: optText(500),
    assessmentId: z.uuid().nullable().optional(),
  })
  .strict();

export const UpdatePlanInput = z
  .object({
    version,
    title: text(300).optional(),
    horizonStart: day.optional(),
    horizonEnd: day.optional(),
    fundingSource: optText(500),
    assessmentId: z.uuid().nullable().optional(),
    /** draft → (approve route) → approved → in_progress → completed; archived from anywhere. */
    status: z.enum(['in_progress', 'completed', 'archived']).optional(),
    /**
     * Changing the horizon of an approved plan withdraws its approval; the caller must say so
     * (409 CONFLICT otherwise): nothing changes silently (ADR 0011).
     */
    withdrawApproval: z.boolean().optional(),
  })
  .strict();

export const ApprovePlanInput = z.object({ version, note: optText(2000) }).strict();

// ---- actions --------------------------------------------------------------------------
export const Milestone = z.object({
  id: z.uuid(),
  actionId: z.uuid(),
  title: z.string(),
  dueDate: day,
  doneAt: z.iso.datetime().nullable(),
  overdue: z.boolean(),
  version: z.number().int(),
});
export type MilestoneT = z.infer<typeof Milestone>;

export const Action = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  ref: z.string(),
  objective: z.string(),
  description: z.string().nullable(),
  factor: z.number().int().nullable(),
  gapItemUrns: z.array(z.string()),
  riskIds: z.array(z.uuid()),
  ownerUnitId: z.uuid().nullable(),
  ownerUserId: z.uuid().nullable(),
  startDate: day.nullable(),
  dueDate: day.nullable(),
  budget: z.number().nullable(),
  currency: z.string().nullable(),
  status: z.enum(ACTION_STATUSES),
  progress: z.number().int(),
  evidence: z.string().nullable(),
  origin: z.enum(ACTION_ORIGINS),
  completedAt: z.iso.datetime().nullable(),
  /** Computed: due date passed and not done or cancelled (the status stays as set). */
  overdue: z.boolean(),
  milestones: z.array(Milestone),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type ActionT = z.infer<typeof Action>;

export const PlanDetail = Plan.extend({ actions: z.array(Action), today: day });
export type PlanDetailT = z.infer<typeof PlanDetail>;

const actionFields = {
  objective: text(500),
  description: optText(4000),
  factor: factor.nullable().optional(),
  gapItemUrns: z.array(urn).max(50).optional(),
  riskIds: z.array(z.uuid()).max(50).optional(),
  ownerUnitId: z.uuid().nullable().optional(),
  ownerUserId: z.uuid().nullable().optional(),
  startDate: day.nullable().optional(),
  dueDate: day.nullable().optional(),
  budget: z.number().min(0).max(1e13).nullable().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code')
    .nullable()
    .optional(),
};

const MilestoneInput = z.object({ title: text(300), dueDate: day }).strict();

export const CreateActionInput = z
  .object({
    ...actionFields,
    status: z.enum(ACTION_STATUSES).optional(),
    milestones: z.array(MilestoneInput).max(20).optional(),
  })
  .strict();

export const UpdateActionInput = z
  .object({
    version,
    ...actionFields,
    objective: text(500).optional(),
    status: z.enum(ACTION_STATUSES).optional(),
    progress: z.number().int().min(0).max(100).optional(),
    evidence: optText(4000),
  })
  .strict();

/** What an owner (permission action-plans.report) may change on their own action. */
export const ProgressInput = z
  .object({
    version,
    status: z.enum(ACTION_STATUSES).optional(),
    progress: z.number().int().min(0).max(100).optional(),
    evidence: optText(4000),
  })
  .strict();

export const CreateMilestoneInput = MilestoneInput;
export const UpdateMilestoneInput = z
  .object({ version, title: text(300).optional(), dueDate: day.optional(), done: z.boolean().optional() })
  .strict();

// ---- draft from evidence --------------------------------------------------------------
export const DraftInput = z
  .object({
    assessmentId: z.uuid().optional(),
    itemLimit: z.number().int().min(0).max(30).default(5),
    riskLimit: z.number().int().min(0).max(30).default(5),
  })
  .strict();

export const Proposal = z.object({
  /** Where it comes from: a checklist item of the assessment, or a risk of the register. */
  source: z.enum(['item', 'risk']),
  sourceRef: z.string(),
  objective: z.string(),
  description: z.string(),
  factor: z.number().int().nullable(),
  gapItemUrns: z.array(z.string()),
  riskIds: z.array(z.uuid()),
  startDate: day,
  dueDate: day,
  /** The item's rating or the risk's residual score, for sorting and display. */
  rating: z.number().nullable(),
  scaleMax: z.number().nullable(),
  level: z.object({ id: z.string(), label: z.string(), color: z.string() }).nullable(),
});
export type ProposalT = z.infer<typeof Proposal>;

export const DraftResult = z.object({
  assessmentId: z.uuid().nullable(),
  proposals: z.array(Proposal),
  /** What could not be consulted (module not available, no validated assessment). */
  notes: z.array(z.string()),
});
export type DraftResultT = z.infer<typeof DraftResult>;

export const AcceptInput = z
  .object({
    actions: z
      .array(CreateActionInput.omit({ status: true }))
      .min(1)
      .max(50),
  })
  .strict();

// ---- KPIs -----------------------------------------------------------------------------
/**
 * Where a KPI is fed from (null: entered by hand): a course's completion rate, the code of
 * conduct acknowledgement rate (optionally in a unit and its sub-units), a survey's factor score.
 */
export const KpiFeed = z.discriminatedUnion('source', [
  z.object({ source: z.literal('learning'), courseId: z.uuid() }).strict(),
  z.object({ source: z.literal('conduct'), unitId: z.uuid().optional() }).strict(),
  z.object({ source: z.literal('surveys'), surveyId: z.uuid(), factor }).strict(),
]);
export type KpiFeedT = z.infer<typeof KpiFeed>;

export const KpiValue = z.object({
  id: z.uuid(),
  periodEnd: day,
  value: z.number(),
  note: z.string().nullable(),
  source: z.enum(KPI_SOURCES),
  recordedBy: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
});
export type KpiValueT = z.infer<typeof KpiValue>;

export const Kpi = z.object({
  id: z.uuid(),
  planId: z.uuid().nullable(),
  code: z.string(),
  name: z.string(),
  definition: z.string().nullable(),
  unit: z.string(),
  direction: z.enum(KPI_DIRECTIONS),
  baseline: z.number().nullable(),
  target: z.number().nullable(),
  targetDate: day.nullable(),
  factor: z.number().int().nullable(),
  actionIds: z.array(z.uuid()),
  feed: KpiFeed.nullable(),
  latest: z.object({ periodEnd: day, value: z.number() }).nullable(),
  progress: z.number().nullable(),
  values: z.array(KpiValue),
  version: z.number().int(),
});
export type KpiT = z.infer<typeof Kpi>;

const kpiFields = {
  planId: z.uuid().nullable().optional(),
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'letters, digits, dot, dash'),
  name: text(300),
  definition: optText(4000),
  unit: text(40),
  direction: z.enum(KPI_DIRECTIONS),
  baseline: z.number().min(-1e12).max(1e12).nullable().optional(),
  target: z.number().min(-1e12).max(1e12).nullable().optional(),
  targetDate: day.nullable().optional(),
  factor: factor.nullable().optional(),
  actionIds: z.array(z.uuid()).max(50).optional(),
  feed: KpiFeed.nullable().optional(),
};
export const CreateKpiInput = z.object(kpiFields).strict();
export const UpdateKpiInput = z
  .object({
    version,
    ...kpiFields,
    code: kpiFields.code.optional(),
    name: text(300).optional(),
    unit: text(40).optional(),
    direction: z.enum(KPI_DIRECTIONS).optional(),
  })
  .strict();

export const KpiValueInput = z
  .object({
    periodEnd: day,
    value: z.number().min(-1e12).max(1e12),
    note: optText(1000),
    source: z.enum(KPI_SOURCES).optional(),
  })
  .strict();

/** What a refresh did: the KPI as it now stands; when nothing was recorded, why. */
export const RefreshResult = z.object({
  kpi: Kpi,
  recorded: z.boolean(),
  value: z.number().nullable(),
  reason: z.string().nullable(),
});
export type RefreshResultT = z.infer<typeof RefreshResult>;

// ---- lookups for the forms ------------------------------------------------------------
export const Lookups = z.object({
  units: z.array(z.object({ id: z.uuid(), name: z.string() })),
  users: z.array(z.object({ id: z.uuid(), name: z.string(), unitId: z.uuid().nullable() })),
  items: z.array(
    z.object({ urn: z.string(), refId: z.string(), factor: z.number().nullable(), name: z.string() }),
  ),
  risks: z.array(z.object({ id: z.uuid(), ref: z.string(), title: z.string() })),
});
export type LookupsT = z.infer<typeof Lookups>;
