import { Button, Container, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { Section } from '../../../web/ui-kit/section';
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
          <Group gap="xs">
            {(['xlsx', 'csv'] as const).map((format) => (
              <Button
                key={format}
                component="a"
                variant="light"
                href={`/api/cases/statistics/export?format=${format}`}
              >
                {t('cases.export', { format: format.toUpperCase() })}
              </Button>
            ))}
          </Group>
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
      grid: { left: 24, right: 24, top: 8, bottom: 24, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: s.byStatus.map((g) => g.label), inverse: true },
      // A suppressed count is drawn as no bar at all (never as a guess).
      series: [{ type: 'bar', data: s.byStatus.map((g) => g.n) }],
    }),
    [s],
  );
  const table = (title: string, list: StatisticsT['bySource']) => (
    <Section title={title}>
      <Table>
        <Table.Tbody>
          {list.map((g) => (
            <Table.Tr key={g.key}>
              <Table.Td>{g.label}</Table.Td>
              <Table.Td ta="end" c={g.n === null ? 'dimmed' : undefined} style={{ whiteSpace: 'nowrap' }}>
                {shown(g.n)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Section>
  );
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {(
          [
            [t('cases.total'), shown(s.total)],
            [t('cases.closedCount'), shown(s.closed)],
            [t('cases.median'), shown(s.medianDaysToClose)],
          ] as const
        ).map(([k, v]) => (
          <Section key={k} title={k}>
            <Text size="xl" fw={700} data-testid="case-figure">
              {v}
            </Text>
          </Section>
        ))}
      </SimpleGrid>
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
