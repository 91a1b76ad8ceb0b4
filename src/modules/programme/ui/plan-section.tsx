import {
  Badge,
  Button,
  Group,
  MultiSelect,
  Paper,
  Progress,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, request } from '../../../web/api';
import { ActualsChart } from './charts';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { SaveError } from '../../../web/ui-kit/save-error';
import type { Plan } from '../programme.plan';
import type { Consent } from '../programme.results';
import { BENCHMARK_STATUSES, type BenchmarkStatus } from '../programme.vocab';
import { EditButton, EditDialog, programmeKey, RemoveLine, useFigure } from './bits';
import { useRadFactors } from './records';
import { ConsentBadge } from './results-forms';

type PlanT = z.infer<typeof Plan>;
type KpiT = PlanT['kpis'][number];
type ConsentT = z.infer<typeof Consent>;

const BENCHMARK_COLOR: Record<BenchmarkStatus, string> = {
  planned: 'gray',
  in_progress: 'blue',
  achieved: 'teal',
  not_achieved: 'red',
};
const ACTION_STATUSES = ['not_started', 'in_progress', 'done', 'delayed', 'cancelled'] as const;
type ActionStatus = (typeof ACTION_STATUSES)[number];

/** A partnership's plan through `base` (the Secretariat's, the partner's or a donor's URL). */
const usePlan = (base: string, id: string) =>
  useQuery({
    queryKey: [...programmeKey, 'plan', base, id],
    queryFn: ({ signal }) => api.get<PlanT>(`${base}/${id}/plan`, { signal }),
  });

/**
 * A partnership's multi-annual plan, read through `base` (the Secretariat's, the partner's or a
 * donor's URL): its phases and benchmarks, its country KPIs with a chart each, and the shared
 * Integrity Action Plan's progress. The Secretariat edits it whole; the administration chooses
 * here which of its action plans it shares.
 */
export function PlanSection({ base, id, manage }: { base: string; id: string; manage: boolean }): ReactNode {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<string | null>(null);
  const plan = usePlan(base, id);
  if (plan.isPending) return <Text c="dimmed">{t('common.loading')}</Text>;
  if (plan.isError) return <ProblemAlert error={plan.error} />;
  const p = plan.data;
  const empty = p.phases.length === 0 && p.kpis.length === 0;
  return (
    <Stack gap="md" data-testid="programme-plan">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Title order={3} size="h5">
          {t('programme.plan.title')}
        </Title>
        {manage && (
          <EditButton
            of={t('programme.plan.titleOf', { name: p.organisation })}
            onClick={() => setEditing(p.partnershipId)}
            testId="programme-plan-edit"
          />
        )}
      </Group>
      {empty && <Text c="dimmed">{t('programme.plan.empty')}</Text>}
      {p.phases.map((ph, i) => (
        <PhaseBlock key={`${i}-${ph.label}`} phase={ph} />
      ))}
      {p.kpis.length > 0 && (
        <Stack gap="sm">
          <Title order={4} size="h6">
            {t('programme.plan.kpis')}
          </Title>
          {p.kpis.map((k, i) => (
            <KpiBlock key={`${i}-${k.name}`} kpi={k} />
          ))}
        </Stack>
      )}
      <ActionPlanProgress plan={p} />
      {p.shareable && <ActionPlanConsent shareable={p.shareable} />}
      {manage && (
        <EditDialog
          items={[{ ...p, id: p.partnershipId }]}
          editing={editing}
          onClose={() => setEditing(null)}
          title={(x) => t('programme.plan.titleOf', { name: x.organisation })}
          size="100%"
        >
          {(x) => <PlanForm plan={x} onSaved={() => setEditing(null)} onReload={() => plan.refetch()} />}
        </EditDialog>
      )}
    </Stack>
  );
}

const TALLY = [
  ['done', 'teal'],
  ['due', 'blue'],
  ['late', 'red'],
] as const;

/**
 * The plan's progress in brief, for the results page: each phase's benchmarks done, due and late
 * today (a bar and the counts), and each country KPI's baseline, target and latest actual.
 */
export function PlanProgress({ base, id }: { base: string; id: string }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const figure = useFigure();
  const plan = usePlan(base, id);
  const count = (k: (typeof TALLY)[number][0], n: number) =>
    t(k === 'due' ? 'programme.plan.dueCount' : `programme.plan.${k}`, { n });
  return (
    <Paper withBorder p="md" data-testid="programme-plan-progress">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('programme.plan.progress')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('programme.plan.progressIntro')}
        </Text>
        {plan.isPending ? (
          <Text c="dimmed">{t('common.loading')}</Text>
        ) : plan.isError ? (
          <ProblemAlert error={plan.error} />
        ) : plan.data.phases.length === 0 && plan.data.kpis.length === 0 ? (
          <Text c="dimmed">{t('programme.plan.empty')}</Text>
        ) : (
          <>
            {plan.data.phases.length > 0 && (
              <Table aria-label={t('programme.plan.phases')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('programme.plan.phaseLabel')}</Table.Th>
                    <Table.Th>{t('programme.plan.dates')}</Table.Th>
                    <Table.Th>{t('programme.plan.benchmarks')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {plan.data.phases.map((ph, i) => {
                    const total = ph.tally.done + ph.tally.due + ph.tally.late;
                    return (
                      <Table.Tr key={`${i}-${ph.label}`} data-testid="programme-plan-progress-phase">
                        <Table.Td>
                          <bdi>{ph.label}</bdi>
                        </Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>
                          {f.date(ph.startsOn)} – {f.date(ph.endsOn)}
                        </Table.Td>
                        <Table.Td>
                          <Stack gap={4}>
                            {total > 0 && (
                              <Progress.Root size="md" w={220}>
                                {TALLY.map(([k, color]) =>
                                  ph.tally[k] > 0 ? (
                                    <Progress.Section
                                      key={k}
                                      value={(100 * ph.tally[k]) / total}
                                      color={color}
                                      aria-label={count(k, ph.tally[k])}
                                    />
                                  ) : null,
                                )}
                              </Progress.Root>
                            )}
                            <Text size="xs" data-testid="programme-plan-progress-tally">
                              {TALLY.map(([k]) => count(k, ph.tally[k])).join(' · ')}
                            </Text>
                          </Stack>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            )}
            {plan.data.kpis.length > 0 && (
              <Table aria-label={t('programme.plan.kpis')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('programme.plan.kpiName')}</Table.Th>
                    <Table.Th>{t('programme.plan.baseline')}</Table.Th>
                    <Table.Th>{t('programme.plan.target')}</Table.Th>
                    <Table.Th>{t('programme.plan.latest')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {plan.data.kpis.map((k, i) => (
                    <Table.Tr key={`${i}-${k.name}`} data-testid="programme-plan-progress-kpi">
                      <Table.Td>
                        {k.name} ({k.unit})
                      </Table.Td>
                      <Table.Td>{figure(k.baseline)}</Table.Td>
                      <Table.Td>{figure(k.target)}</Table.Td>
                      <Table.Td>
                        {k.latest ? (
                          <>
                            {figure(k.latest.value)} (<bdi>{k.latest.periodLabel}</bdi>)
                          </>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}

function PhaseBlock({ phase }: { phase: PlanT['phases'][number] }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const factors = useRadFactors();
  return (
    <Stack gap={4} data-testid="programme-plan-phase">
      {/* Isolated: a label with digits beside dates is reordered right to left otherwise. */}
      <Text fw={600}>
        <bdi>{phase.label}</bdi> · {f.date(phase.startsOn)} – {f.date(phase.endsOn)}
      </Text>
      {phase.benchmarks.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('programme.plan.noBenchmarks')}
        </Text>
      ) : (
        <Table aria-label={t('programme.plan.benchmarksOf', { phase: phase.label })}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('programme.plan.benchmark')}</Table.Th>
              <Table.Th>{t('programme.plan.factor')}</Table.Th>
              <Table.Th>{t('programme.plan.due')}</Table.Th>
              <Table.Th>{t('programme.plan.status')}</Table.Th>
              <Table.Th>{t('programme.plan.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {phase.benchmarks.map((b, i) => (
              <Table.Tr key={`${i}-${b.title}`} data-testid="programme-plan-benchmark">
                <Table.Td>{b.title}</Table.Td>
                <Table.Td>{b.factor ? factors.name(b.factor) : '—'}</Table.Td>
                <Table.Td>{b.due ? f.date(b.due) : '—'}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {/* Whole words: a badge clips its label to the column's width otherwise. */}
                  <Badge
                    color={BENCHMARK_COLOR[b.status]}
                    variant="light"
                    styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}
                  >
                    {t(`programme.benchmarkStatus.${b.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {b.actions.length > 0 ? (
                    <Stack gap={0}>
                      {b.actions.map((a) => (
                        <Text size="xs" key={a.id}>
                          {a.ref} {a.objective} ·{' '}
                          {t(`programme.plan.actionStatus.${a.status as ActionStatus}`)}
                        </Text>
                      ))}
                    </Stack>
                  ) : b.actionIds.length > 0 ? (
                    // Linked, but the plan is not shared now: the count only, nothing of the actions.
                    <Text size="xs" c="dimmed">
                      {t('programme.plan.linkedHidden', { n: b.actionIds.length })}
                    </Text>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** A country KPI: baseline, target, the actual of each period, and a chart of them. */
function KpiBlock({ kpi: k }: { kpi: KpiT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const figure = useFigure();
  return (
    <Paper withBorder p="sm" data-testid="programme-plan-kpi">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text fw={600}>
          {k.name} ({k.unit})
        </Text>
        <Text size="sm">
          {t('programme.plan.baseline')}: {figure(k.baseline)} · {t('programme.plan.target')}:{' '}
          {figure(k.target)}
        </Text>
      </Group>
      {k.actuals.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('programme.plan.noActuals')}
        </Text>
      ) : (
        <Table aria-label={t('programme.plan.actualsOf', { name: k.name })}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('programme.plan.period')}</Table.Th>
              <Table.Th>{t('programme.plan.dates')}</Table.Th>
              <Table.Th>{t('programme.plan.value')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {k.actuals.map((a) => (
              <Table.Tr key={a.periodStart}>
                <Table.Td>{a.periodLabel}</Table.Td>
                <Table.Td>
                  {f.date(a.periodStart)} – {f.date(a.periodEnd)}
                </Table.Td>
                <Table.Td>{figure(a.value)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <KpiChart kpi={k} />
    </Paper>
  );
}

/** The actuals per period (bars) against the baseline and the target (lines). */
function KpiChart({ kpi: k }: { kpi: KpiT }): ReactNode {
  const { t } = useTranslation();
  return (
    <ActualsChart
      label={t('programme.plan.chartLabel', { name: k.name })}
      points={k.actuals.map((a) => ({ period: a.periodLabel, value: Number(a.value) }))}
      baseline={k.baseline}
      target={k.target}
      names={{
        actual: t('programme.plan.value'),
        baseline: t('programme.plan.baseline'),
        target: t('programme.plan.target'),
      }}
    />
  );
}

/** The shared Integrity Action Plan's progress, or why nothing of it shows. */
function ActionPlanProgress({ plan }: { plan: PlanT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const { status, progress } = plan.actionPlan;
  return (
    <Paper withBorder p="sm" data-testid="programme-plan-action-plan">
      <Stack gap={6}>
        <Text fw={600}>{t('programme.plan.actionPlan')}</Text>
        {status !== 'ok' || !progress ? (
          <Text size="sm" c="dimmed" data-testid="programme-plan-not-shared">
            {t(`programme.plan.shareStatus.${status === 'ok' ? 'no_plan' : status}`)}
          </Text>
        ) : (
          <>
            <Text size="sm">
              {t('programme.plan.sharedPlan', {
                title: progress.title,
                start: f.date(progress.horizonStart),
                end: f.date(progress.horizonEnd),
              })}
            </Text>
            <Group gap="sm" wrap="nowrap">
              <Progress
                value={progress.percentDone ?? 0}
                color="teal"
                style={{ flex: 1 }}
                aria-label={t('programme.plan.actionPlan')}
              />
              <Text size="sm" data-testid="programme-plan-percent">
                {progress.percentDone === null
                  ? t('programme.plan.noneCounted')
                  : t('programme.plan.percentDone', { percent: f.number(progress.percentDone) })}
              </Text>
            </Group>
            <Group gap="xs">
              <Text size="sm">{t('programme.plan.actionsTotal', { n: f.number(progress.total) })}</Text>
              {ACTION_STATUSES.map((s) => (
                <Badge
                  key={s}
                  variant="light"
                  color={s === 'done' ? 'teal' : s === 'delayed' ? 'red' : 'gray'}
                >
                  {t(`programme.plan.actionStatus.${s}`)}: {f.number(progress.byStatus[s] ?? 0)}
                </Badge>
              ))}
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * The administration shares one of its Integrity Action Plans with the programme, shares another
 * instead, or withdraws (consent scope action_plan, naming the plan).
 */
function ActionPlanConsent({ shareable }: { shareable: NonNullable<PlanT['shareable']> }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const consent = useQuery({
    queryKey: [...programmeKey, 'consent', 'action_plan'],
    queryFn: ({ signal }) => request<ConsentT>('/api/programme/consent?scope=action_plan', { signal }),
  });
  const c = consent.data;
  const [chosen, setChosen] = useState<string | null>(null);
  const planId = chosen ?? (c?.active ? c.planId : null) ?? shareable[0]?.id ?? null;
  const set = useMutation({
    mutationFn: (share: boolean) =>
      request<ConsentT>('/api/programme/consent', {
        method: 'PUT',
        body: share ? { share, scope: 'action_plan', planId } : { share, scope: 'action_plan' },
      }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.saved'));
    },
  });
  const sharedNow = c?.active ? shareable.find((x) => x.id === c.planId) : undefined;
  return (
    <Paper withBorder p="sm" data-testid="programme-consent-action_plan">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{t('programme.plan.share.title')}</Text>
          {c && <ConsentBadge consent={c} />}
        </Group>
        <Text size="sm">{t('programme.plan.share.intro')}</Text>
        {sharedNow && c?.grantedAt && (
          <Text size="sm" c="dimmed">
            {t('programme.plan.share.sharedNow', { title: sharedNow.title, date: f.date(c.grantedAt) })}
          </Text>
        )}
        {shareable.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('programme.plan.share.noPlans')}
          </Text>
        ) : (
          <Group align="flex-end">
            <Select
              label={t('programme.plan.share.choose')}
              data={shareable.map((x) => ({ value: x.id, label: x.title }))}
              value={planId}
              onChange={setChosen}
              allowDeselect={false}
              w={320}
              data-testid="programme-plan-share-choose"
            />
            <Button
              onClick={() => set.mutate(true)}
              loading={set.isPending}
              disabled={!planId || (c?.active && c.planId === planId)}
              data-testid="programme-consent-grant"
            >
              {t(c?.active ? 'programme.plan.share.switch' : 'programme.plan.share.grant')}
            </Button>
            {c?.active && (
              <Button
                color="red"
                variant="light"
                onClick={() => set.mutate(false)}
                loading={set.isPending}
                data-testid="programme-consent-withdraw"
              >
                {t('programme.consent.withdraw')}
              </Button>
            )}
          </Group>
        )}
        <ProblemAlert error={consent.error ?? set.error} />
      </Stack>
    </Paper>
  );
}

interface BenchmarkLine {
  title: string;
  factor: string | null;
  due: string;
  status: BenchmarkStatus;
  actionIds: string[];
}
interface PhaseLine {
  label: string;
  startsOn: string;
  endsOn: string;
  benchmarks: BenchmarkLine[];
}
interface ActualLine {
  periodLabel: string;
  periodStart: string;
  periodEnd: string;
  value: string;
}
interface KpiLine {
  name: string;
  unit: string;
  baseline: string;
  target: string;
  actuals: ActualLine[];
}

const blankBenchmark = (): BenchmarkLine => ({
  title: '',
  factor: null,
  due: '',
  status: 'planned',
  actionIds: [],
});
const blankActual = (): ActualLine => ({ periodLabel: '', periodStart: '', periodEnd: '', value: '' });

/** Replaces item i of a list with the change. */
const patch = <T,>(list: T[], i: number, change: Partial<T>): T[] =>
  list.map((x, k) => (k === i ? { ...x, ...change } : x));
const without = <T,>(list: T[], i: number): T[] => list.filter((_, k) => k !== i);

/**
 * The whole plan, saved at the version read. Lines are edited by their place in the list (phases,
 * benchmarks and KPIs have no id); the server checks the dates and says which line is wrong.
 */
function PlanForm({
  plan: p,
  onSaved,
  onReload,
}: {
  plan: PlanT;
  onSaved: () => void;
  onReload: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const factors = useRadFactors();
  const [phases, setPhases] = useState<PhaseLine[]>(
    p.phases.map((ph) => ({
      label: ph.label,
      startsOn: ph.startsOn,
      endsOn: ph.endsOn,
      benchmarks: ph.benchmarks.map((b) => ({
        title: b.title,
        factor: b.factor === null ? null : String(b.factor),
        due: b.due ?? '',
        status: b.status,
        actionIds: b.actionIds,
      })),
    })),
  );
  const [kpis, setKpis] = useState<KpiLine[]>(p.kpis);
  const shared = p.actionPlan.progress?.actions ?? [];
  const actionOptions = (ids: string[]) => [
    ...shared.map((a) => ({ value: a.id, label: `${a.ref} ${a.objective}` })),
    // Linked before the plan stopped being shared: kept, though nothing of it can be shown.
    ...ids
      .filter((id) => !shared.some((a) => a.id === id))
      .map((id) => ({ value: id, label: t('programme.plan.hiddenAction') })),
  ];
  // The change is read from the event now: an updater runs later, when React has let go of the event.
  const setPhase = (i: number, change: Partial<PhaseLine>) => setPhases((l) => patch(l, i, change));
  const setKpi = (i: number, change: Partial<KpiLine>) => setKpis((l) => patch(l, i, change));
  const setBenchmark = (i: number, j: number, change: Partial<BenchmarkLine>) =>
    setPhases((l) => patch(l, i, { benchmarks: patch(l[i]!.benchmarks, j, change) }));
  const setActual = (i: number, j: number, change: Partial<ActualLine>) =>
    setKpis((l) => patch(l, i, { actuals: patch(l[i]!.actuals, j, change) }));
  const save = useMutation({
    mutationFn: () =>
      request(`/api/programme/partnerships/${p.partnershipId}/plan`, {
        method: 'PUT',
        body: {
          version: p.version,
          phases: phases.map((ph) => ({
            label: ph.label.trim(),
            startsOn: ph.startsOn,
            endsOn: ph.endsOn,
            benchmarks: ph.benchmarks.map((b) => ({
              title: b.title.trim(),
              factor: b.factor ? Number(b.factor) : null,
              due: b.due || null,
              status: b.status,
              actionIds: b.actionIds,
            })),
          })),
          kpis: kpis.map((k) => ({
            name: k.name.trim(),
            unit: k.unit.trim(),
            baseline: k.baseline.trim(),
            target: k.target.trim(),
            actuals: k.actuals.map((a) => ({
              ...a,
              periodLabel: a.periodLabel.trim(),
              value: a.value.trim(),
            })),
          })),
        },
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.saved'));
      onSaved();
    },
  });
  return (
    <Stack data-testid="programme-plan-form">
      <Text size="sm" c="dimmed">
        {t('programme.plan.formHint')}
      </Text>
      <Title order={3} size="h5">
        {t('programme.plan.phases')}
      </Title>
      {phases.map((ph, i) => (
        <Paper withBorder p="sm" key={i}>
          <Stack gap="xs">
            <Group align="flex-end">
              <TextInput
                label={t('programme.plan.phaseLabel')}
                value={ph.label}
                onChange={(e) => setPhase(i, { label: e.currentTarget.value })}
                style={{ flex: 1 }}
              />
              <TextInput
                type="date"
                label={t('programme.startsOn')}
                value={ph.startsOn}
                onChange={(e) => setPhase(i, { startsOn: e.currentTarget.value })}
              />
              <TextInput
                type="date"
                label={t('programme.endsOn')}
                value={ph.endsOn}
                onChange={(e) => setPhase(i, { endsOn: e.currentTarget.value })}
              />
              <RemoveLine
                onClick={() => setPhases((l) => without(l, i))}
                label={t('programme.plan.removePhase', { n: i + 1 })}
              />
            </Group>
            {ph.benchmarks.map((b, j) => (
              <Group key={j} align="flex-end" ms="md" wrap="wrap">
                <TextInput
                  label={t('programme.plan.benchmark')}
                  value={b.title}
                  onChange={(e) => setBenchmark(i, j, { title: e.currentTarget.value })}
                  style={{ flex: 1, minWidth: 200 }}
                />
                <Select
                  label={t('programme.plan.factor')}
                  data={factors.items.map((x) => ({
                    value: String(x.factor),
                    label: factors.name(x.factor),
                  }))}
                  value={b.factor}
                  onChange={(v) => setBenchmark(i, j, { factor: v })}
                  clearable
                  w={220}
                />
                <TextInput
                  type="date"
                  label={t('programme.plan.due')}
                  value={b.due}
                  onChange={(e) => setBenchmark(i, j, { due: e.currentTarget.value })}
                />
                <Select
                  label={t('programme.plan.status')}
                  data={BENCHMARK_STATUSES.map((s) => ({
                    value: s,
                    label: t(`programme.benchmarkStatus.${s}`),
                  }))}
                  value={b.status}
                  onChange={(v) => v && setBenchmark(i, j, { status: v as BenchmarkStatus })}
                  allowDeselect={false}
                  w={160}
                />
                <MultiSelect
                  label={t('programme.plan.actions')}
                  data={actionOptions(b.actionIds)}
                  value={b.actionIds}
                  onChange={(v) => setBenchmark(i, j, { actionIds: v })}
                  disabled={shared.length === 0 && b.actionIds.length === 0}
                  placeholder={shared.length === 0 ? t('programme.plan.shareStatus.no_consent') : undefined}
                  w={260}
                />
                <RemoveLine
                  onClick={() => setPhases((l) => patch(l, i, { benchmarks: without(l[i]!.benchmarks, j) }))}
                  label={t('programme.plan.removeBenchmark', { n: j + 1, phase: ph.label })}
                />
              </Group>
            ))}
            <Group ms="md">
              <Button
                variant="default"
                size="xs"
                onClick={() =>
                  setPhases((l) => patch(l, i, { benchmarks: [...l[i]!.benchmarks, blankBenchmark()] }))
                }
              >
                {t('programme.plan.addBenchmark')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      ))}
      <Group>
        <Button
          variant="default"
          size="xs"
          onClick={() => setPhases((l) => [...l, { label: '', startsOn: '', endsOn: '', benchmarks: [] }])}
          data-testid="programme-plan-add-phase"
        >
          {t('programme.plan.addPhase')}
        </Button>
      </Group>
      <Title order={3} size="h5">
        {t('programme.plan.kpis')}
      </Title>
      {kpis.map((k, i) => (
        <Paper withBorder p="sm" key={i}>
          <Stack gap="xs">
            <Group align="flex-end" wrap="wrap">
              <TextInput
                label={t('programme.plan.kpiName')}
                value={k.name}
                onChange={(e) => setKpi(i, { name: e.currentTarget.value })}
                style={{ flex: 1, minWidth: 200 }}
              />
              <TextInput
                label={t('programme.plan.unit')}
                value={k.unit}
                onChange={(e) => setKpi(i, { unit: e.currentTarget.value })}
                w={120}
              />
              <TextInput
                label={t('programme.plan.baseline')}
                value={k.baseline}
                inputMode="decimal"
                onChange={(e) => setKpi(i, { baseline: e.currentTarget.value })}
                w={120}
              />
              <TextInput
                label={t('programme.plan.target')}
                value={k.target}
                inputMode="decimal"
                onChange={(e) => setKpi(i, { target: e.currentTarget.value })}
                w={120}
              />
              <RemoveLine
                onClick={() => setKpis((l) => without(l, i))}
                label={t('programme.plan.removeKpi', { n: i + 1 })}
              />
            </Group>
            {k.actuals.map((a, j) => (
              <Group key={j} align="flex-end" ms="md" wrap="wrap">
                <TextInput
                  label={t('programme.plan.period')}
                  value={a.periodLabel}
                  onChange={(e) => setActual(i, j, { periodLabel: e.currentTarget.value })}
                  w={140}
                />
                <TextInput
                  type="date"
                  label={t('programme.plan.periodStart')}
                  value={a.periodStart}
                  onChange={(e) => setActual(i, j, { periodStart: e.currentTarget.value })}
                />
                <TextInput
                  type="date"
                  label={t('programme.plan.periodEnd')}
                  value={a.periodEnd}
                  onChange={(e) => setActual(i, j, { periodEnd: e.currentTarget.value })}
                />
                <TextInput
                  label={t('programme.plan.value')}
                  value={a.value}
                  inputMode="decimal"
                  onChange={(e) => setActual(i, j, { value: e.currentTarget.value })}
                  w={120}
                />
                <RemoveLine
                  onClick={() => setKpis((l) => patch(l, i, { actuals: without(l[i]!.actuals, j) }))}
                  label={t('programme.plan.removeActual', { n: j + 1, name: k.name })}
                />
              </Group>
            ))}
            <Group ms="md">
              <Button
                variant="default"
                size="xs"
                onClick={() => setKpis((l) => patch(l, i, { actuals: [...l[i]!.actuals, blankActual()] }))}
              >
                {t('programme.plan.addActual')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      ))}
      <Group>
        <Button
          variant="default"
          size="xs"
          onClick={() =>
            setKpis((l) => [...l, { name: '', unit: '', baseline: '', target: '', actuals: [] }])
          }
          data-testid="programme-plan-add-kpi"
        >
          {t('programme.plan.addKpi')}
        </Button>
      </Group>
      <SaveError error={save.error} onReload={onReload} />
      <Group>
        <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="programme-plan-save">
          {t('programme.save')}
        </Button>
      </Group>
    </Stack>
  );
}
