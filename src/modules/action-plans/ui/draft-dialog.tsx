import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Items, api } from '../../../web/api';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageLoader } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import type { ActionT, DraftResultT, PlanDetailT, ProposalT } from '../action-plans.contract';
import { usePickerData } from './action-form';
import { planKey, useLookups } from './queries';

interface Row extends ProposalT {
  selected: boolean;
  ownerUserId: string | null;
  ownerUnitId: string | null;
}

/** "Draft from evidence": proposals (nothing stored) to tick, edit and accept as actions. */
export function DraftDialog({ plan, onClose }: { plan: PlanDetailT; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const lookups = useLookups();
  const data = usePickerData(lookups.data);
  const [itemLimit, setItemLimit] = useState<number | string>(5);
  const [riskLimit, setRiskLimit] = useState<number | string>(5);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [notes, setNotes] = useState<string[]>([]);
  const draft = useMutation({
    mutationFn: () =>
      api.post<DraftResultT>(`/api/action-plans/${plan.id}/draft`, {
        itemLimit: Number(itemLimit) || 0,
        riskLimit: Number(riskLimit) || 0,
      }),
    onSuccess: (r) => {
      setNotes(r.notes);
      setRows(r.proposals.map((p) => ({ ...p, selected: true, ownerUserId: null, ownerUnitId: null })));
    },
  });
  const accept = useMutation({
    mutationFn: (chosen: Row[]) =>
      api.post<Items<ActionT>>(`/api/action-plans/${plan.id}/actions/accept`, {
        actions: chosen.map((r) => ({
          objective: r.objective.trim(),
          description: r.description.trim() || null,
          factor: r.factor,
          gapItemUrns: r.gapItemUrns,
          riskIds: r.riskIds,
          ownerUserId: r.ownerUserId,
          ownerUnitId: r.ownerUnitId,
          startDate: r.startDate,
          dueDate: r.dueDate,
        })),
      }),
    onSuccess: (res) => {
      qc.invalidateQueries({ queryKey: planKey(plan.id) });
      notifySuccess(t('actionPlans.draft.accepted', { n: res.items.length }));
      onClose();
    },
  });
  const update = (i: number, patch: Partial<Row>) =>
    setRows((rs) => rs?.map((r, j) => (j === i ? { ...r, ...patch } : r)) ?? null);
  const chosen = rows?.filter((r) => r.selected && r.objective.trim()) ?? [];
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('actionPlans.draft.title')}
      size="80rem"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <Stack>
        <Text size="sm" c="dimmed">
          {t('actionPlans.draft.intro')}
        </Text>
        <Group align="flex-end">
          <NumberInput
            label={t('actionPlans.draft.itemLimit')}
            min={0}
            max={30}
            value={itemLimit}
            onChange={setItemLimit}
            w={200}
          />
          <NumberInput
            label={t('actionPlans.draft.riskLimit')}
            min={0}
            max={30}
            value={riskLimit}
            onChange={setRiskLimit}
            w={200}
          />
          <Button onClick={() => draft.mutate()} loading={draft.isPending} data-testid="draft-run">
            {rows ? t('actionPlans.draft.again') : t('actionPlans.draft.run')}
          </Button>
        </Group>
        <ProblemAlert error={draft.error} />
        {draft.isPending && <PageLoader />}
        {notes.map((n) => (
          <Alert key={n} variant="light" color="yellow" icon={<IconInfoCircle aria-hidden />}>
            {n}
          </Alert>
        ))}
        {rows && rows.length === 0 && <Text c="dimmed">{t('actionPlans.draft.none')}</Text>}
        {rows?.map((r, i) => (
          <Paper
            key={`${r.source}:${r.sourceRef}`}
            withBorder
            p="sm"
            radius="md"
            data-testid={`proposal-${i}`}
          >
            <Stack gap="xs">
              <Group justify="space-between" wrap="nowrap">
                <Checkbox
                  checked={r.selected}
                  onChange={(e) => update(i, { selected: e.currentTarget.checked })}
                  label={t('actionPlans.draft.include', { ref: r.sourceRef })}
                  data-testid={`proposal-${i}-select`}
                />
                {r.source === 'item' ? (
                  <Badge
                    variant="light"
                    color={
                      r.rating !== null && r.scaleMax
                        ? r.rating / r.scaleMax < 0.4
                          ? 'red'
                          : 'orange'
                        : 'gray'
                    }
                  >
                    {t('actionPlans.draft.rated', { rating: r.rating ?? '—', max: r.scaleMax ?? '—' })}
                  </Badge>
                ) : (
                  <Badge variant="filled" color={r.level?.color ?? 'gray'} autoContrast>
                    {r.level?.label ?? r.rating}
                  </Badge>
                )}
              </Group>
              <TextInput
                label={t('actionPlans.action.objective')}
                value={r.objective}
                onChange={(e) => update(i, { objective: e.currentTarget.value })}
                maxLength={500}
                data-testid={`proposal-${i}-objective`}
              />
              <Textarea
                label={t('actionPlans.action.description')}
                value={r.description}
                onChange={(e) => update(i, { description: e.currentTarget.value })}
                autosize
                minRows={1}
                maxRows={4}
              />
              <Group grow align="flex-start">
                <Select
                  label={t('actionPlans.action.factor')}
                  data={data.factors}
                  value={r.factor ? String(r.factor) : null}
                  onChange={(v) => update(i, { factor: v ? Number(v) : null })}
                  clearable
                />
                <Select
                  label={t('actionPlans.action.ownerUser')}
                  data={data.users}
                  value={r.ownerUserId}
                  onChange={(v) => update(i, { ownerUserId: v })}
                  searchable
                  clearable
                />
                <Select
                  label={t('actionPlans.action.ownerUnit')}
                  data={data.units}
                  value={r.ownerUnitId}
                  onChange={(v) => update(i, { ownerUnitId: v })}
                  searchable
                  clearable
                />
                <TextInput
                  type="date"
                  label={t('actionPlans.action.startDate')}
                  value={r.startDate}
                  min={plan.horizonStart}
                  max={plan.horizonEnd}
                  onChange={(e) => update(i, { startDate: e.currentTarget.value })}
                />
                <TextInput
                  type="date"
                  label={t('actionPlans.action.dueDate')}
                  value={r.dueDate}
                  min={plan.horizonStart}
                  max={plan.horizonEnd}
                  onChange={(e) => update(i, { dueDate: e.currentTarget.value })}
                />
              </Group>
            </Stack>
          </Paper>
        ))}
        <ProblemAlert error={accept.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            disabled={chosen.length === 0}
            loading={accept.isPending}
            onClick={() => accept.mutate(chosen)}
            data-testid="draft-accept"
          >
            {t('actionPlans.draft.accept', { n: chosen.length })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
