import type { Module } from '../../platform/kernel.ts';
import { surveysPermissions } from './surveys.permissions.ts';

export const surveysModule: Module = {
  name: 'surveys',
  permissions: surveysPermissions,
};
