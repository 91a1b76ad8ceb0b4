import { Badge, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { PageTabs } from '../../../web/ui-kit/page-tabs';
import type { RecommendationStatus, SessionStatus, WorkStatus } from '../isc.vocab';

export const iscKey = ['isc'] as const;

/** Badges keep their whole label: in Arabic, the measured width falls short and Mantine would cut it. */
export const FULL_LABEL = { label: { overflow: 'visible', textOverflow: 'clip' } } as const;

export function IscTabs({ current }: { current: 'sessions' | 'work' | 'recommendations' }): ReactNode {
  const { t } = useTranslation();
  return (
    <PageTabs
      label={t('isc.tabsLabel')}
      current={current}
      tabs={[
        { id: 'sessions', to: '/isc', label: t('isc.sessionsTab') },
        { id: 'work', to: '/isc/work', label: t('isc.workTab') },
        { id: 'recommendations', to: '/isc/recommendations', label: t('isc.recommendationsTab') },
      ]}
    />
  );
}

/** Whether the caller writes (the Secretariat with isc.manage): the server decides. */
export function useCanManage(): boolean {
  const caps = useQuery({
    queryKey: [...iscKey, 'capabilities'],
    queryFn: ({ signal }) => api.get<{ canManage: boolean }>('/api/isc/capabilities', { signal }),
  });
  return caps.data?.canManage === true;
}

export function ReadOnlyNote({ canManage }: { canManage: boolean }): ReactNode {
  const { t } = useTranslation();
  return canManage ? null : (
    <Text size="sm" c="dimmed" mb="md">
      {t('isc.readOnly')}
    </Text>
  );
}

const SESSION_COLOR: Record<SessionStatus, string> = {
  planned: 'gray',
  convened: 'blue',
  held: 'orange',
  minutes_adopted: 'teal',
};
export function SessionStatusBadge({ status }: { status: SessionStatus }): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color={SESSION_COLOR[status]} variant="light" styles={FULL_LABEL}>
      {t(`isc.status.${status}`)}
    </Badge>
  );
}

export const WORK_COLOR: Record<WorkStatus, string> = {
  planned: 'gray',
  in_progress: 'blue',
  done: 'teal',
  dropped: 'dark',
};
export function WorkStatusBadge({ status }: { status: WorkStatus }): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color={WORK_COLOR[status]} variant="light" styles={FULL_LABEL}>
      {t(`isc.workStatus.${status}`)}
    </Badge>
  );
}

const RECOMMENDATION_COLOR: Record<RecommendationStatus, string> = {
  proposed: 'gray',
  submitted: 'blue',
  endorsed: 'teal',
  implemented: 'green',
  not_endorsed: 'red',
};
export function RecommendationBadge({ status }: { status: RecommendationStatus }): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color={RECOMMENDATION_COLOR[status]} variant="light" styles={FULL_LABEL}>
      {t(`isc.recommendationStatus.${status}`)}
    </Badge>
  );
}
