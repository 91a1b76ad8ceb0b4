import { Badge, Group, Stack, Switch } from '@mantine/core';
import { IconLockSquare } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { SaveError } from '../../../web/ui-kit/save-error';
import type { ReportStatus } from '../reports.vocab';
import type { ReportItemT } from './types';

const COLOURS: Record<ReportStatus, string> = {
  new: 'blue',
  acknowledged: 'cyan',
  triage: 'violet',
  closed: 'gray',
};

export function StatusBadge({ status }: { status: ReportStatus }): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color={COLOURS[status]} variant="dot" data-testid="report-status">
      {t(`reports.status.${status}`)}
    </Badge>
  );
}

/** The statutory clocks as the API computes them: acknowledgement while new, feedback until closed. */
export function clocks(r: Pick<ReportItemT, 'status' | 'ackDue' | 'feedbackDue'>, now = Date.now()) {
  return {
    ackOverdue: r.status === 'new' && now > Date.parse(r.ackDue),
    feedbackOverdue: r.status !== 'closed' && now > Date.parse(r.feedbackDue),
  };
}

/** A due date, with an "overdue" badge when the clock ran out (and nothing when it no longer runs). */
export function Due({ at, overdue, done }: { at: string; overdue: boolean; done?: boolean }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Group gap={6} wrap="nowrap">
      <span style={done ? { textDecoration: 'line-through' } : undefined}>{f.date(at)}</span>
      {overdue && (
        <Badge color="red.9" size="sm">
          {t('reports.inbox.overdue')}
        </Badge>
      )}
    </Group>
  );
}

export function LegalHoldBadge(): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color="grape" variant="light" size="sm" leftSection={<IconLockSquare size={12} aria-hidden />}>
      {t('reports.legalHold.badge')}
    </Badge>
  );
}

/** Legal hold on or off (reports.manage): retention never purges a report under hold. */
export function LegalHoldSwitch({
  r,
  onDone,
  compact = false,
}: {
  r: Pick<ReportItemT, 'id' | 'legalHold' | 'version'>;
  onDone: () => unknown;
  /** In a table row: the switch alone, named for screen readers, with the badge when on. */
  compact?: boolean;
}): ReactNode {
  const { t } = useTranslation();
  const hold = useMutation({
    mutationFn: (on: boolean) =>
      api.post(`/api/reports/${r.id}/legal-hold`, { version: r.version, hold: on }),
    onSuccess: (_, on) => {
      notifySuccess(on ? t('reports.legalHold.set') : t('reports.legalHold.lifted'));
      return onDone();
    },
  });
  return (
    <Stack gap={4}>
      <Switch
        label={compact ? r.legalHold ? <LegalHoldBadge /> : undefined : t('reports.legalHold.label')}
        aria-label={compact ? t('reports.legalHold.label') : undefined}
        checked={r.legalHold}
        disabled={hold.isPending}
        onChange={(e) => hold.mutate(e.currentTarget.checked)}
        data-testid="legal-hold"
      />
      {hold.error && <SaveError error={hold.error} onReload={onDone} />}
    </Stack>
  );
}
