import { Badge } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { serverText } from '../../../web/i18n';
import { PageTabs } from '../../../web/ui-kit/page-tabs';
import type { CaseStatus } from '../cases.vocab';

const COLOURS: Record<CaseStatus, string> = {
  new: 'blue',
  acknowledged: 'cyan',
  triage: 'violet',
  investigation: 'orange',
  investigation_report: 'yellow',
  decision: 'grape',
  outcome: 'pink',
  closed: 'gray',
};

/** A code's label from the server catalog (cases.status.x, cases.outcome.x …), else the code. */
export const label = (group: string, code: string | null | undefined) =>
  code ? (serverText(`cases.${group}.${code}`) ?? code) : '—';

export function StatusBadge({ status }: { status: CaseStatus }): ReactNode {
  return (
    <Badge color={COLOURS[status]} variant="dot" data-testid="case-status">
      {label('status', status)}
    </Badge>
  );
}

export function CasesTabs({ current }: { current: 'list' | 'statistics' }): ReactNode {
  const { t } = useTranslation();
  return (
    <PageTabs
      label={t('cases.tabs.label')}
      current={current}
      tabs={[
        { id: 'list', to: '/cases', label: t('cases.tabs.list'), permission: 'cases.read' },
        {
          id: 'statistics',
          to: '/cases/statistics',
          label: t('cases.tabs.statistics'),
          permission: 'cases.stats',
        },
      ]}
    />
  );
}
