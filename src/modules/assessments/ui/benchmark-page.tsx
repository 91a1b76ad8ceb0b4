import { Alert, Select, Stack, Table, Text } from '@mantine/core';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { usePercent } from './bits';
import { type BenchmarkResult, useBenchmark } from './queries';

function View({ data }: { data: BenchmarkResult }): ReactNode {
  const { t } = useTranslation();
  const pct = usePercent();
  const regions = [...new Set(data.groups.map((g) => g.region))];
  const [region, setRegion] = useState('ALL');
  const factors = [{ factor: 0, name: t('assessments.overallFactor') }, ...data.factorNames];
  const rows = factors.map((f) => ({
    ...f,
    g: data.groups.find((x) => x.region === region && x.factor === f.factor),
  }));
  const own = (factor: number) =>
    factor === 0 ? (data.own?.overall ?? null) : (data.own?.factors[String(factor)] ?? null);
  const shown = rows.filter((r) => r.g?.median !== null && r.g?.median !== undefined);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 48, right: 24, top: 24, bottom: 56 },
      xAxis: { type: 'category', data: shown.map((r) => (r.factor === 0 ? r.name : String(r.factor))) },
      yAxis: { type: 'value', min: 0, max: 100 },
      series: [
        // A box drawn as a floating bar from Q1 to Q3, the median as a marker, and our own score.
        {
          type: 'bar',
          stack: 'box',
          name: 'q1',
          data: shown.map((r) => r.g!.q1),
          itemStyle: { color: 'transparent' },
          tooltip: { show: false },
        },
        {
          type: 'bar',
          stack: 'box',
          name: `${t('assessments.q1')} – ${t('assessments.q3')}`,
          data: shown.map((r) => (r.g!.q3 ?? 0) - (r.g!.q1 ?? 0)),
          barMaxWidth: 40,
          itemStyle: { opacity: 0.5 },
        },
        {
          type: 'line',
          name: t('assessments.median'),
          data: shown.map((r) => r.g!.median),
          lineStyle: { opacity: 0 },
          symbol: 'rect',
          symbolSize: [28, 4],
        },
        ...(data.own
          ? [
              {
                type: 'line',
                name: t('assessments.yours'),
                data: shown.map((r) => own(r.factor)),
                lineStyle: { opacity: 0 },
                symbol: 'diamond',
                symbolSize: 12,
              },
            ]
          : []),
      ],
    }),
    [shown, data.own, t],
  );
  return (
    <Stack>
      <Select
        label={t('assessments.region')}
        data={regions.map((r) => ({ value: r, label: r === 'ALL' ? t('assessments.regionAll') : r }))}
        value={region}
        onChange={(v) => v && setRegion(v)}
        allowDeselect={false}
        w={240}
      />
      {shown.length > 0 && (
        <div data-testid="benchmark-chart">
          <Chart option={option} label={t('assessments.benchmarkLabel')} height={360} />
        </div>
      )}
      <ScrollTable minWidth={760} label={t('assessments.benchmarkTitle')}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('assessments.factor')}</Table.Th>
              <Table.Th>{t('assessments.administrationsHeader')}</Table.Th>
              <Table.Th>{t('assessments.min')}</Table.Th>
              <Table.Th>{t('assessments.q1')}</Table.Th>
              <Table.Th>{t('assessments.median')}</Table.Th>
              <Table.Th>{t('assessments.q3')}</Table.Th>
              <Table.Th>{t('assessments.max')}</Table.Th>
              <Table.Th>{t('assessments.yours')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.factor}>
                <Table.Td>{r.factor === 0 ? r.name : `${r.factor}. ${r.name}`}</Table.Td>
                <Table.Td>{t('assessments.administrations', { count: r.g?.n ?? 0 })}</Table.Td>
                {r.g && r.g.median !== null ? (
                  <>
                    <Table.Td>{pct(r.g.min)}</Table.Td>
                    <Table.Td>{pct(r.g.q1)}</Table.Td>
                    <Table.Td>{pct(r.g.median)}</Table.Td>
                    <Table.Td>{pct(r.g.q3)}</Table.Td>
                    <Table.Td>{pct(r.g.max)}</Table.Td>
                  </>
                ) : (
                  <Table.Td colSpan={5}>
                    <Text size="sm" c="dimmed" data-testid="benchmark-suppressed">
                      {t('assessments.benchmarkSuppressed', { count: data.minGroupSize })}
                    </Text>
                  </Table.Td>
                )}
                <Table.Td>{pct(own(r.factor))}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Stack>
  );
}

function Benchmark(): ReactNode {
  const { t } = useTranslation();
  const q = useBenchmark();
  return (
    <>
      <PageHeader
        title={t('assessments.benchmarkTitle')}
        description={t('assessments.benchmarkDescription', { count: q.data?.minGroupSize ?? 5 })}
      />
      {q.isPending ? (
        <PageLoader />
      ) : q.error ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Stack>
          {q.data.secretariat && <Alert variant="light">{t('assessments.benchmarkSecretariat')}</Alert>}
          {!q.data.sharing && !q.data.secretariat ? (
            <Alert variant="light" color="gray">
              {t('assessments.benchmarkNotSharing')}
            </Alert>
          ) : (
            <View data={q.data} />
          )}
        </Stack>
      )}
    </>
  );
}

export function BenchmarkPage(): ReactNode {
  return (
    <RequirePermission permission="assessments.benchmark">
      <Benchmark />
    </RequirePermission>
  );
}
