import { Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { Chart } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import { QueryError } from '../../../web/ui-kit/page-state';
import { programmeKey, useMoney } from './bits';
import type { AgreementT, FactorResultsT } from './types';

// The programme's dashboard charts: ECharts through the ui-kit's Chart, which loads the library on
// first use, so the pages' own code stays small.

/**
 * The Secretariat's results by RAD key factor: the requests naming each factor, the partners'
 * indicators read from its score, and the share of those with a figure that are on track.
 */
export function FactorChart(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const data = useQuery({
    queryKey: [...programmeKey, 'results-by-factor'],
    queryFn: ({ signal }) => api.get<FactorResultsT>('/api/programme/results-by-factor', { signal }),
  });
  const name = (n: number) =>
    t('programme.byFactor.factor', { n, name: t(`surveys.factor.${n}` as 'surveys.factor.1') });
  const items = data.data?.items ?? [];
  const share = (i: FactorResultsT['items'][number]) =>
    i.measured ? Math.round((100 * i.onTrack) / i.measured) : null;
  const summary = items
    .filter((i) => i.requests || i.indicators)
    .map((i) =>
      t('programme.byFactor.item', {
        factor: name(i.factor),
        requests: f.number(i.requests),
        indicators: f.number(i.indicators),
        onTrack: share(i) === null ? '—' : `${f.number(share(i)!)} %`,
      }),
    );
  return (
    <Paper withBorder p="md" mt="md" data-testid="programme-by-factor">
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('programme.byFactor.title')}
        </Title>
        {data.isError ? (
          <QueryError error={data.error} onRetry={() => data.refetch()} />
        ) : (
          <Chart
            height={300}
            label={t('programme.byFactor.label', {
              list: summary.length ? f.list(summary) : t('programme.byFactor.none'),
            })}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0, itemGap: 24 },
              grid: { top: 48, left: 48, right: 56, bottom: 32 },
              xAxis: {
                type: 'category',
                data: items.map((i) => name(i.factor)),
                // The number on the axis, the factor's name in the tooltip.
                axisLabel: { interval: 0, formatter: (v: string) => v.split(' ')[0] },
              },
              yAxis: [
                { type: 'value', minInterval: 1 },
                { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
              ],
              series: [
                { type: 'bar', name: t('programme.byFactor.requests'), data: items.map((i) => i.requests) },
                {
                  type: 'bar',
                  name: t('programme.byFactor.indicators'),
                  data: items.map((i) => i.indicators),
                },
                {
                  type: 'line',
                  name: t('programme.byFactor.onTrack'),
                  yAxisIndex: 1,
                  connectNulls: false,
                  data: items.map(share),
                },
              ],
            }}
          />
        )}
        <Text size="sm" c="dimmed">
          {t('programme.byFactor.explain')}
        </Text>
      </Stack>
    </Paper>
  );
}

/**
 * A donor's agreements as bars: committed (the agreement's amount), disbursed and spent (cost lines
 * charged to it in its currency), one chart per currency since amounts are never converted here.
 */
export function DonorFundingCharts({ agreements }: { agreements: AgreementT[] }): ReactNode {
  const { t } = useTranslation();
  const money = useMoney();
  const currencies = [...new Set(agreements.map((a) => a.amount.currency))].sort();
  if (currencies.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="programme-donor-chart">
      {currencies.map((currency) => {
        const mine = agreements.filter((a) => a.amount.currency === currency);
        const spent = (a: AgreementT) => a.spent.find((s) => s.currency === currency)?.amount ?? '0';
        const figures = mine.map((a) => ({
          reference: a.reference,
          committed: a.amount.amount,
          disbursed: a.disbursed.amount,
          spent: spent(a),
        }));
        const label = t('programme.donorChart.label', {
          currency,
          list: figures
            .map((x) =>
              t('programme.donorChart.item', {
                reference: x.reference,
                committed: money({ amount: x.committed, currency }),
                disbursed: money({ amount: x.disbursed, currency }),
                spent: money({ amount: x.spent, currency }),
              }),
            )
            .join('; '),
        });
        return (
          <Chart
            key={currency}
            label={label}
            height={Math.max(200, 100 + 70 * mine.length)}
            option={{
              tooltip: {
                trigger: 'axis',
                valueFormatter: (v: number) => money({ amount: String(v), currency }),
              },
              legend: { top: 0, itemGap: 24 },
              grid: { top: 40, left: 120, right: 32, bottom: 48 },
              yAxis: { type: 'category', data: figures.map((x) => x.reference), inverse: true },
              xAxis: { type: 'value', name: currency, nameLocation: 'middle', nameGap: 28 },
              series: (['committed', 'disbursed', 'spent'] as const).map((k) => ({
                type: 'bar',
                name: t(`programme.donorChart.${k}`),
                data: figures.map((x) => Number(x[k])),
              })),
            }}
          />
        );
      })}
      <Text size="sm" c="dimmed">
        {t('programme.donorChart.explain')}
      </Text>
    </Stack>
  );
}

/**
 * Actuals per period as bars, with the baseline and the target as lines: a results indicator's
 * and a country KPI's chart.
 */
export function ActualsChart({
  label,
  points,
  baseline,
  target,
  names,
}: {
  label: string;
  points: { period: string; value: number }[];
  baseline: string;
  target: string;
  names: { actual: string; baseline: string; target: string };
}): ReactNode {
  if (points.length === 0) return null;
  // A short flat mark per period, so that the lines show even with a single period.
  const level = (name: string, value: string, type: 'dashed' | 'dotted') => ({
    name,
    type: 'line',
    data: points.map(() => Number(value)),
    symbol: 'rect',
    symbolSize: [24, 3],
    lineStyle: { type },
    // Above the bars: a baseline below the actual would otherwise hide inside its bar.
    z: 5,
  });
  return (
    <Chart
      label={label}
      height={200}
      option={{
        legend: { bottom: 0 },
        tooltip: { trigger: 'axis' },
        grid: { containLabel: true, left: 8, right: 16, top: 12, bottom: 32 },
        xAxis: { type: 'category', data: points.map((p) => p.period) },
        yAxis: { type: 'value' },
        series: [
          { name: names.actual, type: 'bar', barMaxWidth: 40, data: points.map((p) => p.value) },
          level(names.baseline, baseline, 'dashed'),
          level(names.target, target, 'dotted'),
        ],
      }}
    />
  );
}
