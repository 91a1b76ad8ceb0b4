import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Items, api, request, upload } from '../../../web/api';
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
export function uploadEvidence(assessmentId: string, itemId: string, file: File): Promise<Evidence> {
  return upload<Evidence>('/api/assessments/evidence', file, { fields: { assessmentId, itemId } });
}
