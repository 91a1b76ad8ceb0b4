import type { ModulePermissions } from '../../platform/access/permissions.ts';

export const P = {
  read: 'action-plans.read',
  /** Create and edit plans, actions, milestones and KPIs; draft actions from evidence. */
  manage: 'action-plans.manage',
  /** Approve a plan (recorded: who and when). */
  approve: 'action-plans.approve',
  /** Report progress on an action one owns and record KPI values. */
  report: 'action-plans.report',
} as const;

export const actionPlansPermissions: ModulePermissions = {
  module: 'action-plans',
  permissions: Object.values(P),
  grants: {
    platform_admin: Object.values(P),
    org_admin: [P.read, P.manage, P.report],
    integrity_officer: [P.read, P.manage, P.report],
    executive: [P.read, P.approve],
    analyst: [P.read, P.report],
    staff: [P.read, P.report],
  },
};
