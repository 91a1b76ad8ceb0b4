import { perTenantJob } from '../../platform/jobs/per-tenant.ts';
import type { Module } from '../../platform/kernel.ts';
import { IdentityService } from '../identity/index.ts';
import { postingsPermissions } from './postings.permissions.ts';
import { postingsRoutes } from './postings.routes.ts';
import { seedDemo } from './postings.seed.ts';
import { PostingsService } from './postings.service.ts';

export const ALERTS_JOB = 'postings.tenure-alerts';

export const postingsModule: Module = {
  name: 'postings',
  permissions: postingsPermissions,
  routes: (r, k) => postingsRoutes(r, new PostingsService(k)),
  seedDemo,
  // Maximum-tenure alerts, once per posting and tenure end, tenant by tenant.
  jobs: (k) => [
    perTenantJob(k, {
      name: ALERTS_JOB,
      tenants: () => new IdentityService(k).listAllOrganisations(),
      run: (tx, tenantId, now) => new PostingsService(k, () => now).sendAlerts(tx, tenantId),
    }),
  ],
  schedules: [{ name: ALERTS_JOB, cron: '53 5 * * *' }],
};
