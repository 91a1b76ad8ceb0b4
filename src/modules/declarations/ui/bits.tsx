import { Badge, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ButtonLink } from '../../../web/ui-kit/links';
import { hasPermission, useMe } from '../../../web/session';
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
  const me = useMe();
  const tabs = [
    { id: 'mine', to: '/declarations', p: 'declarations.declare' },
    { id: 'approvals', to: '/declarations/approvals', p: 'declarations.approve' },
    { id: 'review', to: '/declarations/review', p: 'declarations.review' },
    { id: 'settings', to: '/declarations/settings', p: 'declarations.manage' },
    { id: 'statistics', to: '/declarations/statistics', p: 'declarations.statistics' },
  ] as const;
  const shown = tabs.filter((x) => hasPermission(me, x.p));
  if (shown.length < 2) return null;
  return (
    <Group gap="xs" mb="md" component="nav" aria-label={t('declarations.nav')}>
      {shown.map((x) => (
        <ButtonLink
          key={x.id}
          to={x.to}
          size="xs"
          variant={x.id === current ? 'filled' : 'default'}
          aria-current={x.id === current ? 'page' : undefined}
        >
          {t(`declarations.tabs.${x.id}`)}
        </ButtonLink>
      ))}
    </Group>
  );
}
