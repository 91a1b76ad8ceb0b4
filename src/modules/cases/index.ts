import { perTenantJob } from '../../platform/jobs/per-tenant.ts';
import type { Module } from '../../platform/kernel.ts';
import { IdentityService } from '../identity/index.ts';
import { OVERDUE_JOB } from './cases.api.ts';
import { casesPermissions } from './cases.permissions.ts';
import { casesRoutes } from './cases.routes.ts';
import { seedDemo } from './cases.seed.ts';
import { CasesService } from './cases.service.ts';

export { type CaseStanding, CasesApi, OVERDUE_JOB } from './cases.api.ts';
/** Counts under this are suppressed in published statistics (other modules reuse the threshold). */
export { MIN_CELL } from './cases.contract.ts';

export const casesModule: Module = {
  name: 'cases',
  permissions: casesPermissions,
  seedDemo,
  routes: (r, k) => casesRoutes(r, new CasesService(k)),
  // Overdue decisions, tenant by tenant (docs/adr/0018 pattern): flagged once, handlers notified.
  jobs: (k) => [
    perTenantJob(k, {
      name: OVERDUE_JOB,
      tenants: () => new IdentityService(k).listAllOrganisations(),
      run: (tx, tenantId, now) => new CasesService(k, () => now).flagOverdue(tx, tenantId, now),
    }),
  ],
  schedules: [{ name: OVERDUE_JOB, cron: '23 6 * * *' }],
};
