// The action-plans module's closed vocabularies, with no imports: shared by the database
// schema, the zod contracts and the UI.

export const PLAN_STATUSES = ['draft', 'approved', 'in_progress', 'completed', 'archived'] as const;
export const ACTION_STATUSES = ['not_started', 'in_progress', 'done', 'delayed', 'cancelled'] as const;
/** Where an action came from: written by hand, or proposed by "draft from evidence" and accepted. */
export const ACTION_ORIGINS = ['manual', 'proposed'] as const;
export const KPI_DIRECTIONS = ['increase', 'decrease'] as const;
export const KPI_SOURCES = ['manual', 'analytics', 'surveys', 'learning', 'conduct'] as const;

export type ActionStatus = (typeof ACTION_STATUSES)[number];
