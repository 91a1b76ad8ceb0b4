import {
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.ts';
import {
  ACTION_ORIGINS,
  ACTION_STATUSES,
  KPI_DIRECTIONS,
  KPI_SOURCES,
  type KpiFeed,
  PLAN_STATUSES,
} from './action-plans.vocab.ts';

export const actionPlans = pgTable('action_plans', {
  id: id(),
  tenantId: tenantId(),
  title: text('title').notNull(),
  horizonStart: date('horizon_start').notNull(),
  horizonEnd: date('horizon_end').notNull(),
  status: text('status', { enum: PLAN_STATUSES }).notNull().default('draft'),
  fundingSource: text('funding_source'),
  /** The assessment the plan answers (its gaps), if any. */
  assessmentId: uuid('assessment_id'),
  approvedBy: uuid('approved_by'),
  approvedAt: timestamp('approved_at', { withTimezone: true }),
  approvalNote: text('approval_note'),
  createdBy: uuid('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});

export const planActions = pgTable(
  'plan_actions',
  {
    id: id(),
    tenantId: tenantId(),
    planId: uuid('plan_id').notNull(),
    ref: text('ref').notNull(),
    objective: text('objective').notNull(),
    description: text('description'),
    factor: integer('factor'),
    /** Checklist item URNs (gaps) and risk ids this action answers. */
    gapItemUrns: jsonb('gap_item_urns').$type<string[]>().notNull().default([]),
    riskIds: jsonb('risk_ids').$type<string[]>().notNull().default([]),
    ownerUnitId: uuid('owner_unit_id'),
    ownerUserId: uuid('owner_user_id'),
    startDate: date('start_date'),
    dueDate: date('due_date'),
    budget: numeric('budget', { precision: 16, scale: 2, mode: 'number' }),
    currency: text('currency'),
    status: text('status', { enum: ACTION_STATUSES }).notNull().default('not_started'),
    progress: integer('progress').notNull().default(0),
    evidence: text('evidence'),
    origin: text('origin', { enum: ACTION_ORIGINS }).notNull().default('manual'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    uniqueIndex('plan_actions_ref').on(t.planId, t.ref),
    index('plan_actions_due_idx').on(t.tenantId, t.status, t.dueDate),
  ],
);

export const actionMilestones = pgTable(
  'action_milestones',
  {
    id: id(),
    tenantId: tenantId(),
    actionId: uuid('action_id').notNull(),
    title: text('title').notNull(),
    dueDate: date('due_date').notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('action_milestones_action_idx').on(t.actionId)],
);

export const kpis = pgTable(
  'kpis',
  {
    id: id(),
    tenantId: tenantId(),
    planId: uuid('plan_id'),
    code: text('code').notNull(),
    name: text('name').notNull(),
    definition: text('definition'),
    unit: text('unit').notNull(),
    direction: text('direction', { enum: KPI_DIRECTIONS }).notNull(),
    baseline: doublePrecision('baseline'),
    target: doublePrecision('target'),
    targetDate: date('target_date'),
    factor: integer('factor'),
    actionIds: jsonb('action_ids').$type<string[]>().notNull().default([]),
    /** Null: values are entered by hand; else where the feeds job reads the value. */
    feed: jsonb('feed').$type<KpiFeed>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('kpis_code').on(t.tenantId, t.code)],
);

export const kpiValues = pgTable(
  'kpi_values',
  {
    id: id(),
    tenantId: tenantId(),
    kpiId: uuid('kpi_id').notNull(),
    periodEnd: date('period_end').notNull(),
    value: doublePrecision('value').notNull(),
    note: text('note'),
    source: text('source', { enum: KPI_SOURCES }).notNull().default('manual'),
    recordedBy: uuid('recorded_by'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('kpi_values_period').on(t.kpiId, t.periodEnd, t.source)],
);
