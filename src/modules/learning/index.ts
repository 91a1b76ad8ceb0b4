import type { Module } from '../../platform/kernel.ts';
import { learningPermissions } from './learning.permissions.ts';

export const learningModule: Module = {
  name: 'learning',
  permissions: learningPermissions,
};
