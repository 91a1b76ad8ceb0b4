import { Alert, Button, Container, Group, Modal, Stack, Tabs, Text, Textarea } from '@mantine/core';
import {
  IconChartLine,
  IconLayoutKanban,
  IconList,
  IconPlus,
  IconSparkles,
  IconTimeline,
} from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useCan } from '../../../web/session';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { AnchorLink } from '../../../web/ui-kit/links';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import type { ActionT, PlanDetailT } from '../action-plans.contract';
import { ActionFormModal } from './action-form';
import { PlanStatusBadge } from './bits';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ConfirmModal } from './confirm-modal';
import { DraftDialog } from './draft-dialog';
import { KpisTab } from './kpis-tab';
import { PlanEditButton, PlanEditModal, PlanStatusMenu, useAssessmentOptions } from './plan-header';
import { kpisKey, planKey, plansKey, usePlan } from './queries';
import { Timeline } from './timeline';
import { ActionsList, Kanban } from './views';

export function PlanPage(): ReactNode {
  return (
    <RequirePermission permission="action-plans.read">
      <Plan />
    </RequirePermission>
  );
}

function Plan(): ReactNode {
  const { id } = useParams({ strict: false }) as { id: string };
  const plan = usePlan(id);
  if (plan.isPending) return <PageLoader />;
  if (plan.isError) return <QueryError error={plan.error} onRetry={() => plan.refetch()} />;
  return <PlanView plan={plan.data} />;
}

function PlanView({ plan }: { plan: PlanDetailT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const canManage = useCan('action-plans.manage');
  const canApprove = useCan('action-plans.approve');
  const [editing, setEditing] = useState<ActionT | 'new' | null>(null);
  const [drafting, setDrafting] = useState(false);
  const [approving, setApproving] = useState(false);
  const [editingPlan, setEditingPlan] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [tab, setTab] = useState<string | null>('list');
  const qc = useQueryClient();
  const assessments = useAssessmentOptions();
  const linked = plan.assessmentId
    ? assessments.data?.items.find((a) => a.id === plan.assessmentId)
    : undefined;
  const open = plan.status !== 'archived';
  const toDelete = deleting ? plan.actions.find((a) => a.id === deleting) : undefined;
  const refreshPlan = () => qc.invalidateQueries({ queryKey: planKey(plan.id) });
  const overdue = plan.actions.filter((a) => a.overdue).length;
  const budget = plan.actions.reduce((s, a) => s + (a.budget ?? 0), 0);
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={plan.title}
        crumbs={[{ label: t('actionPlans.title'), to: '/action-plans' }]}
        before={<PlanStatusBadge status={plan.status} />}
        actions={
          <>
            <PlanEditButton onClick={() => setEditingPlan(true)} />
            <PlanStatusMenu plan={plan} />
            {canApprove && plan.status === 'draft' && (
              <Button
                variant="light"
                color="teal"
                onClick={() => setApproving(true)}
                data-testid="plan-approve"
              >
                {t('actionPlans.approve.button')}
              </Button>
            )}
            {canManage && open && (
              <Button
                variant="light"
                leftSection={<IconSparkles size={16} aria-hidden />}
                onClick={() => setDrafting(true)}
                data-testid="draft-from-evidence"
              >
                {t('actionPlans.draft.button')}
              </Button>
            )}
            {canManage && open && (
              <Button
                leftSection={<IconPlus size={16} aria-hidden />}
                onClick={() => setEditing('new')}
                data-testid="action-create"
              >
                {t('actionPlans.action.new')}
              </Button>
            )}
          </>
        }
      />
      <Stack gap={4} mb="md">
        <Text size="sm">
          {t('actionPlans.plan.horizon')}: {f.date(plan.horizonStart)} – {f.date(plan.horizonEnd)}
          {plan.fundingSource ? ` · ${t('actionPlans.plan.fundingSource')}: ${plan.fundingSource}` : ''}
          {budget > 0 ? ` · ${t('actionPlans.plan.budgetTotal')}: ${f.number(budget)}` : ''}
        </Text>
        {plan.assessmentId && (
          <Text size="sm" data-testid="plan-assessment">
            {t('actionPlans.plan.assessment')}:{' '}
            {linked ? (
              <AnchorLink to="/assessments/$id" params={{ id: linked.id }}>
                {linked.title}
              </AnchorLink>
            ) : (
              t('actionPlans.plan.assessmentUnknown')
            )}
          </Text>
        )}
        <Text size="sm" c="dimmed">
          {plan.approvedAt
            ? t('actionPlans.plan.approvedByOn', {
                name: plan.approvedByName ?? '—',
                date: f.date(plan.approvedAt),
              })
            : t('actionPlans.plan.notApproved')}
          {plan.approvalNote ? ` — ${plan.approvalNote}` : ''}
        </Text>
        {overdue > 0 && (
          <Alert color="red" variant="light" p="xs">
            {t('actionPlans.overdueCount', { n: overdue })}
          </Alert>
        )}
      </Stack>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="list" leftSection={<IconList size={16} aria-hidden />} data-testid="view-list">
            {t('actionPlans.views.list')}
          </Tabs.Tab>
          <Tabs.Tab
            value="kanban"
            leftSection={<IconLayoutKanban size={16} aria-hidden />}
            data-testid="view-kanban"
          >
            {t('actionPlans.views.kanban')}
          </Tabs.Tab>
          <Tabs.Tab
            value="timeline"
            leftSection={<IconTimeline size={16} aria-hidden />}
            data-testid="view-timeline"
          >
            {t('actionPlans.views.timeline')}
          </Tabs.Tab>
          <Tabs.Tab
            value="kpis"
            leftSection={<IconChartLine size={16} aria-hidden />}
            data-testid="view-kpis"
          >
            {t('actionPlans.views.kpis')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="list">
          <ActionsList plan={plan} onOpen={setEditing} onDelete={(a) => setDeleting(a.id)} />
        </Tabs.Panel>
        <Tabs.Panel value="kanban">
          <Kanban plan={plan} onOpen={setEditing} />
        </Tabs.Panel>
        <Tabs.Panel value="timeline">
          <Timeline plan={plan} />
        </Tabs.Panel>
        <Tabs.Panel value="kpis">
          <KpisTab plan={plan} />
        </Tabs.Panel>
      </Tabs>
      {editing && (
        <ActionFormModal
          key={editing === 'new' ? 'new' : `${editing.id}:${editing.version}`}
          plan={plan}
          action={editing === 'new' ? null : editing}
          opened
          onClose={() => setEditing(null)}
        />
      )}
      {drafting && <DraftDialog plan={plan} onClose={() => setDrafting(false)} />}
      {approving && <ApproveModal plan={plan} onClose={() => setApproving(false)} />}
      {editingPlan && <PlanEditModal plan={plan} onClose={() => setEditingPlan(false)} />}
      {toDelete && (
        <ConfirmModal
          title={t('actionPlans.action.deleteTitle', { ref: toDelete.ref })}
          body={t('actionPlans.action.deleteBody', { objective: toDelete.objective })}
          confirmLabel={t('actionPlans.delete')}
          run={() => api.delete(`/api/action-plans/actions/${toDelete.id}?version=${toDelete.version}`)}
          onDone={() => {
            notifySuccess(t('actionPlans.action.deleted', { ref: toDelete.ref }));
            void refreshPlan();
            void qc.invalidateQueries({ queryKey: kpisKey });
            void qc.invalidateQueries({ queryKey: plansKey });
          }}
          onReload={refreshPlan}
          onClose={() => setDeleting(null)}
          testId="action-delete-confirm"
        />
      )}
    </Container>
  );
}

function ApproveModal({ plan, onClose }: { plan: PlanDetailT; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [note, setNote] = useState('');
  const approve = useMutation({
    mutationFn: () =>
      api.post(`/api/action-plans/${plan.id}/approve`, { version: plan.version, note: note.trim() || null }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: planKey(plan.id) });
      qc.invalidateQueries({ queryKey: plansKey });
      onClose();
    },
  });
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened
      onClose={onClose}
      title={t('actionPlans.approve.title')}
    >
      <Stack>
        <Text size="sm">{t('actionPlans.approve.body', { title: plan.title })}</Text>
        <Textarea
          label={t('actionPlans.approve.note')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        <SaveError
          error={approve.error}
          onReload={() => qc.invalidateQueries({ queryKey: planKey(plan.id) })}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="teal" loading={approve.isPending} onClick={() => approve.mutate()}>
            {t('actionPlans.approve.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
