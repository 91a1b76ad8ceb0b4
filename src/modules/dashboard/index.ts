import type { Module } from '../../platform/kernel.ts';
import { dashboardPermissions } from './dashboard.permissions.ts';
import { dashboardRoutes } from './dashboard.routes.ts';
import { DashboardService } from './dashboard.service.ts';

export const dashboardModule: Module = {
  name: 'dashboard',
  permissions: dashboardPermissions,
  routes: (r, k) => dashboardRoutes(r, new DashboardService(k)),
};
