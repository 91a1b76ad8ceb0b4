import { withTenant, type TenantTx } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { IdentityService } from '../identity/index.ts';
import { LearningService } from './learning.service.ts';

export const REMINDERS_JOB = 'learning.reminders';

/**
 * The daily reminders job. Without a tenant (the schedule) it enqueues one job per
 * organisation; with one it sends that tenant's due-soon, overdue and escalation notices.
 * `payload.now` (ISO date-time) sets the clock — tests and reruns use it.
 */
export async function runReminders(
  k: Kernel,
  payload: { now?: unknown },
  ctx: { id: string; tenantId: string | null },
): Promise<{ tenants?: number; sent?: number; skipped?: number }> {
  const parsed = typeof payload.now === 'string' ? new Date(payload.now) : new Date();
  const now = Number.isNaN(parsed.getTime()) ? new Date() : parsed;
  if (!ctx.tenantId) {
    const orgs = await new IdentityService(k).listAllOrganisations();
    await k.db.owner.transaction(async (tx) => {
      for (const o of orgs)
        await k.jobs.enqueue(
          tx,
          REMINDERS_JOB,
          { now: now.toISOString() },
          { tenantId: o.id, dedupeKey: `${REMINDERS_JOB}:${ctx.id}:${o.id}` },
        );
    });
    return { tenants: orgs.length };
  }
  const tenantId = ctx.tenantId;
  return withTenant(k.db, { tenantId, userId: null }, (tx) =>
    new LearningService(k, () => now).sendReminders(tx, tenantId, now),
  );
}

/** What other modules may read of learning (through index.ts). */
export class LearningApi {
  constructor(private readonly k: Kernel) {}

  /**
   * The completion rate of a course, optionally among the learners of a unit and its
   * sub-units (their unit when enrolled): enrolled, completed, rate 0–1. For the KPIs of RAD
   * factors 7 (code of conduct) and 9 (culture); linking a KPI to it is manual for now.
   */
  completionRate(tx: TenantTx, courseId: string, unitId?: string) {
    return new LearningService(this.k).completionRate(tx, courseId, unitId);
  }
}
