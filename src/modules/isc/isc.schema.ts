import { boolean, date, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.ts';
import {
  CORE_FUNCTIONS,
  LEAD_KINDS,
  type PARTICIPANT_KINDS,
  RECOMMENDATION_STATUSES,
  SESSION_STATUSES,
  WORK_STATUSES,
} from './isc.vocab.ts';

// The Integrity Sub-Committee (docs/adr/0029-isc-access.md): every row belongs to the WCO
// Secretariat's tenant, which alone writes (restrictive policies); delegates of Member
// administrations read the Secretariat's rows (an extra SELECT policy). Links between rows
// (session, work item) are checked by the service, in the same transaction.

export interface Participant {
  kind: (typeof PARTICIPANT_KINDS)[number];
  name: string;
  /** ISO 3166 alpha-2 for a Member administration, else null. */
  country: string | null;
  /** Observer or private-sector category (e.g. "international organisation", "business association"). */
  category: string | null;
  delegatesCount: number | null;
  delegates: string[];
  /**
   * The invited observer or private-sector organisation (an Arusha organisation of type
   * international, private_sector or donor): its ISC readers read this session (docs/adr/0029).
   */
  organisationId?: string | null;
}

export interface StatusChange {
  status: (typeof RECOMMENDATION_STATUSES)[number];
  /** The day it happened (ISO date). */
  on: string;
  note: string;
  by: string;
}

export const iscSessions = pgTable(
  'isc_sessions',
  {
    id: id(),
    tenantId: tenantId(),
    /** The session's ordinal (the 23rd session is 23). */
    number: integer('number').notNull(),
    theme: text('theme').notNull().default(''),
    startDate: date('start_date').notNull(),
    endDate: date('end_date').notNull(),
    place: text('place'),
    online: boolean('online').notNull().default(false),
    status: text('status', { enum: SESSION_STATUSES }).notNull().default('planned'),
    participants: jsonb('participants').$type<Participant[]>().notNull().default([]),
    minutes: text('minutes').notNull().default(''),
    minutesAdoptedOn: date('minutes_adopted_on'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('isc_sessions_number').on(t.tenantId, t.number)],
);

export const iscWorkItems = pgTable(
  'isc_work_items',
  {
    id: id(),
    tenantId: tenantId(),
    /** The work programme's period, e.g. "2022–2025". */
    programme: text('programme').notNull(),
    ref: text('ref').notNull(),
    title: text('title').notNull(),
    coreFunction: text('core_function', { enum: CORE_FUNCTIONS }).notNull(),
    leadKind: text('lead_kind', { enum: LEAD_KINDS }).notNull(),
    leadName: text('lead_name').notNull().default(''),
    status: text('status', { enum: WORK_STATUSES }).notNull().default('planned'),
    deliverables: text('deliverables').array().notNull().default([]),
    dueDate: date('due_date'),
    /** Shown to observers too (otherwise internal to the Secretariat and Members' delegates). */
    public: boolean('public').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('isc_work_items_ref').on(t.tenantId, t.programme, t.ref)],
);

export const iscDocuments = pgTable(
  'isc_documents',
  {
    id: id(),
    tenantId: tenantId(),
    sessionId: uuid('session_id').notNull(),
    title: text('title').notNull(),
    storageKey: text('storage_key').notNull(),
    filename: text('filename').notNull(),
    mediaType: text('media_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    uploadedBy: uuid('uploaded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('isc_documents_session_idx').on(t.sessionId)],
);

export const iscAgendaItems = pgTable(
  'isc_agenda_items',
  {
    id: id(),
    tenantId: tenantId(),
    sessionId: uuid('session_id').notNull(),
    /** Order on the agenda (1, 2, …; kept dense). */
    position: integer('position').notNull(),
    /** The item's number as printed ("3", "4.a"). */
    number: text('number').notNull(),
    titleEn: text('title_en').notNull(),
    titleFr: text('title_fr').notNull().default(''),
    presenter: text('presenter').notNull().default(''),
    documentIds: uuid('document_ids').array().notNull().default([]),
    workItemId: uuid('work_item_id'),
    outcome: text('outcome').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('isc_agenda_items_session_idx').on(t.sessionId, t.position)],
);

export const iscRecommendations = pgTable(
  'isc_recommendations',
  {
    id: id(),
    tenantId: tenantId(),
    ref: text('ref').notNull(),
    text: text('text').notNull(),
    sessionId: uuid('session_id').notNull(),
    status: text('status', { enum: RECOMMENDATION_STATUSES }).notNull().default('proposed'),
    /** Every status, dated, oldest first (the first is 'proposed'). */
    history: jsonb('history').$type<StatusChange[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('isc_recommendations_ref').on(t.tenantId, t.ref)],
);
