import { perTenantJob } from '../../platform/jobs/per-tenant.ts';
import type { Module } from '../../platform/kernel.ts';
import { CasesApi } from '../cases/index.ts';
import { IdentityService } from '../identity/index.ts';
import { analyticsSource } from './declarations.analytics.ts';
import { REMINDERS_JOB } from './declarations.api.ts';
import { declarationsPermissions } from './declarations.permissions.ts';
import { declarationsRoutes } from './declarations.routes.ts';
import { seedDemo } from './declarations.seed.ts';
import { DeclarationsService } from './declarations.service.ts';

export { DeclarationsApi, REMINDERS_JOB } from './declarations.api.ts';
export { ResealRefused, resealAssetValues } from './declarations.reseal.ts';

export const declarationsModule: Module = {
  name: 'declarations',
  permissions: declarationsPermissions,
  seedDemo,
  // A referred flag or declaration opens a case in the cases module (docs/adr/0024).
  routes: (r, k) =>
    declarationsRoutes(r, new DeclarationsService(k, undefined, analyticsSource(k), new CasesApi(k))),
  // Due-soon and overdue reminders, escalation to line managers, "missing" and related-party flags, tenant by
  // tenant (like learning, docs/adr/0018).
  jobs: (k) => [
    perTenantJob(k, {
      name: REMINDERS_JOB,
      tenants: () => new IdentityService(k).listAllOrganisations(),
      run: async (tx, tenantId, now) => {
        const svc = new DeclarationsService(k, () => now, analyticsSource(k));
        const reminded = await svc.sendReminders(tx, tenantId, now);
        // Related parties against the latest declaration data the analytics module holds.
        const related = await svc.scanRelatedParties(tx, tenantId);
        return { ...reminded, relatedFlags: related.raised };
      },
    }),
  ],
  schedules: [{ name: REMINDERS_JOB, cron: '47 5 * * *' }],
};
