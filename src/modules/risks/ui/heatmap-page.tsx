import { Container, Grid, Group, Select, Stack, Table, Text } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../../web/ui-kit/links';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { Section } from '../../../web/ui-kit/section';
import { HeatGrid, LevelLegend, RatingBadge } from './bits';
import { useHeatmap, usePeople, useProcesses, useRisks, useSnapshots } from './queries';
import { RisksSubnav } from './register-page';

export function HeatmapPage(): ReactNode {
  return (
    <RequirePermission permission="risks.read">
      <Heatmaps />
    </RequirePermission>
  );
}

type Sel = { likelihood: number; impact: number; kind: 'inherent' | 'residual' };

function Heatmaps(): ReactNode {
  const { t } = useTranslation();
  const [f, setF] = useState<{
    processId: string | null;
    factor: number | null;
    orgUnitId: string | null;
    snapshotId: string | null;
  }>({
    processId: null,
    factor: null,
    orgUnitId: null,
    snapshotId: null,
  });
  const [sel, setSel] = useState<Sel | null>(null);
  const map = useHeatmap(f);
  const processes = useProcesses();
  const people = usePeople();
  const snapshots = useSnapshots();
  const risks = useRisks({});
  const cell = sel && map.data?.cells.find((c) => c.likelihood === sel.likelihood && c.impact === sel.impact);
  const ids = cell ? (sel.kind === 'inherent' ? cell.inherentRiskIds : cell.residualRiskIds) : [];
  const listed = (risks.data?.items ?? []).filter((r) => ids.includes(r.id));
  return (
    <Container size="xl" px={0}>
      <RisksSubnav />
      <PageHeader title={t('risks.heatmaps')} description={t('risks.heatmap.intro')} />
      <Stack gap="md">
        <Group gap="sm" align="end" wrap="wrap">
          <Select
            label={t('risks.field.process')}
            placeholder={t('risks.all')}
            clearable
            searchable
            w={220}
            data={(processes.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
            value={f.processId}
            onChange={(v) => setF((x) => ({ ...x, processId: v }))}
          />
          <Select
            label={t('risks.field.factor')}
            placeholder={t('risks.all')}
            clearable
            w={140}
            data={Array.from({ length: 10 }, (_, i) => ({
              value: String(i + 1),
              label: t('risks.factorN', { n: i + 1 }),
            }))}
            value={f.factor ? String(f.factor) : null}
            onChange={(v) => setF((x) => ({ ...x, factor: v ? Number(v) : null }))}
          />
          <Select
            label={t('risks.field.orgUnit')}
            placeholder={t('risks.all')}
            clearable
            w={200}
            data={(people.data?.units ?? []).map((u) => ({ value: u.id, label: u.name }))}
            value={f.orgUnitId}
            onChange={(v) => setF((x) => ({ ...x, orgUnitId: v }))}
          />
          <Select
            label={t('risks.snapshot')}
            placeholder={t('risks.currentRegister')}
            clearable
            w={240}
            data={(snapshots.data?.items ?? []).map((s) => ({ value: s.id, label: s.label }))}
            value={f.snapshotId}
            onChange={(v) => {
              setSel(null);
              setF((x) => ({ ...x, snapshotId: v }));
            }}
          />
        </Group>
        {map.isPending ? (
          <PageLoader />
        ) : map.isError ? (
          <QueryError error={map.error} onRetry={() => map.refetch()} />
        ) : (
          <>
            <LevelLegend levels={map.data.levels} />
            <Text size="sm" c="dimmed">
              {t('risks.heatmap.total', { n: map.data.total })}
            </Text>
            <Grid>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <HeatGrid
                  map={map.data}
                  kind="inherent"
                  title={t('risks.inherent')}
                  selected={sel}
                  onSelect={setSel}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <HeatGrid
                  map={map.data}
                  kind="residual"
                  title={t('risks.residual')}
                  selected={sel}
                  onSelect={setSel}
                />
              </Grid.Col>
            </Grid>
            {sel && cell && (
              <Section
                title={t('risks.heatmap.cellTitle', {
                  kind: t(`risks.${sel.kind}`),
                  l: sel.likelihood,
                  i: sel.impact,
                  count: ids.length,
                })}
              >
                {ids.length === 0 ? (
                  <Text c="dimmed">{t('risks.heatmap.emptyCell')}</Text>
                ) : (
                  <Table data-testid="heatmap-cell-risks">
                    <Table.Tbody>
                      {listed.map((r) => (
                        <Table.Tr key={r.id}>
                          <Table.Td ff="monospace">{r.ref}</Table.Td>
                          <Table.Td>
                            <AnchorLink to="/risks/$id" params={{ id: r.id }}>
                              {r.title}
                            </AnchorLink>
                          </Table.Td>
                          <Table.Td>{r.process}</Table.Td>
                          <Table.Td>
                            <RatingBadge rating={r.residual} />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                      {ids.length > listed.length && (
                        <Table.Tr>
                          <Table.Td colSpan={4}>
                            <Text size="sm" c="dimmed">
                              {t('risks.heatmap.notInRegister', { n: ids.length - listed.length })}
                            </Text>
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Table.Tbody>
                  </Table>
                )}
              </Section>
            )}
          </>
        )}
      </Stack>
    </Container>
  );
}
