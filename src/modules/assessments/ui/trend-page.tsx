import { Stack, Text } from '@mantine/core';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { type TrendResult, useTrend } from './queries';

function TrendChart({ data }: { data: TrendResult }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', bottom: 0 },
      grid: { left: 48, right: 24, top: 24, bottom: 64 },
      xAxis: { type: 'category', data: data.items.map((i) => `${i.title} (${fmt.date(i.validatedAt)})`) },
      yAxis: { type: 'value', min: 0, max: 100 },
      series: [
        {
          type: 'line',
          name: t('assessments.overallFactor'),
          data: data.items.map((i) => i.overall),
          lineStyle: { width: 4 },
          symbolSize: 10,
        },
        ...data.factorNames.map((f) => ({
          type: 'line',
          name: `${f.factor}. ${f.name}`,
          data: data.items.map((i) => i.factors.find((x) => x.factor === f.factor)?.score ?? null),
          lineStyle: { width: 1.5 },
        })),
      ],
    }),
    [data, t, fmt],
  );
  return <Chart option={option} label={t('assessments.trendLabel')} height={460} />;
}

function Trend(): ReactNode {
  const { t } = useTranslation();
  const q = useTrend();
  return (
    <>
      <PageHeader title={t('assessments.trendTitle')} description={t('assessments.trendDescription')} />
      {q.isPending ? (
        <PageLoader />
      ) : q.error ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <Text c="dimmed">{t('assessments.trendEmpty')}</Text>
      ) : (
        <Stack data-testid="assessment-trend">
          <TrendChart data={q.data} />
        </Stack>
      )}
    </>
  );
}

export function TrendPage(): ReactNode {
  return (
    <RequirePermission permission="assessments.read">
      <Trend />
    </RequirePermission>
  );
}
