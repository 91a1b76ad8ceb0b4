import {
  Alert as Notice,
  Anchor,
  Badge,
  Card,
  Group,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api } from '../../../web/api';
import { Chart } from '../../../web/ui-kit/chart';
import { AnchorLink } from '../../../web/ui-kit/links';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import type * as C from '../analytics.contract';
import { type IndicatorDef, PAIR_ALPHA, qOf, RowsBehind, useCatalogue, useFormat } from './bits';

type Profile = z.infer<typeof C.OfficerProfile>;
type OfficerIndicator = z.infer<typeof C.OfficerIndicator>;

/** One officer over time: every indicator per month or quarter, against expectation, with limits. */
export function OfficerPage(): ReactNode {
  const { t } = useTranslation();
  const { versionId, officerId } = useParams({ strict: false }) as { versionId: string; officerId: string };
  const [period, setPeriod] = useState<'month' | 'quarter'>('month');
  const [rows, setRows] = useState<{ indicator?: string; period?: string; declarant?: string } | null>(null);
  const catalogue = useCatalogue();
  const profile = useQuery({
    queryKey: ['analytics', 'officer', versionId, officerId, period],
    queryFn: () =>
      api.get<Profile>(
        `/api/analytics/versions/${versionId}/officers/${encodeURIComponent(officerId)}?period=${period}`,
      ),
  });
  const f = useFormat();
  if (profile.isPending || catalogue.isPending) return <PageLoader />;
  if (profile.isError) return <QueryError error={profile.error} onRetry={() => profile.refetch()} />;
  if (catalogue.isError) return <QueryError error={catalogue.error} onRetry={() => catalogue.refetch()} />;
  const p = profile.data;
  const defs = new Map(catalogue.data.items.map((i) => [i.id, i]));
  return (
    <Stack gap="lg">
      <PageHeader
        title={t('analytics.people.officerTitle', { officer: p.officerId })}
        description={t('analytics.people.officerIntro')}
        crumbs={[{ label: t('analytics.title'), to: '/analytics' }]}
      />
      <Group gap="lg" align="end">
        <Text size="sm">{t('analytics.people.declarations', { count: p.declarations })}</Text>
        <SegmentedControl
          aria-label={t('analytics.people.period')}
          value={period}
          onChange={(v) => setPeriod(v as 'month' | 'quarter')}
          data={[
            { value: 'month', label: t('analytics.people.month') },
            { value: 'quarter', label: t('analytics.people.quarter') },
          ]}
        />
      </Group>
      {!p.runId && <Notice color="gray">{t('analytics.funnel.none')}</Notice>}
      {p.alerts.length > 0 && (
        <Stack component="section" aria-labelledby="officer-alerts" gap="xs">
          <Title order={2} id="officer-alerts">
            {t('analytics.alerts.title')}
          </Title>
          {p.alerts.map((a) => (
            <Group key={a.id} gap="xs" wrap="nowrap">
              <Badge variant="light" color={a.status === 'new' ? 'orange' : 'gray'}>
                {t(`analytics.alertStatus.${a.status}`)}
              </Badge>
              <AnchorLink to="/analytics/alerts/$alertId" params={{ alertId: a.id }} size="sm">
                {a.indicatorId} · {a.explanation}
              </AnchorLink>
            </Group>
          ))}
        </Stack>
      )}
      <Title order={2}>{t('analytics.people.indicatorsTitle')}</Title>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        {p.indicators.map((i) => (
          <IndicatorCard
            key={i.indicatorId}
            item={i}
            def={defs.get(i.indicatorId)}
            versionId={p.datasetVersionId}
            onRows={(period) => setRows({ indicator: i.indicatorId, period })}
            f={f}
          />
        ))}
      </SimpleGrid>
      {p.pairs.length > 0 && (
        <Stack component="section" aria-labelledby="officer-pairs" gap="xs">
          <Title order={2} id="officer-pairs">
            {t('analytics.pairs.title')}
          </Title>
          {p.pairsStored && p.pairsStored.stored < p.pairsStored.evaluated && (
            <Text size="sm">{t('analytics.pairs.officerKept')}</Text>
          )}
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('analytics.pairs.declarant')}</Table.Th>
                <Table.Th>{t('analytics.pairs.office')}</Table.Th>
                <Table.Th>{t('analytics.people.observed')}</Table.Th>
                <Table.Th>{t('analytics.people.expected')}</Table.Th>
                <Table.Th>q</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.pairs.map((r) => (
                <Table.Tr key={r.subjectId}>
                  <Table.Td>{r.declarantId}</Table.Td>
                  <Table.Td>{r.officeCode}</Table.Td>
                  <Table.Td>{f(r.observed)}</Table.Td>
                  <Table.Td>{f(r.expected)}</Table.Td>
                  <Table.Td>
                    {typeof r.extra.q === 'number' ? r.extra.q.toExponential(2) : '—'}{' '}
                    {qOf(r) < PAIR_ALPHA && (
                      <Badge color="red" variant="light">
                        {t('analytics.pairs.significant')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Anchor
                      component="button"
                      size="sm"
                      onClick={() => setRows({ indicator: 'I10', declarant: r.declarantId ?? undefined })}
                    >
                      {t('analytics.people.showRows')}
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
      <Anchor component="button" size="sm" onClick={() => setRows({})} style={{ alignSelf: 'flex-start' }}>
        {t('analytics.people.allRows')}
      </Anchor>
      {rows && (
        <RowsBehind
          key={JSON.stringify(rows)}
          versionId={p.datasetVersionId}
          query={{ officer: p.officerId, ...rows }}
          title={t('analytics.people.rowsTitle', {
            what: [rows.indicator, rows.declarant, rows.period].filter(Boolean).join(' · ') || p.officerId,
          })}
        />
      )}
    </Stack>
  );
}

function IndicatorCard(props: {
  item: OfficerIndicator;
  def: IndicatorDef | undefined;
  versionId: string;
  onRows: (period?: string) => void;
  f: ReturnType<typeof useFormat>;
}): ReactNode {
  const { t } = useTranslation();
  const { item: i, def, f } = props;
  const unit = def?.unit;
  const o = i.overall;
  const bad =
    o && (o.upper998 != null || o.lower998 != null)
      ? def?.direction === 'higher_better'
        ? o.lower998 != null && o.observed < o.lower998
        : o.upper998 != null && o.observed > o.upper998
      : false;
  const s = i.series;
  const option = {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 56, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', data: s.map((x) => x.period) },
    yAxis: { type: 'value', scale: true },
    series: [
      {
        name: t('analytics.people.observed'),
        type: 'line',
        symbolSize: 7,
        data: s.map((x) => x.observed),
      },
      {
        name: t('analytics.people.expected'),
        type: 'line',
        showSymbol: false,
        lineStyle: { type: 'dashed' },
        data: s.map((x) => x.expected),
      },
      {
        name: t('analytics.funnel.limit998'),
        type: 'line',
        showSymbol: false,
        lineStyle: { width: 1, color: '#e03131' },
        itemStyle: { color: '#e03131' },
        data: s.map((x) => (def?.direction === 'higher_better' ? x.lower998 : x.upper998)),
      },
      {
        name: t('analytics.funnel.limit95'),
        type: 'line',
        showSymbol: false,
        lineStyle: { width: 1, type: 'dotted', color: '#f08c00' },
        itemStyle: { color: '#f08c00' },
        data: s.map((x) => (def?.direction === 'higher_better' ? x.lower95 : x.upper95)),
      },
    ],
  };
  return (
    <Card withBorder data-testid={`officer-${i.indicatorId}`}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={600}>
            {i.indicatorId} · {def?.name ?? i.indicatorId}
          </Text>
          {bad && (
            <Badge color="red" variant="light">
              {t('analytics.people.outside')}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          <AnchorLink to="/analytics/indicators" hash={i.indicatorId} size="xs">
            {t('analytics.funnel.definition', { version: i.indicatorVersion, source: def?.source ?? '' })}
          </AnchorLink>
        </Text>
        {o ? (
          <Text size="sm">
            {t('analytics.people.overall', {
              observed: f(o.observed, unit),
              expected: f(o.expected, unit),
              limit: f(def?.direction === 'higher_better' ? o.lower998 : o.upper998, unit),
              count: o.n,
            })}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t('analytics.people.noOverall')}
          </Text>
        )}
        {o && typeof o.extra.median_hours === 'number' && (
          <Text size="sm" data-testid="officer-clearance-z">
            {typeof o.extra.z === 'number'
              ? t('analytics.people.clearanceZ', { hours: f(o.extra.median_hours), z: f(o.extra.z) })
              : t('analytics.people.clearanceNoZ', { hours: f(o.extra.median_hours) })}
          </Text>
        )}
        {s.length > 0 && (
          <Chart
            option={option}
            height={220}
            label={t('analytics.people.chartLabel', { indicator: def?.name ?? i.indicatorId })}
            onItemClick={(x) => props.onRows(s[x.dataIndex]?.period)}
          />
        )}
        <Anchor
          component="button"
          size="sm"
          onClick={() => props.onRows()}
          style={{ alignSelf: 'flex-start' }}
        >
          {t('analytics.people.showRows')}
        </Anchor>
      </Stack>
    </Card>
  );
}
