import {
  Badge,
  Button,
  Card,
  Group,
  Menu,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconDownload, IconFileTypePdf } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type ReactNode, useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api } from '../../../web/api';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { textOn } from '../../../web/ui-kit/contrast';
import { useFormat } from '../../../web/ui-kit/format';
import { AnchorLink } from '../../../web/ui-kit/links';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import type { Dashboard } from '../dashboard.contract';

type DashboardT = z.infer<typeof Dashboard>;

function useDashboard() {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: ['dashboard', i18n.language],
    queryFn: ({ signal }) => api.get<DashboardT>('/api/dashboard', { signal }),
  });
}

function Stat(props: { label: string; value: string; hint?: ReactNode; testId: string; color?: string }) {
  return (
    <Card withBorder padding="md" radius="md" data-testid={props.testId}>
      <Text size="sm" c="dimmed">
        {props.label}
      </Text>
      <Text fw={700} fz={28} c={props.color}>
        {props.value}
      </Text>
      {props.hint}
    </Card>
  );
}

function FactorChart({ d }: { d: NonNullable<DashboardT['assessment']> }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 40, right: 24, top: 36, bottom: 32 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, itemGap: 32 },
      xAxis: { type: 'category', data: d.factors.map((f) => fmt.number(f.factor)) },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value} %' } },
      series: [
        {
          type: 'bar',
          name: t('dashboard.latest'),
          data: d.factors.map((f) => f.score),
          barMaxWidth: 28,
        },
        {
          type: 'bar',
          name: t('dashboard.previous'),
          data: d.factors.map((f) => f.previous),
          barMaxWidth: 28,
        },
      ],
    }),
    [d, t, fmt],
  );
  const open = useCallback(
    () => navigate({ to: '/assessments/$id', params: { id: d.id } } as never),
    [navigate, d.id],
  );
  return <Chart option={option} label={t('dashboard.factorChartLabel')} height={280} onItemClick={open} />;
}

function TrendChart({ trend }: { trend: DashboardT['trend'] }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 40, right: 24, top: 24, bottom: 32 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: trend.map((x) => fmt.date(x.validatedAt)) },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value} %' } },
      series: [
        { type: 'line', name: t('dashboard.overall'), data: trend.map((x) => x.overall), smooth: false },
      ],
    }),
    [trend, t, fmt],
  );
  return <Chart option={option} label={t('dashboard.trendChartLabel')} height={220} />;
}

const pct = (n: number | null | undefined, fmt: ReturnType<typeof useFormat>) =>
  n === null || n === undefined ? '—' : `${fmt.number(Math.round(n * 10) / 10)} %`;

function Body({ d }: { d: DashboardT }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const a = d.assessment;
  const delta = a && d.trend.length > 1 ? (a.overall ?? 0) - (d.trend.at(-2)?.overall ?? 0) : null;
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        <Stat
          testId="dash-overall"
          label={t('dashboard.overall')}
          value={pct(a?.overall, fmt)}
          hint={
            delta !== null && (
              <Text
                size="sm"
                c={
                  delta >= 0
                    ? 'light-dark(var(--mantine-color-teal-9), var(--mantine-color-teal-4))'
                    : 'light-dark(var(--mantine-color-red-9), var(--mantine-color-red-4))'
                }
              >
                {t('dashboard.delta', {
                  count: Math.abs(Math.round(delta * 10) / 10),
                  delta: `${delta > 0 ? '+' : ''}${fmt.number(Math.round(delta * 10) / 10)}`,
                })}
              </Text>
            )
          }
        />
        <Stat testId="dash-open" label={t('dashboard.openActions')} value={fmt.number(d.actions.open)} />
        <Stat
          testId="dash-overdue"
          label={t('dashboard.overdueActions')}
          value={fmt.number(d.actions.overdue)}
          color={d.actions.overdue ? 'red' : undefined}
        />
        <Stat testId="dash-done" label={t('dashboard.doneActions')} value={fmt.number(d.actions.done)} />
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder radius="md">
          <Group justify="space-between" mb="xs">
            <Title order={2} size="h4">
              {t('dashboard.factorScores')}
            </Title>
            {a && (
              <AnchorLink to="/assessments/$id" params={{ id: a.id } as never} size="sm">
                {a.title}
              </AnchorLink>
            )}
          </Group>
          {a ? <FactorChart d={a} /> : <Text c="dimmed">{t('dashboard.noAssessment')}</Text>}
        </Card>
        <Card withBorder radius="md">
          <Title order={2} size="h4" mb="xs">
            {t('dashboard.trend')}
          </Title>
          {d.trend.length ? (
            <TrendChart trend={d.trend} />
          ) : (
            <Text c="dimmed">{t('dashboard.noAssessment')}</Text>
          )}
        </Card>
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder radius="md" data-testid="dash-risks">
          <Group justify="space-between" mb="xs">
            <Title order={2} size="h4">
              {t('dashboard.topRisks')}
            </Title>
            <AnchorLink to="/risks/heatmap" size="sm">
              {t('dashboard.heatmap')}
            </AnchorLink>
          </Group>
          {d.risks.length === 0 ? (
            <Text c="dimmed">{t('dashboard.noRisks')}</Text>
          ) : (
            <Table>
              <Table.Tbody>
                {d.risks.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <AnchorLink to="/risks/$id" params={{ id: r.id } as never}>
                        {r.ref}
                      </AnchorLink>
                    </Table.Td>
                    <Table.Td dir="auto">
                      {r.title}
                      <Text size="xs" c="dimmed">
                        {r.process}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap', width: '1%' }}>
                      <Stack gap={4} align="flex-start">
                        <Badge
                          color={r.level.color}
                          styles={{ root: { color: textOn(r.level.color) }, label: { overflow: 'visible' } }}
                        >
                          {r.level.label} · {fmt.number(r.residualScore)}
                        </Badge>
                        {r.overdue && (
                          <Text size="xs" c="red" style={{ whiteSpace: 'nowrap' }}>
                            {t('dashboard.reviewOverdue')}
                          </Text>
                        )}
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
        <Card withBorder radius="md" data-testid="dash-actions">
          <Title order={2} size="h4" mb="xs">
            {t('dashboard.overdueList')}
          </Title>
          {d.actions.overdueList.length === 0 ? (
            <Text c="dimmed">{t('dashboard.noOverdue')}</Text>
          ) : (
            <Table>
              <Table.Tbody>
                {d.actions.overdueList.map((x) => (
                  <Table.Tr key={x.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <AnchorLink to="/action-plans/$id" params={{ id: x.planId } as never}>
                        {x.ref}
                      </AnchorLink>
                    </Table.Td>
                    <Table.Td dir="auto">{x.objective}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Text size="sm" c="red">
                        {fmt.date(x.dueDate)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
      </SimpleGrid>

      <Card withBorder radius="md" data-testid="dash-kpis">
        <Title order={2} size="h4" mb="xs">
          {t('dashboard.kpis')}
        </Title>
        {d.kpis.length === 0 ? (
          <Text c="dimmed">{t('dashboard.noKpis')}</Text>
        ) : (
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            {d.kpis.map((k) => (
              <div key={k.id}>
                <Group justify="space-between" gap="xs" wrap="nowrap">
                  <AnchorLink to="/action-plans" size="sm" dir="auto">
                    {k.code} · {k.name}
                  </AnchorLink>
                  <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }} dir="ltr">
                    {k.latest ? `${fmt.number(k.latest.value)} ${k.unit}` : '—'}
                    {k.target !== null && ` / ${fmt.number(k.target)}`}
                  </Text>
                </Group>
                <Progress
                  value={Math.max(0, Math.min(100, (k.progress ?? 0) * 100))}
                  aria-label={t('dashboard.kpiProgress', { name: k.name })}
                  color={k.progress !== null && k.progress >= 1 ? 'teal' : 'blue'}
                />
              </div>
            ))}
          </SimpleGrid>
        )}
      </Card>
    </Stack>
  );
}

export function DashboardPage(): ReactNode {
  const { t, i18n } = useTranslation();
  const q = useDashboard();
  const a = q.data?.assessment;
  const exportUrl = (dataset: string, format: string) =>
    `/api/dashboard/exports/${dataset}?format=${format}${dataset === 'responses' && a ? `&assessmentId=${a.id}` : ''}`;
  return (
    <RequirePermission permission="dashboard.read">
      <PageHeader
        title={t('dashboard.title')}
        description={t('dashboard.navDescription')}
        actions={
          <Group gap="xs">
            {a && (
              <Button
                component="a"
                href={`/api/dashboard/reports/assessments/${a.id}?locale=${i18n.language}`}
                leftSection={<IconFileTypePdf size={16} />}
                data-testid="dash-report-pdf"
              >
                {t('dashboard.reportPdf')}
              </Button>
            )}
            <Menu>
              <Menu.Target>
                <Button variant="default" leftSection={<IconDownload size={16} />} data-testid="dash-exports">
                  {t('dashboard.exports')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {(['responses', 'risks', 'actions', 'kpis'] as const).map((ds) =>
                  (['xlsx', 'csv'] as const).map((f) => (
                    <Menu.Item key={`${ds}-${f}`} component="a" href={exportUrl(ds, f)}>
                      {t(`dashboard.export.${ds}`)} ({f.toUpperCase()})
                    </Menu.Item>
                  )),
                )}
              </Menu.Dropdown>
            </Menu>
          </Group>
        }
      />
      {q.isPending ? <PageLoader /> : q.isError ? <QueryError error={q.error} /> : <Body d={q.data} />}
    </RequirePermission>
  );
}
