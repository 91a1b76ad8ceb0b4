import type { ModulePermissions } from '../../platform/access/permissions.ts';

export const P = {
  /** Read sessions, agendas, documents, minutes, the work programme and recommendations (ISC delegates). */
  read: 'isc.read',
  /** Write them (takes effect in the Secretariat's organisation only; docs/adr/0029). */
  manage: 'isc.manage',
} as const;

/**
 * The roles granted isc.read; the same list is in the row-level checks isc_is_delegate()
 * (migration *_isc_rls.sql) and isc_is_observer() (*_isc_observers_custom.sql); isc.test.ts compares them.
 */
export const READER_ROLES = [
  'platform_admin',
  'org_admin',
  'integrity_officer',
  'programme_manager',
  'isc_delegate',
] as const;

export const iscPermissions: ModulePermissions = {
  module: 'isc',
  permissions: Object.values(P),
  grants: {
    ...Object.fromEntries(READER_ROLES.map((r) => [r, [P.read]])),
    platform_admin: Object.values(P),
    programme_manager: [P.read, P.manage],
  },
};
