import type { ModulePermissions } from '../../platform/access/permissions.ts';

export const P = {
  read: 'risks.read',
  /** Edit the register, the process catalogue, the matrix; take snapshots; import. */
  manage: 'risks.manage',
  /** Approve or reject the acceptance of a risk (treatment "accept"). */
  approve: 'risks.approve',
} as const;

export const risksPermissions: ModulePermissions = {
  module: 'risks',
  permissions: Object.values(P),
  grants: {
    platform_admin: Object.values(P),
    org_admin: [P.read, P.manage],
    integrity_officer: [P.read, P.manage],
    executive: [P.read, P.approve],
    analyst: [P.read],
    investigator: [P.read],
  },
};
