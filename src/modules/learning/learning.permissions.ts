import type { ModulePermissions } from '../../platform/access/permissions.ts';
import { BUILT_IN_ROLES } from '../../platform/access/permissions.ts';

export const P = {
  /** Take the courses one is enrolled in; see one's own progress and certificates. */
  learn: 'learning.learn',
  /** Author courses, publish versions, import SCORM packages, run enrolment campaigns, revoke certificates. */
  manage: 'learning.manage',
  /** Completion and score reports by unit, course and period; exports. */
  reports: 'learning.reports',
} as const;

export const learningPermissions: ModulePermissions = {
  module: 'learning',
  permissions: Object.values(P),
  grants: {
    ...Object.fromEntries(BUILT_IN_ROLES.map((r) => [r, [P.learn]])),
    platform_admin: Object.values(P),
    org_admin: [P.learn, P.manage, P.reports],
    integrity_officer: [P.learn, P.manage, P.reports],
    executive: [P.learn, P.reports],
    analyst: [P.learn, P.reports],
  },
};
