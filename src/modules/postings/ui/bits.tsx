import { Alert, Badge } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PageTabs } from '../../../web/ui-kit/page-tabs';
import type { TenureStatus, Vulnerability } from '../postings.vocab';

export const postingsKey = ['postings'] as const;

const VULN_COLOR: Record<Vulnerability, string> = {
  low: 'gray',
  medium: 'yellow',
  high: 'orange',
  critical: 'red',
};
const STATUS_COLOR: Record<TenureStatus, string> = { ok: 'teal', due_soon: 'orange', overdue: 'red' };

export function VulnerabilityBadge({ level }: { level: Vulnerability }): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color={VULN_COLOR[level]} variant="light">
      {t(`postings.vulnerability.${level}`)}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: TenureStatus }): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light">
      {t(`postings.statuses.${status}`)}
    </Badge>
  );
}

/** Rotation's evidence is mixed (domain.md §6): said on every page. */
export function EvidenceNote(): ReactNode {
  const { t } = useTranslation();
  return (
    <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />} mb="md">
      {t('postings.evidence')}
    </Alert>
  );
}

export function Tabs({ current }: { current: 'plan' | 'positions' | 'history' }): ReactNode {
  const { t } = useTranslation();
  return (
    <PageTabs
      label={t('postings.nav')}
      current={current}
      tabs={[
        { id: 'plan', to: '/postings', label: t('postings.tabs.plan') },
        { id: 'positions', to: '/postings/positions', label: t('postings.tabs.positions') },
        { id: 'history', to: '/postings/history', label: t('postings.tabs.history') },
      ]}
    />
  );
}
