import { perTenantJob } from '../../platform/jobs/per-tenant.ts';
import type { Module } from '../../platform/kernel.ts';
import { IdentityService } from '../identity/index.ts';
import { certificateRoutes } from './learning.certificates.routes.ts';
import { loadSigningKey } from './learning.certificates.ts';
import { learningPermissions } from './learning.permissions.ts';
import { scormRoutes } from './learning.scorm.routes.ts';
import { REMINDERS_JOB } from './learning.api.ts';
import { learningRoutes } from './learning.routes.ts';
import { seedDemo } from './learning.seed.ts';
import { LearningService } from './learning.service.ts';
import { loadShippedCourses } from './learning.shipped.ts';

export { LearningApi, REMINDERS_JOB } from './learning.api.ts';
export { LearningService } from './learning.service.ts';
export { CertificatesService, verifyPdf } from './learning.certificates.ts';
/** Markdown → sanitised HTML (the lessons' allow-list), also for the code of conduct's text. */
export { renderLesson as renderMarkdown } from './learning.course.ts';

export const learningModule: Module = {
  name: 'learning',
  permissions: learningPermissions,
  seedDemo,
  routes: (r, k) => {
    learningRoutes(r, new LearningService(k));
    certificateRoutes(r, k);
    scormRoutes(r, k);
  },
  // Due-soon, overdue and escalation notices, tenant by tenant (docs/adr/0018).
  jobs: (k) => [
    perTenantJob(k, {
      name: REMINDERS_JOB,
      tenants: () => new IdentityService(k).listAllOrganisations(),
      run: (tx, tenantId, now) => new LearningService(k, () => now).sendReminders(tx, tenantId, now),
    }),
  ],
  schedules: [{ name: REMINDERS_JOB, cron: '41 5 * * *' }],
  onStart: async (k) => {
    await loadShippedCourses(k);
    await loadSigningKey(k);
  },
};
