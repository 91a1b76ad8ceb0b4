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
import { ASSESSMENT_STATUSES, ASSESSMENT_TYPES, CONFIDENCE_LEVELS, TEAM_ROLES } from './assessments.vocab.ts';

// A campaign pins the exact framework and scale versions it is made against, so later
// library versions never change its items or its scores.
export const assessments = pgTable(
  'assessments',
  {
    id: id(),
    tenantId: tenantId(),
    title: text('title').notNull(),
    type: text('type', { enum: ASSESSMENT_TYPES }).notNull(),
    status: text('status', { enum: ASSESSMENT_STATUSES }).notNull().default('planned'),
    frameworkLibraryId: uuid('framework_library_id').notNull(),
    scaleLibraryId: uuid('scale_library_id').notNull(),
    scaleUrn: text('scale_urn').notNull(),
    /** Org units in scope (empty = the whole administration). */
    scopeUnitIds: jsonb('scope_unit_ids').$type<string[]>().notNull().default([]),
    startDate: date('start_date'),
    endDate: date('end_date'),
    /** Corrections of a validated assessment make a new revision that supersedes it. */
    revisionOf: uuid('revision_of'),
    revision: integer('revision').notNull().default(1),
    /** Factor and overall scores frozen at validation (trend, comparison, benchmark). */
    scores: jsonb('scores'),
    validatedAt: timestamp('validated_at', { withTimezone: true }),
    validatedBy: uuid('validated_by'),
    validationNote: text('validation_note'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('assessments_tenant_idx').on(t.tenantId, t.status)],
);

export const assessmentTeam = pgTable(
  'assessment_team',
  {
    id: id(),
    tenantId: tenantId(),
    assessmentId: uuid('assessment_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role', { enum: TEAM_ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('assessment_team_member').on(t.assessmentId, t.userId, t.role)],
);

/** One response per checklist item of the pinned framework version. */
export const assessmentResponses = pgTable(
  'assessment_responses',
  {
    id: id(),
    tenantId: tenantId(),
    assessmentId: uuid('assessment_id').notNull(),
    itemUrn: text('item_urn').notNull(),
    factor: integer('factor'),
    rating: integer('rating'),
    notApplicable: boolean('not_applicable').notNull().default(false),
    naReason: text('na_reason'),
    narrative: text('narrative'),
    strengths: text('strengths'),
    weaknesses: text('weaknesses'),
    sources: jsonb('sources').$type<string[]>().notNull().default([]),
    confidence: text('confidence', { enum: CONFIDENCE_LEVELS }),
    updatedBy: uuid('updated_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('assessment_responses_item').on(t.assessmentId, t.itemUrn)],
);

export const assessmentEvidence = pgTable(
  'assessment_evidence',
  {
    id: id(),
    tenantId: tenantId(),
    assessmentId: uuid('assessment_id').notNull(),
    itemUrn: text('item_urn').notNull(),
    storageKey: text('storage_key').notNull(),
    filename: text('filename').notNull(),
    mediaType: text('media_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    uploadedBy: uuid('uploaded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('assessment_evidence_item_idx').on(t.assessmentId, t.itemUrn)],
);

export const assessmentComments = pgTable(
  'assessment_comments',
  {
    id: id(),
    tenantId: tenantId(),
    assessmentId: uuid('assessment_id').notNull(),
    itemUrn: text('item_urn').notNull(),
    authorId: uuid('author_id').notNull(),
    body: text('body').notNull(),
    mentions: jsonb('mentions').$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [index('assessment_comments_item_idx').on(t.assessmentId, t.itemUrn)],
);

/**
 * Per-factor scores an administration chose to share for the peer benchmark. Readable by
 * its own tenant only; the cross-tenant aggregates come from a SECURITY DEFINER function
 * that suppresses every group under five administrations.
 */
export const benchmarkShares = pgTable(
  'benchmark_shares',
  {
    id: id(),
    tenantId: tenantId(),
    assessmentId: uuid('assessment_id').notNull(),
    frameworkUrn: text('framework_urn').notNull(),
    wcoRegion: text('wco_region'),
    factorScores: jsonb('factor_scores').$type<Record<string, number>>().notNull(),
    overall: doublePrecision('overall'),
    sharedBy: uuid('shared_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('benchmark_shares_tenant').on(t.tenantId, t.frameworkUrn)],
);
