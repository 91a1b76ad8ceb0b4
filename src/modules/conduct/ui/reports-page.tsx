import {
  Button,
  Card,
  Container,
  Group,
  SegmentedControl,
  SimpleGrid,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { conductKey, usePct } from './bits';
import type { ReportT } from './types';

export function ReportsPage(): ReactNode {
  return (
    <RequirePermission permission="conduct.reports">
      <Reports />
    </RequirePermission>
  );
}

type Mode = 'withSubUnits' | 'own';

function Reports(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const pct = usePct();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [mode, setMode] = useState<Mode>('withSubUnits');
  const qs = new URLSearchParams({ ...(from ? { from } : {}), ...(to ? { to } : {}) }).toString();
  const report = useQuery({
    queryKey: [...conductKey, 'report', qs],
    queryFn: ({ signal }) => api.get<ReportT>(`/api/conduct/reports${qs ? `?${qs}` : ''}`, { signal }),
    placeholderData: keepPreviousData,
  });
  const r = report.data;
  const unitName = (u: ReportT['byUnit'][number]) => (u.id ? u.name : t('conduct.noUnit'));
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('conduct.reportsTitle')}
        description={t('conduct.reportsIntro')}
        actions={
          <Group gap="xs">
            {(['xlsx', 'csv'] as const).map((fmt) => (
              <Button
                key={fmt}
                component="a"
                variant="default"
                href={`/api/conduct/reports/export?${new URLSearchParams({ ...(from ? { from } : {}), ...(to ? { to } : {}), format: fmt })}`}
                leftSection={<IconDownload size={16} aria-hidden />}
              >
                {fmt.toUpperCase()}
              </Button>
            ))}
          </Group>
        }
      />
      <Group mb="md" align="flex-end" wrap="wrap">
        <TextInput
          type="date"
          label={t('conduct.from')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('conduct.to')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
        <SegmentedControl
          value={mode}
          onChange={(v) => setMode(v as Mode)}
          aria-label={t('conduct.rollup')}
          data={[
            { value: 'withSubUnits', label: t('conduct.withSubUnits') },
            { value: 'own', label: t('conduct.ownOnly') },
          ]}
        />
      </Group>
      {report.isPending ? (
        <PageLoader />
      ) : report.isError ? (
        <QueryError error={report.error} onRetry={() => report.refetch()} />
      ) : !r?.versionId ? (
        <Text c="dimmed">{t('conduct.noCode')}</Text>
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }} mb="md">
            <Stat label={t('conduct.rate')} value={pct(r.totals.rate)} />
            <Stat
              label={t('conduct.acknowledgedCol')}
              value={t('conduct.ackOf', {
                acknowledged: f.number(r.totals.acknowledged),
                assigned: f.number(r.totals.assigned),
              })}
            />
            <Stat label={t('conduct.overdue')} value={f.number(r.totals.overdue)} />
          </SimpleGrid>
          <Card withBorder mb="md">
            <Text fw={600} mb="xs">
              {t('conduct.rateByUnit')}
            </Text>
            <UnitChart rows={r.byUnit.filter((u) => u[mode].assigned > 0)} mode={mode} name={unitName} />
          </Card>
          <ScrollTable minWidth={560} label={t('conduct.rateByUnit')}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('conduct.unit')}</Table.Th>
                  <Table.Th scope="col">{t('conduct.ownOnly')}</Table.Th>
                  <Table.Th scope="col">{t('conduct.withSubUnits')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.byUnit.map((u) => (
                  <Table.Tr key={u.id ?? 'none'}>
                    <Table.Td style={{ paddingInlineStart: 12 + u.depth * 18 }}>{unitName(u)}</Table.Td>
                    <Table.Td>
                      {pct(u.own.rate)} ({u.own.acknowledged}/{u.own.assigned})
                    </Table.Td>
                    <Table.Td>
                      {pct(u.withSubUnits.rate)} ({u.withSubUnits.acknowledged}/{u.withSubUnits.assigned})
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
          <Text size="xs" c="dimmed" mt="sm">
            {t('conduct.reportHelp')}
          </Text>
        </>
      )}
    </Container>
  );
}

function Stat({ label, value }: { label: string; value: string }): ReactNode {
  return (
    <Card withBorder>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
    </Card>
  );
}

function UnitChart({
  rows,
  mode,
  name,
}: {
  rows: ReportT['byUnit'];
  mode: Mode;
  name: (u: ReportT['byUnit'][number]) => string;
}): ReactNode {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 40, top: 8, bottom: 24, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v} %` },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value} %' } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map(name),
        axisLabel: { width: 160, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          name: t('conduct.rate'),
          data: rows.map((u) => {
            const v = u[mode].rate ?? 0;
            return {
              value: Math.round(v * 1000) / 10,
              itemStyle: { color: v >= 0.9 ? '#2f9e44' : v >= 0.6 ? '#1971c2' : '#e8590c' },
            };
          }),
          barMaxWidth: 22,
          label: { show: true, position: 'right', formatter: '{c} %' },
        },
      ],
    }),
    [rows, mode, name, t],
  );
  if (!rows.length) return <Text c="dimmed">{t('conduct.nobodyAsked')}</Text>;
  return (
    <Chart
      option={option}
      label={t('conduct.chartLabel', {
        list: rows.map((u) => `${name(u)} ${Math.round((u[mode].rate ?? 0) * 100)} %`).join(', '),
      })}
      height={Math.max(160, rows.length * 34 + 40)}
    />
  );
}
