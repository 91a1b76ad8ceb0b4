import {
  ActionIcon,
  Badge,
  Button,
  Collapse,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  IconChevronDown,
  IconChevronUp,
  IconPencil,
  IconPlus,
  IconRefresh,
  IconTrash,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Items, api } from '../../../web/api';
import { useCan } from '../../../web/session';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { useFormat } from '../../../web/ui-kit/format';
import { notify, notifySuccess } from '../../../web/ui-kit/notify';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import type { KpiFeedT, KpiT, KpiValueT, PlanDetailT, RefreshResultT } from '../action-plans.contract';
import { KPI_DIRECTIONS, RAD_FACTORS } from '../action-plans.vocab';
import { useFactorLabel } from './bits';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ConfirmModal } from './confirm-modal';
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
            <KpiCard key={k.id} kpi={k} plan={plan} />
          ))}
        </SimpleGrid>
      )}
      {creating && <KpiModal plan={plan} onClose={() => setCreating(false)} />}
    </Stack>
  );
}

function KpiCard({ kpi, plan }: { kpi: KpiT; plan: PlanDetailT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const factorLabel = useFactorLabel();
  const canReport = useCan('action-plans.report');
  const canManage = useCan('action-plans.manage');
  const [recording, setRecording] = useState<KpiValueT | 'new' | null>(null);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [removingValue, setRemovingValue] = useState<KpiValueT | null>(null);
  const [showValues, setShowValues] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: kpisKey });
  const linked = plan.actions.filter((a) => kpi.actionIds.includes(a.id)).map((a) => a.ref);
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
  const pull = useMutation({
    mutationFn: () => api.post<RefreshResultT>(`/api/action-plans/kpis/${kpi.id}/refresh`),
    onSuccess: (r) => {
      if (r.recorded)
        notifySuccess(t('actionPlans.kpi.feed.refreshed', { value: f.number(r.value ?? 0), unit: kpi.unit }));
      else
        notify({ color: 'yellow', message: t('actionPlans.kpi.feed.nothing', { reason: r.reason ?? '' }) });
      void refresh();
    },
  });
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
          <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
            {pct !== null && (
              <Badge variant="light" color={pct >= 100 ? 'teal' : pct >= 50 ? 'blue' : 'orange'}>
                {pct} %
              </Badge>
            )}
            {canManage && (
              <>
                <ActionIcon
                  variant="subtle"
                  aria-label={t('actionPlans.kpi.editFor', { code: kpi.code })}
                  onClick={() => setEditing(true)}
                  data-testid={`kpi-edit-${kpi.code}`}
                >
                  <IconPencil size={16} aria-hidden />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('actionPlans.kpi.deleteFor', { code: kpi.code })}
                  onClick={() => setDeleting(true)}
                  data-testid={`kpi-delete-${kpi.code}`}
                >
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </>
            )}
          </Group>
        </Group>
        {kpi.definition && <Text size="sm">{kpi.definition}</Text>}
        {kpi.feed && (
          <Text size="xs" c="dimmed" data-testid={`kpi-feed-${kpi.code}`}>
            {t('actionPlans.kpi.feed.label')}: {t(`actionPlans.kpi.feed.kinds.${kpi.feed.source}`)}
          </Text>
        )}
        {linked.length > 0 && (
          <Text size="xs" c="dimmed">
            {t('actionPlans.kpi.actions')}: {linked.join(', ')}
          </Text>
        )}
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
        <Group gap="xs">
          {canReport && (
            <Button variant="light" size="xs" onClick={() => setRecording('new')}>
              {t('actionPlans.kpi.record')}
            </Button>
          )}
          {kpi.feed && canManage && (
            <Button
              variant="light"
              size="xs"
              leftSection={<IconRefresh size={14} aria-hidden />}
              loading={pull.isPending}
              onClick={() => pull.mutate()}
              data-testid={`kpi-refresh-${kpi.code}`}
            >
              {t('actionPlans.kpi.feed.refresh')}
            </Button>
          )}
          {kpi.values.length > 0 && (
            <Button
              variant="subtle"
              size="xs"
              onClick={() => setShowValues((v) => !v)}
              aria-expanded={showValues}
              rightSection={
                showValues ? (
                  <IconChevronUp size={14} aria-hidden />
                ) : (
                  <IconChevronDown size={14} aria-hidden />
                )
              }
              data-testid={`kpi-values-${kpi.code}`}
            >
              {t('actionPlans.kpi.values', { n: kpi.values.length })}
            </Button>
          )}
        </Group>
        <SaveError error={pull.error} onReload={refresh} />
        <Collapse expanded={showValues}>
          <ValuesTable
            kpi={kpi}
            onEdit={canReport ? setRecording : undefined}
            onDelete={canManage ? setRemovingValue : undefined}
          />
        </Collapse>
      </Stack>
      {recording && (
        <ValueModal
          kpi={kpi}
          value={recording === 'new' ? null : recording}
          onClose={() => setRecording(null)}
        />
      )}
      {editing && <KpiModal plan={plan} kpi={kpi} onClose={() => setEditing(false)} />}
      {deleting && (
        <ConfirmModal
          title={t('actionPlans.kpi.deleteTitle', { code: kpi.code })}
          body={t('actionPlans.kpi.deleteBody', { name: kpi.name })}
          confirmLabel={t('actionPlans.delete')}
          run={() => api.delete(`/api/action-plans/kpis/${kpi.id}?version=${kpi.version}`)}
          onDone={() => {
            notifySuccess(t('actionPlans.kpi.deleted', { code: kpi.code }));
            void refresh();
          }}
          onReload={refresh}
          onClose={() => setDeleting(false)}
          testId="kpi-delete-confirm"
        />
      )}
      {removingValue && (
        <ConfirmModal
          title={t('actionPlans.kpi.deleteValueTitle')}
          body={t('actionPlans.kpi.deleteValueBody', {
            value: f.number(removingValue.value),
            unit: kpi.unit,
            date: f.date(removingValue.periodEnd),
          })}
          confirmLabel={t('actionPlans.delete')}
          run={() => api.delete(`/api/action-plans/kpis/${kpi.id}/values/${removingValue.id}`)}
          onDone={() => void refresh()}
          onReload={refresh}
          onClose={() => setRemovingValue(null)}
          testId="kpi-value-delete-confirm"
        />
      )}
    </Paper>
  );
}

/** The recorded values, newest first: correct one (reporters) or delete it (managers). */
function ValuesTable({
  kpi,
  onEdit,
  onDelete,
}: {
  kpi: KpiT;
  onEdit?: (v: KpiValueT) => void;
  onDelete?: (v: KpiValueT) => void;
}): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const rows = [...kpi.values].sort((a, b) => b.periodEnd.localeCompare(a.periodEnd));
  return (
    <ScrollTable minWidth={360} label={t('actionPlans.kpi.valuesCaption', { name: kpi.name })}>
      <Table verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('actionPlans.kpi.periodEnd')}</Table.Th>
            <Table.Th scope="col">
              {t('actionPlans.kpi.value')} ({kpi.unit})
            </Table.Th>
            <Table.Th scope="col">{t('actionPlans.kpi.source')}</Table.Th>
            <Table.Th scope="col">{t('actionPlans.kpi.note')}</Table.Th>
            {(onEdit || onDelete) && (
              <Table.Th scope="col">
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((v) => (
            <Table.Tr key={v.id} data-testid={`kpi-value-${kpi.code}-${v.periodEnd}`}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.date(v.periodEnd)}</Table.Td>
              <Table.Td>{f.number(v.value)}</Table.Td>
              <Table.Td>{t(`actionPlans.kpi.sources.${v.source}`)}</Table.Td>
              <Table.Td>{v.note ?? ''}</Table.Td>
              {(onEdit || onDelete) && (
                <Table.Td>
                  <Group gap={2} wrap="nowrap">
                    {onEdit && (
                      <ActionIcon
                        variant="subtle"
                        size="sm"
                        aria-label={t('actionPlans.kpi.editValueFor', { date: f.date(v.periodEnd) })}
                        onClick={() => onEdit(v)}
                        data-testid={`kpi-value-edit-${kpi.code}-${v.periodEnd}`}
                      >
                        <IconPencil size={14} aria-hidden />
                      </ActionIcon>
                    )}
                    {onDelete && (
                      <ActionIcon
                        variant="subtle"
                        size="sm"
                        color="red"
                        aria-label={t('actionPlans.kpi.deleteValueFor', { date: f.date(v.periodEnd) })}
                        onClick={() => onDelete(v)}
                        data-testid={`kpi-value-delete-${kpi.code}-${v.periodEnd}`}
                      >
                        <IconTrash size={14} aria-hidden />
                      </ActionIcon>
                    )}
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

/**
 * Record a value, or correct a recorded one: the period and source stay fixed, since the server
 * keeps one value per KPI, period end and source (recording it again replaces it, audited).
 */
function ValueModal({
  kpi,
  value,
  onClose,
}: {
  kpi: KpiT;
  value: KpiValueT | null;
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const form = useForm({
    initialValues: {
      periodEnd: value?.periodEnd ?? new Date().toISOString().slice(0, 10),
      value: (value?.value ?? '') as number | string,
      note: value?.note ?? '',
    },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      api.post(`/api/action-plans/kpis/${kpi.id}/values`, {
        periodEnd: v.periodEnd,
        value: Number(v.value),
        note: v.note.trim() || null,
        ...(value ? { source: value.source } : {}),
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: kpisKey });
      onClose();
    },
    onError: (e) => applyFieldErrors(form, ['periodEnd', 'value', 'note'], e),
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={
        value
          ? t('actionPlans.kpi.editValueTitle', { name: kpi.name, date: f.date(value.periodEnd) })
          : t('actionPlans.kpi.recordFor', { name: kpi.name })
      }
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <TextInput
            type="date"
            label={t('actionPlans.kpi.periodEnd')}
            required
            disabled={!!value}
            description={value ? t('actionPlans.kpi.periodFixed') : undefined}
            {...form.getInputProps('periodEnd')}
          />
          <NumberInput
            label={`${t('actionPlans.kpi.value')} (${kpi.unit})`}
            required
            decimalScale={4}
            data-testid="kpi-value-input"
            {...form.getInputProps('value')}
          />
          <Textarea label={t('actionPlans.kpi.note')} {...form.getInputProps('note')} />
          <SaveError error={save.error} onReload={() => qc.invalidateQueries({ queryKey: kpisKey })} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              loading={save.isPending}
              disabled={form.values.value === ''}
              data-testid="kpi-value-save"
            >
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The data sources offered in the KPI form; manual means no feed. */
const FEED_KINDS = ['manual', 'learning', 'conduct', 'surveys'] as const;
type FeedKind = (typeof FEED_KINDS)[number];

function feedOf(v: {
  feedSource: FeedKind;
  courseId: string | null;
  surveyId: string | null;
  surveyFactor: string | null;
}): KpiFeedT | null {
  switch (v.feedSource) {
    case 'learning':
      return { source: 'learning', courseId: v.courseId! };
    case 'conduct':
      return { source: 'conduct' };
    case 'surveys':
      return { source: 'surveys', surveyId: v.surveyId!, factor: Number(v.surveyFactor) };
    default:
      return null;
  }
}

const KPI_FIELDS = [
  'code',
  'name',
  'definition',
  'unit',
  'direction',
  'baseline',
  'target',
  'targetDate',
  'factor',
  'actionIds',
  'feed',
];

/** Define a KPI, or edit one (versioned: a 409 offers a reload and keeps what was typed). */
function KpiModal({ plan, kpi, onClose }: { plan: PlanDetailT; kpi?: KpiT; onClose: () => void }): ReactNode {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const factorLabel = useFactorLabel();
  const form = useForm({
    initialValues: {
      code: kpi?.code ?? '',
      name: kpi?.name ?? '',
      definition: kpi?.definition ?? '',
      unit: kpi?.unit ?? '%',
      direction: (kpi?.direction ?? 'increase') as (typeof KPI_DIRECTIONS)[number],
      baseline: (kpi?.baseline ?? '') as number | string,
      target: (kpi?.target ?? '') as number | string,
      targetDate: kpi ? (kpi.targetDate ?? '') : plan.horizonEnd,
      factor: kpi?.factor ? String(kpi.factor) : (null as string | null),
      actionIds: kpi?.actionIds ?? ([] as string[]),
      feedSource: (kpi?.feed?.source ?? 'manual') as FeedKind,
      courseId: kpi?.feed?.source === 'learning' ? kpi.feed.courseId : (null as string | null),
      surveyId: kpi?.feed?.source === 'surveys' ? kpi.feed.surveyId : (null as string | null),
      surveyFactor: kpi?.feed?.source === 'surveys' ? String(kpi.feed.factor) : (null as string | null),
    },
    validate: {
      code: (v) =>
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(v.trim()) ? null : t('actionPlans.kpi.codeHelp'),
      name: (v) => (v.trim() ? null : t('actionPlans.required')),
      unit: (v) => (v.trim() ? null : t('actionPlans.required')),
      courseId: (v, all) => (all.feedSource === 'learning' && !v ? t('actionPlans.required') : null),
      surveyId: (v, all) => (all.feedSource === 'surveys' && !v ? t('actionPlans.required') : null),
      surveyFactor: (v, all) => (all.feedSource === 'surveys' && !v ? t('actionPlans.required') : null),
    },
  });
  const source = form.values.feedSource;
  // The same keys as the learning and surveys pages' lists: one cache entry, refreshed with them.
  const courses = useQuery({
    queryKey: ['learning', 'courses', i18n.language],
    queryFn: ({ signal }) =>
      api.get<Items<{ id: string; title: string }>>('/api/learning/courses', { signal }),
    enabled: source === 'learning',
  });
  const surveys = useQuery({
    queryKey: ['surveys', 'list'],
    queryFn: ({ signal }) =>
      api.get<Items<{ id: string; name: string; iteration: number }>>('/api/surveys', { signal }),
    enabled: source === 'surveys',
  });
  const num = (v: number | string) => (v === '' ? null : Number(v));
  const refresh = () => qc.invalidateQueries({ queryKey: kpisKey });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      const body = {
        code: v.code.trim(),
        name: v.name.trim(),
        definition: v.definition.trim() || null,
        unit: v.unit.trim(),
        direction: v.direction,
        baseline: num(v.baseline),
        target: num(v.target),
        targetDate: v.targetDate || null,
        factor: v.factor ? Number(v.factor) : null,
        actionIds: v.actionIds,
        feed: feedOf(v),
      };
      // kpi is the card's current KPI: after a reload it carries the latest version.
      return kpi
        ? api.patch(`/api/action-plans/kpis/${kpi.id}`, { ...body, version: kpi.version })
        : api.post('/api/action-plans/kpis', { ...body, planId: plan.id });
    },
    onSuccess: () => {
      if (kpi) notifySuccess(t('actionPlans.kpi.saved', { code: form.values.code.trim() }));
      void refresh();
      onClose();
    },
    onError: (e) => applyFieldErrors(form, KPI_FIELDS, e),
  });
  const actionOptions = plan.actions.map((a) => ({ value: a.id, label: `${a.ref} ${a.objective}` }));
  return (
    <Modal
      opened
      onClose={onClose}
      title={kpi ? t('actionPlans.kpi.editTitle', { code: kpi.code }) : t('actionPlans.kpi.new')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
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
              allowDeselect={false}
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
          <MultiSelect
            label={t('actionPlans.kpi.actions')}
            description={t('actionPlans.kpi.actionsHelp')}
            data={actionOptions}
            searchable
            clearable
            maxValues={50}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('actionIds')}
          />
          <Group grow align="flex-start">
            <Select
              label={t('actionPlans.kpi.feed.label')}
              description={t('actionPlans.kpi.feed.help')}
              data={FEED_KINDS.map((k) => ({ value: k, label: t(`actionPlans.kpi.feed.kinds.${k}`) }))}
              allowDeselect={false}
              data-testid="kpi-feed-select"
              {...form.getInputProps('feedSource')}
            />
            {source === 'learning' && (
              <Select
                label={t('actionPlans.kpi.feed.course')}
                required
                searchable
                data={(courses.data?.items ?? []).map((c) => ({ value: c.id, label: c.title }))}
                error={courses.isError ? t('actionPlans.kpi.feed.listError') : form.errors.courseId}
                data-testid="kpi-feed-course"
                {...form.getInputProps('courseId')}
              />
            )}
            {source === 'surveys' && (
              <Select
                label={t('actionPlans.kpi.feed.survey')}
                required
                searchable
                data={(surveys.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
                error={surveys.isError ? t('actionPlans.kpi.feed.listError') : form.errors.surveyId}
                data-testid="kpi-feed-survey"
                {...form.getInputProps('surveyId')}
              />
            )}
            {source === 'surveys' && (
              <Select
                label={t('actionPlans.kpi.feed.factor')}
                required
                data={RAD_FACTORS.map((n) => ({ value: String(n), label: factorLabel(n) }))}
                data-testid="kpi-feed-factor"
                {...form.getInputProps('surveyFactor')}
              />
            )}
          </Group>
          {source !== 'manual' && (
            <Text size="xs" c="dimmed">
              {t(`actionPlans.kpi.feed.explain.${source}`)}
            </Text>
          )}
          <SaveError error={save.error} onReload={refresh} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="kpi-save">
              {kpi ? t('common.save') : t('actionPlans.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
