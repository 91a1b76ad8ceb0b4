import { withTenant } from '../../platform/db/tenant.ts';
import type { Kernel, Module } from '../../platform/kernel.ts';
import { surveysPermissions } from './surveys.permissions.ts';
import { surveysRoutes } from './surveys.routes.ts';
import { seedDemo } from './surveys.seed.ts';
import { SHUFFLE_JOB, SurveysService } from './surveys.service.ts';
import { templates } from './surveys.templates.ts';

export { SurveysApi } from './surveys.api.ts';

export const surveysModule: Module = {
  name: 'surveys',
  permissions: surveysPermissions,
  seedDemo,
  routes: (r, k) => surveysRoutes(r, new SurveysService(k)),
  // Rewrites a survey's responses and invitations in random order after each batch of
  // submissions (docs/adr/0019-survey-anonymity.md).
  jobs: (k: Kernel) => [
    {
      name: SHUFFLE_JOB,
      run: async (payload: { surveyId?: unknown }, ctx) => {
        const tenantId = ctx.tenantId;
        if (!tenantId || typeof payload.surveyId !== 'string') return;
        const surveyId = payload.surveyId;
        await withTenant(k.db, { tenantId, userId: null }, (tx) =>
          new SurveysService(k).shuffle(tx, tenantId, surveyId),
        );
      },
    },
  ],
  // A bad shipped template stops the start with its problems listed.
  onStart: async () => {
    templates();
  },
};
