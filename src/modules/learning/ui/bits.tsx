import { Badge, Progress, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/ui-kit/format';
import { PageTabs } from '../../../web/ui-kit/page-tabs';
import type { EnrolmentStatus } from './types';

const STATUS_COLOR: Record<EnrolmentStatus, string> = {
  enrolled: 'gray',
  in_progress: 'blue',
  completed: 'teal',
};

export function EnrolmentBadge({ status }: { status: EnrolmentStatus }): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" data-status={status} style={{ flexShrink: 0 }}>
      {t(`learning.statuses.${status}`)}
    </Badge>
  );
}

/** Today as YYYY-MM-DD in local time. */
export function today(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function isOverdue(dueDate: string | null, status: EnrolmentStatus): boolean {
  return !!dueDate && status !== 'completed' && dueDate.slice(0, 10) < today();
}

/** The due date; in red with "overdue" when passed and not completed. */
export function DueDate({ dueDate, status }: { dueDate: string | null; status: EnrolmentStatus }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  if (!dueDate)
    return (
      <Text size="sm" c="dimmed">
        {t('learning.noDueDate')}
      </Text>
    );
  const overdue = isOverdue(dueDate, status);
  return (
    <Text size="sm" c={overdue ? 'red' : undefined} fw={overdue ? 600 : undefined}>
      {overdue
        ? t('learning.overdueSince', { date: f.date(dueDate) })
        : t('learning.dueOn', { date: f.date(dueDate) })}
    </Text>
  );
}

export function PercentBar({ percent, label }: { percent: number; label: string }): ReactNode {
  return (
    <div>
      <Progress
        value={percent}
        size="md"
        aria-label={label}
        color={percent >= 100 ? 'teal' : 'blue'}
        transitionDuration={200}
      />
      <Text size="xs" c="dimmed" mt={2}>
        {label}
      </Text>
    </div>
  );
}

/** A share (0–1) as a whole percentage in the UI language, or a dash. */
export function usePct() {
  const { i18n } = useTranslation();
  const nf = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 });
  return (v: number | null | undefined) => (v === null || v === undefined ? '—' : nf.format(v));
}

/** Links between the manager's pages (courses, campaigns). */
export function ManageTabs({ current }: { current: 'courses' | 'campaigns' }): ReactNode {
  const { t } = useTranslation();
  return (
    <PageTabs
      label={t('learning.manageNav')}
      current={current}
      tabs={[
        { id: 'courses', to: '/learning/courses', label: t('learning.tabs.courses') },
        { id: 'campaigns', to: '/learning/campaigns', label: t('learning.tabs.campaigns') },
      ]}
    />
  );
}
