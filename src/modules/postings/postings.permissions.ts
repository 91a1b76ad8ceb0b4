import type { ModulePermissions } from '../../platform/access/permissions.ts';

export const P = {
  /** Positions, vulnerability, postings history, tenure alerts and the rotation plan. */
  read: 'postings.read',
  /** Edit positions, postings and rotation rules (which can be switched off). */
  manage: 'postings.manage',
} as const;

export const postingsPermissions: ModulePermissions = {
  module: 'postings',
  permissions: Object.values(P),
  grants: {
    platform_admin: Object.values(P),
    org_admin: [P.read, P.manage],
    integrity_officer: [P.read, P.manage],
    line_manager: [P.read],
    executive: [P.read],
    analyst: [P.read],
  },
};
