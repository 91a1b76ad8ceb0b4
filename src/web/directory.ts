import { useQuery } from '@tanstack/react-query';
import { type Items, api } from './api';
import type { MemberT, OrgUnitT } from './types';

// The organisation's units and members, for every module's pickers and names. Identity's pages
// edit them and invalidate these keys, so every page sees the change.

export const membersKey = ['organisation', 'members'] as const;
export const unitsKey = ['organisation', 'units'] as const;

export function useUnits(enabled = true) {
  return useQuery({
    queryKey: unitsKey,
    queryFn: ({ signal }) => api.get<Items<OrgUnitT>>('/api/organisation/units', { signal }),
    staleTime: 60_000,
    enabled,
  });
}

export function useMembers(enabled = true) {
  return useQuery({
    queryKey: membersKey,
    queryFn: ({ signal }) => api.get<Items<MemberT>>('/api/organisation/members', { signal }),
    staleTime: 60_000,
    enabled,
  });
}
