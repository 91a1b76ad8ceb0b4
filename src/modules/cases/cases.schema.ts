import {
  boolean,
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
import { EVENT_KINDS, SOURCE_KINDS, STATUSES, SUBJECT_KINDS, type Taxonomy } from './cases.vocab.ts';

/** One row per administration that changed the shipped taxonomy (absent: DEFAULT_TAXONOMY). */
export const caseSettings = pgTable('case_settings', {
  id: id(),
  tenantId: tenantId().unique(),
  taxonomy: jsonb('taxonomy').$type<Taxonomy>().notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});

/** Reference numbers: one counter per administration and year (CASE-2026-0001). */
export const caseCounters = pgTable(
  'case_counters',
  {
    id: id(),
    tenantId: tenantId(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [uniqueIndex('case_counters_year').on(t.tenantId, t.year)],
);

/**
 * A case. Workflow metadata only in clear (status, codes, dates, unit): statistics are counted
 * from these columns, never from notes, subjects or files.
 */
export const cases = pgTable(
  'cases',
  {
    id: id(),
    tenantId: tenantId(),
    reference: text('reference').notNull(),
    title: text('title').notNull(),
    sourceKind: text('source_kind', { enum: SOURCE_KINDS }).notNull(),
    /** The source's own reference: report receipt-free id, audit number, alert or flag id. */
    sourceRef: text('source_ref'),
    status: text('status', { enum: STATUSES }).notNull().default('new'),
    /** Codes of the administration's taxonomy lists (shipped or its own: cases.vocab.ts). */
    closureReason: text('closure_reason'),
    decision: text('decision'),
    outcome: text('outcome'),
    /** A code of the administration's sanction scale (disciplinary outcome only). */
    sanction: text('sanction'),
    appealFiledOn: date('appeal_filed_on'),
    appealNote: text('appeal_note'),
    /** The org unit concerned (the conflict check compares handlers' units with its subtree). */
    orgUnitId: uuid('org_unit_id'),
    /** Names a senior manager: handled by holders of cases.escalated only. */
    escalated: boolean('escalated').notNull().default(false),
    decisionDueOn: date('decision_due_on'),
    /** The day the daily job found the decision overdue (null: not overdue or not yet seen). */
    overdueSince: date('overdue_since'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    openedBy: uuid('opened_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    uniqueIndex('cases_reference').on(t.tenantId, t.reference),
    index('cases_source_idx').on(t.tenantId, t.sourceKind, t.sourceRef),
  ],
);

/** Who handles a case; an assignment ends (never deleted) on reassignment: the history. */
export const caseAssignments = pgTable(
  'case_assignments',
  {
    id: id(),
    tenantId: tenantId(),
    caseId: uuid('case_id').notNull(),
    userId: uuid('user_id').notNull(),
    assignedBy: uuid('assigned_by'),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
    /** The handler belongs to the unit concerned (or below it), and the assigner confirmed. */
    conflict: boolean('conflict').notNull().default(false),
    reason: text('reason'),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedBy: uuid('ended_by'),
    createdAt: createdAt(),
  },
  (t) => [index('case_assignments_user_idx').on(t.tenantId, t.userId, t.endedAt)],
);

/** Internal notes of the handlers (never sent to a reporter). */
export const caseNotes = pgTable('case_notes', {
  id: id(),
  tenantId: tenantId(),
  caseId: uuid('case_id').notNull(),
  authorId: uuid('author_id').notNull(),
  body: text('body').notNull(),
  createdAt: createdAt(),
});

/** People and companies a case concerns: restricted data, shown only in the audited case view. */
export const caseSubjects = pgTable('case_subjects', {
  id: id(),
  tenantId: tenantId(),
  caseId: uuid('case_id').notNull(),
  kind: text('kind', { enum: SUBJECT_KINDS }).notNull(),
  /** A member of the organisation (staff), if the subject is one. */
  userId: uuid('user_id'),
  name: text('name').notNull(),
  identifier: text('identifier'),
  role: text('role'),
  addedBy: uuid('added_by').notNull(),
  createdAt: createdAt(),
});

/** Attachments in platform storage; downloading one is audited. */
export const caseFiles = pgTable('case_files', {
  id: id(),
  tenantId: tenantId(),
  caseId: uuid('case_id').notNull(),
  storageKey: text('storage_key').notNull(),
  filename: text('filename').notNull(),
  mediaType: text('media_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  uploadedBy: uuid('uploaded_by').notNull(),
  createdAt: createdAt(),
});

/** The timeline: what happened to a case, by whom, when (facts only, no note text). */
export const caseEvents = pgTable(
  'case_events',
  {
    id: id(),
    tenantId: tenantId(),
    caseId: uuid('case_id').notNull(),
    kind: text('kind', { enum: EVENT_KINDS }).notNull(),
    actorId: uuid('actor_id'),
    data: jsonb('data').$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('case_events_case_idx').on(t.tenantId, t.caseId, t.createdAt)],
);
