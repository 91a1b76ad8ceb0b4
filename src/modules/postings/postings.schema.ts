import { boolean, date, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.ts';
import { POSTING_REASONS, VULNERABILITY } from './postings.vocab.ts';

/** The administration's rotation rules: one row per tenant; `enabled` false switches them off. */
export const postingRules = pgTable(
  'posting_rules',
  {
    id: id(),
    tenantId: tenantId(),
    enabled: boolean('enabled').notNull().default(true),
    /** Days before the end of the maximum tenure when the alert goes out. */
    alertDays: integer('alert_days').notNull().default(90),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('posting_rules_tenant').on(t.tenantId)],
);

export const positions = pgTable('positions', {
  id: id(),
  tenantId: tenantId(),
  orgUnitId: uuid('org_unit_id'),
  title: text('title').notNull(),
  function: text('function').notNull().default(''),
  vulnerability: text('vulnerability', { enum: VULNERABILITY }).notNull().default('medium'),
  /** Risks of the corruption risk map this position is exposed to (shown beside the vulnerability). */
  riskIds: jsonb('risk_ids').$type<string[]>().notNull().default([]),
  maxTenureMonths: integer('max_tenure_months'),
  coolingOffMonths: integer('cooling_off_months'),
  archived: boolean('archived').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});

export const postings = pgTable(
  'postings',
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid('user_id').notNull(),
    positionId: uuid('position_id').notNull(),
    startDate: date('start_date').notNull(),
    endDate: date('end_date'),
    reason: text('reason', { enum: POSTING_REASONS }).notNull(),
    /** Why a cooling-off period was overridden, when it was. */
    overrideReason: text('override_reason'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('postings_user').on(t.tenantId, t.userId),
    index('postings_position').on(t.tenantId, t.positionId),
  ],
);
