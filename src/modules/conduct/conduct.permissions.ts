import type { ModulePermissions } from '../../platform/access/permissions.ts';
import { BUILT_IN_ROLES } from '../../platform/access/permissions.ts';

export const P = {
  /** Read the current code of conduct and acknowledge it. */
  acknowledge: 'conduct.acknowledge',
  /** Code versions, acknowledgement campaigns, the private-sector register and its code. */
  manage: 'conduct.manage',
  /** Acknowledgement rates by org unit (the RAD factor 7 KPI). */
  reports: 'conduct.reports',
} as const;

export const conductPermissions: ModulePermissions = {
  module: 'conduct',
  permissions: Object.values(P),
  grants: {
    ...Object.fromEntries(BUILT_IN_ROLES.map((r) => [r, [P.acknowledge]])),
    platform_admin: Object.values(P),
    org_admin: [P.acknowledge, P.manage, P.reports],
    integrity_officer: [P.acknowledge, P.manage, P.reports],
    line_manager: [P.acknowledge, P.reports],
    executive: [P.acknowledge, P.reports],
    analyst: [P.acknowledge, P.reports],
  },
};
