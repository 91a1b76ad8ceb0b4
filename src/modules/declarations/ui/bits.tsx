import { Badge } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PageTabs } from '../../../web/ui-kit/page-tabs';
import type { DeclarationT } from './types';

const STATUS_COLOURS: Record<DeclarationT['status'], string> = {
  submitted: 'blue',
  under_review: 'violet',
  cleared: 'teal',
  flagged: 'orange',
  referred: 'red',
};
const APPROVAL_COLOURS: Record<DeclarationT['approval'], string> = {
  not_required: 'gray',
  pending: 'yellow',
  approved: 'teal',
  rejected: 'red',
};

export function StatusBadge({ status }: { status: DeclarationT['status'] }): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOURS[status]} variant="light" data-testid="declaration-status">
      {t(`declarations.status.${status}`)}
    </Badge>
  );
}

export function ApprovalBadge({ approval }: { approval: DeclarationT['approval'] }): ReactNode {
  const { t } = useTranslation();
  if (approval === 'not_required') return null;
  return (
    <Badge color={APPROVAL_COLOURS[approval]} variant="dot">
      {t(`declarations.approval.${approval}`)}
    </Badge>
  );
}

/** The module's pages, as links for whoever may open them. */
export function DeclarationsTabs({ current }: { current: string }): ReactNode {
  const { t } = useTranslation();
  const tab = (
    id: 'mine' | 'approvals' | 'review' | 'settings' | 'statistics',
    to: string,
    permission: string,
  ) => ({
    id,
    to,
    permission,
    label: t(`declarations.tabs.${id}`),
  });
  return (
    <PageTabs
      label={t('declarations.nav')}
      current={current}
      tabs={[
        tab('mine', '/declarations', 'declarations.declare'),
        tab('approvals', '/declarations/approvals', 'declarations.approve'),
        tab('review', '/declarations/review', 'declarations.review'),
        tab('settings', '/declarations/settings', 'declarations.manage'),
        tab('statistics', '/declarations/statistics', 'declarations.statistics'),
      ]}
    />
  );
}
