import type { ModulePermissions } from '../../platform/access/permissions.ts';
import { BUILT_IN_ROLES } from '../../platform/access/permissions.ts';

export const P = {
  /** File and follow one's own declarations (interests, gifts, assets). */
  declare: 'declarations.declare',
  /** Line managers: approve conflict mitigations and gift dispositions in their unit; never asset values. */
  approve: 'declarations.approve',
  /** Reviewers: read declarations including asset values (every read audited), clear, flag, refer. */
  review: 'declarations.review',
  /** Declaration types and thresholds, cycles and due dates. */
  manage: 'declarations.manage',
  /** Submission rates and flags by type, without individuals. */
  statistics: 'declarations.statistics',
} as const;

export const declarationsPermissions: ModulePermissions = {
  module: 'declarations',
  permissions: Object.values(P),
  grants: {
    ...Object.fromEntries(BUILT_IN_ROLES.map((r) => [r, [P.declare]])),
    // Not declarations.review: a platform administrator has no business reading asset values.
    platform_admin: [P.declare, P.manage, P.statistics],
    org_admin: [P.declare, P.manage, P.statistics],
    // The reviewers (ethics / Internal Affairs), a role apart from line managers.
    integrity_officer: [P.declare, P.review, P.manage, P.statistics],
    investigator: [P.declare, P.review],
    line_manager: [P.declare, P.approve],
    executive: [P.declare, P.statistics],
    analyst: [P.declare, P.statistics],
  },
};
