import type { Module } from '../../platform/kernel.ts';
import { reportsPermissions } from './reports.permissions.ts';
import { reportsRoutes } from './reports.routes.ts';
import { seedDemo } from './reports.seed.ts';
import { type ReportsOptions, ReportsService } from './reports.service.ts';

// For the cases module: ReportsService#getForCase(tx, actor, reportId) (metadata, assigned
// handlers only) and #markTriaged(tx, tenantId, actor, reportId, caseId).
export { ReportsService } from './reports.service.ts';

export function reportsModuleWith(opts: Partial<ReportsOptions> = {}): Module {
  return {
    name: 'reports',
    permissions: reportsPermissions,
    seedDemo,
    routes: (r, k) => reportsRoutes(r, new ReportsService(k, opts)),
  };
}

export const reportsModule: Module = reportsModuleWith();
