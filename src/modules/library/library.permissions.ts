import type { ModulePermissions } from '../../platform/access/permissions.ts';
import { BUILT_IN_ROLES } from '../../platform/access/permissions.ts';

export const P = {
  /** Search and read published entries and their comments. */
  read: 'library.read',
  /** Write my organisation's entries and submit them for moderation. */
  contribute: 'library.contribute',
  /** Publish or reject submitted entries (takes effect in the Secretariat's organisation only). */
  moderate: 'library.moderate',
  /** Comment on published entries (ISC delegates). */
  comment: 'library.comment',
} as const;

export const libraryPermissions: ModulePermissions = {
  module: 'library',
  permissions: Object.values(P),
  grants: {
    ...Object.fromEntries(BUILT_IN_ROLES.map((r) => [r, [P.read]])),
    platform_admin: Object.values(P),
    org_admin: [P.read, P.contribute],
    integrity_officer: [P.read, P.contribute],
    programme_manager: [P.read, P.contribute, P.moderate, P.comment],
    isc_delegate: [P.read, P.contribute, P.comment],
  },
};
