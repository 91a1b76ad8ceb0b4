import type { Module } from '../../platform/kernel.ts';
import { standardsPermissions } from './standards.permissions.ts';
import { standardsRoutes } from './standards.routes.ts';
import { StandardsService } from './standards.service.ts';

export { StandardsService, parseLibrary, RAD_URN, UNCAC_URN } from './standards.service.ts';

export const standardsModule: Module = {
  name: 'standards',
  permissions: standardsPermissions,
  routes: (r, k) => standardsRoutes(r, new StandardsService(k)),
  onStart: (k) => new StandardsService(k).loadBuiltIns(),
};
