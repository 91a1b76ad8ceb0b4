import type { Module } from '../../platform/kernel.ts';
import { postingsPermissions } from './postings.permissions.ts';

export const postingsModule: Module = {
  name: 'postings',
  permissions: postingsPermissions,
};
