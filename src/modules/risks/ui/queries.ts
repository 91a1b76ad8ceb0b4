import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Items, api, upload } from '../../../web/api';
import type {
  HeatmapResult,
  ImportReport,
  PeopleT,
  Process,
  Risk,
  Settings,
  SnapshotSummaryT,
  TrendResult,
} from '../risks.contract';

export const risksKey = ['risks'] as const;

function useLocale(): string {
  return useTranslation().i18n.language;
}

const qs = (params: Record<string, string | number | undefined | null>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const out = s.toString();
  return out ? `?${out}` : '';
};

export interface RiskFilters {
  processId?: string | null;
  factor?: number | null;
  orgUnitId?: string | null;
  level?: string | null;
  flag?: string | null;
  status?: string | null;
  q?: string | null;
}

export function useRisks(f: RiskFilters) {
  const locale = useLocale();
  return useQuery({
    queryKey: [...risksKey, 'list', f, locale],
    queryFn: ({ signal }) => api.get<Items<Risk>>(`/api/risks${qs({ ...f })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useRisk(id: string) {
  const locale = useLocale();
  return useQuery({
    queryKey: [...risksKey, 'one', id, locale],
    queryFn: ({ signal }) => api.get<Risk>(`/api/risks/${id}`, { signal }),
    enabled: !!id,
  });
}

export function useProcesses() {
  const locale = useLocale();
  return useQuery({
    queryKey: [...risksKey, 'processes', locale],
    queryFn: ({ signal }) => api.get<Items<Process>>('/api/risks/processes', { signal }),
  });
}

export function useSettings() {
  const locale = useLocale();
  return useQuery({
    queryKey: [...risksKey, 'settings', locale],
    queryFn: ({ signal }) => api.get<Settings>('/api/risks/settings', { signal }),
  });
}

export function usePeople() {
  return useQuery({
    queryKey: [...risksKey, 'people'],
    queryFn: ({ signal }) => api.get<PeopleT>('/api/risks/people', { signal }),
  });
}

export function useHeatmap(f: {
  processId?: string | null;
  factor?: number | null;
  orgUnitId?: string | null;
  snapshotId?: string | null;
}) {
  const locale = useLocale();
  return useQuery({
    queryKey: [...risksKey, 'heatmap', f, locale],
    queryFn: ({ signal }) => api.get<HeatmapResult>(`/api/risks/heatmap${qs({ ...f })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useSnapshots() {
  return useQuery({
    queryKey: [...risksKey, 'snapshots'],
    queryFn: ({ signal }) => api.get<Items<SnapshotSummaryT>>('/api/risks/snapshots', { signal }),
  });
}

export function useTrend(from: string | null, to: string | null) {
  const locale = useLocale();
  return useQuery({
    queryKey: [...risksKey, 'trend', from, to, locale],
    queryFn: ({ signal }) => api.get<TrendResult>(`/api/risks/trend${qs({ from, to })}`, { signal }),
    enabled: !!from && !!to && from !== to,
    retry: false,
  });
}

/** Multipart upload of the register file; problems come back as ApiError like every call. */
export function uploadRegister(file: File, dryRun: boolean): Promise<ImportReport> {
  return upload<ImportReport>(`/api/risks/import?dryRun=${dryRun}`, file);
}
