import { Badge, Container, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../../web/session';
import { useFormat } from '../../../web/ui-kit/format';
import { AnchorLink, ButtonLink } from '../../../web/ui-kit/links';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { REPORT_STATUSES, type ReportStatus } from '../reports.vocab';
import { Due, LegalHoldBadge, LegalHoldSwitch, StatusBadge, clocks } from './bits';
import { HandlerEscrowBanner, useEscrowNotice } from './escrow';
import { KeyBanner } from './keys';
import { useReports } from './queries';
import type { ReportItemT } from './types';

export function ReportsInboxPage(): ReactNode {
  return (
    <RequirePermission permission="reports.handle">
      <InboxView />
    </RequirePermission>
  );
}

function InboxView(): ReactNode {
  const { t } = useTranslation();
  const list = useReports();
  const [status, setStatus] = useState<ReportStatus | 'open' | ''>('open');
  const [channel, setChannel] = useState('');
  const items = list.data?.items ?? [];
  const channels = useMemo(() => [...new Map(items.map((r) => [r.channelId, r.channel])).entries()], [items]);
  const shown = items.filter(
    (r) =>
      (status === '' || (status === 'open' ? r.status !== 'closed' : r.status === status)) &&
      (channel === '' || r.channelId === channel),
  );
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('reports.inbox.title')}
        description={t('reports.inbox.intro')}
        actions={
          <ButtonLink to="/reports/keys" variant="default" leftSection={<IconKey size={16} aria-hidden />}>
            {t('reports.keys.title')}
          </ButtonLink>
        }
      />
      <KeyBanner />
      <HandlerEscrowBanner />
      <Stack>
        <Group align="flex-end">
          <NativeSelect
            label={t('reports.inbox.filterStatus')}
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as ReportStatus | 'open' | '')}
            data={[
              { value: 'open', label: t('reports.inbox.open') },
              { value: '', label: t('reports.inbox.all') },
              ...REPORT_STATUSES.map((s) => ({ value: s, label: t(`reports.status.${s}`) })),
            ]}
            data-testid="filter-status"
          />
          <NativeSelect
            label={t('reports.inbox.filterChannel')}
            value={channel}
            onChange={(e) => setChannel(e.currentTarget.value)}
            data={[
              { value: '', label: t('reports.inbox.allChannels') },
              ...channels.map(([id, name]) => ({ value: id, label: name })),
            ]}
          />
        </Group>
        {list.isPending ? (
          <PageLoader />
        ) : list.isError ? (
          <QueryError error={list.error} onRetry={() => list.refetch()} />
        ) : shown.length === 0 ? (
          <Text c="dimmed" data-testid="inbox-empty">
            {items.length ? t('reports.inbox.noneFiltered') : t('reports.inbox.none')}
          </Text>
        ) : (
          <InboxTable items={shown} onChanged={() => list.refetch()} />
        )}
      </Stack>
    </Container>
  );
}

function InboxTable({ items, onChanged }: { items: ReportItemT[]; onChanged: () => unknown }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const manager = useCan('reports.manage');
  const custodian = useEscrowNotice().data?.custodian ?? false;
  return (
    <ScrollTable minWidth={900} label={t('reports.inbox.title')}>
      <Table striped highlightOnHover data-testid="reports-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('reports.inbox.received')}</Table.Th>
            <Table.Th>{t('reports.inbox.channel')}</Table.Th>
            <Table.Th>{t('reports.inbox.status')}</Table.Th>
            <Table.Th>{t('reports.inbox.ackDue')}</Table.Th>
            <Table.Th>{t('reports.inbox.feedbackDue')}</Table.Th>
            <Table.Th>{t('reports.inbox.flags')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((r) => {
            const c = clocks(r);
            return (
              <Table.Tr key={r.id} data-testid="report-row">
                <Table.Td>
                  {r.assigned ? (
                    <AnchorLink to="/reports/$id" params={{ id: r.id }}>
                      {f.dateTime(r.receivedAt)}
                    </AnchorLink>
                  ) : (
                    <Stack gap={2}>
                      <span>{f.dateTime(r.receivedAt)}</span>
                      <Text size="xs" c="dimmed">
                        {t('reports.inbox.notAssigned')}
                      </Text>
                      {custodian && r.escrowed && (
                        <AnchorLink to="/reports/$id/escrow" params={{ id: r.id }} size="xs">
                          {t('reports.escrow.openLink')}
                        </AnchorLink>
                      )}
                    </Stack>
                  )}
                </Table.Td>
                <Table.Td>{r.channel}</Table.Td>
                <Table.Td>
                  <StatusBadge status={r.status} />
                </Table.Td>
                <Table.Td>
                  <Due at={r.ackDue} overdue={c.ackOverdue} done={r.status !== 'new'} />
                </Table.Td>
                <Table.Td>
                  <Due at={r.feedbackDue} overdue={c.feedbackOverdue} done={r.status === 'closed'} />
                </Table.Td>
                <Table.Td>
                  <Group gap={6}>
                    {manager ? (
                      <LegalHoldSwitch r={r} onDone={onChanged} compact />
                    ) : (
                      r.legalHold && <LegalHoldBadge />
                    )}
                    {r.caseId && (
                      <Badge color="violet" variant="light" size="sm">
                        {t('reports.inbox.hasCase')}
                      </Badge>
                    )}
                    {r.escrowed && (
                      <Badge color="orange" variant="light" size="sm" data-testid="report-escrowed">
                        {t('reports.escrow.badge')}
                      </Badge>
                    )}
                    {r.escalated && (
                      <Badge color="red" variant="light" size="sm" data-testid="report-escalated">
                        {t('reports.inbox.escalated')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
