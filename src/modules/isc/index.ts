import type { Module } from '../../platform/kernel.ts';
import { iscPermissions } from './isc.permissions.ts';
import { iscRoutes } from './isc.routes.ts';
import { seedDemo } from './isc.seed.ts';
import { IscService } from './isc.service.ts';

export const iscModule: Module = {
  name: 'isc',
  permissions: iscPermissions,
  routes: (r, k) => iscRoutes(r, new IscService(k)),
  seedDemo,
};
