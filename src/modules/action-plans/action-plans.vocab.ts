// The action-plans module's closed vocabularies, with no imports: shared by the database
// schema, the zod contracts and the UI.

export const PLAN_STATUSES = ['draft', 'approved', 'in_progress', 'completed', 'archived'] as const;
export const ACTION_STATUSES = ['not_started', 'in_progress', 'done', 'delayed', 'cancelled'] as const;
/** Where an action came from: written by hand, or proposed by "draft from evidence" and accepted. */
export const ACTION_ORIGINS = ['manual', 'proposed'] as const;
export const KPI_DIRECTIONS = ['increase', 'decrease'] as const;
export const KPI_SOURCES = ['manual', 'analytics', 'surveys', 'learning', 'conduct'] as const;

/**
 * Where a KPI's value comes from automatically (null on the KPI: entered by hand). The feeds
 * job and "refresh" record the figure under `source` for today (action-plans.feeds.ts).
 */
export type KpiFeed =
  | { source: 'learning'; courseId: string }
  | { source: 'conduct'; unitId?: string }
  | { source: 'surveys'; surveyId: string; factor: number };

export type ActionStatus = (typeof ACTION_STATUSES)[number];
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export type KpiDirection = (typeof KPI_DIRECTIONS)[number];

/** The two reminder events of an action or milestone (docs/adr/0011-action-plan-reminders.md). */
export const REMINDER_KINDS = ['due_soon', 'overdue'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];
/** "Due soon" means due within this many days (today included). */
export const DUE_SOON_DAYS = 7;
/** Statuses that close an action: no reminder, never overdue. */
export const CLOSED_ACTION_STATUSES = ['done', 'cancelled'] as const;
export const RAD_FACTORS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
