import type { Module } from '../../platform/kernel.ts';
import { conductPermissions } from './conduct.permissions.ts';

export const conductModule: Module = {
  name: 'conduct',
  permissions: conductPermissions,
};
