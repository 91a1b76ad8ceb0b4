import { useQuery } from '@tanstack/react-query';
import { type Items, api, isApiError } from '../../../web/api';
import type { KeyStatusT, ReportDetailT, ReportItemT } from './types';

// The handler pages' data. Channel administration keeps its own keys (['reports', 'channels']).
export const handlerKey = ['reports', 'handler'] as const;
export const keysKey = [...handlerKey, 'keys'] as const;

export function useKeyStatus() {
  return useQuery({
    queryKey: keysKey,
    queryFn: ({ signal }) => api.get<KeyStatusT>('/api/reports/keys', { signal }),
  });
}

export function useReports() {
  return useQuery({
    queryKey: [...handlerKey, 'list'],
    queryFn: ({ signal }) => api.get<Items<ReportItemT>>('/api/reports', { signal }),
  });
}

/**
 * A report, decrypted. Opening is a POST the server writes to the audit trail: read once per
 * visit (no refetch on focus); a 409 means the keys are locked, and is not retried.
 */
export function useReport(id: string) {
  return useQuery({
    queryKey: [...handlerKey, 'report', id],
    queryFn: ({ signal }) => api.post<ReportDetailT>(`/api/reports/${id}/open`, undefined, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
  });
}

/** The API's answer while my reporting keys are locked (or not set up): 409 naming `keys`. */
export const keysProblem = (e: unknown): 'locked' | 'missing' | null => {
  if (!isApiError(e, 'CONFLICT')) return null;
  const p = e.problem.errors?.find((x) => x.path === 'keys');
  return p?.message === 'locked' || p?.message === 'missing' ? p.message : null;
};

export { useMembers, useUnits } from '../../../web/directory';
