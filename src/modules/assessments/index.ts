import type { Module } from '../../platform/kernel.ts';
import { assessmentsPermissions } from './assessments.permissions.ts';
import { assessmentsRoutes } from './assessments.routes.ts';
import { seedDemo } from './assessments.seed.ts';
import { AssessmentsService } from './assessments.service.ts';

export { AssessmentsApi, type IterationScores, type LowRatedItem } from './assessments.api.ts';
export type { AssessmentReport } from './assessments.contract.ts';
export { delta } from './assessments.scoring.ts';

export const assessmentsModule: Module = {
  name: 'assessments',
  permissions: assessmentsPermissions,
  routes: (r, k) => assessmentsRoutes(r, new AssessmentsService(k)),
  seedDemo,
};
