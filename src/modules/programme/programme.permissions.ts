import type { ModulePermissions } from '../../platform/access/permissions.ts';

export const P = {
  /** Run the programme: pipeline, donors, agreements, rates, partners, activities (takes effect in the Secretariat's organisation only). */
  manage: 'programme.manage',
  /** Submit my administration's expressions of interest and follow them, its partnership and activities. */
  submit: 'programme.submit',
  /** See what my donor organisation funds. */
  donorRead: 'programme.donor_read',
} as const;

export const programmePermissions: ModulePermissions = {
  module: 'programme',
  permissions: Object.values(P),
  grants: {
    platform_admin: Object.values(P),
    programme_manager: [P.manage],
    org_admin: [P.submit],
    integrity_officer: [P.submit],
    donor_viewer: [P.donorRead],
  },
};
