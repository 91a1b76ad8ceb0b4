import type { Module } from '../../platform/kernel.ts';
import { assessmentsPermissions } from './assessments.permissions.ts';

export const assessmentsModule: Module = {
  name: 'assessments',
  permissions: assessmentsPermissions,
};
