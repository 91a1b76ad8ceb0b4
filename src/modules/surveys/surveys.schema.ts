import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.ts';
import { AUDIENCES, PARTICIPATION, RESPONSE_MODES, SURVEY_STATUSES } from './surveys.vocab.ts';

/**
 * A survey: one iteration of a series (the CIPS is repeated about every two years), its
 * questionnaire copied from a shipped template when created and editable while draft.
 */
export const surveys = pgTable(
  'surveys',
  {
    id: id(),
    tenantId: tenantId(),
    /** Iterations of one series share it (a random id given with the first iteration). */
    seriesId: uuid('series_id').notNull(),
    iteration: integer('iteration').notNull().default(1),
    name: text('name').notNull(),
    audience: text('audience', { enum: AUDIENCES }).notNull(),
    templateSlug: text('template_slug').notNull(),
    templateVersion: integer('template_version').notNull(),
    languages: jsonb('languages').$type<string[]>().notNull(),
    /** The questionnaire (SurveyQuestion[]: id, factor, kind, polarity, text per language, options). */
    questions: jsonb('questions').notNull(),
    /** Which respondent bands are asked: { gender, age, grade: boolean; regions: string[] }. */
    bands: jsonb('bands').notNull(),
    participation: text('participation', { enum: PARTICIPATION }).notNull().default('tokens'),
    /** The open link's code (a public link by design), set when the survey opens with one. */
    openCode: text('open_code'),
    /** On by default; cannot change once the survey is live (docs/adr/0019-survey-anonymity.md). */
    anonymous: boolean('anonymous').notNull().default(true),
    minCell: integer('min_cell').notNull().default(10),
    status: text('status', { enum: SURVEY_STATUSES }).notNull().default('draft'),
    openedOn: date('opened_on'),
    closedOn: date('closed_on'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    uniqueIndex('surveys_series_iteration').on(t.tenantId, t.seriesId, t.iteration),
    uniqueIndex('surveys_open_code').on(t.openCode),
  ],
);

/**
 * The participation record: who was invited (null for a printed token), the token's hash and
 * whether it was used. No completion time, no update time: nothing here can be lined up with
 * a response (docs/adr/0019-survey-anonymity.md).
 */
export const surveyInvitations = pgTable(
  'survey_invitations',
  {
    id: id(),
    tenantId: tenantId(),
    surveyId: uuid('survey_id').notNull(),
    userId: uuid('user_id'),
    tokenHash: text('token_hash').notNull(),
    completed: boolean('completed').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('survey_invitations_token').on(t.tokenHash),
    index('survey_invitations_survey').on(t.tenantId, t.surveyId),
  ],
);

/**
 * The response store: bands and answers only. Random (v4) ids, the day and nothing finer, no
 * token, user, IP or user agent; rows rewritten in random order by the shuffle
 * (docs/adr/0019-survey-anonymity.md). `invitation_id` is set only for a survey created non-anonymous.
 */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    tenantId: tenantId(),
    surveyId: uuid('survey_id').notNull(),
    day: date('day').notNull(),
    mode: text('mode', { enum: RESPONSE_MODES }).notNull(),
    bands: jsonb('bands').$type<Record<string, string>>().notNull(),
    answers: jsonb('answers').$type<Record<string, unknown>>().notNull(),
    invitationId: uuid('invitation_id'),
  },
  (t) => [index('survey_responses_survey').on(t.tenantId, t.surveyId)],
);
