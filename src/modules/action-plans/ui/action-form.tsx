import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  Slider,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { type UseFormReturnType, useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useCan } from '../../../web/session';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { useFormat } from '../../../web/ui-kit/format';
import { notifyError } from '../../../web/ui-kit/notify';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import type { ActionT, LookupsT, PlanDetailT } from '../action-plans.contract';
import { ACTION_STATUSES, type ActionStatus, RAD_FACTORS } from '../action-plans.vocab';
import { useFactorLabel } from './bits';
import { SaveError } from '../../../web/ui-kit/save-error';
import { planKey, useLookups } from './queries';

export interface LinkFieldsValue {
  factor: string | null;
  gapItemUrns: string[];
  riskIds: string[];
}

/** Factor, gap items and risks pickers (shared by the action form and the draft dialog). */
export function usePickerData(lookups: LookupsT | undefined) {
  const factorLabel = useFactorLabel();
  const { t } = useTranslation();
  return useMemo(() => {
    const factors = RAD_FACTORS.map((n) => ({ value: String(n), label: factorLabel(n) }));
    const byFactor = new Map<string, { value: string; label: string }[]>();
    for (const i of lookups?.items ?? []) {
      const g = i.factor ? factorLabel(i.factor) : t('actionPlans.otherItems');
      if (!byFactor.has(g)) byFactor.set(g, []);
      byFactor.get(g)!.push({ value: i.urn, label: `${i.refId} ${i.name}` });
    }
    const items = [...byFactor.entries()].map(([group, list]) => ({ group, items: list }));
    const risks = (lookups?.risks ?? []).map((r) => ({ value: r.id, label: `${r.ref} ${r.title}` }));
    const units = (lookups?.units ?? []).map((u) => ({ value: u.id, label: u.name }));
    const users = (lookups?.users ?? []).map((u) => ({ value: u.id, label: u.name }));
    return { factors, items, risks, units, users };
  }, [lookups, factorLabel, t]);
}

interface FormValues {
  objective: string;
  description: string;
  factor: string | null;
  gapItemUrns: string[];
  riskIds: string[];
  ownerUnitId: string | null;
  ownerUserId: string | null;
  startDate: string;
  dueDate: string;
  budget: number | string;
  currency: string;
  status: ActionStatus;
  progress: number;
  evidence: string;
  milestones: { title: string; dueDate: string }[];
}

const FIELDS = [
  'objective',
  'description',
  'factor',
  'gapItemUrns',
  'riskIds',
  'ownerUnitId',
  'ownerUserId',
  'startDate',
  'dueDate',
  'budget',
  'currency',
  'status',
  'progress',
  'evidence',
];

export function ActionFormModal({
  plan,
  action,
  opened,
  onClose,
}: {
  plan: PlanDetailT;
  action: ActionT | null;
  opened: boolean;
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const lookups = useLookups();
  const data = usePickerData(lookups.data);
  const canManage = useCan('action-plans.manage');
  const form = useForm<FormValues>({
    initialValues: {
      objective: action?.objective ?? '',
      description: action?.description ?? '',
      factor: action?.factor ? String(action.factor) : null,
      gapItemUrns: action?.gapItemUrns ?? [],
      riskIds: action?.riskIds ?? [],
      ownerUnitId: action?.ownerUnitId ?? null,
      ownerUserId: action?.ownerUserId ?? null,
      startDate: action?.startDate ?? '',
      dueDate: action?.dueDate ?? '',
      budget: action?.budget ?? '',
      currency: action?.currency ?? '',
      status: action?.status ?? 'not_started',
      progress: action?.progress ?? 0,
      evidence: action?.evidence ?? '',
      milestones: [],
    },
    validate: {
      objective: (v) => (v.trim() ? null : t('actionPlans.required')),
      dueDate: (v, all) =>
        v && all.startDate && v < all.startDate ? t('actionPlans.action.dueBeforeStart') : null,
    },
  });
  // The version of the action as the page has it now (a reload after a conflict refreshes it).
  const latest = action ? (plan.actions.find((a) => a.id === action.id) ?? action) : null;
  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const body = {
        objective: v.objective.trim(),
        description: v.description.trim() || null,
        factor: v.factor ? Number(v.factor) : null,
        gapItemUrns: v.gapItemUrns,
        riskIds: v.riskIds,
        ownerUnitId: v.ownerUnitId || null,
        ownerUserId: v.ownerUserId || null,
        startDate: v.startDate || null,
        dueDate: v.dueDate || null,
        budget: v.budget === '' ? null : Number(v.budget),
        currency: v.currency.trim().toUpperCase() || null,
        status: v.status,
      };
      return action
        ? api.patch<ActionT>(`/api/action-plans/actions/${action.id}`, {
            ...body,
            version: latest?.version ?? action.version,
            progress: v.progress,
            evidence: v.evidence.trim() || null,
          })
        : api.post<ActionT>(`/api/action-plans/${plan.id}/actions`, {
            ...body,
            milestones: v.milestones.filter((m) => m.title.trim() && m.dueDate),
          });
    },
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: planKey(plan.id) });
      onClose();
    },
    onError: (e) => applyFieldErrors(form, FIELDS, e),
  });
  const title = action
    ? t('actionPlans.action.editTitle', { ref: action.ref })
    : t('actionPlans.action.newTitle');
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={opened}
      onClose={onClose}
      title={title}
      size="xl"
    >
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack gap="sm">
          <TextInput
            label={t('actionPlans.action.objective')}
            required
            {...form.getInputProps('objective')}
            data-testid="action-objective"
          />
          <Textarea
            label={t('actionPlans.action.description')}
            autosize
            minRows={2}
            {...form.getInputProps('description')}
          />
          <Group grow align="flex-start">
            <Select
              label={t('actionPlans.action.factor')}
              data={data.factors}
              clearable
              {...form.getInputProps('factor')}
            />
            <Select
              label={t('actionPlans.action.status')}
              data={ACTION_STATUSES.map((s) => ({ value: s, label: t(`actionPlans.status.${s}`) }))}
              {...form.getInputProps('status')}
            />
          </Group>
          <MultiSelect
            label={t('actionPlans.action.gaps')}
            description={t('actionPlans.action.gapsHelp')}
            data={data.items}
            searchable
            clearable
            maxValues={50}
            {...form.getInputProps('gapItemUrns')}
          />
          <MultiSelect
            label={t('actionPlans.action.risks')}
            data={data.risks}
            searchable
            clearable
            nothingFoundMessage={t('actionPlans.action.noRisks')}
            {...form.getInputProps('riskIds')}
          />
          <Group grow align="flex-start">
            <Select
              label={t('actionPlans.action.ownerUnit')}
              data={data.units}
              searchable
              clearable
              {...form.getInputProps('ownerUnitId')}
            />
            <Select
              label={t('actionPlans.action.ownerUser')}
              data={data.users}
              searchable
              clearable
              {...form.getInputProps('ownerUserId')}
            />
          </Group>
          <Group grow align="flex-start">
            <TextInput
              type="date"
              label={t('actionPlans.action.startDate')}
              min={plan.horizonStart}
              max={plan.horizonEnd}
              {...form.getInputProps('startDate')}
            />
            <TextInput
              type="date"
              label={t('actionPlans.action.dueDate')}
              min={plan.horizonStart}
              max={plan.horizonEnd}
              {...form.getInputProps('dueDate')}
            />
            <NumberInput
              label={t('actionPlans.action.budget')}
              min={0}
              thousandSeparator=" "
              {...form.getInputProps('budget')}
            />
            <TextInput
              label={t('actionPlans.action.currency')}
              maxLength={3}
              placeholder="EUR"
              {...form.getInputProps('currency')}
            />
          </Group>
          {action && (
            <>
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('actionPlans.action.progress')}: {form.values.progress} %
                </Text>
                <Slider
                  min={0}
                  max={100}
                  step={5}
                  label={(v) => `${v} %`}
                  aria-label={t('actionPlans.action.progress')}
                  {...form.getInputProps('progress')}
                />
              </Stack>
              <Textarea
                label={t('actionPlans.action.evidence')}
                autosize
                minRows={2}
                {...form.getInputProps('evidence')}
              />
            </>
          )}
          {!action && <NewMilestones form={form} plan={plan} />}
          <SaveError
            error={save.error}
            onReload={() => qc.invalidateQueries({ queryKey: planKey(plan.id) })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            {canManage && (
              <Button type="submit" loading={save.isPending} data-testid="action-save">
                {t('common.save')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
      {action && <MilestonesEditor plan={plan} action={action} />}
    </Modal>
  );
}

function NewMilestones({
  form,
  plan,
}: {
  form: UseFormReturnType<FormValues>;
  plan: PlanDetailT;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        {t('actionPlans.milestone.title')}
      </Text>
      {form.values.milestones.map((_, i) => (
        <Group key={i} gap="xs" align="flex-end">
          <TextInput
            style={{ flex: 1 }}
            label={t('actionPlans.milestone.name')}
            {...form.getInputProps(`milestones.${i}.title`)}
          />
          <TextInput
            type="date"
            label={t('actionPlans.milestone.dueDate')}
            min={plan.horizonStart}
            max={plan.horizonEnd}
            {...form.getInputProps(`milestones.${i}.dueDate`)}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label={t('actionPlans.milestone.remove')}
            onClick={() => form.removeListItem('milestones', i)}
            mb={4}
          >
            <IconTrash size={16} aria-hidden />
          </ActionIcon>
        </Group>
      ))}
      <Button
        variant="subtle"
        size="compact-sm"
        leftSection={<IconPlus size={14} aria-hidden />}
        onClick={() => form.insertListItem('milestones', { title: '', dueDate: '' })}
        style={{ alignSelf: 'flex-start' }}
      >
        {t('actionPlans.milestone.add')}
      </Button>
    </Stack>
  );
}

/** Milestones of an existing action: tick done (owners), add or remove (managers). */
function MilestonesEditor({ plan, action }: { plan: PlanDetailT; action: ActionT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const canManage = useCan('action-plans.manage');
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const refresh = () => qc.invalidateQueries({ queryKey: planKey(plan.id) });
  const toggle = useMutation({
    mutationFn: (m: { id: string; version: number; done: boolean }) =>
      api.patch(`/api/action-plans/milestones/${m.id}`, { version: m.version, done: m.done }),
    onSuccess: refresh,
    onError: (e) => notifyError(String((e as Error).message)),
  });
  const add = useMutation({
    mutationFn: () =>
      api.post(`/api/action-plans/actions/${action.id}/milestones`, { title: title.trim(), dueDate: due }),
    onSuccess: () => {
      setTitle('');
      setDue('');
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (m: { id: string; version: number }) =>
      api.delete(`/api/action-plans/milestones/${m.id}?version=${m.version}`),
    onSuccess: refresh,
  });
  const current = plan.actions.find((a) => a.id === action.id) ?? action;
  return (
    <Stack gap="xs" mt="lg">
      <Text fw={500}>{t('actionPlans.milestone.title')}</Text>
      {current.milestones.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('actionPlans.milestone.none')}
        </Text>
      )}
      {current.milestones.map((m) => (
        <Group key={m.id} gap="xs" justify="space-between">
          <Checkbox
            checked={!!m.doneAt}
            onChange={(e) => toggle.mutate({ id: m.id, version: m.version, done: e.currentTarget.checked })}
            label={`${m.title} — ${f.date(m.dueDate)}`}
            c={m.overdue ? 'red' : undefined}
          />
          {canManage && (
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t('actionPlans.milestone.remove')}
              onClick={() => remove.mutate(m)}
            >
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          )}
        </Group>
      ))}
      {canManage && (
        <Group gap="xs" align="flex-end">
          <TextInput
            style={{ flex: 1 }}
            label={t('actionPlans.milestone.name')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('actionPlans.milestone.dueDate')}
            min={plan.horizonStart}
            max={plan.horizonEnd}
            value={due}
            onChange={(e) => setDue(e.currentTarget.value)}
          />
          <Button
            variant="light"
            disabled={!title.trim() || !due}
            loading={add.isPending}
            onClick={() => add.mutate()}
          >
            {t('actionPlans.milestone.add')}
          </Button>
        </Group>
      )}
      <ProblemAlert error={add.error ?? remove.error} />
    </Stack>
  );
}
