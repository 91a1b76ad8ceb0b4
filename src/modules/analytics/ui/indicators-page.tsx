import { Badge, Code, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, type Items } from '../../../web/api';
import { AnchorLink } from '../../../web/ui-kit/links';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import type * as C from '../analytics.contract';
import { Substantiation } from './substantiation';
import {
  declarationVersions,
  type IndicatorDef,
  useCatalogue,
  useDatasets,
  useRuns,
  VersionSelect,
} from './bits';

type SummaryRow = z.infer<typeof C.RunSummaryRow>;
const FUNNEL_KINDS = new Set(['funnel', 'hhi']);

/** The indicator catalogue grouped by RAD key factor, with the latest run's results of a version. */
export function IndicatorsPage(): ReactNode {
  const { t } = useTranslation();
  const datasets = useDatasets();
  const catalogue = useCatalogue();
  const [picked, setPicked] = useState<string | null>(null);
  const versionId = picked ?? declarationVersions(datasets.data?.items ?? [])[0]?.value ?? null;
  const runs = useRuns(versionId);
  const run = runs.data?.items.find((r) => r.status === 'done');
  const summary = useQuery({
    queryKey: ['analytics', 'summary', run?.id],
    enabled: !!run,
    queryFn: () => api.get<Items<SummaryRow>>(`/api/analytics/runs/${run?.id}/summary`),
  });
  if (datasets.isPending || catalogue.isPending) return <PageLoader />;
  if (datasets.isError) return <QueryError error={datasets.error} onRetry={() => datasets.refetch()} />;
  if (catalogue.isError) return <QueryError error={catalogue.error} onRetry={() => catalogue.refetch()} />;
  const byFactor = new Map<number, IndicatorDef[]>();
  for (const i of catalogue.data.items) byFactor.set(i.radFactor, [...(byFactor.get(i.radFactor) ?? []), i]);
  const counts = new Map((summary.data?.items ?? []).map((s) => [s.indicatorId, s]));
  return (
    <Stack gap="lg">
      <PageHeader
        title={t('analytics.dashboard.title')}
        description={t('analytics.dashboard.intro')}
        crumbs={[{ label: t('analytics.title'), to: '/analytics' }]}
      />
      <VersionSelect datasets={datasets.data.items} value={versionId} onChange={setPicked} />
      {versionId && !run && runs.isSuccess && <Text size="sm">{t('analytics.funnel.none')}</Text>}
      {[...byFactor.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([factor, items]) => (
          <Stack key={factor} component="section" aria-labelledby={`rad-${factor}`} gap="xs">
            <Title order={2} id={`rad-${factor}`}>
              {t('analytics.dashboard.factor', {
                n: factor,
                name: t(`analytics.rad.f${factor}` as 'analytics.rad.f1', { defaultValue: '' }),
              })}
            </Title>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('analytics.funnel.indicator')}</Table.Th>
                  <Table.Th>{t('analytics.dashboard.definition')}</Table.Th>
                  <Table.Th>{t('analytics.dashboard.subjects')}</Table.Th>
                  <Table.Th>{t('analytics.dashboard.outside95')}</Table.Th>
                  <Table.Th>{t('analytics.dashboard.outside998')}</Table.Th>
                  <Table.Th>{t('analytics.alerts.title')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((i) => {
                  const c = counts.get(i.id);
                  return (
                    <Table.Tr key={i.id} id={i.id} data-testid={`indicator-${i.id}`}>
                      <Table.Td>
                        <Text fw={600} size="sm">
                          {i.id} · {i.name}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {i.description}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <details>
                          <summary>
                            <Text span size="xs">
                              {t('analytics.funnel.definition', { version: i.version, source: i.source })}
                            </Text>
                          </summary>
                          <Code block fz="xs" style={{ whiteSpace: 'pre-wrap' }}>
                            {Object.entries(i.formula)
                              .map(([k, v]) => `${k}: ${v}`)
                              .join('\n')}
                          </Code>
                        </details>
                      </Table.Td>
                      <Table.Td>{c?.subjects ?? '—'}</Table.Td>
                      <Table.Td>{c ? c.outside95 : '—'}</Table.Td>
                      <Table.Td>
                        {c ? (
                          <Badge variant="light" color={c.outside998 > 0 ? 'red' : 'gray'}>
                            {c.outside998}
                          </Badge>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                      <Table.Td>{c?.alerts ?? '—'}</Table.Td>
                      <Table.Td>
                        {FUNNEL_KINDS.has(i.kind) && versionId && (
                          <AnchorLink
                            to="/analytics"
                            search={{ version: versionId, indicator: i.id } as never}
                            size="sm"
                          >
                            {t('analytics.dashboard.funnel')}
                          </AnchorLink>
                        )}
                        {i.kind === 'pairs' && (
                          <AnchorLink to="/analytics/pairs" size="sm">
                            {t('analytics.pairs.open')}
                          </AnchorLink>
                        )}
                        {i.kind === 'mirror' && (
                          <AnchorLink to="/analytics/mirror" size="sm">
                            {t('analytics.mirror.nav')}
                          </AnchorLink>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Stack>
        ))}
      <Substantiation />
    </Stack>
  );
}
