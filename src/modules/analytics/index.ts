import type { Module } from '../../platform/kernel.ts';
import { analyticsPermissions } from './analytics.permissions.ts';
import { analyticsRoutes } from './analytics.routes.ts';
import { AnalyticsService, engineOf, IMPORT_JOB, RUN_JOB } from './analytics.service.ts';

export { AnalyticsService, alertLine, CLI_USER, engineOf } from './analytics.service.ts';
export { generateDeclarations, type GroundTruth } from './analytics.generator.ts';
export { hashFile } from './analytics.import.ts';
export { COMTRADE_MAPPINGS } from './analytics.trade.ts';
export { registerModelCommands } from './model/index.ts';
export type { ColumnMapping, ImportStage, ValidationReport } from './analytics.import.ts';

export const analyticsModule: Module = {
  name: 'analytics',
  permissions: analyticsPermissions,
  routes: (r, k) => analyticsRoutes(r, new AnalyticsService(k)),
  // Imports and runs are jobs: DuckDB works on its own threads, the API keeps answering.
  jobs: (k) => [
    {
      name: IMPORT_JOB,
      maxAttempts: 1,
      timeoutSeconds: 3600,
      run: async (p: { versionId: string }, ctx) => {
        if (ctx.tenantId) await new AnalyticsService(k).executeImport(ctx.tenantId, p.versionId);
      },
    },
    {
      name: RUN_JOB,
      maxAttempts: 1,
      timeoutSeconds: 3600,
      run: async (p: { runId: string }, ctx) => {
        if (ctx.tenantId) await new AnalyticsService(k).executeRun(ctx.tenantId, p.runId);
      },
    },
  ],
};

/** Closes the DuckDB engine of a kernel (CLI, tests). */
export const closeAnalytics = (k: Parameters<typeof engineOf>[0]) => engineOf(k).close();
