import { z } from 'zod';
import {
  CORE_FUNCTIONS,
  LEAD_KINDS,
  PARTICIPANT_KINDS,
  RECOMMENDATION_STATUSES,
  SESSION_STATUSES,
  WORK_STATUSES,
} from './isc.vocab.ts';

// The ISC API's contracts (shared with the UI).

export const IdParam = z.object({ id: z.uuid() }).strict();
export const ItemParam = z.object({ id: z.uuid(), itemId: z.uuid() }).strict();
export const DocumentParam = z.object({ id: z.uuid(), documentId: z.uuid() }).strict();

const Text = (max: number) => z.string().trim().min(1).max(max);
const LongText = (max: number) => z.string().trim().max(max);
const day = z.iso.date();
const version = z.number().int().min(1);
export const VersionInput = z.object({ version }).strict();

/** At most 20 MiB per session document. */
export const DOCUMENT_MAX_BYTES = 20 * 1024 * 1024;

export const Participant = z
  .object({
    kind: z.enum(PARTICIPANT_KINDS),
    name: Text(200),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .nullable()
      .default(null),
    category: LongText(200).nullable().default(null),
    delegatesCount: z.number().int().min(0).max(500).nullable().default(null),
    delegates: z.array(Text(200)).max(50).default([]),
    /** The invited observer or private-sector organisation: its ISC readers read this session. */
    organisationId: z.uuid().nullable().default(null),
  })
  .strict()
  .refine((p) => p.organisationId === null || p.kind !== 'member', {
    message: 'A Member administration is not invited by organisation (its delegates read every session)',
    path: ['organisationId'],
  });

const sessionFields = {
  number: z.number().int().min(1).max(999),
  theme: LongText(500),
  startDate: day,
  endDate: day,
  place: LongText(200).nullable(),
  online: z.boolean(),
};
const datesInOrder = (v: { startDate?: string; endDate?: string }) =>
  !v.startDate || !v.endDate || v.startDate <= v.endDate;
const ORDER = { message: 'The session ends on or after its first day', path: ['endDate'] };

export const SessionInput = z
  .object({
    ...sessionFields,
    theme: sessionFields.theme.default(''),
    place: sessionFields.place.default(null),
    online: sessionFields.online.default(false),
    participants: z.array(Participant).max(300).default([]),
  })
  .strict()
  .refine(datesInOrder, ORDER);
export type SessionInputT = z.infer<typeof SessionInput>;

export const UpdateSessionInput = z
  .object({
    version,
    number: sessionFields.number.optional(),
    theme: sessionFields.theme.optional(),
    startDate: day.optional(),
    endDate: day.optional(),
    place: sessionFields.place.optional(),
    online: sessionFields.online.optional(),
    status: z.enum(SESSION_STATUSES).optional(),
    participants: z.array(Participant).max(300).optional(),
    minutes: LongText(100_000).optional(),
    minutesAdoptedOn: day.nullable().optional(),
  })
  .strict()
  .refine(datesInOrder, ORDER);
export type UpdateSessionInputT = z.infer<typeof UpdateSessionInput>;

const agendaFields = {
  number: Text(20),
  titleEn: Text(500),
  titleFr: LongText(500),
  presenter: LongText(200),
  documentIds: z.array(z.uuid()).max(50),
  workItemId: z.uuid().nullable(),
  outcome: LongText(20_000),
};
export const AgendaItemInput = z
  .object({
    ...agendaFields,
    titleFr: agendaFields.titleFr.default(''),
    presenter: agendaFields.presenter.default(''),
    documentIds: agendaFields.documentIds.default([]),
    workItemId: agendaFields.workItemId.default(null),
    outcome: agendaFields.outcome.default(''),
  })
  .strict();
export type AgendaItemInputT = z.infer<typeof AgendaItemInput>;

export const UpdateAgendaItemInput = z
  .object({
    version,
    number: agendaFields.number.optional(),
    titleEn: agendaFields.titleEn.optional(),
    titleFr: agendaFields.titleFr.optional(),
    presenter: agendaFields.presenter.optional(),
    documentIds: agendaFields.documentIds.optional(),
    workItemId: agendaFields.workItemId.optional(),
    outcome: agendaFields.outcome.optional(),
  })
  .strict();
export type UpdateAgendaItemInputT = z.infer<typeof UpdateAgendaItemInput>;

export const MoveInput = z.object({ version, direction: z.enum(['up', 'down']) }).strict();

export const DocumentFields = z.object({ sessionId: z.uuid(), title: Text(300) }).strict();

export const AgendaItem = z.object({
  id: z.uuid(),
  position: z.number().int(),
  number: z.string(),
  titleEn: z.string(),
  titleFr: z.string(),
  presenter: z.string(),
  documentIds: z.array(z.uuid()),
  workItemId: z.uuid().nullable(),
  outcome: z.string(),
  version: z.number().int(),
});
export type AgendaItemT = z.infer<typeof AgendaItem>;

export const Document = z.object({
  id: z.uuid(),
  title: z.string(),
  filename: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  createdAt: z.iso.datetime(),
});
export type DocumentT = z.infer<typeof Document>;

export const SessionSummary = z.object({
  id: z.uuid(),
  number: z.number().int(),
  theme: z.string(),
  startDate: day,
  endDate: day,
  place: z.string().nullable(),
  online: z.boolean(),
  status: z.enum(SESSION_STATUSES),
  participantsCount: z.number().int(),
  agendaCount: z.number().int(),
  version: z.number().int(),
});
export type SessionSummaryT = z.infer<typeof SessionSummary>;

export const SessionDetail = SessionSummary.extend({
  participants: z.array(
    z.object({
      kind: z.enum(PARTICIPANT_KINDS),
      name: z.string(),
      country: z.string().nullable(),
      category: z.string().nullable(),
      delegatesCount: z.number().int().nullable(),
      delegates: z.array(z.string()),
      organisationId: z.uuid().nullable(),
    }),
  ),
  minutes: z.string(),
  minutesAdoptedOn: day.nullable(),
  agenda: z.array(AgendaItem),
  documents: z.array(Document),
  /** Whether the caller may write (the Secretariat with isc.manage). */
  canManage: z.boolean(),
});
export type SessionDetailT = z.infer<typeof SessionDetail>;

// ---- work programme -------------------------------------------------------------------------

/** A work programme's period ("2022–2025", or with a hyphen) as its first and last day. */
export function programmePeriod(programme: string): { start: string; end: string } | null {
  const m = /^(\d{4})[–-](\d{4})$/.exec(programme.trim());
  return m ? { start: `${m[1]}-01-01`, end: `${m[2]}-12-31` } : null;
}
/** Is `day` inside the work programme's period? (True when the period is malformed: that is its own error.) */
export const dueInProgramme = (day: string, programme: string) => {
  const p = programmePeriod(programme);
  return !p || (p.start <= day && day <= p.end);
};
export const DUE_OUTSIDE = 'The due date falls within the work programme’s period';

const workFields = {
  programme: z
    .string()
    .trim()
    .regex(/^\d{4}[–-]\d{4}$/, 'A period such as 2022–2025')
    .refine((p) => {
      const period = programmePeriod(p);
      return !period || period.start <= period.end;
    }, 'The period ends before it starts'),
  ref: Text(20),
  title: Text(500),
  coreFunction: z.enum(CORE_FUNCTIONS),
  leadKind: z.enum(LEAD_KINDS),
  leadName: LongText(200),
  status: z.enum(WORK_STATUSES),
  deliverables: z.array(Text(500)).max(30),
  dueDate: day.nullable(),
  /** Shown to observers too; otherwise internal (the Secretariat and Members' delegates). */
  public: z.boolean(),
};
export const WorkItemInput = z
  .object({
    ...workFields,
    public: workFields.public.default(false),
    leadName: workFields.leadName.default(''),
    status: workFields.status.default('planned'),
    deliverables: workFields.deliverables.default([]),
    dueDate: workFields.dueDate.default(null),
  })
  .strict()
  .refine((v) => v.leadKind === 'secretariat' || v.leadName !== '', {
    message: 'Name the Member administration that leads the item',
    path: ['leadName'],
  })
  .refine((v) => !v.dueDate || dueInProgramme(v.dueDate, v.programme), {
    message: DUE_OUTSIDE,
    path: ['dueDate'],
  });
export type WorkItemInputT = z.infer<typeof WorkItemInput>;

export const UpdateWorkItemInput = z
  .object({
    version,
    programme: workFields.programme.optional(),
    ref: workFields.ref.optional(),
    title: workFields.title.optional(),
    coreFunction: workFields.coreFunction.optional(),
    leadKind: workFields.leadKind.optional(),
    leadName: workFields.leadName.optional(),
    status: workFields.status.optional(),
    deliverables: workFields.deliverables.optional(),
    dueDate: workFields.dueDate.optional(),
    public: workFields.public.optional(),
  })
  .strict();
export type UpdateWorkItemInputT = z.infer<typeof UpdateWorkItemInput>;

export const WorkItem = z.object({
  id: z.uuid(),
  programme: z.string(),
  ref: z.string(),
  title: z.string(),
  coreFunction: z.enum(CORE_FUNCTIONS),
  leadKind: z.enum(LEAD_KINDS),
  leadName: z.string(),
  status: z.enum(WORK_STATUSES),
  deliverables: z.array(z.string()),
  dueDate: day.nullable(),
  /** Open (planned or in progress) and past its due date. */
  overdue: z.boolean(),
  public: z.boolean(),
  version: z.number().int(),
});
export type WorkItemT = z.infer<typeof WorkItem>;

/** A programme filter as stored: "2022-2025" finds "2022–2025" (the en dash it was saved with). */
const ProgrammeFilter = z
  .string()
  .max(20)
  .transform((p) => p.trim().replace('-', '–'));
export const WorkQuery = z.object({ programme: ProgrammeFilter.optional() }).strict();
export const ExportQuery = z
  .object({ format: z.enum(['xlsx', 'csv']), programme: ProgrammeFilter.optional() })
  .strict();

// ---- recommendations ------------------------------------------------------------------------

export const RecommendationInput = z
  .object({ ref: Text(30), text: Text(10_000), sessionId: z.uuid(), proposedOn: day })
  .strict();
export type RecommendationInputT = z.infer<typeof RecommendationInput>;

export const UpdateRecommendationInput = z
  .object({ version, ref: Text(30).optional(), text: Text(10_000).optional() })
  .strict();
export type UpdateRecommendationInputT = z.infer<typeof UpdateRecommendationInput>;

export const StatusInput = z
  .object({ version, status: z.enum(RECOMMENDATION_STATUSES), on: day, note: LongText(2000).default('') })
  .strict();
export type StatusInputT = z.infer<typeof StatusInput>;

export const Recommendation = z.object({
  id: z.uuid(),
  ref: z.string(),
  text: z.string(),
  sessionId: z.uuid(),
  sessionNumber: z.number().int(),
  status: z.enum(RECOMMENDATION_STATUSES),
  history: z.array(
    z.object({ status: z.enum(RECOMMENDATION_STATUSES), on: day, note: z.string(), by: z.string() }),
  ),
  version: z.number().int(),
});
export type RecommendationT = z.infer<typeof Recommendation>;

/** What the caller may do here (the UI shows the editors only to the Secretariat). */
export const Capabilities = z.object({ canManage: z.boolean() });

/** An organisation the Secretariat may invite as an observer or private-sector body. */
export const ObserverOrganisation = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(['international', 'private_sector', 'donor']),
});
