import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Items, api } from '../../../web/api';
import type { ResultsT, SurveyDetailT, SurveyListItemT, TemplateItemT, TrendT } from './types';

export const surveysKey = ['surveys'] as const;

export function useSurveys() {
  return useQuery({
    queryKey: [...surveysKey, 'list'],
    queryFn: ({ signal }) => api.get<Items<SurveyListItemT>>('/api/surveys', { signal }),
  });
}

export function useTemplates(enabled: boolean) {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: [...surveysKey, 'templates', i18n.language],
    queryFn: ({ signal }) => api.get<Items<TemplateItemT>>('/api/surveys/templates', { signal }),
    enabled,
  });
}

export function useSurvey(id: string) {
  return useQuery({
    queryKey: [...surveysKey, 'detail', id],
    queryFn: ({ signal }) => api.get<SurveyDetailT>(`/api/surveys/${id}`, { signal }),
  });
}

export function useResults(id: string, by: string) {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: [...surveysKey, 'results', id, by, i18n.language],
    queryFn: ({ signal }) => api.get<ResultsT>(`/api/surveys/${id}/results?by=${by}`, { signal }),
  });
}

export function useTrend(id: string) {
  return useQuery({
    queryKey: [...surveysKey, 'trend', id],
    queryFn: ({ signal }) => api.get<TrendT>(`/api/surveys/${id}/trend`, { signal }),
  });
}
