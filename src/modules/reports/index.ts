import { perTenantJob } from '../../platform/jobs/per-tenant.ts';
import type { Module } from '../../platform/kernel.ts';
import { IdentityService } from '../identity/index.ts';
import { reportPages } from './reports.pages.ts';
import { reportsPermissions } from './reports.permissions.ts';
import { reportsRoutes } from './reports.routes.ts';
import { seedDemo } from './reports.seed.ts';
import { type ReportsOptions, ReportsService } from './reports.service.ts';

export { ReportsService } from './reports.service.ts';

export const PURGE_JOB = 'reports.purge';
export const REMINDER_JOB = 'reports.reminders';

export function reportsModuleWith(opts: Partial<ReportsOptions> = {}): Module {
  return {
    name: 'reports',
    permissions: reportsPermissions,
    seedDemo,
    // The JSON API and the reporter's HTML pages share one service: the same rate limits.
    routes: (r, k) => {
      const svc = new ReportsService(k, opts);
      reportsRoutes(r, svc);
      reportPages(r, svc);
    },
    // Retention: closed reports past their channel's period are purged (legal hold stops it).
    jobs: (k) => [
      perTenantJob(k, {
        name: PURGE_JOB,
        tenants: () => new IdentityService(k).listAllOrganisations(),
        run: (tx, tenantId, now) => new ReportsService(k, opts).purgeExpired(tx, tenantId, now),
      }),
      // Statutory clocks: handlers are told once when acknowledgement or feedback is overdue.
      perTenantJob(k, {
        name: REMINDER_JOB,
        tenants: () => new IdentityService(k).listAllOrganisations(),
        run: (tx, tenantId, now) => new ReportsService(k, opts).remindOverdue(tx, tenantId, now),
      }),
    ],
    schedules: [
      { name: PURGE_JOB, cron: '23 4 * * *' },
      { name: REMINDER_JOB, cron: '7 6 * * *' },
    ],
  };
}

export const reportsModule: Module = reportsModuleWith();
