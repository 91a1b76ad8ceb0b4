import type { ModulePermissions } from '../../platform/access/permissions.ts';

export const P = { read: 'dashboard.read' } as const;

export const dashboardPermissions: ModulePermissions = {
  module: 'dashboard',
  permissions: Object.values(P),
  grants: {
    platform_admin: [P.read],
    org_admin: [P.read],
    integrity_officer: [P.read],
    executive: [P.read],
    analyst: [P.read],
  },
};
