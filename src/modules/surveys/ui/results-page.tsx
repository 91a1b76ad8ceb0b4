import { Alert, Badge, Button, Container, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { Section } from '../../../web/ui-kit/section';
import { RESULTS_BY } from '../surveys.vocab';
import { useResults, useTrend } from './queries';
import { bandValueKey, factorKey, frequencyKey, likertKey, yesNoKey } from './keys';
import type { ResultsT, TrendT } from './types';

// Results as the server gives them: suppressed cells come without figures, so the page
// cannot show what the API does not send (suppression is decided in one place, server side).

export function ResultsPage(): ReactNode {
  return (
    <RequirePermission permission="surveys.results">
      <ResultsView />
    </RequirePermission>
  );
}

function ResultsView(): ReactNode {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const [by, setBy] = useState<(typeof RESULTS_BY)[number]>('none');
  const r = useResults(id, by);
  const trend = useTrend(id);
  if (r.isPending) return <PageLoader />;
  if (r.isError) return <QueryError error={r.error} onRetry={r.refetch} />;
  const res = r.data;
  const exportUrl = (format: 'csv' | 'xlsx') => `/api/surveys/${id}/results/export?by=${by}&format=${format}`;
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('surveys.resultsTitle', { name: res.name })}
        crumbs={[{ label: t('surveys.title'), to: '/surveys' }]}
        description={t('surveys.resultsIntro', { count: res.minCell })}
        actions={
          <Group gap="xs">
            {(['xlsx', 'csv'] as const).map((fmt) => (
              <Button
                key={fmt}
                component="a"
                href={exportUrl(fmt)}
                variant="default"
                leftSection={<IconDownload size={16} aria-hidden />}
                data-testid={`results-export-${fmt}`}
              >
                {fmt.toUpperCase()}
              </Button>
            ))}
          </Group>
        }
      />
      <Stack gap="lg">
        {res.total === null && (
          <Alert color="yellow" data-testid="results-suppressed">
            {t('surveys.tooFew', { count: res.minCell })}
          </Alert>
        )}
        <SegmentedControl
          value={by}
          onChange={(v) => setBy(v as typeof by)}
          data={RESULTS_BY.map((b) => ({ value: b, label: t(`surveys.by.${b}`) }))}
          aria-label={t('surveys.byLabel')}
        />
        <FactorTable res={res} />
        {res.total !== null && <FactorChart res={res} />}
        {trend.data && trend.data.iterations.length > 1 && <TrendChart trend={trend.data} />}
        <Questions res={res} />
      </Stack>
    </Container>
  );
}

function useGroupName(by: string) {
  const { t } = useTranslation();
  return (key: string) =>
    key === '_not_stated' ? t('surveys.notStated') : by === 'region' ? key : t(bandValueKey(by, key));
}

function CellView({ c, k }: { c: ResultsT['factors'][number]['overall']; k: number }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  if (c.suppressed)
    return (
      <Text
        size="sm"
        c="dimmed"
        title={t('surveys.suppressedHelp', { count: k })}
        data-testid="cell-suppressed"
      >
        {t('surveys.suppressed', { k })}
      </Text>
    );
  return (
    <Text size="sm" data-testid="cell-figure">
      <b>{f.number(c.score ?? 0)}</b>{' '}
      <Text span size="xs" c="dimmed">
        (n={c.n})
      </Text>
    </Text>
  );
}

function FactorTable({ res }: { res: ResultsT }): ReactNode {
  const { t } = useTranslation();
  const name = useGroupName(res.by);
  return (
    <Section title={t('surveys.byFactor')}>
      <ScrollTable minWidth={480 + res.groups.length * 110} label={t('surveys.byFactor')}>
        <Table striped data-testid="results-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('surveys.factorCol')}</Table.Th>
              <Table.Th>{t('surveys.all')}</Table.Th>
              {res.groups.map((g) => (
                <Table.Th key={g.key}>{name(g.key)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {res.factors.map((fa) => (
              <Table.Tr key={fa.factor}>
                <Table.Td>
                  {fa.factor}. {t(factorKey(fa.factor))}
                </Table.Td>
                <Table.Td>
                  <CellView c={fa.overall} k={res.minCell} />
                </Table.Td>
                {fa.groups.map((g) => (
                  <Table.Td key={g.key}>
                    <CellView c={g.cell} k={res.minCell} />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <Text size="xs" c="dimmed" mt="xs">
        {t('surveys.scoreHelp')}
      </Text>
    </Section>
  );
}

function FactorChart({ res }: { res: ResultsT }): ReactNode {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', min: 0, max: 100 },
      yAxis: {
        type: 'category',
        inverse: true,
        data: res.factors.map((f) => t(factorKey(f.factor))),
      },
      series: [
        {
          type: 'bar',
          data: res.factors.map((f) => f.overall.score),
          label: { show: true, position: 'inside', color: '#fff' },
        },
      ],
    }),
    [res, t],
  );
  return (
    <Section title={t('surveys.chartTitle')}>
      <Chart
        option={option}
        label={t('surveys.chartTitle')}
        height={Math.max(200, res.factors.length * 36)}
      />
    </Section>
  );
}

function TrendChart({ trend }: { trend: TrendT }): ReactNode {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(() => {
    const factors = [...new Set(trend.iterations.flatMap((i) => i.factors.map((f) => f.factor)))].sort(
      (a, b) => a - b,
    );
    return {
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: 'category', data: trend.iterations.map((i) => `${i.iteration}. ${i.name}`) },
      yAxis: { type: 'value', min: 0, max: 100 },
      series: factors.map((f) => ({
        type: 'line',
        name: t(factorKey(f)),
        connectNulls: false,
        data: trend.iterations.map((i) => i.factors.find((x) => x.factor === f)?.score ?? null),
      })),
    };
  }, [trend, t]);
  return (
    <Section title={t('surveys.trendTitle')}>
      <Chart option={option} label={t('surveys.trendTitle')} height={320} />
    </Section>
  );
}

function Questions({ res }: { res: ResultsT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Section title={t('surveys.byQuestion')}>
      <Stack gap="sm">
        {res.questions.map((q) => (
          <Stack key={q.id} gap={4}>
            <Text size="sm" fw={500}>
              {q.factor}. {q.text}
            </Text>
            {q.overall.suppressed ? (
              <Text size="xs" c="dimmed">
                {t('surveys.suppressed', { k: res.minCell })}
              </Text>
            ) : q.distribution ? (
              <Group gap="xs">
                {q.distribution.map((d) => (
                  <Badge key={d.key} variant="light" color="gray">
                    {q.kind === 'likert5'
                      ? t(likertKey(d.key))
                      : q.kind === 'frequency'
                        ? t(frequencyKey(d.key))
                        : q.kind === 'yesno'
                          ? t(yesNoKey(d.key))
                          : d.label}
                    : {f.number(d.count)}
                  </Badge>
                ))}
              </Group>
            ) : null}
          </Stack>
        ))}
        {res.comments.length > 0 && (
          <Stack gap={4}>
            <Text fw={500}>{t('surveys.comments')}</Text>
            {res.comments.map((c, i) => (
              <Text key={`${c.questionId}-${i}`} size="sm">
                “{c.text}”
              </Text>
            ))}
          </Stack>
        )}
      </Stack>
    </Section>
  );
}
