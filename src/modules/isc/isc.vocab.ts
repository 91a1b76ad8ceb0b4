// The isc module's closed vocabularies, with no imports: shared by the database schema,
// the zod contracts and the UI.

/** A session's life: planned, convened (invitations sent), held, minutes adopted. */
export const SESSION_STATUSES = ['planned', 'convened', 'held', 'minutes_adopted'] as const;

/** Who takes part: Member administrations, observers (international organisations), private-sector bodies. */
export const PARTICIPANT_KINDS = ['member', 'observer', 'private_sector'] as const;

/** The WCO Strategic Plan core function a work-programme item serves. */
export const CORE_FUNCTIONS = ['sp1', 'sp2', 'sp3'] as const;

export const WORK_STATUSES = ['planned', 'in_progress', 'done', 'dropped'] as const;
/** Statuses still open: past their due date they are overdue. */
export const OPEN_WORK_STATUSES = ['planned', 'in_progress'] as const;

/** Who leads a work-programme item: a Member administration (named) or the Secretariat. */
export const LEAD_KINDS = ['member', 'secretariat'] as const;

/** A recommendation's follow-up by the Policy Commission. */
export const RECOMMENDATION_STATUSES = [
  'proposed',
  'submitted',
  'endorsed',
  'implemented',
  'not_endorsed',
] as const;

/** Where a recommendation may go next (not endorsed may be submitted again): the service checks it, the UI offers it. */
export const RECOMMENDATION_NEXT: Record<RecommendationStatus, readonly RecommendationStatus[]> = {
  proposed: ['submitted'],
  submitted: ['endorsed', 'not_endorsed'],
  endorsed: ['implemented'],
  implemented: [],
  not_endorsed: ['submitted'],
};

export const AGENDA_LANGUAGES = ['en', 'fr'] as const;

export type SessionStatus = (typeof SESSION_STATUSES)[number];
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];
export type CoreFunction = (typeof CORE_FUNCTIONS)[number];
export type WorkStatus = (typeof WORK_STATUSES)[number];
export type LeadKind = (typeof LEAD_KINDS)[number];
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number];
