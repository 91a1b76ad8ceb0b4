import type { ModulePermissions } from '../../platform/access/permissions.ts';

export const P = {
  /** Hold reporting keys, read and work the reports one is assigned to (need-to-know). */
  handle: 'reports.handle',
  /** Channels (questionnaire, recipients, retention, clocks), report metadata, legal hold. Not content. */
  manage: 'reports.manage',
  /**
   * Switch key escrow on or off and name its custodians (password re-entered, audited). Holding
   * it gives no access to reports: only custodians, with their own handler keys, can open them.
   */
  escrow: 'reports.escrow',
} as const;

// An organisation administrator manages channels but reads no report: only a handler the
// report key is sealed to can (docs/adr/0023-reporting-encryption.md).
export const reportsPermissions: ModulePermissions = {
  module: 'reports',
  permissions: Object.values(P),
  grants: {
    platform_admin: [P.manage],
    org_admin: [P.manage, P.escrow],
    integrity_officer: [P.handle, P.manage],
    case_handler: [P.handle],
    investigator: [P.handle],
  },
};
