import type { ModulePermissions } from '../../platform/access/permissions.ts';

export const P = {
  /** Datasets, indicator results, funnel plots and alerts (read only). */
  read: 'analytics.read',
  /** Import extracts, column mappings, run the indicator suite. */
  manage: 'analytics.manage',
  /** Triage alerts: review, dismiss with a reason, escalate, add to the risk map. */
  alerts: 'analytics.alerts',
} as const;

export const analyticsPermissions: ModulePermissions = {
  module: 'analytics',
  permissions: Object.values(P),
  grants: {
    platform_admin: Object.values(P),
    org_admin: [P.read, P.manage, P.alerts],
    analyst: [P.read, P.manage, P.alerts],
    integrity_officer: [P.read, P.alerts],
    investigator: [P.read, P.alerts],
    executive: [P.read],
  },
};
