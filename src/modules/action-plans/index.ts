import { perTenantJob } from '../../platform/jobs/per-tenant.ts';
import type { Module } from '../../platform/kernel.ts';
import { IdentityService } from '../identity/index.ts';
import { actionPlansPermissions } from './action-plans.permissions.ts';
import { actionPlansRoutes } from './action-plans.routes.ts';
import { seedDemo } from './action-plans.seed.ts';
import { ActionPlansService } from './action-plans.service.ts';

export {
  ActionPlansApi,
  type ActionPlansSummary,
  type KpiProgressRow,
  type KpiSeries,
  type OverdueAction,
  type PlanSummary,
  type PlanProgress,
  type PlanSummaryAction,
} from './action-plans.api.ts';
export { kpiProgress } from './action-plans.rules.ts';
export type { ActionStatus } from './action-plans.vocab.ts';

export const REMINDERS_JOB = 'action-plans.reminders';
export const KPI_FEEDS_JOB = 'action-plans.kpi-feeds';

export const actionPlansModule: Module = {
  name: 'action-plans',
  permissions: actionPlansPermissions,
  routes: (r, k) => actionPlansRoutes(r, new ActionPlansService(k)),
  seedDemo,
  // Due-soon and overdue reminders, tenant by tenant (docs/adr/0011).
  jobs: (k) => [
    perTenantJob(k, {
      name: REMINDERS_JOB,
      tenants: () => new IdentityService(k).listAllOrganisations(),
      run: (tx, tenantId, now) => new ActionPlansService(k, () => now).sendReminders(tx, tenantId, now),
    }),
    // Fed KPIs: today's value from learning, conduct or surveys.
    perTenantJob(k, {
      name: KPI_FEEDS_JOB,
      tenants: () => new IdentityService(k).listAllOrganisations(),
      run: (tx, tenantId, now) => new ActionPlansService(k, () => now).refreshFeeds(tx, tenantId, now),
    }),
  ],
  schedules: [
    { name: REMINDERS_JOB, cron: '23 5 * * *' },
    { name: KPI_FEEDS_JOB, cron: '41 4 * * *' },
  ],
};
