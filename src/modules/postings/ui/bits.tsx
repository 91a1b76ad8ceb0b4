import { Alert, Badge, Group } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ButtonLink } from '../../../web/ui-kit/links';
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
  const tabs = [
    { id: 'plan', to: '/postings' },
    { id: 'positions', to: '/postings/positions' },
    { id: 'history', to: '/postings/history' },
  ] as const;
  return (
    <Group gap="xs" mb="md" component="nav" aria-label={t('postings.nav')}>
      {tabs.map((tab) => (
        <ButtonLink
          key={tab.id}
          to={tab.to}
          size="xs"
          variant={current === tab.id ? 'filled' : 'default'}
          aria-current={current === tab.id ? 'page' : undefined}
        >
          {t(`postings.tabs.${tab.id}`)}
        </ButtonLink>
      ))}
    </Group>
  );
}
