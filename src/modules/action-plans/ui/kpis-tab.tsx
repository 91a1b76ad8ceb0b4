import {
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useCan } from '../../../web/session';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { useFormat } from '../../../web/ui-kit/format';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import type { KpiT, PlanDetailT } from '../action-plans.contract';
import { KPI_DIRECTIONS, RAD_FACTORS } from '../action-plans.vocab';
import { useFactorLabel } from './bits';
import { kpisKey, useKpis } from './queries';

export function KpisTab({ plan }: { plan: PlanDetailT }): ReactNode {
  const { t } = useTranslation();
  const kpis = useKpis(plan.id);
  const canManage = useCan('action-plans.manage');
  const [creating, setCreating] = useState(false);
  return (
    <Stack>
      <Group justify="space-between">
        <Text c="dimmed" size="sm">
          {t('actionPlans.kpi.intro')}
        </Text>
        {canManage && (
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => setCreating(true)}
            data-testid="kpi-create"
          >
            {t('actionPlans.kpi.new')}
          </Button>
        )}
      </Group>
      {kpis.isPending ? (
        <PageLoader />
      ) : kpis.isError ? (
        <QueryError error={kpis.error} onRetry={() => kpis.refetch()} />
      ) : kpis.data.items.length === 0 ? (
        <Text c="dimmed">{t('actionPlans.kpi.none')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {kpis.data.items.map((k) => (
            <KpiCard key={k.id} kpi={k} />
          ))}
        </SimpleGrid>
      )}
      {creating && <KpiModal plan={plan} onClose={() => setCreating(false)} />}
    </Stack>
  );
}

function KpiCard({ kpi }: { kpi: KpiT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const factorLabel = useFactorLabel();
  const canReport = useCan('action-plans.report');
  const [recording, setRecording] = useState(false);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 50, right: 20, top: 20, bottom: 50 },
      xAxis: { type: 'category', data: kpi.values.map((v) => f.date(v.periodEnd)) },
      yAxis: { type: 'value', name: kpi.unit, scale: true },
      series: [
        {
          type: 'line',
          name: t('actionPlans.kpi.actual'),
          data: kpi.values.map((v) => v.value),
          symbolSize: 8,
        },
        ...(kpi.target !== null
          ? [
              {
                type: 'line',
                name: t('actionPlans.kpi.target'),
                data: kpi.values.map(() => kpi.target),
                lineStyle: { type: 'dashed' },
                symbol: 'none',
              },
            ]
          : []),
        ...(kpi.baseline !== null
          ? [
              {
                type: 'line',
                name: t('actionPlans.kpi.baseline'),
                data: kpi.values.map(() => kpi.baseline),
                lineStyle: { type: 'dotted' },
                symbol: 'none',
              },
            ]
          : []),
      ],
    }),
    [kpi, f, t],
  );
  const pct = kpi.progress === null ? null : Math.round(kpi.progress * 100);
  return (
    <Paper withBorder p="md" radius="md" data-testid={`kpi-${kpi.code}`}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div>
            <Title order={3} size="h5">
              {kpi.name}
            </Title>
            <Text size="xs" c="dimmed">
              {kpi.code} · {t(`actionPlans.kpi.direction.${kpi.direction}`)} ·{' '}
              {kpi.factor ? factorLabel(kpi.factor) : '—'}
            </Text>
          </div>
          {pct !== null && (
            <Badge
              variant="light"
              color={pct >= 100 ? 'teal' : pct >= 50 ? 'blue' : 'orange'}
              style={{ flexShrink: 0 }}
            >
              {pct} %
            </Badge>
          )}
        </Group>
        {kpi.definition && <Text size="sm">{kpi.definition}</Text>}
        <Text size="sm">
          {t('actionPlans.kpi.summary', {
            baseline: kpi.baseline ?? '—',
            target: kpi.target ?? '—',
            latest: kpi.latest ? `${kpi.latest.value} (${f.date(kpi.latest.periodEnd)})` : '—',
            unit: kpi.unit,
          })}
        </Text>
        {pct !== null && <Progress value={pct} aria-label={t('actionPlans.kpi.progress')} />}
        {kpi.values.length > 0 ? (
          <Chart option={option} height={220} label={t('actionPlans.kpi.chartLabel', { name: kpi.name })} />
        ) : (
          <Text size="sm" c="dimmed">
            {t('actionPlans.kpi.noValues')}
          </Text>
        )}
        {canReport && (
          <Button
            variant="light"
            size="xs"
            onClick={() => setRecording(true)}
            style={{ alignSelf: 'flex-start' }}
          >
            {t('actionPlans.kpi.record')}
          </Button>
        )}
      </Stack>
      {recording && <ValueModal kpi={kpi} onClose={() => setRecording(false)} />}
    </Paper>
  );
}

function ValueModal({ kpi, onClose }: { kpi: KpiT; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const form = useForm({
    initialValues: {
      periodEnd: new Date().toISOString().slice(0, 10),
      value: '' as number | string,
      note: '',
    },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      api.post(`/api/action-plans/kpis/${kpi.id}/values`, {
        periodEnd: v.periodEnd,
        value: Number(v.value),
        note: v.note.trim() || null,
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: kpisKey });
      onClose();
    },
    onError: (e) => applyFieldErrors(form, ['periodEnd', 'value', 'note'], e),
  });
  return (
    <Modal opened onClose={onClose} title={t('actionPlans.kpi.recordFor', { name: kpi.name })}>
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <TextInput
            type="date"
            label={t('actionPlans.kpi.periodEnd')}
            required
            {...form.getInputProps('periodEnd')}
          />
          <NumberInput
            label={`${t('actionPlans.kpi.value')} (${kpi.unit})`}
            required
            decimalScale={4}
            {...form.getInputProps('value')}
          />
          <Textarea label={t('actionPlans.kpi.note')} {...form.getInputProps('note')} />
          <ProblemAlert error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('actionPlans.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={form.values.value === ''}>
              {t('actionPlans.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function KpiModal({ plan, onClose }: { plan: PlanDetailT; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const factorLabel = useFactorLabel();
  const form = useForm({
    initialValues: {
      code: '',
      name: '',
      definition: '',
      unit: '%',
      direction: 'increase' as (typeof KPI_DIRECTIONS)[number],
      baseline: '' as number | string,
      target: '' as number | string,
      targetDate: plan.horizonEnd,
      factor: null as string | null,
      actionIds: [] as string[],
    },
    validate: {
      code: (v) =>
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(v.trim()) ? null : t('actionPlans.kpi.codeHelp'),
      name: (v) => (v.trim() ? null : t('actionPlans.required')),
      unit: (v) => (v.trim() ? null : t('actionPlans.required')),
    },
  });
  const num = (v: number | string) => (v === '' ? null : Number(v));
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      api.post('/api/action-plans/kpis', {
        planId: plan.id,
        code: v.code.trim(),
        name: v.name.trim(),
        definition: v.definition.trim() || null,
        unit: v.unit.trim(),
        direction: v.direction,
        baseline: num(v.baseline),
        target: num(v.target),
        targetDate: v.targetDate || null,
        factor: v.factor ? Number(v.factor) : null,
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: kpisKey });
      onClose();
    },
    onError: (e) =>
      applyFieldErrors(
        form,
        ['code', 'name', 'definition', 'unit', 'direction', 'baseline', 'target', 'targetDate', 'factor'],
        e,
      ),
  });
  return (
    <Modal opened onClose={onClose} title={t('actionPlans.kpi.new')} size="lg">
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <Group grow align="flex-start">
            <TextInput
              label={t('actionPlans.kpi.code')}
              required
              {...form.getInputProps('code')}
              data-testid="kpi-code-input"
            />
            <TextInput label={t('actionPlans.kpi.unit')} required {...form.getInputProps('unit')} />
          </Group>
          <TextInput
            label={t('actionPlans.kpi.name')}
            required
            {...form.getInputProps('name')}
            data-testid="kpi-name-input"
          />
          <Textarea
            label={t('actionPlans.kpi.definition')}
            autosize
            minRows={2}
            {...form.getInputProps('definition')}
          />
          <Group grow align="flex-start">
            <Select
              label={t('actionPlans.kpi.directionLabel')}
              data={KPI_DIRECTIONS.map((d) => ({ value: d, label: t(`actionPlans.kpi.direction.${d}`) }))}
              {...form.getInputProps('direction')}
            />
            <NumberInput label={t('actionPlans.kpi.baseline')} {...form.getInputProps('baseline')} />
            <NumberInput label={t('actionPlans.kpi.target')} {...form.getInputProps('target')} />
          </Group>
          <Group grow align="flex-start">
            <TextInput
              type="date"
              label={t('actionPlans.kpi.targetDate')}
              {...form.getInputProps('targetDate')}
            />
            <Select
              label={t('actionPlans.action.factor')}
              data={RAD_FACTORS.map((n) => ({ value: String(n), label: factorLabel(n) }))}
              clearable
              {...form.getInputProps('factor')}
            />
          </Group>
          <ProblemAlert error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('actionPlans.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="kpi-save">
              {t('actionPlans.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
