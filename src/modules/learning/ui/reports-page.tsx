import {
  Button,
  Card,
  Container,
  Menu,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconBan, IconDownload } from '@tabler/icons-react';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../../web/session';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { DueDate, EnrolmentBadge, usePct } from './bits';
import { RevokeModal, type RevokeTarget } from './revoke-modal';
import { type ReportFilters, reportQuery, useCourses, useReport, useUnits } from './queries';
import type { ReportRowT, ReportT } from './types';

export function ReportsPage(): ReactNode {
  return (
    <RequirePermission permission="learning.reports">
      <Reports />
    </RequirePermission>
  );
}

function yearStart(): string {
  return `${new Date().getFullYear()}-01-01`;
}

function Reports(): ReactNode {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<ReportFilters>({
    courseId: null,
    unitId: null,
    from: yearStart(),
    to: '',
  });
  const report = useReport(filters);
  const courses = useCourses();
  const units = useUnits();
  const qs = reportQuery(filters);
  const exportUrl = (format: 'xlsx' | 'csv') =>
    `/api/learning/reports/export?format=${format}${qs ? `&${qs}` : ''}`;
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('learning.reportsTitle')}
        description={t('learning.reportsIntro')}
        actions={
          <Menu>
            <Menu.Target>
              <Button
                variant="default"
                leftSection={<IconDownload size={16} aria-hidden />}
                data-testid="report-export"
              >
                {t('learning.export')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item component="a" href={exportUrl('xlsx')} data-testid="report-export-xlsx">
                {t('learning.exportXlsx')}
              </Menu.Item>
              <Menu.Item component="a" href={exportUrl('csv')} data-testid="report-export-csv">
                {t('learning.exportCsv')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        }
      />
      <Card withBorder radius="md" mb="lg" component="form" role="search" aria-label={t('learning.filters')}>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          <Select
            label={t('learning.course')}
            placeholder={t('learning.allCourses')}
            clearable
            searchable
            data={(courses.data?.items ?? []).map((c) => ({ value: c.id, label: c.title }))}
            value={filters.courseId}
            onChange={(v) => setFilters((f) => ({ ...f, courseId: v }))}
          />
          <Select
            label={t('learning.unit')}
            placeholder={t('learning.allUnits')}
            clearable
            searchable
            data={(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
            value={filters.unitId}
            onChange={(v) => setFilters((f) => ({ ...f, unitId: v }))}
          />
          <TextInput
            type="date"
            label={t('learning.from')}
            value={filters.from}
            onChange={(e) => setFilters((f) => ({ ...f, from: e.currentTarget.value }))}
          />
          <TextInput
            type="date"
            label={t('learning.to')}
            value={filters.to}
            min={filters.from || undefined}
            onChange={(e) => setFilters((f) => ({ ...f, to: e.currentTarget.value }))}
          />
        </SimpleGrid>
      </Card>
      {report.isPending ? (
        <PageLoader />
      ) : report.isError ? (
        <QueryError error={report.error} onRetry={() => report.refetch()} />
      ) : (
        <ReportBody r={report.data} />
      )}
    </Container>
  );
}

function Stat({ label, value, color }: { label: string; value: string; color?: string }): ReactNode {
  return (
    <Card withBorder radius="md" padding="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz={28} c={color}>
        {value}
      </Text>
    </Card>
  );
}

function ReportBody({ r }: { r: ReportT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const pct = usePct();
  const canManage = useCan('learning.manage');
  const [revoking, setRevoking] = useState<RevokeTarget | null>(null);
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Stat label={t('learning.enrolled')} value={f.number(r.totals.enrolled)} />
        <Stat label={t('learning.completedCount')} value={f.number(r.totals.completed)} />
        <Stat label={t('learning.completionRate')} value={pct(r.totals.completionRate)} />
        <Stat
          label={t('learning.overdue')}
          value={f.number(r.totals.overdue)}
          color={r.totals.overdue ? 'red' : undefined}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder radius="md">
          <Title order={2} size="h4" mb="xs">
            {t('learning.completionByUnit')}
          </Title>
          <div data-testid="report-unit-chart">
            {r.byUnit.length ? (
              <UnitChart rows={r.byUnit} />
            ) : (
              <Text c="dimmed" size="sm">
                {t('learning.noData')}
              </Text>
            )}
          </div>
        </Card>
        <Card withBorder radius="md">
          <Title order={2} size="h4" mb="xs">
            {t('learning.scoreDistribution')}
          </Title>
          {r.scoreDistribution.some((b) => b.count > 0) ? (
            <ScoreChart buckets={r.scoreDistribution} />
          ) : (
            <Text c="dimmed" size="sm">
              {t('learning.noData')}
            </Text>
          )}
        </Card>
      </SimpleGrid>
      {r.byPeriod.length > 0 && (
        <Card withBorder radius="md">
          <Title order={2} size="h4" mb="xs">
            {t('learning.completionsByMonth')}
          </Title>
          <PeriodChart rows={r.byPeriod} />
        </Card>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <RowsTable title={t('learning.byUnit')} rows={r.byUnit} nameLabel={t('learning.unit')} />
        <RowsTable title={t('learning.byCourse')} rows={r.byCourse} nameLabel={t('learning.course')} />
      </SimpleGrid>
      <section aria-labelledby="report-learners">
        <Title order={2} size="h4" mb="xs" id="report-learners">
          {t('learning.learners')}
        </Title>
        {r.learners.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('learning.noData')}
          </Text>
        ) : (
          <ScrollTable minWidth={860} label={t('learning.learners')}>
            <Table striped fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('learning.learner')}</Table.Th>
                  <Table.Th scope="col">{t('learning.unit')}</Table.Th>
                  <Table.Th scope="col">{t('learning.course')}</Table.Th>
                  <Table.Th scope="col">{t('learning.status')}</Table.Th>
                  <Table.Th scope="col">{t('learning.dueDate')}</Table.Th>
                  <Table.Th scope="col">{t('learning.score')}</Table.Th>
                  {canManage && <Table.Th scope="col">{t('learning.certificate')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.learners.map((l) => (
                  <Table.Tr key={l.enrolmentId}>
                    <Table.Td>{l.userName}</Table.Td>
                    <Table.Td>{l.unitName ?? '—'}</Table.Td>
                    <Table.Td>{l.courseTitle}</Table.Td>
                    <Table.Td>
                      <EnrolmentBadge status={l.status} />
                    </Table.Td>
                    <Table.Td>
                      {l.status === 'completed' ? (
                        f.date(l.dueDate)
                      ) : (
                        <DueDate dueDate={l.dueDate} status={l.status} />
                      )}
                    </Table.Td>
                    <Table.Td>{pct(l.score)}</Table.Td>
                    {canManage && (
                      <Table.Td>
                        {l.certificateId && (
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            color="red"
                            leftSection={<IconBan size={12} aria-hidden />}
                            onClick={() =>
                              setRevoking({
                                id: l.certificateId!,
                                userName: l.userName,
                                courseTitle: l.courseTitle,
                              })
                            }
                          >
                            {t('learning.revoke')}
                          </Button>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </section>
      <RevokeModal certificate={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  );
}

function RowsTable({ title, rows, nameLabel }: { title: string; rows: ReportRowT[]; nameLabel: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const pct = usePct();
  return (
    <Card withBorder radius="md">
      <Title order={2} size="h4" mb="xs">
        {title}
      </Title>
      <ScrollTable minWidth={480} label={title}>
        <Table fz="sm" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{nameLabel}</Table.Th>
              <Table.Th scope="col">{t('learning.enrolled')}</Table.Th>
              <Table.Th scope="col">{t('learning.completedCount')}</Table.Th>
              <Table.Th scope="col">{t('learning.completionRate')}</Table.Th>
              <Table.Th scope="col">{t('learning.meanScore')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.id ?? row.name}>
                <Table.Td>{row.name}</Table.Td>
                <Table.Td>{f.number(row.enrolled)}</Table.Td>
                <Table.Td>{f.number(row.completed)}</Table.Td>
                <Table.Td>{pct(row.completionRate)}</Table.Td>
                <Table.Td>{pct(row.meanScore)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Card>
  );
}

function UnitChart({ rows }: { rows: ReportRowT[] }): ReactNode {
  const { t } = useTranslation();
  const sorted = useMemo(() => [...rows].sort((a, b) => a.completionRate - b.completionRate), [rows]);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 32, top: 8, bottom: 24, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v} %` },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value} %' } },
      yAxis: {
        type: 'category',
        data: sorted.map((r) => r.name),
        axisLabel: { width: 160, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          name: t('learning.completionRate'),
          data: sorted.map((r) => ({
            value: Math.round(r.completionRate * 1000) / 10,
            itemStyle: {
              color: r.completionRate >= 0.8 ? '#2f9e44' : r.completionRate >= 0.5 ? '#1971c2' : '#e8590c',
            },
          })),
          barMaxWidth: 22,
          label: { show: true, position: 'right', formatter: '{c} %' },
        },
      ],
    }),
    [sorted, t],
  );
  return (
    <Chart
      option={option}
      label={t('learning.unitChartLabel', {
        list: sorted.map((r) => `${r.name} ${Math.round(r.completionRate * 100)} %`).join(', '),
      })}
      height={Math.max(180, sorted.length * 34 + 40)}
    />
  );
}

function ScoreChart({ buckets }: { buckets: ReportT['scoreDistribution'] }): ReactNode {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 40, right: 16, top: 16, bottom: 32 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: buckets.map((b) => `${Math.round(b.from * 100)}–${Math.round(b.to * 100)}`),
        name: '%',
        axisLabel: { interval: 0, hideOverlap: false, fontSize: 10 },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          name: t('learning.learnersCount'),
          data: buckets.map((b) => b.count),
          barMaxWidth: 32,
        },
      ],
    }),
    [buckets, t],
  );
  return <Chart option={option} label={t('learning.scoreChartLabel')} height={240} />;
}

function PeriodChart({ rows }: { rows: ReportT['byPeriod'] }): ReactNode {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 40, right: 16, top: 16, bottom: 32 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: rows.map((r) => r.period) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          name: t('learning.completedCount'),
          data: rows.map((r) => r.completed),
          barMaxWidth: 32,
        },
      ],
    }),
    [rows, t],
  );
  return <Chart option={option} label={t('learning.periodChartLabel')} height={220} />;
}
