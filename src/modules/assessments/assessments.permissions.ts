import type { ModulePermissions } from '../../platform/access/permissions.ts';

export const P = {
  read: 'assessments.read',
  /** Create campaigns, set the team, move the workflow (except validation). */
  manage: 'assessments.manage',
  /** Rate items, write narratives, attach evidence — also requires a seat on the team. */
  respond: 'assessments.respond',
  /** Executive sign-off: validate an assessment in review. */
  validate: 'assessments.validate',
  /** Share validated scores with the peer benchmark and see its aggregates. */
  benchmark: 'assessments.benchmark',
} as const;

export const assessmentsPermissions: ModulePermissions = {
  module: 'assessments',
  permissions: Object.values(P),
  grants: {
    platform_admin: Object.values(P),
    org_admin: [P.read, P.manage, P.benchmark],
    integrity_officer: [P.read, P.manage, P.respond, P.benchmark],
    executive: [P.read, P.respond, P.validate, P.benchmark],
    analyst: [P.read, P.respond],
    programme_manager: [P.benchmark],
  },
};
