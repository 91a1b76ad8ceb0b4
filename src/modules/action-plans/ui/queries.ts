import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Items, api } from '../../../web/api';
import type { KpiT, LookupsT, PlanDetailT, PlanListItemT } from '../action-plans.contract';

export const plansKey = ['action-plans'] as const;
export const planKey = (id: string) => ['action-plans', 'plan', id] as const;
export const kpisKey = ['action-plans', 'kpis'] as const;

export function usePlans() {
  return useQuery({
    queryKey: plansKey,
    queryFn: ({ signal }) => api.get<Items<PlanListItemT>>('/api/action-plans', { signal }),
  });
}

export function usePlan(id: string) {
  return useQuery({
    queryKey: planKey(id),
    queryFn: ({ signal }) => api.get<PlanDetailT>(`/api/action-plans/${id}`, { signal }),
  });
}

export function useKpis(planId?: string) {
  return useQuery({
    queryKey: [...kpisKey, planId ?? 'all'],
    queryFn: ({ signal }) =>
      api.get<Items<KpiT>>(`/api/action-plans/kpis${planId ? `?planId=${planId}` : ''}`, { signal }),
  });
}

/** Units, people, checklist items and risks for the forms; texts in the UI language. */
export function useLookups() {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: ['action-plans', 'lookups', i18n.language],
    queryFn: ({ signal }) => api.get<LookupsT>('/api/action-plans/lookups', { signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** Factor names from the standards module when the user may read it (else numbers only). */
export function useFactorNames(enabled: boolean) {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: ['standards', 'factors', i18n.language],
    queryFn: ({ signal }) =>
      api.get<Items<{ number: number; name: string }>>(
        `/api/standards/factors?locale=${encodeURIComponent(i18n.language)}`,
        { signal },
      ),
    enabled,
    staleTime: 10 * 60_000,
  });
}
