import { perTenantJob } from '../../platform/jobs/per-tenant.ts';
import type { Module } from '../../platform/kernel.ts';
import { IdentityService } from '../identity/index.ts';
import { REMINDERS_JOB } from './conduct.api.ts';
import { conductPermissions } from './conduct.permissions.ts';
import { conductRoutes } from './conduct.routes.ts';
import { seedDemo } from './conduct.seed.ts';
import { ConductService } from './conduct.service.ts';

export { ConductApi, REMINDERS_JOB } from './conduct.api.ts';

export const conductModule: Module = {
  name: 'conduct',
  permissions: conductPermissions,
  routes: (r, k) => conductRoutes(r, new ConductService(k)),
  seedDemo,
  // Due-soon, overdue and line-manager escalation notices, tenant by tenant (docs/adr/0022).
  jobs: (k) => [
    perTenantJob(k, {
      name: REMINDERS_JOB,
      tenants: () => new IdentityService(k).listAllOrganisations(),
      run: (tx, tenantId, now) => new ConductService(k, () => now).sendReminders(tx, tenantId, now),
    }),
  ],
  schedules: [{ name: REMINDERS_JOB, cron: '47 5 * * *' }],
};
