import type { ModulePermissions } from '../../platform/access/permissions.ts';
import { BUILT_IN_ROLES } from '../../platform/access/permissions.ts';

export const P = { read: 'standards.read', manage: 'standards.manage' } as const;

export const standardsPermissions: ModulePermissions = {
  module: 'standards',
  permissions: [P.read, P.manage],
  grants: {
    ...Object.fromEntries(BUILT_IN_ROLES.map((r) => [r, [P.read]])),
    platform_admin: [P.read, P.manage],
    org_admin: [P.read, P.manage],
    integrity_officer: [P.read, P.manage],
  },
};
