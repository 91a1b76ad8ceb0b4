import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Items, api } from '../../../web/api';
import type { CycleT, DeclarationT, FlagT, SettingsT, StatisticsT } from './types';

export const declarationsKey = ['declarations'] as const;

function useList<T>(path: string, key: string, enabled = true) {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: [...declarationsKey, key, i18n.language],
    queryFn: ({ signal }) => api.get<Items<T>>(path, { signal }),
    enabled,
  });
}

export const useMine = () => useList<DeclarationT>('/api/declarations/mine', 'mine');
export const useApprovals = () => useList<DeclarationT>('/api/declarations/approvals', 'approvals');
export const useQueue = () => useList<DeclarationT>('/api/declarations/queue', 'queue');
export const useFlags = () => useList<FlagT>('/api/declarations/flags', 'flags');
export const useCycles = () => useList<CycleT>('/api/declarations/cycles', 'cycles');

export function useSettings() {
  return useQuery({
    queryKey: [...declarationsKey, 'settings'],
    queryFn: ({ signal }) => api.get<SettingsT>('/api/declarations/settings', { signal }),
  });
}

export function useStatistics() {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: [...declarationsKey, 'statistics', i18n.language],
    queryFn: ({ signal }) => api.get<StatisticsT>('/api/declarations/statistics', { signal }),
  });
}

export { useUnits } from '../../../web/directory';
