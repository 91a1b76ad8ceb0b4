import type { Module } from '../../platform/kernel.ts';
import { libraryPermissions } from './library.permissions.ts';
import { libraryRoutes } from './library.routes.ts';
import { seedDemo } from './library.seed.ts';
import { LibraryService } from './library.service.ts';

export const libraryModule: Module = {
  name: 'library',
  permissions: libraryPermissions,
  routes: (r, k) => libraryRoutes(r, new LibraryService(k)),
  seedDemo,
};
