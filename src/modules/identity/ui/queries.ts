import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Items, api } from '../../../web/api';
import type { InvitationT, OrganisationT, RolesResultT } from '../../../web/types';

export { membersKey, unitsKey, useMembers, useUnits } from '../../../web/directory';
export const invitationsKey = ['organisation', 'invitations'] as const;
export const auditKey = ['organisation', 'audit'] as const;
export const platformOrganisationsKey = ['platform', 'organisations'] as const;

/** Roles with labels translated by the server: the language is part of the key. */
export function useRoles() {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: ['roles', i18n.language],
    queryFn: ({ signal }) => api.get<RolesResultT>('/api/roles', { signal }),
    staleTime: 10 * 60_000,
  });
}

export function useInvitations(enabled: boolean) {
  return useQuery({
    queryKey: invitationsKey,
    queryFn: ({ signal }) => api.get<Items<InvitationT>>('/api/organisation/invitations', { signal }),
    enabled,
  });
}

/** Every organisation on the server (platform administrators only). */
export function usePlatformOrganisations() {
  return useQuery({
    queryKey: platformOrganisationsKey,
    queryFn: ({ signal }) => api.get<Items<OrganisationT>>('/api/platform/organisations', { signal }),
  });
}

/** A role's translated label, falling back to its id. */
export function useRoleLabel(): (id: string) => string {
  const roles = useRoles();
  return (id) => roles.data?.roles.find((r) => r.id === id)?.label ?? id;
}
