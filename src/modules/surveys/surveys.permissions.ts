import type { ModulePermissions } from '../../platform/access/permissions.ts';

export const P = {
  /** Surveys from templates, translations, invitations (one-time tokens) or an open link, opening and closing. */
  manage: 'surveys.manage',
  /** Results by factor and group with small-cell suppression, trends, exports. */
  results: 'surveys.results',
} as const;

export const surveysPermissions: ModulePermissions = {
  module: 'surveys',
  permissions: Object.values(P),
  grants: {
    platform_admin: Object.values(P),
    org_admin: [P.manage, P.results],
    integrity_officer: [P.manage, P.results],
    executive: [P.results],
    analyst: [P.results],
  },
};
