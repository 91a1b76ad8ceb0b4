// Pure rules of the action-plans module: no database, no clock of their own. Hand-computed
// examples for each one are in action-plans.rules.test.ts.
import {
  type ActionStatus,
  CLOSED_ACTION_STATUSES,
  DUE_SOON_DAYS,
  type KpiDirection,
  type ReminderKind,
} from './action-plans.vocab.ts';
import { addDays, isoDay } from '../../platform/dates.ts';

export function addMonths(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return isoDay(d);
}

export const isClosed = (status: ActionStatus): boolean =>
  (CLOSED_ACTION_STATUSES as readonly string[]).includes(status);

/**
 * The computed "overdue" flag: the due date has passed (strictly before today) and the action
 * is neither done nor cancelled. The stored status stays what people set (ADR 0011).
 */
export function isOverdue(a: { status: ActionStatus; dueDate: string | null }, today: string): boolean {
  return !!a.dueDate && a.dueDate < today && !isClosed(a.status);
}

/**
 * Which reminder an open item with this due date calls for today: `overdue` once the due date
 * has passed, `due_soon` from `days` days before it up to the due date itself, else none.
 */
export function reminderKind(dueDate: string, today: string, days = DUE_SOON_DAYS): ReminderKind | null {
  if (dueDate < today) return 'overdue';
  if (dueDate <= addDays(today, days)) return 'due_soon';
  return null;
}

/** The key that makes a reminder unique: a changed due date is a new event. */
export const reminderKey = (
  what: 'action' | 'milestone',
  id: string,
  kind: ReminderKind,
  dueDate: string,
): string => `${what}:${id}:${kind}:${dueDate}`;

/**
 * Progress of a KPI toward its target, 0…1: (actual − baseline) / (target − baseline),
 * clamped. The formula is direction-neutral once the target lies on the right side of the
 * baseline (checked when a KPI is saved, see kpiTargetProblem). When baseline equals target
 * the KPI is either met (1) or not (0), by direction. Null when a term is missing.
 */
export function kpiProgress(
  direction: KpiDirection,
  baseline: number | null,
  target: number | null,
  actual: number | null,
): number | null {
  if (baseline === null || target === null || actual === null) return null;
  if (![baseline, target, actual].every(Number.isFinite)) return null;
  if (baseline === target) {
    const met = direction === 'increase' ? actual >= target : actual <= target;
    return met ? 1 : 0;
  }
  const raw = (actual - baseline) / (target - baseline);
  return Math.min(1, Math.max(0, raw));
}

/** A KPI whose target lies on the wrong side of its baseline for its direction is refused. */
export function kpiTargetProblem(
  direction: KpiDirection,
  baseline: number | null | undefined,
  target: number | null | undefined,
): string | null {
  if (baseline == null || target == null) return null;
  if (direction === 'increase' && target < baseline)
    return 'an increasing KPI needs a target at or above its baseline';
  if (direction === 'decrease' && target > baseline)
    return 'a decreasing KPI needs a target at or below its baseline';
  return null;
}

export interface DateProblem {
  path: string;
  message: string;
}

export interface Horizon {
  horizonStart: string;
  horizonEnd: string;
}

/** The plan's horizon: its end may not come before its start. */
export function planDateProblems(h: Horizon): DateProblem[] {
  return h.horizonEnd < h.horizonStart
    ? [{ path: 'body.horizonEnd', message: 'the horizon ends before it starts' }]
    : [];
}

/**
 * An action's dates: start on or before due, and both inside the plan's horizon
 * (ADR 0011: an action outside its plan's horizon is a planning mistake, refused).
 */
export function actionDateProblems(
  a: { startDate: string | null; dueDate: string | null },
  h: Horizon,
): DateProblem[] {
  const out: DateProblem[] = [];
  if (a.startDate && a.dueDate && a.startDate > a.dueDate)
    out.push({ path: 'body.dueDate', message: 'the due date comes before the start date' });
  for (const [key, v] of [
    ['startDate', a.startDate],
    ['dueDate', a.dueDate],
  ] as const)
    if (v && (v < h.horizonStart || v > h.horizonEnd))
      out.push({
        path: `body.${key}`,
        message: `${v} is outside the plan horizon ${h.horizonStart} – ${h.horizonEnd}`,
      });
  return out;
}

/** A milestone falls inside the plan's horizon. */
export function milestoneDateProblems(dueDate: string, h: Horizon): DateProblem[] {
  return dueDate < h.horizonStart || dueDate > h.horizonEnd
    ? [
        {
          path: 'body.dueDate',
          message: `${dueDate} is outside the plan horizon ${h.horizonStart} – ${h.horizonEnd}`,
        },
      ]
    : [];
}

/** Progress and completion implied by a status change (done ⇒ 100 % and a completion time). */
export function statusEffects(
  before: { status: ActionStatus; progress: number; completedAt: Date | null },
  next: { status?: ActionStatus; progress?: number },
  now: Date,
): { status: ActionStatus; progress: number; completedAt: Date | null } {
  const status = next.status ?? before.status;
  let progress = next.progress ?? before.progress;
  let completedAt = before.completedAt;
  if (status === 'done') {
    progress = 100;
    completedAt = before.status === 'done' && before.completedAt ? before.completedAt : now;
  } else {
    completedAt = null;
  }
  return { status, progress, completedAt };
}

/** The next free reference in a plan: … (after the highest number in use). */
export function nextRef(existing: string[], count = 1): string[] {
  let max = 0;
  for (const r of existing) {
    const m = /^A-(\d+)$/.exec(r);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return Array.from({ length: count }, (_, i) => `A-${String(max + i + 1).padStart(2, '0')}`);
}
