import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Items, api } from '../../../web/api';
import type { CandidateT, CaseDetailT, CaseSummaryT, SettingsT, StatisticsT } from './types';

export const casesKey = ['cases'] as const;

export function useCases(scope: 'mine' | 'all') {
  return useQuery({
    queryKey: [...casesKey, 'list', scope],
    queryFn: ({ signal }) => api.get<Items<CaseSummaryT>>(`/api/cases?scope=${scope}`, { signal }),
  });
}

/**
 * The whole case. Reading it is a POST that the server writes to the audit trail, so it is read
 * once per visit: no refetch on focus or reconnect (a save returns the fresh case instead).
 */
export function useCase(id: string) {
  return useQuery({
    queryKey: [...casesKey, 'case', id],
    queryFn: ({ signal }) => api.post<CaseDetailT>(`/api/cases/${id}/open`, undefined, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
  });
}

export function useCandidates(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...casesKey, 'candidates', id],
    queryFn: ({ signal }) => api.get<Items<CandidateT>>(`/api/cases/${id}/candidates`, { signal }),
    enabled,
  });
}

export function useSettings() {
  return useQuery({
    queryKey: [...casesKey, 'settings'],
    queryFn: ({ signal }) => api.get<SettingsT>('/api/cases/settings', { signal }),
  });
}

export function useStatistics() {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: [...casesKey, 'statistics', i18n.language],
    queryFn: ({ signal }) => api.get<StatisticsT>('/api/cases/statistics', { signal }),
  });
}

export { useUnits } from '../../../web/directory';
