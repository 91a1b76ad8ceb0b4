import type { ModulePermissions } from '../../platform/access/permissions.ts';

export const P = {
  organisationRead: 'identity.organisation.read',
  membersRead: 'identity.members.read',
  membersManage: 'identity.members.manage',
  membersInvite: 'identity.members.invite',
  unitsManage: 'identity.units.manage',
  auditRead: 'identity.audit.read',
} as const;

const everyone = [P.organisationRead];

export const identityPermissions: ModulePermissions = {
  module: 'identity',
  permissions: Object.values(P),
  grants: {
    platform_admin: Object.values(P),
    org_admin: [
      P.organisationRead,
      P.membersRead,
      P.membersManage,
      P.membersInvite,
      P.unitsManage,
      P.auditRead,
    ],
    integrity_officer: [P.organisationRead, P.membersRead, P.auditRead],
    case_handler: everyone,
    investigator: everyone,
    analyst: everyone,
    executive: [P.organisationRead, P.membersRead],
    staff: everyone,
    programme_manager: [P.organisationRead, P.membersRead],
    donor_viewer: everyone,
    isc_delegate: everyone,
  },
};
