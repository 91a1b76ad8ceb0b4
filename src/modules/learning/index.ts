import type { Module } from '../../platform/kernel.ts';
import { certificateRoutes } from './learning.certificates.routes.ts';
import { loadSigningKey } from './learning.certificates.ts';
import { learningPermissions } from './learning.permissions.ts';
import { scormRoutes } from './learning.scorm.routes.ts';
import { loadShippedCourses } from './learning.shipped.ts';

export { CertificatesService, verifyPdf } from './learning.certificates.ts';

export const learningModule: Module = {
  name: 'learning',
  permissions: learningPermissions,
  routes: (r, k) => {
    certificateRoutes(r, k);
    scormRoutes(r, k);
  },
  onStart: async (k) => {
    await loadShippedCourses(k);
    await loadSigningKey(k);
  },
};
