import type { ModulePermissions } from '../../platform/access/permissions.ts';

export const P = {
  /** Handlers: the cases assigned to them only (need-to-know); work them: notes, subjects, files, steps. */
  read: 'cases.read',
  /** Head of Internal Affairs: every case, open cases, assign and reassign, the taxonomy. */
  manage: 'cases.manage',
  /** Second tier: cases naming a senior manager go to holders of this permission only. */
  escalated: 'cases.escalated',
  /** Counts for management and donors (small counts suppressed), no case content. */
  stats: 'cases.stats',
} as const;

export const casesPermissions: ModulePermissions = {
  module: 'cases',
  permissions: Object.values(P),
  grants: {
    // Not even statistics' source data: administrators of the platform or the organisation
    // never read cases; they see the counts management sees.
    platform_admin: [P.stats],
    org_admin: [P.stats],
    // The head of Internal Affairs.
    integrity_officer: [P.read, P.manage, P.escalated, P.stats],
    // Senior investigators: the second tier for cases naming a senior manager.
    investigator: [P.read, P.escalated],
    case_handler: [P.read],
    executive: [P.stats],
    donor_viewer: [P.stats],
  },
};
