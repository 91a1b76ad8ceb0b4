import type { Module } from '../../platform/kernel.ts';
import { risksPermissions } from './risks.permissions.ts';

export const risksModule: Module = {
  name: 'risks',
  permissions: risksPermissions,
};
