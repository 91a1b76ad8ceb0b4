import type { Module } from '../../platform/kernel.ts';
import { programmePermissions } from './programme.permissions.ts';
import { RecordsService, recordsRoutes } from './programme.records.ts';
import { DonorReports } from './programme.report.ts';
import { ResultsService, resultsRoutes } from './programme.results.ts';
import { programmeRoutes } from './programme.routes.ts';
import { seedDemo } from './programme.seed.ts';
import { ProgrammeService } from './programme.service.ts';
import { ValueService, valueRoutes } from './programme.value.ts';

export const programmeModule: Module = {
  name: 'programme',
  permissions: programmePermissions,
  routes: (r, k) => {
    const svc = new ProgrammeService(k);
    const value = new ValueService(k);
    programmeRoutes(r, svc, new DonorReports(k, svc), value);
    resultsRoutes(r, new ResultsService(k));
    valueRoutes(r, value);
    recordsRoutes(r, new RecordsService(k, svc));
  },
  seedDemo,
};
