import { Badge, Group, Progress, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../../web/session';
import type { ActionStatus, PlanStatus } from '../action-plans.vocab';
import { useFactorNames } from './queries';

export const ACTION_STATUS_COLORS: Record<ActionStatus, string> = {
  not_started: 'gray',
  in_progress: 'blue',
  done: 'teal',
  delayed: 'orange',
  cancelled: 'dark',
};

const PLAN_STATUS_COLORS: Record<PlanStatus, string> = {
  draft: 'gray',
  approved: 'teal',
  in_progress: 'blue',
  completed: 'green',
  archived: 'dark',
};

export function PlanStatusBadge({ status }: { status: PlanStatus }): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color={PLAN_STATUS_COLORS[status]} variant="light" style={{ flexShrink: 0 }}>
      {t(`actionPlans.planStatus.${status}`)}
    </Badge>
  );
}

export function ActionStatusBadge({
  status,
  overdue,
}: {
  status: ActionStatus;
  overdue?: boolean;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      <Badge color={ACTION_STATUS_COLORS[status]} variant="light" style={{ flexShrink: 0 }}>
        {t(`actionPlans.status.${status}`)}
      </Badge>
      {overdue && (
        <Badge color="red" variant="filled" style={{ flexShrink: 0 }}>
          {t('actionPlans.overdue')}
        </Badge>
      )}
    </Group>
  );
}

export function ProgressCell({ value }: { value: number }): ReactNode {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap">
      <Progress value={value} w={70} aria-label={t('actionPlans.action.progress')} />
      <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
        {value} %
      </Text>
    </Group>
  );
}

/** "3 · Accountability" when the standards are readable, else "Factor 3". */
export function useFactorLabel(): (n: number | null) => string {
  const { t } = useTranslation();
  const names = useFactorNames(useCan('standards.read'));
  return (n) => {
    if (n === null) return '—';
    const name = names.data?.items.find((f) => f.number === n)?.name;
    return name ? `${n} · ${name}` : t('actionPlans.factorN', { n });
  };
}
