import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Items, api } from '../../../web/api';
import type { FactorDetailT, FactorSummaryT, LibrarySummaryT, UncacArticleT } from '../../../web/types';

// Texts arrive in the requested language, so the language is part of every query key:
// switching language refetches.
function useLocale(): string {
  return useTranslation().i18n.language;
}

export function useFactors() {
  const locale = useLocale();
  return useQuery({
    queryKey: ['standards', 'factors', locale],
    queryFn: ({ signal }) =>
      api.get<Items<FactorSummaryT>>(`/api/standards/factors?locale=${encodeURIComponent(locale)}`, {
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

export function useFactor(number: number) {
  const locale = useLocale();
  return useQuery({
    queryKey: ['standards', 'factor', number, locale],
    queryFn: ({ signal }) =>
      api.get<FactorDetailT>(`/api/standards/factors/${number}?locale=${encodeURIComponent(locale)}`, {
        signal,
      }),
    placeholderData: (prev) => (prev?.number === number ? prev : undefined),
  });
}

export function useUncacArticles() {
  const locale = useLocale();
  return useQuery({
    queryKey: ['standards', 'uncac', locale],
    queryFn: ({ signal }) =>
      api.get<Items<UncacArticleT>>(`/api/standards/uncac?locale=${encodeURIComponent(locale)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useUncacArticle(code: string) {
  const locale = useLocale();
  return useQuery({
    queryKey: ['standards', 'uncac', code, locale],
    queryFn: ({ signal }) =>
      api.get<UncacArticleT>(
        `/api/standards/uncac/${encodeURIComponent(code)}?locale=${encodeURIComponent(locale)}`,
        { signal },
      ),
    placeholderData: (prev) => (prev?.code === code ? prev : undefined),
  });
}

export const librariesKey = ['standards', 'libraries'] as const;

export function useLibraries() {
  const locale = useLocale();
  return useQuery({
    queryKey: [...librariesKey, locale],
    queryFn: ({ signal }) =>
      api.get<Items<LibrarySummaryT>>(`/api/standards/libraries?locale=${encodeURIComponent(locale)}`, {
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}
