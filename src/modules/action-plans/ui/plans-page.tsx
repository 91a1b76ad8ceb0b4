import { Badge, Button, Container, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useCan } from '../../../web/session';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { useFormat } from '../../../web/ui-kit/format';
import { AnchorLink } from '../../../web/ui-kit/links';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import type { PlanDetailT } from '../action-plans.contract';
import { PlanStatusBadge } from './bits';
import { plansKey, usePlans } from './queries';

export function PlansPage(): ReactNode {
  return (
    <RequirePermission permission="action-plans.read">
      <Plans />
    </RequirePermission>
  );
}

function Plans(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const plans = usePlans();
  const canManage = useCan('action-plans.manage');
  const [creating, setCreating] = useState(false);
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('actionPlans.title')}
        description={t('actionPlans.intro')}
        actions={
          canManage && (
            <Button
              leftSection={<IconPlus size={16} aria-hidden />}
              onClick={() => setCreating(true)}
              data-testid="plan-create"
            >
              {t('actionPlans.newPlan')}
            </Button>
          )
        }
      />
      {plans.isPending ? (
        <PageLoader />
      ) : plans.isError ? (
        <QueryError error={plans.error} onRetry={() => plans.refetch()} />
      ) : plans.data.items.length === 0 ? (
        <Text c="dimmed">{t('actionPlans.noPlans')}</Text>
      ) : (
        <ScrollTable minWidth={760} label={t('actionPlans.title')}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('actionPlans.plan.title')}</Table.Th>
                <Table.Th scope="col">{t('actionPlans.plan.horizon')}</Table.Th>
                <Table.Th scope="col">{t('actionPlans.plan.status')}</Table.Th>
                <Table.Th scope="col">{t('actionPlans.plan.approval')}</Table.Th>
                <Table.Th scope="col">{t('actionPlans.plan.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {plans.data.items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <AnchorLink to="/action-plans/$id" params={{ id: p.id }} fw={500}>
                      {p.title}
                    </AnchorLink>
                  </Table.Td>
                  <Table.Td>
                    {f.date(p.horizonStart)} – {f.date(p.horizonEnd)}
                  </Table.Td>
                  <Table.Td>
                    <PlanStatusBadge status={p.status} />
                  </Table.Td>
                  <Table.Td>
                    {p.approvedAt ? (
                      <Text size="sm">
                        {t('actionPlans.plan.approvedByOn', {
                          name: p.approvedByName ?? '—',
                          date: f.date(p.approvedAt),
                        })}
                      </Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('actionPlans.plan.notApproved')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      <Text size="sm">
                        {t('actionPlans.plan.doneOf', { done: p.doneCount, total: p.actionCount })}
                      </Text>
                      {p.overdueCount > 0 && (
                        <Badge color="red" variant="light">
                          {t('actionPlans.overdueCount', { n: p.overdueCount })}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <CreatePlanModal opened={creating} onClose={() => setCreating(false)} />
    </Container>
  );
}

function CreatePlanModal({ opened, onClose }: { opened: boolean; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const year = new Date().getUTCFullYear();
  const form = useForm({
    initialValues: {
      title: '',
      horizonStart: `${year}-01-01`,
      horizonEnd: `${year + 2}-12-31`,
      fundingSource: '',
    },
    validate: {
      title: (v) => (v.trim() ? null : t('actionPlans.required')),
      horizonEnd: (v, all) => (v < all.horizonStart ? t('actionPlans.plan.endBeforeStart') : null),
    },
  });
  const create = useMutation({
    mutationFn: (v: typeof form.values) =>
      api.post<PlanDetailT>('/api/action-plans', {
        title: v.title.trim(),
        horizonStart: v.horizonStart,
        horizonEnd: v.horizonEnd,
        fundingSource: v.fundingSource.trim() || null,
      }),
    onSuccess: (p) => {
      qc.invalidateQueries({ queryKey: plansKey });
      onClose();
      form.reset();
      navigate({ to: '/action-plans/$id', params: { id: p.id } });
    },
    onError: (e) => applyFieldErrors(form, ['title', 'horizonStart', 'horizonEnd', 'fundingSource'], e),
  });
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('actionPlans.newPlan')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={form.onSubmit((v) => create.mutate(v))}>
        <Stack>
          <TextInput
            label={t('actionPlans.plan.title')}
            required
            data-testid="plan-title-input"
            {...form.getInputProps('title')}
          />
          <Group grow>
            <TextInput
              type="date"
              label={t('actionPlans.plan.horizonStart')}
              required
              {...form.getInputProps('horizonStart')}
            />
            <TextInput
              type="date"
              label={t('actionPlans.plan.horizonEnd')}
              required
              {...form.getInputProps('horizonEnd')}
            />
          </Group>
          <TextInput label={t('actionPlans.plan.fundingSource')} {...form.getInputProps('fundingSource')} />
          <ProblemAlert error={create.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('actionPlans.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
