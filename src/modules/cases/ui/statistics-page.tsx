import { Container, SimpleGrid, Stack } from '@mantine/core';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { Section } from '../../../web/ui-kit/section';
import { CountsTable, ExportButtons, FigureCards } from '../../../web/ui-kit/statistics';
import { CasesTabs } from './bits';
import { useStatistics } from './queries';
import type { StatisticsT } from './types';

export function CaseStatisticsPage(): ReactNode {
  return (
    <RequirePermission permission="cases.stats">
      <StatisticsView />
    </RequirePermission>
  );
}

function StatisticsView(): ReactNode {
  const { t } = useTranslation();
  const s = useStatistics();
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('cases.statistics')}
        description={s.data ? t('cases.statisticsIntro', { min: s.data.minCell }) : undefined}
        actions={
          <ExportButtons
            href="/api/cases/statistics/export"
            label={(format) => t('cases.export', { format })}
          />
        }
      />
      <CasesTabs current="statistics" />
      {s.isPending ? (
        <PageLoader />
      ) : s.isError ? (
        <QueryError error={s.error} onRetry={() => s.refetch()} />
      ) : (
        <Figures s={s.data} />
      )}
    </Container>
  );
}

function Figures({ s }: { s: StatisticsT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const shown = (n: number | null) => (n === null ? t('cases.suppressed', { min: s.minCell }) : f.number(n));
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 48, right: 24, top: 8, bottom: 24, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      // As the reports statistics: long status names are cut with an ellipsis, not clipped.
      yAxis: {
        type: 'category',
        data: s.byStatus.map((g) => g.label),
        inverse: true,
        axisLabel: { width: 140, overflow: 'truncate' },
      },
      // A suppressed count is drawn as no bar at all (never as a guess).
      series: [{ type: 'bar', data: s.byStatus.map((g) => g.n) }],
    }),
    [s],
  );
  const table = (title: string, list: StatisticsT['bySource']) => (
    <Section title={title}>
      <CountsTable list={list} shown={shown} />
    </Section>
  );
  return (
    <Stack gap="lg">
      <FigureCards
        cols={{ base: 1, sm: 3 }}
        testId="case-figure"
        figures={[
          [t('cases.total'), shown(s.total)],
          [t('cases.closedCount'), shown(s.closed)],
          [t('cases.median'), shown(s.medianDaysToClose)],
        ]}
      />
      <Section title={t('cases.byStatus')}>
        <Chart
          option={option}
          label={t('cases.chartLabel', {
            list: s.byStatus.map((g) => `${g.label} ${shown(g.n)}`).join(', '),
          })}
        />
      </Section>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        {table(t('cases.bySource'), s.bySource)}
        {table(t('cases.byOutcome'), s.byOutcome)}
        {table(t('cases.byUnit'), s.byUnit)}
      </SimpleGrid>
    </Stack>
  );
}
