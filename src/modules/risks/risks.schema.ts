import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
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
  ACCEPTANCE_STATES,
  CONTROL_EFFECTIVENESS,
  CONTROL_KINDS,
  RISK_SCHEMES,
  RISK_STATUSES,
  TREATMENTS,
} from './risks.vocab.ts';

/** The administration's risk matrix (levels, thresholds, colours) and review intervals. */
export const riskSettings = pgTable('risk_settings', {
  tenantId: uuid('tenant_id').primaryKey(),
  /** Copied from a matrix library (default 5×5) and editable: probability/impact levels, level bands with colours. */
  matrix: jsonb('matrix').notNull(),
  matrixUrn: text('matrix_urn'),
  /** Days until the next review, by risk level id (e.g. { critical: 30, high: 90 }). */
  reviewDays: jsonb('review_days').$type<Record<string, number>>().notNull(),
  updatedAt: updatedAt(),
  version: version(),
});

/** The catalogue of Customs processes: pre-loaded per administration, editable. */
export const riskProcesses = pgTable(
  'risk_processes',
  {
    id: id(),
    tenantId: tenantId(),
    code: text('code').notNull(),
    /** Null for a pre-loaded process whose name comes from the translated catalogue. */
    name: text('name'),
    description: text('description'),
    position: integer('position').notNull().default(0),
    archived: boolean('archived').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('risk_processes_code').on(t.tenantId, t.code)],
);

export const risks = pgTable(
  'risks',
  {
    id: id(),
    tenantId: tenantId(),
    /** Human reference, unique per administration. */
    ref: text('ref').notNull(),
    /** Null only on a draft (a source that could not tell the process). */
    processId: uuid('process_id'),
    title: text('title').notNull(),
    description: text('description'),
    scheme: text('scheme', { enum: RISK_SCHEMES }).notNull(),
    actors: jsonb('actors').$type<string[]>().notNull().default([]),
    drivers: text('drivers'),
    factors: jsonb('factors').$type<number[]>().notNull().default([]),
    orgUnitId: uuid('org_unit_id'),
    ownerUserId: uuid('owner_user_id'),
    /** Null only on a draft: the risk owner rates it. */
    inherentLikelihood: integer('inherent_likelihood'),
    inherentImpact: integer('inherent_impact'),
    residualLikelihood: integer('residual_likelihood'),
    residualImpact: integer('residual_impact'),
    treatment: text('treatment', { enum: TREATMENTS }).notNull().default('reduce'),
    treatmentNote: text('treatment_note'),
    acceptance: text('acceptance', { enum: ACCEPTANCE_STATES }).notNull().default('none'),
    acceptanceDecidedBy: uuid('acceptance_decided_by'),
    acceptanceDecidedAt: timestamp('acceptance_decided_at', { withTimezone: true }),
    acceptanceNote: text('acceptance_note'),
    status: text('status', { enum: RISK_STATUSES }).notNull().default('open'),
    lastReviewedAt: timestamp('last_reviewed_at', { withTimezone: true }),
    nextReviewOn: date('next_review_on'),
    /** Where the risk came from when another module identified it (e.g. 'analytics' and the alert id). */
    sourceModule: text('source_module'),
    sourceRef: text('source_ref'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    uniqueIndex('risks_ref').on(t.tenantId, t.ref),
    index('risks_process_idx').on(t.tenantId, t.processId),
    // One risk per source object: identifying it again returns the same risk.
    uniqueIndex('risks_source').on(t.tenantId, t.sourceModule, t.sourceRef),
    check(
      'risks_rated_unless_draft',
      sql`${t.status} = 'draft' OR (${t.processId} IS NOT NULL AND ${t.inherentLikelihood} IS NOT NULL AND ${t.inherentImpact} IS NOT NULL AND ${t.residualLikelihood} IS NOT NULL AND ${t.residualImpact} IS NOT NULL)`,
    ),
  ],
);

export const riskControls = pgTable(
  'risk_controls',
  {
    id: id(),
    tenantId: tenantId(),
    riskId: uuid('risk_id').notNull(),
    description: text('description').notNull(),
    kind: text('kind', { enum: CONTROL_KINDS }).notNull(),
    automated: boolean('automated').notNull().default(false),
    effectiveness: text('effectiveness', { enum: CONTROL_EFFECTIVENESS }).notNull().default('untested'),
    lastTestedOn: date('last_tested_on'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('risk_controls_risk_idx').on(t.riskId)],
);

/** The register as it stood at a review: the heat maps and the trend between snapshots. */
export const riskSnapshots = pgTable('risk_snapshots', {
  id: id(),
  tenantId: tenantId(),
  label: text('label').notNull(),
  /** One entry per open risk: id, ref, process, factors, unit, inherent and residual L/I and level. */
  data: jsonb('data').notNull(),
  takenBy: uuid('taken_by').notNull(),
  createdAt: createdAt(),
});
