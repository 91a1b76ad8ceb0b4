import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Items, api } from '../../../web/api';
import type { CampaignT, CourseDetailT, CourseListItemT, EnrolmentT, PlayerT, ReportT } from './types';

export const learningKey = ['learning'] as const;
export const myEnrolmentsKey = ['learning', 'enrolments', 'me'] as const;
export const coursesKey = ['learning', 'courses'] as const;
export const campaignsKey = ['learning', 'campaigns'] as const;
export const enrolmentKey = (id: string) => ['learning', 'enrolment', id] as const;

export function useMyEnrolments() {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: [...myEnrolmentsKey, i18n.language],
    queryFn: ({ signal }) => api.get<Items<EnrolmentT>>('/api/learning/enrolments/me', { signal }),
  });
}

export function useCourses() {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: [...coursesKey, i18n.language],
    queryFn: ({ signal }) => api.get<Items<CourseListItemT>>('/api/learning/courses', { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useCourse(id: string | null) {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: [...coursesKey, id, i18n.language],
    queryFn: ({ signal }) => api.get<CourseDetailT>(`/api/learning/courses/${id}`, { signal }),
    enabled: !!id,
  });
}

/** Starting is idempotent: it pins the version on the first call and returns the outline. */
export function usePlayer(enrolmentId: string) {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: [...enrolmentKey(enrolmentId), i18n.language],
    queryFn: () => api.post<PlayerT>(`/api/learning/enrolments/${enrolmentId}/start`),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

export function useCampaigns() {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: [...campaignsKey, i18n.language],
    queryFn: ({ signal }) => api.get<Items<CampaignT>>('/api/learning/campaigns', { signal }),
  });
}

export interface ReportFilters {
  courseId: string | null;
  unitId: string | null;
  from: string;
  to: string;
}

export function reportQuery(f: ReportFilters): string {
  const p = new URLSearchParams();
  if (f.courseId) p.set('courseId', f.courseId);
  if (f.unitId) p.set('unitId', f.unitId);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  return p.toString();
}

export function useReport(f: ReportFilters) {
  const { i18n } = useTranslation();
  const qs = reportQuery(f);
  return useQuery({
    queryKey: ['learning', 'report', qs, i18n.language],
    queryFn: ({ signal }) => api.get<ReportT>(`/api/learning/reports${qs ? `?${qs}` : ''}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export interface UnitOption {
  id: string;
  name: string;
  code: string | null;
  parentId: string | null;
}

export { useMembers, useUnits } from '../../../web/directory';

export function useRoles(enabled = true) {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: ['identity', 'roles', i18n.language],
    queryFn: ({ signal }) => api.get<{ roles: { id: string; label: string }[] }>('/api/roles', { signal }),
    staleTime: 10 * 60_000,
    enabled,
  });
}
