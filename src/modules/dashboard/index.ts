import type { Module } from '../../platform/kernel.ts';
import { dashboardPermissions } from './dashboard.permissions.ts';

export const dashboardModule: Module = {
  name: 'dashboard',
  permissions: dashboardPermissions,
};
