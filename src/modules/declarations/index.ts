import { perTenantJob } from '../../platform/jobs/per-tenant.ts';
import type { Module } from '../../platform/kernel.ts';
import { CasesApi } from '../cases/index.ts';
import { IdentityService } from '../identity/index.ts';
import { REMINDERS_JOB } from './declarations.api.ts';
import { declarationsPermissions } from './declarations.permissions.ts';
import { declarationsRoutes } from './declarations.routes.ts';
import { seedDemo } from './declarations.seed.ts';
import { DeclarationsService } from './declarations.service.ts';

export { DeclarationsApi, REMINDERS_JOB } from './declarations.api.ts';
export type { HandledDeclarationsSource } from './declarations.rules.ts';

export const declarationsModule: Module = {
  name: 'declarations',
  permissions: declarationsPermissions,
  seedDemo,
  // A referred flag opens a case in the cases module (docs/adr/0024).
  routes: (r, k) => declarationsRoutes(r, new DeclarationsService(k, undefined, undefined, new CasesApi(k))),
  // Due-soon and overdue reminders, escalation to line managers and "missing" flags, tenant by
  // tenant (like learning, docs/adr/0018).
  jobs: (k) => [
    perTenantJob(k, {
      name: REMINDERS_JOB,
      tenants: () => new IdentityService(k).listAllOrganisations(),
      run: (tx, tenantId, now) => new DeclarationsService(k, () => now).sendReminders(tx, tenantId, now),
    }),
  ],
  schedules: [{ name: REMINDERS_JOB, cron: '47 5 * * *' }],
};
