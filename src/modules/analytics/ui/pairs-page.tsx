import { Anchor, Badge, Group, ScrollArea, Select, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Items } from '../../../web/api';
import { Chart } from '../../../web/ui-kit/chart';
import { AnchorLink } from '../../../web/ui-kit/links';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import {
  declarationVersions,
  PAIR_ALPHA,
  qOf,
  type Result,
  RowsBehind,
  useDatasets,
  useFormat,
  useRuns,
  VersionSelect,
} from './bits';

/**
 * Officer × declarant deviation from random assignment (I10): observed pair counts against the
 * counts random allocation predicts, with the Poisson tail and the Benjamini–Hochberg q; the
 * significant pairs first and highlighted.
 */
export function PairsPage(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const datasets = useDatasets();
  const [picked, setPicked] = useState<string | null>(null);
  const [office, setOffice] = useState<string | null>(null);
  const [rows, setRows] = useState<Result | null>(null);
  const versionId = picked ?? declarationVersions(datasets.data?.items ?? [])[0]?.value ?? null;
  const runs = useRuns(versionId);
  const run = runs.data?.items.find((r) => r.status === 'done');
  const results = useQuery({
    queryKey: ['analytics', 'results', run?.id, 'I10'],
    enabled: !!run,
    queryFn: () => api.get<Items<Result>>(`/api/analytics/runs/${run?.id}/results?indicator=I10`),
  });
  const all = results.data?.items ?? [];
  const offices = [...new Set(all.map((r) => r.officeCode ?? ''))].sort();
  const shown = all
    .filter((r) => !office || r.officeCode === office)
    .sort((a, b) => qOf(a) - qOf(b) || b.score - a.score);
  const top = shown.slice(0, 30);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 48, bottom: 96 },
      xAxis: {
        type: 'category',
        data: top.map((r) => r.subjectId),
        axisLabel: { rotate: 60, fontSize: 10 },
      },
      yAxis: { type: 'value', name: t('analytics.people.declarationsAxis') },
      series: [
        {
          name: t('analytics.people.observed'),
          type: 'bar',
          itemStyle: { color: '#868e96' },
          data: top.map((r) => ({
            value: r.observed,
            itemStyle: { color: qOf(r) < PAIR_ALPHA ? '#e03131' : '#868e96' },
          })),
        },
        {
          name: t('analytics.pairs.expectedRandom'),
          type: 'bar',
          itemStyle: { color: '#1971c2' },
          data: top.map((r) => r.expected),
        },
      ],
    }),
    [top, t],
  );
  if (datasets.isPending) return <PageLoader />;
  if (datasets.isError) return <QueryError error={datasets.error} onRetry={() => datasets.refetch()} />;
  const significant = all.filter((r) => qOf(r) < PAIR_ALPHA).length;
  const tests = Number(all[0]?.extra.tests ?? 0);
  // The run stores the significant pairs and the most deviant others, not every one evaluated.
  const stored = run?.params?.pairs;
  const evaluated = stored?.evaluated ?? all.length;
  return (
    <Stack gap="lg">
      <PageHeader
        title={t('analytics.pairs.title')}
        description={t('analytics.pairs.intro')}
        crumbs={[{ label: t('analytics.title'), to: '/analytics' }]}
      />
      <Group align="end">
        <VersionSelect datasets={datasets.data.items} value={versionId} onChange={setPicked} />
        <Select
          label={t('analytics.pairs.office')}
          data={[
            { value: '', label: t('analytics.pairs.allOffices') },
            ...offices.map((o) => ({ value: o, label: o })),
          ]}
          value={office ?? ''}
          onChange={(v) => setOffice(v || null)}
        />
      </Group>
      {versionId && !run && runs.isSuccess && <Text size="sm">{t('analytics.funnel.none')}</Text>}
      {run && results.data && (
        <>
          <Text size="sm" data-testid="pairs-summary">
            {t('analytics.pairs.summary', {
              count: significant,
              among: t('analytics.pairs.among', { count: evaluated }),
              tested: t('analytics.pairs.tested', { count: tests }),
            })}
          </Text>
          {all.length < evaluated && (
            <Text size="sm" data-testid="pairs-shown">
              {t('analytics.pairs.showing', { count: evaluated, shown: all.length, kept: stored?.kept ?? 0 })}
            </Text>
          )}
          {top.length > 0 && (
            <Chart
              option={option}
              height={360}
              label={t('analytics.pairs.chartLabel')}
              onItemClick={(x) => setRows(top[x.dataIndex] ?? null)}
            />
          )}
          <ScrollArea viewportProps={{ tabIndex: 0 }}>
            <Table striped aria-label={t('analytics.pairs.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('analytics.pairs.office')}</Table.Th>
                  <Table.Th>{t('analytics.pairs.officer')}</Table.Th>
                  <Table.Th>{t('analytics.pairs.declarant')}</Table.Th>
                  <Table.Th>{t('analytics.people.observed')}</Table.Th>
                  <Table.Th>{t('analytics.pairs.expectedRandom')}</Table.Th>
                  <Table.Th>{t('analytics.pairs.ratio')}</Table.Th>
                  <Table.Th>p</Table.Th>
                  <Table.Th>q (BH)</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((r) => (
                  <Table.Tr
                    key={`${r.officeCode}/${r.subjectId}`}
                    style={
                      qOf(r) < PAIR_ALPHA
                        ? { borderInlineStart: '4px solid var(--mantine-color-red-7)' }
                        : undefined
                    }
                    fw={qOf(r) < PAIR_ALPHA ? 700 : undefined}
                  >
                    <Table.Td>{r.officeCode}</Table.Td>
                    <Table.Td>
                      {versionId && r.officerId && (
                        <AnchorLink
                          to="/analytics/versions/$versionId/officers/$officerId"
                          params={{ versionId, officerId: r.officerId }}
                          size="sm"
                        >
                          {r.officerId}
                        </AnchorLink>
                      )}
                    </Table.Td>
                    <Table.Td>{r.declarantId}</Table.Td>
                    <Table.Td>{f(r.observed)}</Table.Td>
                    <Table.Td>{f(r.expected)}</Table.Td>
                    <Table.Td>{f(typeof r.extra.ratio === 'number' ? r.extra.ratio : null)}</Table.Td>
                    <Table.Td>{typeof r.extra.p === 'number' ? r.extra.p.toExponential(2) : '—'}</Table.Td>
                    <Table.Td>
                      {qOf(r).toExponential(2)}{' '}
                      {qOf(r) < PAIR_ALPHA && (
                        <Badge color="red" variant="light">
                          {t('analytics.pairs.significant')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Anchor component="button" size="sm" onClick={() => setRows(r)}>
                        {t('analytics.people.showRows')}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </>
      )}
      {rows && versionId && (
        <RowsBehind
          key={rows.subjectId}
          versionId={versionId}
          query={{
            officer: rows.officerId,
            declarant: rows.declarantId,
            indicator: 'I10',
            from: run?.periodFrom,
            to: run?.periodTo,
          }}
          title={t('analytics.people.rowsTitle', { what: rows.subjectId })}
        />
      )}
    </Stack>
  );
}
