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
import { CAMPAIGN_TARGETS, COURSE_KINDS, ENROLMENT_STATUSES, VERSION_STATUSES } from './learning.vocab.ts';

// tenant_id NULL = shipped with Arusha (the "Integrity in Customs" course) and readable by
// every tenant, like the standards library; otherwise an administration's own course.
export const courses = pgTable(
  'courses',
  {
    id: id(),
    tenantId: uuid('tenant_id'),
    slug: text('slug').notNull(),
    kind: text('kind', { enum: COURSE_KINDS }).notNull().default('native'),
    /** Title and summary per language: { en: …, fr: … }. */
    title: jsonb('title').$type<Record<string, string>>().notNull(),
    summary: jsonb('summary').$type<Record<string, string>>().notNull().default({}),
    archived: boolean('archived').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('courses_slug_idx').on(t.slug)],
);

/**
 * An immutable published version of a course: its whole content (modules → lessons, question
 * banks, pass marks) as one document, or a SCORM package. A learner finishes the version
 * they started.
 */
export const courseVersions = pgTable(
  'course_versions',
  {
    id: id(),
    tenantId: uuid('tenant_id'),
    courseId: uuid('course_id').notNull(),
    number: integer('number').notNull(),
    status: text('status', { enum: VERSION_STATUSES }).notNull().default('draft'),
    languages: jsonb('languages').$type<string[]>().notNull(),
    content: jsonb('content').notNull(),
    sha256: text('sha256').notNull(),
    /** SCORM: where the extracted package lives in file storage, and its launch file. */
    scormKey: text('scorm_key'),
    scormEntry: text('scorm_entry'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('course_versions_number').on(t.courseId, t.number)],
);

export const enrolmentCampaigns = pgTable('enrolment_campaigns', {
  id: id(),
  tenantId: tenantId(),
  courseId: uuid('course_id').notNull(),
  title: text('title').notNull(),
  targetKind: text('target_kind', { enum: CAMPAIGN_TARGETS }).notNull(),
  /** Unit ids (with their sub-units), role ids or user ids, by targetKind. */
  targets: jsonb('targets').$type<string[]>().notNull(),
  dueDate: date('due_date'),
  escalate: boolean('escalate').notNull().default(true),
  createdBy: uuid('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});

export const enrolments = pgTable(
  'enrolments',
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid('user_id').notNull(),
    courseId: uuid('course_id').notNull(),
    /** Pinned when the learner starts; null until then (the latest published version is offered). */
    courseVersionId: uuid('course_version_id'),
    campaignId: uuid('campaign_id'),
    orgUnitId: uuid('org_unit_id'),
    dueDate: date('due_date'),
    status: text('status', { enum: ENROLMENT_STATUSES }).notNull().default('enrolled'),
    /** Lesson ids done, quiz results by module id, SCORM cmi data. */
    progress: jsonb('progress').$type<Record<string, unknown>>().notNull().default({}),
    score: doublePrecision('score'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    uniqueIndex('enrolments_user_course').on(t.tenantId, t.userId, t.courseId),
    index('enrolments_due_idx').on(t.tenantId, t.status, t.dueDate),
  ],
);

export const quizAttempts = pgTable(
  'quiz_attempts',
  {
    id: id(),
    tenantId: tenantId(),
    enrolmentId: uuid('enrolment_id').notNull(),
    moduleId: text('module_id').notNull(),
    attempt: integer('attempt').notNull(),
    /** The seed of the random draw and order: the same seed draws the same quiz. */
    seed: text('seed').notNull(),
    questionIds: jsonb('question_ids').$type<string[]>().notNull(),
    answers: jsonb('answers'),
    score: doublePrecision('score'),
    passed: boolean('passed'),
    deadline: timestamp('deadline', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('quiz_attempts_number').on(t.enrolmentId, t.moduleId, t.attempt)],
);

/**
 * Issued certificates. `payload` is the exact signed text (what the certificate states);
 * `signature` is Ed25519 over it. Public verification goes through a SECURITY DEFINER
 * function that returns only what the certificate states.
 */
export const certificates = pgTable(
  'certificates',
  {
    id: id(),
    tenantId: tenantId(),
    enrolmentId: uuid('enrolment_id').notNull(),
    userId: uuid('user_id').notNull(),
    code: text('code').notNull(),
    payload: text('payload').notNull(),
    signature: text('signature').notNull(),
    keyId: text('key_id').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
    revokedBy: uuid('revoked_by'),
  },
  (t) => [
    uniqueIndex('certificates_code').on(t.code),
    uniqueIndex('certificates_enrolment').on(t.enrolmentId),
  ],
);
