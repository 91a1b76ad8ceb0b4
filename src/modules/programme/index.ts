import type { Module } from '../../platform/kernel.ts';
import { programmePermissions } from './programme.permissions.ts';
import { ResultsService, resultsRoutes } from './programme.results.ts';
import { programmeRoutes } from './programme.routes.ts';
import { seedDemo } from './programme.seed.ts';
import { ProgrammeService } from './programme.service.ts';

export const programmeModule: Module = {
  name: 'programme',
  permissions: programmePermissions,
  routes: (r, k) => {
    programmeRoutes(r, new ProgrammeService(k));
    resultsRoutes(r, new ResultsService(k));
  },
  seedDemo,
};
