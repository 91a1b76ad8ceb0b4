import { ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api } from '../../../web/api';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { QueryError } from '../../../web/ui-kit/page-state';
import type * as C from '../analytics.contract';
import { useCatalogue, useFormat } from './bits';

type Row = z.infer<typeof C.SubstantiationRow>;

/** The parts a stacked bar shows for an indicator's alerts, in order (each a count). */
const PARTS = [
  'substantiated',
  'notSubstantiated',
  'caseOpen',
  'withheld',
  'riskMap',
  'dismissed',
  'pending',
] as const;
const COLOURS: Record<(typeof PARTS)[number], string> = {
  substantiated: '#c92a2a',
  notSubstantiated: '#868e96',
  caseOpen: '#f08c00',
  withheld: '#0c8599',
  riskMap: '#7048e8',
  dismissed: '#ced4da',
  pending: '#1971c2',
};
/**
 * A suppressed outcome count is drawn as no bar (never as a guess); the escalated alerts whose
 * outcome is withheld are one bar together — at least two cells, so no single one is told.
 */
const parts = (r: Row): Record<(typeof PARTS)[number], number | null> => ({
  substantiated: r.substantiated,
  notSubstantiated: r.notSubstantiated,
  caseOpen: r.caseOpen,
  withheld: r.escalated - (r.substantiated ?? 0) - (r.notSubstantiated ?? 0) - (r.caseOpen ?? 0) || null,
  riskMap: r.riskMap,
  dismissed: r.dismissed,
  pending: r.raised - r.triaged,
});

/**
 * Per indicator: how triage decided its alerts and, of the escalated ones whose case is closed,
 * how many were substantiated — the counts beside the share and its 95 % interval, so that one
 * case of one is not read as a rate.
 */
export function Substantiation(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const catalogue = useCatalogue();
  const q = useQuery({
    queryKey: ['analytics', 'alerts', 'substantiation'],
    queryFn: () => api.get<z.infer<typeof C.Substantiation>>('/api/analytics/alerts/substantiation'),
  });
  if (q.isError) return <QueryError error={q.error} onRetry={() => q.refetch()} />;
  if (!q.data) return null;
  const rows = q.data.items.filter((r) => r.raised > 0);
  const withheld = t('analytics.substantiation.withheld');
  const count = (n: number | null) => (n === null ? withheld : n);
  const name = (id: string) => catalogue.data?.items.find((i) => i.id === id)?.name ?? '';
  const option: ChartOption = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, itemGap: 32 },
    grid: { left: 8, right: 24, top: 72, bottom: 32, containLabel: true },
    xAxis: {
      type: 'value',
      minInterval: 1,
      name: t('analytics.substantiation.alertsAxis'),
      nameLocation: 'middle',
      nameGap: 28,
    },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.indicatorId) },
    series: PARTS.map((p) => ({
      name: t(`analytics.substantiation.part.${p}`),
      type: 'bar',
      stack: 'alerts',
      color: COLOURS[p],
      data: rows.map((r) => parts(r)[p]),
    })),
  };
  return (
    <Stack component="section" aria-labelledby="substantiation" gap="xs" data-testid="substantiation">
      <Title order={2} id="substantiation">
        {t('analytics.substantiation.title')}
      </Title>
      <Text size="sm">{t('analytics.substantiation.intro')}</Text>
      {rows.some((r) => r.suppressed) && (
        <Text size="sm" data-testid="substantiation-suppressed">
          {t('analytics.substantiation.suppressedNote', { min: q.data.minCell })}
        </Text>
      )}
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('analytics.substantiation.none')}
        </Text>
      ) : (
        <>
          <Chart
            option={option}
            label={t('analytics.substantiation.chartLabel')}
            height={124 + 36 * rows.length}
          />
          <ScrollArea viewportProps={{ tabIndex: 0 }}>
            <Table striped aria-labelledby="substantiation">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('analytics.funnel.indicator')}</Table.Th>
                  <Table.Th>{t('analytics.substantiation.col.raised')}</Table.Th>
                  <Table.Th>{t('analytics.substantiation.col.triaged')}</Table.Th>
                  <Table.Th>{t('analytics.substantiation.col.escalated')}</Table.Th>
                  <Table.Th>{t('analytics.substantiation.col.casesClosed')}</Table.Th>
                  <Table.Th>{t('analytics.substantiation.col.substantiated')}</Table.Th>
                  <Table.Th>{t('analytics.substantiation.col.share')}</Table.Th>
                  <Table.Th>{t('analytics.substantiation.col.riskMap')}</Table.Th>
                  <Table.Th>{t('analytics.substantiation.col.riskMapOpen')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.indicatorId} data-testid={`substantiation-${r.indicatorId}`}>
                    <Table.Td>
                      {r.indicatorId} · {name(r.indicatorId)}
                    </Table.Td>
                    <Table.Td>{r.raised}</Table.Td>
                    <Table.Td>{r.triaged}</Table.Td>
                    <Table.Td>{r.escalated}</Table.Td>
                    <Table.Td>{count(r.casesClosed)}</Table.Td>
                    <Table.Td>{count(r.substantiated)}</Table.Td>
                    <Table.Td>
                      {r.suppressed
                        ? withheld
                        : r.share === null
                          ? t('analytics.substantiation.noneClosed')
                          : t('analytics.substantiation.shareValue', {
                              share: f(r.share, 'share'),
                              low: f(r.shareLow, 'share'),
                              high: f(r.shareHigh, 'share'),
                            })}
                    </Table.Td>
                    <Table.Td>{r.riskMap}</Table.Td>
                    <Table.Td>{r.riskMapOpen}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </>
      )}
    </Stack>
  );
}
