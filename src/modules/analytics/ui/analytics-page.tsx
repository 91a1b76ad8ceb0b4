import {
  Alert as Notice,
  Anchor,
  Badge,
  Button,
  Group,
  Progress,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import type { z } from 'zod';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../../web/session';
import { api, errorMessage, type Items } from '../../../web/api';
import { Chart } from '../../../web/ui-kit/chart';
import { AnchorLink } from '../../../web/ui-kit/links';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import type * as C from '../analytics.contract';
import { ExpectationNote, ModelProgress } from './bits';
import { ImportWizard } from './import-wizard';

type Dataset = z.infer<typeof C.Dataset>;
type Run = z.infer<typeof C.Run>;
type Result = z.infer<typeof C.Result>;
type Alert = z.infer<typeof C.Alert>;
type IndicatorDef = z.infer<typeof C.IndicatorDef>;

const FUNNELS = ['I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7', 'I8', 'I9', 'I11'];

/** Datasets and the import wizard, the funnel plot of a run, and the alert inbox. */
export function AnalyticsPage(): ReactNode {
  const { t } = useTranslation();
  const datasets = useQuery({
    queryKey: ['analytics', 'datasets'],
    queryFn: () => api.get<Items<Dataset>>('/api/analytics/datasets'),
  });
  if (datasets.isPending) return <PageLoader />;
  if (datasets.isError) return <QueryError error={datasets.error} onRetry={() => datasets.refetch()} />;
  return (
    <Stack gap="xl">
      <PageHeader title={t('analytics.title')} description={t('analytics.intro')} />
      <Group gap="lg">
        <AnchorLink to="/analytics/indicators">{t('analytics.dashboard.open')}</AnchorLink>
        <AnchorLink to="/analytics/pairs">{t('analytics.pairs.open')}</AnchorLink>
        <AnchorLink to="/analytics/mirror">{t('analytics.mirror.open')}</AnchorLink>
      </Group>
      <Datasets items={datasets.data.items} />
      <Funnel datasets={datasets.data.items} />
      <Inbox />
    </Stack>
  );
}

/** The wizard goes on with a staged upload (the version's status says which step). */
const STAGED = ['uploaded', 'validating', 'validated', 'pending', 'importing'];

function Datasets({ items }: { items: Dataset[] }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'declarations' | 'trade' | 'duty_rates'>('declarations');
  const [wizardVersion, setWizardVersion] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => api.post<Dataset>('/api/analytics/datasets', { name, kind }),
    onSuccess: (d) => {
      setName('');
      setCreated(d.id);
      qc.invalidateQueries({ queryKey: ['analytics', 'datasets'] });
    },
  });
  return (
    <Stack component="section" aria-labelledby="analytics-datasets">
      <Title order={2} id="analytics-datasets">
        {t('analytics.datasets.title')}
      </Title>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('analytics.datasets.name')}</Table.Th>
            <Table.Th>{t('analytics.datasets.kind')}</Table.Th>
            <Table.Th>{t('analytics.datasets.version')}</Table.Th>
            <Table.Th>{t('analytics.datasets.status')}</Table.Th>
            <Table.Th>{t('analytics.datasets.rows')}</Table.Th>
            <Table.Th>{t('analytics.wizard.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.flatMap((d) =>
            (d.versions.length ? d.versions : [null]).map((v) => (
              <Table.Tr key={`${d.id}-${v?.id ?? 'none'}`}>
                <Table.Td>{d.name}</Table.Td>
                <Table.Td>
                  {t(`analytics.kind.${d.kind as 'declarations' | 'trade' | 'duty_rates'}`)}
                </Table.Td>
                <Table.Td>{v ? `${v.number} · ${v.sourceName}` : '—'}</Table.Td>
                <Table.Td>
                  {/* max-content: a narrow cell would otherwise cut the status ("IMPO…" in French). */}
                  {v ? (
                    <Badge variant="light" miw="max-content">
                      {t(`analytics.status.${v.status}`)}
                    </Badge>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  {v?.rowCount != null
                    ? t('analytics.datasets.rowCounts', {
                        valid:
                          v.status === 'validated'
                            ? t('analytics.import.validRows', { count: v.validRows ?? 0 })
                            : t('analytics.datasets.importedRows', { count: v.validRows ?? 0 }),
                        rejected: t('analytics.datasets.rejectedRows', { count: v.rejectedRows ?? 0 }),
                      })
                    : null}
                </Table.Td>
                <Table.Td>
                  {v && STAGED.includes(v.status) && v.id !== wizardVersion && (
                    <Button size="compact-xs" variant="default" onClick={() => setWizardVersion(v.id)}>
                      {t('analytics.wizard.continue')}
                    </Button>
                  )}
                  {v?.status === 'imported' && (v.rejectedRows ?? 0) > 0 && (
                    <Anchor href={`/api/analytics/versions/${v.id}/rejects`} download size="sm">
                      {t('analytics.wizard.rejectsLink', { count: v.rejectedRows ?? 0 })}
                    </Anchor>
                  )}
                </Table.Td>
              </Table.Tr>
            )),
          )}
        </Table.Tbody>
      </Table>
      <Group align="end">
        <TextInput
          label={t('analytics.datasets.new')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <SegmentedControl
          aria-label={t('analytics.datasets.kind')}
          value={kind}
          onChange={(v) => setKind(v as typeof kind)}
          data={(['declarations', 'trade', 'duty_rates'] as const).map((k) => ({
            value: k,
            label: t(`analytics.kind.${k}`),
          }))}
        />
        <Button
          variant="default"
          disabled={!name.trim()}
          loading={create.isPending}
          onClick={() => create.mutate()}
        >
          {t('analytics.datasets.create')}
        </Button>
      </Group>
      <ImportWizard
        datasets={items}
        datasetId={created}
        versionId={wizardVersion}
        onVersion={setWizardVersion}
      />
    </Stack>
  );
}

function Funnel({ datasets }: { datasets: Dataset[] }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const versions = datasets
    .filter((d) => d.kind === 'declarations')
    .flatMap((d) =>
      d.versions
        .filter((v) => v.status === 'imported')
        .map((v) => ({ value: v.id, label: `${d.name} · ${v.number}` })),
    );
  const search = useSearch({ strict: false }) as { version?: string; indicator?: string };
  const navigate = useNavigate();
  const [picked, setVersionId] = useState<string | null>(
    versions.find((v) => v.value === search.version)?.value ?? null,
  );
  // The first imported version until one is picked (it appears after the first import).
  const versionId = picked ?? versions[0]?.value ?? null;
  const [indicator, setIndicator] = useState<string | null>(
    search.indicator && FUNNELS.includes(search.indicator) ? search.indicator : 'I1',
  );
  const catalogue = useQuery({
    queryKey: ['analytics', 'indicators'],
    queryFn: () => api.get<Items<IndicatorDef>>('/api/analytics/indicators'),
  });
  const runs = useQuery({
    queryKey: ['analytics', 'runs', versionId],
    enabled: !!versionId,
    queryFn: () => api.get<Items<Run>>(`/api/analytics/runs?datasetVersionId=${versionId}`),
    refetchInterval: (q) =>
      q.state.data?.items.some((r) => r.status === 'pending' || r.status === 'running') ? 1500 : false,
  });
  const run = runs.data?.items.find((r) => r.status === 'done');
  // A run that finishes raises alerts: the inbox below reloads.
  useEffect(() => {
    if (run?.id) void qc.invalidateQueries({ queryKey: ['analytics', 'alerts'] });
  }, [run?.id, qc]);
  const results = useQuery({
    queryKey: ['analytics', 'results', run?.id, indicator],
    enabled: !!run && !!indicator,
    queryFn: () => api.get<Items<Result>>(`/api/analytics/runs/${run?.id}/results?indicator=${indicator}`),
  });
  const start = useMutation({
    mutationFn: () => api.post<Run>('/api/analytics/runs', { datasetVersionId: versionId }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['analytics'] }),
  });
  const def = catalogue.data?.items.find((i) => i.id === indicator);
  const { option, points } = useMemo(
    () =>
      funnelOption(results.data?.items ?? [], {
        observed: t('analytics.funnel.observed'),
        limit95: t('analytics.funnel.limit95'),
        limit998: t('analytics.funnel.limit998'),
        n: t('analytics.funnel.n'),
      }),
    [results.data, t],
  );
  return (
    <Stack component="section" aria-labelledby="analytics-funnel">
      <Title order={2} id="analytics-funnel">
        {t('analytics.funnel.title')}
      </Title>
      <Group align="end" wrap="wrap">
        <Select
          data-testid="version-select"
          label={t('analytics.funnel.version')}
          data={versions}
          value={versionId}
          onChange={setVersionId}
        />
        <Select
          data-testid="funnel-indicator"
          label={t('analytics.funnel.indicator')}
          data={FUNNELS.map((id) => ({
            value: id,
            label: `${id} · ${catalogue.data?.items.find((i) => i.id === id)?.name ?? ''}`,
          }))}
          value={indicator}
          onChange={setIndicator}
        />
        <Button
          variant="default"
          disabled={!versionId}
          loading={start.isPending}
          onClick={() => start.mutate()}
        >
          {t('analytics.funnel.run')}
        </Button>
      </Group>
      {def && (
        <Text size="sm" c="dimmed">
          {def.description} ({t('analytics.funnel.definition', { version: def.version, source: def.source })})
        </Text>
      )}
      {runs.data?.items.some((r) => r.status === 'pending' || r.status === 'running') && (
        <Progress value={100} animated aria-label={t('analytics.funnel.running')} />
      )}
      <ModelProgress runs={runs.data?.items} />
      {run && results.data && (
        <>
          <ExpectationNote run={run} results={results.data.items} />
          <Chart
            option={option}
            label={t('analytics.funnel.label', { indicator: def?.name ?? indicator })}
            height={360}
            onItemClick={(x) => {
              const p = x.seriesIndex === 0 ? points[x.dataIndex] : undefined;
              if (p && versionId)
                navigate({
                  to: '/analytics/versions/$versionId/officers/$officerId',
                  params: { versionId, officerId: p.subjectId },
                });
            }}
          />
          <Text size="xs" c="dimmed">
            {t('analytics.funnel.clickHint')}
          </Text>
          <Group gap="xs" data-testid="funnel-officers">
            {points
              .filter((p) =>
                def?.direction === 'higher_better'
                  ? p.lower998 != null && p.observed < p.lower998
                  : p.upper998 != null && p.observed > p.upper998,
              )
              .map((p) =>
                versionId ? (
                  <AnchorLink
                    key={p.subjectId}
                    size="sm"
                    to="/analytics/versions/$versionId/officers/$officerId"
                    params={{ versionId, officerId: p.subjectId }}
                  >
                    {t('analytics.funnel.outsideOfficer', { officer: p.subjectId })}
                  </AnchorLink>
                ) : null,
              )}
          </Group>
        </>
      )}
      {!run && <Text size="sm">{t('analytics.funnel.none')}</Text>}
    </Stack>
  );
}

function funnelOption(rows: Result[], l: { observed: string; limit95: string; limit998: string; n: string }) {
  const sorted = [...rows].filter((r) => r.upper998 != null).sort((a, b) => a.n - b.n);
  const line = (name: string, pick: (r: Result) => number | null, dashed: boolean) => ({
    name,
    type: 'line',
    showSymbol: false,
    lineStyle: { type: dashed ? 'dashed' : 'solid', width: 1 },
    data: sorted.map((r) => [r.n, pick(r)]),
  });
  return {
    points: sorted,
    option: {
      tooltip: { trigger: 'item' },
      legend: {},
      xAxis: { type: 'value', name: l.n },
      yAxis: { type: 'value' },
      series: [
        {
          name: l.observed,
          type: 'line',
          lineStyle: { width: 0 },
          symbolSize: 8,
          data: sorted.map((r) => ({ value: [r.n, r.observed], name: r.subjectId })),
        },
        line(l.limit95, (r) => r.upper95, true),
        line(`${l.limit95} `, (r) => r.lower95, true),
        line(l.limit998, (r) => r.upper998, false),
        line(`${l.limit998} `, (r) => r.lower998, false),
      ],
    },
  };
}

function Inbox(): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [status, setStatus] = useState('new');
  const [note, setNote] = useState('');
  // Adding to the risk map writes to the risk register: only for those who may edit it.
  const canMap = useCan('risks.manage');
  const alerts = useQuery({
    queryKey: ['analytics', 'alerts', status],
    queryFn: () => api.get<Items<Alert>>(`/api/analytics/alerts?status=${status}`),
  });
  const triage = useMutation({
    mutationFn: (x: { a: Alert; status: string }) =>
      api.patch<Alert>(`/api/analytics/alerts/${x.a.id}`, {
        status: x.status,
        version: x.a.version,
        ...(x.status === 'dismissed' ? { reason: note } : {}),
        ...((x.status === 'escalated' || x.status === 'risk_map') && note ? { reference: note } : {}),
      }),
    onSuccess: () => {
      setNote('');
      qc.invalidateQueries({ queryKey: ['analytics', 'alerts'] });
    },
  });
  return (
    <Stack component="section" aria-labelledby="analytics-alerts">
      <Title order={2} id="analytics-alerts">
        {t('analytics.alerts.title')}
      </Title>
      <SegmentedControl
        aria-label={t('analytics.datasets.status')}
        value={status}
        onChange={setStatus}
        data={(['new', 'under_review', 'dismissed', 'escalated', 'risk_map'] as const).map((s) => ({
          value: s,
          label: t(`analytics.alertStatus.${s}`),
        }))}
      />
      <TextInput
        label={t('analytics.alerts.note')}
        description={t('analytics.alerts.noteHelp')}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
      />
      {triage.isError && <Notice color="red">{errorMessage(triage.error)}</Notice>}
      {alerts.isError && <QueryError error={alerts.error} onRetry={() => alerts.refetch()} />}
      {alerts.data?.items.length === 0 && <Text size="sm">{t('analytics.alerts.none')}</Text>}
      {alerts.data?.items.map((a) => (
        <Notice
          key={a.id}
          title={
            <AnchorLink
              to="/analytics/alerts/$alertId"
              params={{ alertId: a.id }}
              fw={600}
              c="inherit"
              underline="always"
            >
              {`${a.indicatorId} · ${a.subjectId}`}
            </AnchorLink>
          }
          color={a.status === 'new' ? 'orange' : 'gray'}
        >
          <Stack gap={6}>
            <Text size="sm">{a.explanation}</Text>
            <Text size="xs" c="dimmed">
              {t('analytics.alerts.score', { score: a.score.toFixed(1) })}
              {a.reason ? ` · ${a.reason}` : ''}
              {a.reference ? ` · ${a.reference}` : ''}
            </Text>
            <Group gap="xs">
              {a.status === 'new' && (
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => triage.mutate({ a, status: 'under_review' })}
                >
                  {t('analytics.alerts.review')}
                </Button>
              )}
              {(a.status === 'new' || a.status === 'under_review') && (
                <>
                  <Button size="xs" onClick={() => triage.mutate({ a, status: 'escalated' })}>
                    {t('analytics.alerts.escalate')}
                  </Button>
                  {canMap && (
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => triage.mutate({ a, status: 'risk_map' })}
                    >
                      {t('analytics.alerts.riskMap')}
                    </Button>
                  )}
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    disabled={!note.trim()}
                    onClick={() => triage.mutate({ a, status: 'dismissed' })}
                  >
                    {t('analytics.alerts.dismiss')}
                  </Button>
                </>
              )}
            </Group>
          </Stack>
        </Notice>
      ))}
    </Stack>
  );
}
