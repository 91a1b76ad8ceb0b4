import {
  boolean,
  date,
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
  APPROVALS,
  ASSET_KINDS,
  DECLARATION_TYPES,
  DISPOSITIONS,
  FLAG_RULES,
  FLAG_STATUSES,
  MITIGATIONS,
  PARTY_KINDS,
  STATUSES,
} from './declarations.vocab.ts';

/**
 * One row per administration: which declaration types it uses and the thresholds its law sets.
 * Amounts are in `baseCurrency`; `rates` converts other currencies (units of base per unit).
 */
export const declarationSettings = pgTable('declaration_settings', {
  id: id(),
  tenantId: tenantId().unique(),
  enabledTypes: jsonb('enabled_types').$type<string[]>().notNull(),
  baseCurrency: text('base_currency').notNull(),
  rates: jsonb('rates').$type<Record<string, number>>().notNull().default({}),
  giftThreshold: doublePrecision('gift_threshold').notNull(),
  repeatGiftCount: integer('repeat_gift_count').notNull(),
  repeatGiftWindowDays: integer('repeat_gift_window_days').notNull(),
  growthFactor: doublePrecision('growth_factor').notNull(),
  /**
   * Members' officer codes in the Customs declaration data (analytics' `officer_id`), by e-mail
   * (lower case): the related-party flag matches a declarant to the declarations they handled.
   */
  officerCodes: jsonb('officer_codes').$type<Record<string, string>>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});

/** A filing cycle: who must declare what by when (annual asset declarations, say). */
export const declarationCycles = pgTable('declaration_cycles', {
  id: id(),
  tenantId: tenantId(),
  title: text('title').notNull(),
  type: text('type', { enum: DECLARATION_TYPES }).notNull(),
  assetKind: text('asset_kind', { enum: ASSET_KINDS }),
  year: integer('year'),
  /** Unit ids (with their sub-units); empty: every member. */
  unitIds: jsonb('unit_ids').$type<string[]>().notNull().default([]),
  dueDate: date('due_date').notNull(),
  escalate: boolean('escalate').notNull().default(true),
  createdBy: uuid('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});

/**
 * A declaration. Conflict and gift fields are plain; an asset declaration keeps only the
 * categories, descriptions and dates in clear (`assetItems`) — the values of its items, its
 * liabilities and its income are sealed together in `assetSealed` (SecretBox, docs/adr).
 */
export const declarations = pgTable(
  'declarations',
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid('user_id').notNull(),
    /** The declarant's unit when filing (the line manager who approves is in it). */
    unitId: uuid('unit_id'),
    type: text('type', { enum: DECLARATION_TYPES }).notNull(),
    cycleId: uuid('cycle_id'),
    status: text('status', { enum: STATUSES }).notNull().default('submitted'),
    approval: text('approval', { enum: APPROVALS }).notNull().default('not_required'),
    approvedBy: uuid('approved_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    approvalNote: text('approval_note'),
    // conflict of interest
    partyKind: text('party_kind', { enum: PARTY_KINDS }),
    partyName: text('party_name'),
    partyIdentifier: text('party_identifier'),
    nature: text('nature'),
    mitigation: text('mitigation', { enum: MITIGATIONS }),
    // gifts and hospitality
    giver: text('giver'),
    giftDate: date('gift_date'),
    description: text('description'),
    value: doublePrecision('value'),
    currency: text('currency'),
    baseValue: doublePrecision('base_value'),
    disposition: text('disposition', { enum: DISPOSITIONS }),
    // assets and interests
    assetKind: text('asset_kind', { enum: ASSET_KINDS }),
    periodYear: integer('period_year'),
    assetItems:
      jsonb('asset_items').$type<{ category: string; description: string; acquiredOn: string | null }[]>(),
    assetSealed: text('asset_sealed'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    dueDate: date('due_date'),
    reviewerId: uuid('reviewer_id'),
    reviewNote: text('review_note'),
    /** A referral's external reference, if any (an anti-corruption agency's file number, say). */
    referralRef: text('referral_ref'),
    /** The case a referral opened in the cases module, and its reference (CASE-2026-0001). */
    caseId: uuid('case_id'),
    caseReference: text('case_reference'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('declarations_user_idx').on(t.tenantId, t.userId, t.type),
    index('declarations_cycle_idx').on(t.tenantId, t.cycleId),
  ],
);

/**
 * A red flag with the facts that raised it (`facts`, in clear: no asset amount) and, for the
 * asset-growth rule, the amounts sealed in `sealedFacts` for reviewers only. `subject` makes a
 * flag unique per rule (re-evaluation never duplicates it).
 */
export const declarationFlags = pgTable(
  'declaration_flags',
  {
    id: id(),
    tenantId: tenantId(),
    rule: text('rule', { enum: FLAG_RULES }).notNull(),
    subject: text('subject').notNull(),
    userId: uuid('user_id').notNull(),
    declarationId: uuid('declaration_id'),
    cycleId: uuid('cycle_id'),
    facts: jsonb('facts').$type<Record<string, string | number | null>>().notNull(),
    sealedFacts: text('sealed_facts'),
    status: text('status', { enum: FLAG_STATUSES }).notNull().default('open'),
    reason: text('reason'),
    referralRef: text('referral_ref'),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('declaration_flags_subject').on(t.tenantId, t.rule, t.subject)],
);
