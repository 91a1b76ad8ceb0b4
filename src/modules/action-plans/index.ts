import { withTenant } from '../../platform/db/tenant.ts';
import type { Kernel, Module } from '../../platform/kernel.ts';
import { IdentityService } from '../identity/index.ts';
import { actionPlansPermissions } from './action-plans.permissions.ts';
import { actionPlansRoutes } from './action-plans.routes.ts';
import { seedDemo } from './action-plans.seed.ts';
import { ActionPlansService } from './action-plans.service.ts';

export {
  ActionPlansApi,
  type ActionPlansSummary,
  type KpiProgressRow,
  type OverdueAction,
  type PlanSummary,
  type PlanSummaryAction,
} from './action-plans.api.ts';
export { kpiProgress } from './action-plans.rules.ts';
export type { ActionStatus } from './action-plans.vocab.ts';

export const REMINDERS_JOB = 'action-plans.reminders';

/**
 * The daily reminders job. Without a tenant (the schedule) it enqueues one job per
 * organisation; with one it sends that tenant's due-soon and overdue reminders. `payload.now`
 * (ISO date-time) sets the clock — tests and reruns use it; otherwise the current time.
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
          {
            tenantId: o.id,
            dedupeKey: `${REMINDERS_JOB}:${ctx.id}:${o.id}`,
          },
        );
    });
    return { tenants: orgs.length };
  }
  const tenantId = ctx.tenantId;
  return withTenant(k.db, { tenantId, userId: null }, (tx) =>
    new ActionPlansService(k, () => now).sendReminders(tx, tenantId, now),
  );
}

export const actionPlansModule: Module = {
  name: 'action-plans',
  permissions: actionPlansPermissions,
  routes: (r, k) => actionPlansRoutes(r, new ActionPlansService(k)),
  seedDemo,
  jobs: (k) => [
    {
      name: REMINDERS_JOB,
      run: async (payload, ctx) => ctx.log.info(await runReminders(k, payload, ctx), 'action plan reminders'),
    },
  ],
  schedules: [{ name: REMINDERS_JOB, cron: '23 5 * * *' }],
};
