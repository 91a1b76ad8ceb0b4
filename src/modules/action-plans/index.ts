import type { Module } from '../../platform/kernel.ts';
import { actionPlansPermissions } from './action-plans.permissions.ts';

export const actionPlansModule: Module = {
  name: 'action-plans',
  permissions: actionPlansPermissions,
};
