import { Container, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api } from '../../../web/api';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { Section } from '../../../web/ui-kit/section';
import { CountsTable, ExportButtons, FigureCards } from '../../../web/ui-kit/statistics';
import type { ReportStatistics } from '../reports.statistics';

// Report statistics for managers and donors: counts from clear metadata and the questionnaires'
// statistical answers only (no report is decrypted); counts under minCell are shown as "< 5".

type StatsT = z.infer<typeof ReportStatistics>;
type GroupT = StatsT['byChannel'][number];

export function ReportStatisticsPage(): ReactNode {
  return (
    <RequirePermission permission="reports.manage">
      <StatisticsView />
    </RequirePermission>
  );
}

function useReportStatistics() {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: ['reports', 'statistics', i18n.language],
    queryFn: ({ signal }) => api.get<StatsT>('/api/reports/statistics', { signal }),
  });
}

function StatisticsView(): ReactNode {
  const { t } = useTranslation();
  const s = useReportStatistics();
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('reports.statistics.title')}
        description={s.data ? t('reports.statistics.intro', { min: s.data.minCell }) : undefined}
        actions={
          <ExportButtons
            href="/api/reports/statistics/export"
            label={(format) => t('reports.statistics.export', { format })}
          />
        }
      />
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

function Figures({ s }: { s: StatsT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const shown = (n: number | null) =>
    n === null ? t('reports.statistics.suppressed', { min: s.minCell }) : f.number(n);
  const figures = [
    [t('reports.statistics.total'), shown(s.total)],
    [t('reports.statistics.acknowledged'), shown(s.acknowledged)],
    [t('reports.statistics.closed'), shown(s.closed)],
    [t('reports.statistics.medianAck'), shown(s.medianDaysToAcknowledge)],
    [t('reports.statistics.medianClose'), shown(s.medianDaysToClose)],
  ] as const;
  return (
    <Stack gap="lg">
      <FigureCards cols={{ base: 1, sm: 3, lg: 5 }} testId="report-figure" figures={figures} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Dimension title={t('reports.statistics.byChannel')} list={s.byChannel} shown={shown} />
        <Dimension title={t('reports.statistics.byMonth')} list={s.byMonth} shown={shown} />
        <Dimension title={t('reports.statistics.byStatus')} list={s.byStatus} shown={shown} />
        <Dimension title={t('reports.statistics.byCloseReason')} list={s.byCloseReason} shown={shown} />
        {s.fields.map((field) => (
          <Dimension key={field.id} title={field.label} list={field.groups} shown={shown} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}

/** One dimension: a bar chart (a suppressed count is drawn as no bar, never a guess) and its table. */
function Dimension({
  title,
  list,
  shown,
}: {
  title: string;
  list: GroupT[];
  shown: (n: number | null) => string;
}): ReactNode {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 48, right: 24, top: 8, bottom: 24, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        data: list.map((g) => g.label),
        inverse: true,
        // Long option labels end with an ellipsis (the table below gives them in full).
        axisLabel: { width: 140, overflow: 'truncate' },
      },
      series: [{ type: 'bar', data: list.map((g) => g.n) }],
    }),
    [list],
  );
  return (
    <Section title={title}>
      {list.length === 0 ? (
        <Text c="dimmed">{t('reports.statistics.empty')}</Text>
      ) : (
        <Stack gap="xs">
          <Chart
            option={option}
            height={Math.max(120, list.length * 28 + 40)}
            label={t('reports.statistics.chartLabel', {
              title,
              list: list.map((g) => `${g.label} ${shown(g.n)}`).join(', '),
            })}
          />
          <CountsTable list={list} shown={shown} />
        </Stack>
      )}
    </Section>
  );
}
