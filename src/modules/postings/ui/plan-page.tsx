import { Card, Container, Group, NumberInput, Switch, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api, request } from '../../../web/api';
import { useCan } from '../../../web/session';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { EvidenceNote, StatusBadge, Tabs, VulnerabilityBadge, postingsKey } from './bits';
import type { PlanT, RulesT } from './types';

export function PlanPage(): ReactNode {
  return (
    <RequirePermission permission="postings.read">
      <Plan />
    </RequirePermission>
  );
}

function Plan(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const plan = useQuery({
    queryKey: [...postingsKey, 'plan'],
    queryFn: ({ signal }) => api.get<PlanT>('/api/postings/plan', { signal }),
  });
  return (
    <Container size="xl" px={0}>
      <PageHeader title={t('postings.planTitle')} description={t('postings.planIntro')} />
      <Tabs current="plan" />
      <EvidenceNote />
      <RulesCard />
      {plan.isPending ? (
        <PageLoader />
      ) : plan.isError ? (
        <QueryError error={plan.error} onRetry={() => plan.refetch()} />
      ) : (
        <>
          <Card withBorder mb="md">
            <Text fw={600} mb="xs">
              {t('postings.movesPerMonth')}
            </Text>
            <MovesChart rows={plan.data.byMonth} />
          </Card>
          {plan.data.items.length === 0 ? (
            <Text c="dimmed">{t('postings.nothingDue')}</Text>
          ) : (
            <ScrollTable minWidth={760} label={t('postings.planTitle')}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('postings.person')}</Table.Th>
                    <Table.Th scope="col">{t('postings.position')}</Table.Th>
                    <Table.Th scope="col">{t('postings.vulnerabilityLabel')}</Table.Th>
                    <Table.Th scope="col">{t('postings.since')}</Table.Th>
                    <Table.Th scope="col">{t('postings.tenureEnd')}</Table.Th>
                    <Table.Th scope="col">{t('postings.status')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {plan.data.items.map((i) => (
                    <Table.Tr key={i.postingId}>
                      <Table.Td fw={500}>{i.name}</Table.Td>
                      <Table.Td>
                        {i.position}
                        {i.unit && (
                          <Text size="xs" c="dimmed">
                            {i.unit}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <VulnerabilityBadge level={i.vulnerability} />
                      </Table.Td>
                      <Table.Td>{f.date(i.startDate)}</Table.Td>
                      <Table.Td>{f.date(i.tenureEnd)}</Table.Td>
                      <Table.Td>
                        <StatusBadge status={i.status} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
        </>
      )}
    </Container>
  );
}

function RulesCard(): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const canManage = useCan('postings.manage');
  const rules = useQuery({
    queryKey: [...postingsKey, 'rules'],
    queryFn: ({ signal }) => api.get<RulesT>('/api/postings/rules', { signal }),
  });
  const save = useMutation({
    mutationFn: (v: { enabled: boolean; alertDays: number }) =>
      request<RulesT>('/api/postings/rules', { method: 'PUT', body: { ...v, version: rules.data!.version } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: postingsKey }),
  });
  if (!rules.data) return null;
  const r = rules.data;
  return (
    <Card withBorder mb="md">
      <Group wrap="wrap" align="flex-end">
        <Switch
          label={t('postings.rulesOn')}
          description={t('postings.rulesHelp')}
          checked={r.enabled}
          disabled={!canManage || save.isPending}
          onChange={(e) => save.mutate({ enabled: e.currentTarget.checked, alertDays: r.alertDays })}
        />
        <NumberInput
          label={t('postings.alertDays')}
          min={1}
          max={730}
          w={180}
          defaultValue={r.alertDays}
          disabled={!canManage}
          onBlur={(e) => {
            const n = Number(e.currentTarget.value);
            if (n && n !== r.alertDays) save.mutate({ enabled: r.enabled, alertDays: n });
          }}
        />
      </Group>
      {/* A 409 reloads the rules: the next change carries their current version. */}
      <SaveError error={save.error} onReload={() => rules.refetch()} />
    </Card>
  );
}

function MovesChart({ rows }: { rows: PlanT['byMonth'] }): ReactNode {
  const { t, i18n } = useTranslation();
  const labels = useMemo(() => {
    const month = new Intl.DateTimeFormat(i18n.language, { month: 'short', year: '2-digit' });
    return rows.map((r) => month.format(new Date(`${r.month}-01T00:00:00Z`)));
  }, [rows, i18n.language]);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 8, top: 16, bottom: 24, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', minInterval: 1 },
      // The ui-kit palette colours the bars (light and dark schemes).
      series: [{ type: 'bar', name: t('postings.moves'), data: rows.map((r) => r.count), barMaxWidth: 18 }],
    }),
    [rows, labels, t],
  );
  const due = rows.flatMap((r, i) => (r.count ? [`${labels[i]}: ${r.count}`] : []));
  return (
    <Chart option={option} label={t('postings.chartLabel', { list: due.join(', ') || '0' })} height={220} />
  );
}
