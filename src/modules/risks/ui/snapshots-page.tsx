import { Badge, Button, Container, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useCan } from '../../../web/session';
import { Chart } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { Section } from '../../../web/ui-kit/section';
import { risksKey, useSettings, useSnapshots, useTrend } from './queries';
import { RisksSubnav } from './register-page';

export function SnapshotsPage(): ReactNode {
  return (
    <RequirePermission permission="risks.read">
      <Snapshots />
    </RequirePermission>
  );
}

function Snapshots(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const canManage = useCan('risks.manage');
  const qc = useQueryClient();
  const snapshots = useSnapshots();
  const settings = useSettings();
  const [label, setLabel] = useState('');
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const take = useMutation({
    mutationFn: () => api.post('/api/risks/snapshots', { label: label.trim() }),
    onSuccess: async () => {
      setLabel('');
      await qc.invalidateQueries({ queryKey: risksKey });
    },
  });
  const items = snapshots.data?.items ?? [];
  const chrono = [...items].reverse();
  const a = from ?? chrono.at(-2)?.id ?? null;
  const b = to ?? chrono.at(-1)?.id ?? null;
  const trend = useTrend(a, b);
  const levels = settings.data?.view.levels ?? [];
  const levelName = (id: string) => levels.find((l) => l.id === id)?.label ?? id;
  return (
    <Container size="xl" px={0}>
      <RisksSubnav />
      <PageHeader title={t('risks.snapshots')} description={t('risks.snapshotsIntro')} />
      <Stack gap="md">
        {canManage && (
          <Group align="end">
            <TextInput
              label={t('risks.snapshotLabel')}
              placeholder={t('risks.snapshotPlaceholder')}
              value={label}
              onChange={(e) => setLabel(e.currentTarget.value)}
              w={300}
            />
            <Button
              onClick={() => take.mutate()}
              disabled={!label.trim()}
              loading={take.isPending}
              data-testid="snapshot-take"
            >
              {t('risks.takeSnapshot')}
            </Button>
          </Group>
        )}
        <ProblemAlert error={take.error} />
        {snapshots.isPending ? (
          <PageLoader />
        ) : snapshots.isError ? (
          <QueryError error={snapshots.error} />
        ) : items.length === 0 ? (
          <Text c="dimmed">{t('risks.noSnapshots')}</Text>
        ) : (
          <>
            <Section title={t('risks.trendChart')}>
              <Chart
                label={t('risks.trendChartLabel')}
                option={{
                  tooltip: { trigger: 'axis' },
                  legend: { top: 0 },
                  grid: { top: 36, left: 40, right: 16, bottom: 30 },
                  xAxis: { type: 'category', data: chrono.map((s) => s.label) },
                  yAxis: { type: 'value', minInterval: 1 },
                  series: levels.map((l) => ({
                    name: l.label,
                    type: 'bar',
                    stack: 'residual',
                    itemStyle: { color: l.color },
                    data: chrono.map((s) => s.residual[l.id] ?? 0),
                  })),
                }}
              />
            </Section>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('risks.snapshotLabel')}</Table.Th>
                  <Table.Th scope="col">{t('risks.takenOn')}</Table.Th>
                  <Table.Th scope="col">{t('risks.riskCount')}</Table.Th>
                  <Table.Th scope="col">{t('risks.residual')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>{s.label}</Table.Td>
                    <Table.Td>{f.dateTime(s.createdAt)}</Table.Td>
                    <Table.Td>{s.riskCount}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {levels.map((l) => (
                          <Badge key={l.id} variant="light" styles={{ root: { textTransform: 'none' } }}>
                            {l.label}: {s.residual[l.id] ?? 0}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {items.length >= 2 && (
              <Section title={t('risks.compare')}>
                <Group>
                  <Select
                    label={t('risks.from')}
                    data={chrono.map((s) => ({ value: s.id, label: s.label }))}
                    value={a}
                    onChange={setFrom}
                    allowDeselect={false}
                  />
                  <Select
                    label={t('risks.to')}
                    data={chrono.map((s) => ({ value: s.id, label: s.label }))}
                    value={b}
                    onChange={setTo}
                    allowDeselect={false}
                  />
                </Group>
                {trend.isError && <ProblemAlert error={trend.error} />}
                {trend.data && (
                  <Stack gap="xs">
                    <Text fw={600}>{t('risks.moved', { n: trend.data.moved.length })}</Text>
                    {trend.data.moved.map((m) => (
                      <Text key={m.id} size="sm">
                        {m.direction === 'up' ? '▲' : '▼'} {m.ref} · {m.title}: {levelName(m.fromLevel)} →{' '}
                        {levelName(m.toLevel)}
                      </Text>
                    ))}
                    <Text fw={600}>{t('risks.added', { n: trend.data.added.length })}</Text>
                    {trend.data.added.map((m) => (
                      <Text key={m.id} size="sm">
                        + {m.ref} · {m.title}
                      </Text>
                    ))}
                    <Text fw={600}>{t('risks.closedCount', { n: trend.data.closed.length })}</Text>
                    {trend.data.closed.map((m) => (
                      <Text key={m.id} size="sm">
                        − {m.ref} · {m.title}
                      </Text>
                    ))}
                  </Stack>
                )}
              </Section>
            )}
          </>
        )}
      </Stack>
    </Container>
  );
}
