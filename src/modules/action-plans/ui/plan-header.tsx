import { Button, Group, Menu, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconChevronDown, IconPencil } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Items, api, isApiError } from '../../../web/api';
import { useCan } from '../../../web/session';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import type { PlanDetailT } from '../action-plans.contract';
import type { PlanStatus } from '../action-plans.vocab';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ConfirmModal } from './confirm-modal';
import { planKey, plansKey } from './queries';

/** The assessments the plan may be linked to (only the fields this page needs). */
interface AssessmentOption {
  id: string;
  title: string;
  status: string;
}

export function useAssessmentOptions() {
  const canRead = useCan('assessments.read');
  return useQuery({
    queryKey: ['assessments', 'for-action-plans'],
    queryFn: ({ signal }) => api.get<Items<AssessmentOption>>('/api/assessments', { signal }),
    enabled: canRead,
    staleTime: 60_000,
  });
}

function useRefreshPlan(planId: string) {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: planKey(planId) }),
      qc.invalidateQueries({ queryKey: plansKey }),
    ]);
}

interface PlanForm {
  title: string;
  horizonStart: string;
  horizonEnd: string;
  fundingSource: string;
  assessmentId: string | null;
}

const PLAN_FIELDS = ['title', 'horizonStart', 'horizonEnd', 'fundingSource', 'assessmentId'];

/** The changed header fields only (an unchanged horizon never touches the approval). */
function planChanges(plan: PlanDetailT, v: PlanForm, canLinkAssessment: boolean) {
  const body: Record<string, unknown> = {};
  if (v.title.trim() !== plan.title) body.title = v.title.trim();
  if (v.horizonStart !== plan.horizonStart) body.horizonStart = v.horizonStart;
  if (v.horizonEnd !== plan.horizonEnd) body.horizonEnd = v.horizonEnd;
  const funding = v.fundingSource.trim() || null;
  if (funding !== plan.fundingSource) body.fundingSource = funding;
  if (canLinkAssessment && (v.assessmentId || null) !== plan.assessmentId)
    body.assessmentId = v.assessmentId || null;
  return body;
}

/** Edit title, horizon, funding source and linked assessment (versioned; 409 offers a reload). */
export function PlanEditModal({ plan, onClose }: { plan: PlanDetailT; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const refresh = useRefreshPlan(plan.id);
  const canLinkAssessment = useCan('assessments.read');
  const assessments = useAssessmentOptions();
  const [withdrawFor, setWithdrawFor] = useState<Record<string, unknown> | null>(null);
  const form = useForm<PlanForm>({
    initialValues: {
      title: plan.title,
      horizonStart: plan.horizonStart,
      horizonEnd: plan.horizonEnd,
      fundingSource: plan.fundingSource ?? '',
      assessmentId: plan.assessmentId,
    },
    validate: {
      title: (v) => (v.trim() ? null : t('actionPlans.required')),
      horizonEnd: (v, all) => (v && v < all.horizonStart ? t('actionPlans.plan.endBeforeStart') : null),
    },
  });
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api.patch<PlanDetailT>(`/api/action-plans/${plan.id}`, { ...body, version: plan.version }),
    onSuccess: () => {
      setWithdrawFor(null);
      notifySuccess(t('actionPlans.plan.saved'));
      void refresh();
      onClose();
    },
    onError: (e, body) => {
      // Approved meanwhile by someone else: ask before withdrawing that approval.
      if (
        isApiError(e, 'CONFLICT') &&
        ('horizonStart' in body || 'horizonEnd' in body) &&
        !body.withdrawApproval
      ) {
        void refresh();
        setWithdrawFor(body);
        return;
      }
      // A refused horizon (actions outside it, bad dates) is fixed in the form itself.
      if (body.withdrawApproval && !isApiError(e, 'VERSION_CONFLICT')) setWithdrawFor(null);
      applyFieldErrors(form, PLAN_FIELDS, e);
    },
  });
  const submit = (v: PlanForm) => {
    const body = planChanges(plan, v, canLinkAssessment);
    if (Object.keys(body).length === 0) return onClose();
    if (plan.approvedAt && ('horizonStart' in body || 'horizonEnd' in body)) setWithdrawFor(body);
    else save.mutate(body);
  };
  const options = (assessments.data?.items ?? []).map((a) => ({ value: a.id, label: a.title }));
  if (plan.assessmentId && !options.some((o) => o.value === plan.assessmentId))
    options.push({ value: plan.assessmentId, label: t('actionPlans.plan.assessmentUnknown') });
  const withdrawing = withdrawFor !== null;
  return (
    <>
      <Modal
        opened={!withdrawing}
        onClose={onClose}
        title={t('actionPlans.plan.editTitle')}
        size="lg"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <form noValidate onSubmit={form.onSubmit(submit)}>
          <Stack>
            <TextInput
              label={t('actionPlans.plan.title')}
              required
              data-testid="plan-edit-title"
              {...form.getInputProps('title')}
            />
            <Group grow align="flex-start">
              <TextInput
                type="date"
                label={t('actionPlans.plan.horizonStart')}
                required
                data-testid="plan-edit-start"
                {...form.getInputProps('horizonStart')}
              />
              <TextInput
                type="date"
                label={t('actionPlans.plan.horizonEnd')}
                required
                data-testid="plan-edit-end"
                {...form.getInputProps('horizonEnd')}
              />
            </Group>
            {plan.approvedAt && (
              <Text size="xs" c="dimmed">
                {t('actionPlans.plan.horizonApprovedHelp')}
              </Text>
            )}
            <TextInput label={t('actionPlans.plan.fundingSource')} {...form.getInputProps('fundingSource')} />
            {canLinkAssessment && (
              <Select
                label={t('actionPlans.plan.assessment')}
                description={t('actionPlans.plan.assessmentHelp')}
                placeholder={t('actionPlans.plan.noAssessment')}
                data={options}
                searchable
                clearable
                comboboxProps={{ withinPortal: true }}
                {...form.getInputProps('assessmentId')}
              />
            )}
            <SaveError error={withdrawing ? null : save.error} onReload={refresh} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={save.isPending && !withdrawing} data-testid="plan-edit-save">
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <Modal
        opened={withdrawing}
        onClose={() => setWithdrawFor(null)}
        title={t('actionPlans.plan.withdraw.title')}
        size="md"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack>
          <Text size="sm">
            {t('actionPlans.plan.withdraw.body', {
              name: plan.approvedByName ?? '—',
              date: plan.approvedAt ? f.date(plan.approvedAt) : '—',
            })}
          </Text>
          <SaveError error={withdrawing ? save.error : null} onReload={refresh} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setWithdrawFor(null)}>
              {t('actionPlans.plan.withdraw.back')}
            </Button>
            <Button
              color="orange"
              loading={save.isPending}
              onClick={() => withdrawFor && save.mutate({ ...withdrawFor, withdrawApproval: true })}
              data-testid="plan-withdraw-confirm"
            >
              {t('actionPlans.plan.withdraw.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** What people may set by hand (draft → approved goes through the approval dialog). */
const SETTABLE = ['in_progress', 'completed', 'archived'] as const satisfies readonly PlanStatus[];
type Settable = (typeof SETTABLE)[number];

/**
 * The status menu of managers: in progress / completed (approved plans only, as the server
 * demands) and archived (always). Each step is confirmed. Approval has its own button.
 */
export function PlanStatusMenu({ plan }: { plan: PlanDetailT }): ReactNode {
  const { t } = useTranslation();
  const canManage = useCan('action-plans.manage');
  const refresh = useRefreshPlan(plan.id);
  const [target, setTarget] = useState<Settable | null>(null);
  const settable = canManage ? SETTABLE.filter((s) => s !== plan.status) : [];
  if (settable.length === 0) return null;
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button
            variant="default"
            rightSection={<IconChevronDown size={14} aria-hidden />}
            data-testid="plan-status"
          >
            {t('actionPlans.plan.statusChange')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {settable.map((s) => {
            const blocked = s !== 'archived' && !plan.approvedAt;
            return (
              <Menu.Item
                key={s}
                disabled={blocked}
                onClick={() => setTarget(s)}
                data-testid={`plan-status-${s}`}
              >
                <Text size="sm">{t(`actionPlans.planStatus.${s}`)}</Text>
                {blocked && (
                  <Text size="xs" c="dimmed">
                    {t('actionPlans.plan.needsApproval')}
                  </Text>
                )}
              </Menu.Item>
            );
          })}
        </Menu.Dropdown>
      </Menu>
      {target && (
        <ConfirmModal
          title={t('actionPlans.plan.statusTitle', { status: t(`actionPlans.planStatus.${target}`) })}
          body={t(`actionPlans.plan.statusHelp.${target}`)}
          confirmLabel={t('actionPlans.plan.statusConfirm')}
          color={target === 'archived' ? 'red' : 'blue'}
          run={() => api.patch(`/api/action-plans/${plan.id}`, { version: plan.version, status: target })}
          onDone={() => {
            notifySuccess(
              t('actionPlans.plan.statusChanged', { status: t(`actionPlans.planStatus.${target}`) }),
            );
            void refresh();
          }}
          onReload={refresh}
          onClose={() => setTarget(null)}
          testId="plan-status-confirm"
        />
      )}
    </>
  );
}

/** The header's "Edit" button (managers). */
export function PlanEditButton({ onClick }: { onClick: () => void }): ReactNode {
  const { t } = useTranslation();
  const canManage = useCan('action-plans.manage');
  if (!canManage) return null;
  return (
    <Button
      variant="default"
      leftSection={<IconPencil size={16} aria-hidden />}
      onClick={onClick}
      data-testid="plan-edit"
    >
      {t('actionPlans.plan.edit')}
    </Button>
  );
}
