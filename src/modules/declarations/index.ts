import type { Module } from '../../platform/kernel.ts';
import { declarationsPermissions } from './declarations.permissions.ts';

export const declarationsModule: Module = {
  name: 'declarations',
  permissions: declarationsPermissions,
};
