import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, type Items, api, request } from '../../../web/api';
import { currentLanguage } from '../../../web/i18n';
import type {
  AssessmentDetail,
  AssessmentSummary,
  BenchmarkResult,
  Evidence,
  ItemResponse,
  ItemsResult,
  OptionsResult,
  ScoresResult,
  TrendResult,
} from '../assessments.contract';

export type {
  AssessmentDetail,
  AssessmentSummary,
  BenchmarkResult,
  Evidence,
  ItemResponse,
  ItemsResult,
  OptionsResult,
  ScoresResult,
  TrendResult,
};
export type AssessmentItemT = ItemsResult['factors'][number]['items'][number];

// Texts come in the UI language: the language is part of every key.
const useLocale = () => useTranslation().i18n.language;
export const assessmentsKey = ['assessments'] as const;

export function useAssessments() {
  const locale = useLocale();
  return useQuery({
    queryKey: [...assessmentsKey, 'list', locale],
    queryFn: ({ signal }) => api.get<Items<AssessmentSummary>>('/api/assessments', { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useOptions(enabled = true) {
  const locale = useLocale();
  return useQuery({
    queryKey: [...assessmentsKey, 'options', locale],
    queryFn: ({ signal }) => api.get<OptionsResult>('/api/assessments/options', { signal }),
    enabled,
  });
}

export function useAssessment(id: string) {
  const locale = useLocale();
  return useQuery({
    queryKey: [...assessmentsKey, id, 'detail', locale],
    queryFn: ({ signal }) => api.get<AssessmentDetail>(`/api/assessments/${id}`, { signal }),
  });
}

export function useItems(id: string) {
  const locale = useLocale();
  return useQuery({
    queryKey: [...assessmentsKey, id, 'items', locale],
    queryFn: ({ signal }) => api.get<ItemsResult>(`/api/assessments/${id}/items`, { signal }),
  });
}

export function useScores(id: string) {
  const locale = useLocale();
  return useQuery({
    queryKey: [...assessmentsKey, id, 'scores', locale],
    queryFn: ({ signal }) => api.get<ScoresResult>(`/api/assessments/${id}/scores`, { signal }),
  });
}

export function useTrend() {
  const locale = useLocale();
  return useQuery({
    queryKey: [...assessmentsKey, 'trend', locale],
    queryFn: ({ signal }) => api.get<TrendResult>('/api/assessments/trend', { signal }),
  });
}

export function useBenchmark() {
  const locale = useLocale();
  return useQuery({
    queryKey: [...assessmentsKey, 'benchmark', locale],
    queryFn: ({ signal }) => api.get<BenchmarkResult>('/api/assessments/benchmark', { signal }),
  });
}

export const put = <T>(path: string, body: unknown) => request<T>(path, { method: 'PUT', body });

/** Multipart upload of one evidence file (the JSON client does not send forms). */
export async function uploadEvidence(assessmentId: string, itemId: string, file: File): Promise<Evidence> {
  const form = new FormData();
  form.append('assessmentId', assessmentId);
  form.append('itemId', itemId);
  form.append('file', file);
  const res = await fetch('/api/assessments/evidence', {
    method: 'POST',
    body: form,
    credentials: 'same-origin',
    headers: { 'X-Requested-With': 'arusha', 'Accept-Language': currentLanguage() },
  });
  const data = await res.json().catch(() => undefined);
  if (!res.ok) throw new ApiError(data?.code ? data : { status: res.status, code: 'BAD_REQUEST' });
  return data as Evidence;
}
