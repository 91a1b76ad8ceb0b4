import {
  Anchor,
  Button,
  Container,
  Group,
  Modal,
  MultiSelect,
  Progress,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import type { z } from 'zod';
import type { CampaignDetail, EnrolResult } from '../learning.contract';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { DueDate, EnrolmentBadge, ManageTabs, today, usePct } from './bits';
import {
  campaignsKey,
  learningKey,
  useCampaigns,
  useCourses,
  useMembers,
  useRoles,
  useUnits,
} from './queries';
import type { CampaignT } from './types';

export function CampaignsPage(): ReactNode {
  return (
    <RequirePermission permission="learning.manage">
      <Campaigns />
    </RequirePermission>
  );
}

function Campaigns(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const pct = usePct();
  const campaigns = useCampaigns();
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<CampaignT | null>(null);
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('learning.campaignsTitle')}
        description={t('learning.campaignsIntro')}
        actions={
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => setCreating(true)}
            data-testid="campaign-create"
          >
            {t('learning.newCampaign')}
          </Button>
        }
      />
      <ManageTabs current="campaigns" />
      {campaigns.isPending ? (
        <PageLoader />
      ) : campaigns.isError ? (
        <QueryError error={campaigns.error} onRetry={() => campaigns.refetch()} />
      ) : campaigns.data.items.length === 0 ? (
        <Text c="dimmed">{t('learning.noCampaigns')}</Text>
      ) : (
        <ScrollTable minWidth={760} label={t('learning.campaignsTitle')}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('learning.campaign')}</Table.Th>
                <Table.Th scope="col">{t('learning.course')}</Table.Th>
                <Table.Th scope="col">{t('learning.target')}</Table.Th>
                <Table.Th scope="col">{t('learning.dueDate')}</Table.Th>
                <Table.Th scope="col">{t('learning.completion')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {campaigns.data.items.map((c) => {
                const rate = c.enrolled ? c.completed / c.enrolled : 0;
                const overdue = !!c.dueDate && c.dueDate < today() && c.completed < c.enrolled;
                return (
                  <Table.Tr key={c.id} data-testid={`campaign-row-${c.id}`}>
                    <Table.Td fw={500}>
                      <Anchor component="button" type="button" onClick={() => setOpen(c)} fw={500}>
                        {c.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{c.courseTitle}</Table.Td>
                    <Table.Td>{t(`learning.targets.${c.targetKind}`, { count: c.targets.length })}</Table.Td>
                    <Table.Td c={overdue ? 'red' : undefined}>{f.date(c.dueDate)}</Table.Td>
                    <Table.Td miw={200}>
                      <Progress
                        value={rate * 100}
                        color={rate >= 1 ? 'teal' : 'blue'}
                        aria-label={t('learning.completedOfEnrolled', {
                          completed: c.completed,
                          enrolled: c.enrolled,
                        })}
                      />
                      <Text size="xs" c="dimmed" mt={2}>
                        {t('learning.completedOfEnrolled', {
                          completed: f.number(c.completed),
                          enrolled: f.number(c.enrolled),
                        })}{' '}
                        · {pct(rate)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <CreateCampaignModal opened={creating} onClose={() => setCreating(false)} />
      <CampaignModal campaign={open} onClose={() => setOpen(null)} />
    </Container>
  );
}

type Target = CampaignT['targetKind'];

function CreateCampaignModal({ opened, onClose }: { opened: boolean; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const courses = useCourses();
  const units = useUnits(opened);
  const roles = useRoles(opened);
  const members = useMembers(opened);
  const form = useForm({
    initialValues: {
      courseId: '',
      title: '',
      targetKind: 'units' as Target,
      targets: [] as string[],
      dueDate: '',
    },
    validate: {
      courseId: (v) => (v ? null : t('learning.required')),
      title: (v) => (v.trim() ? null : t('learning.required')),
      targets: (v) => (v.length ? null : t('learning.pickTargets')),
      dueDate: (v) => (v && v < today() ? t('learning.dueInPast') : null),
    },
  });
  const courseOptions = useMemo(
    () =>
      (courses.data?.items ?? [])
        .filter((c) => c.publishedVersion !== null)
        .map((c) => ({ value: c.id, label: c.title })),
    [courses.data],
  );
  const targetOptions = useMemo(() => {
    const k = form.values.targetKind;
    if (k === 'units')
      return (units.data?.items ?? []).map((u) => ({
        value: u.id,
        label: u.code ? `${u.name} (${u.code})` : u.name,
      }));
    if (k === 'roles') return (roles.data?.roles ?? []).map((r) => ({ value: r.id, label: r.label }));
    return (members.data?.items ?? []).map((m) => ({ value: m.userId, label: `${m.name} <${m.email}>` }));
  }, [form.values.targetKind, units.data, roles.data, members.data]);
  const create = useMutation({
    mutationFn: (v: typeof form.values) =>
      api.post<CampaignT>('/api/learning/campaigns', {
        courseId: v.courseId,
        title: v.title.trim(),
        targetKind: v.targetKind,
        targets: v.targets,
        dueDate: v.dueDate || null,
      }),
    onSuccess: (c) => {
      qc.invalidateQueries({ queryKey: campaignsKey });
      qc.invalidateQueries({ queryKey: learningKey });
      notifySuccess(t('learning.campaignCreated', { count: c.enrolled ?? 0 }));
      form.reset();
      onClose();
    },
    onError: (e) => applyFieldErrors(form, ['courseId', 'title', 'targetKind', 'targets', 'dueDate'], e),
  });
  const lookupError = units.error ?? roles.error ?? members.error;
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('learning.newCampaign')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={form.onSubmit((v) => create.mutate(v))}>
        <Stack>
          <Select
            label={t('learning.course')}
            data={courseOptions}
            searchable
            required
            data-testid="campaign-course"
            {...form.getInputProps('courseId')}
            onChange={(v) => {
              form.setFieldValue('courseId', v ?? '');
              const c = courses.data?.items.find((x) => x.id === v);
              if (c && !form.values.title) form.setFieldValue('title', c.title);
            }}
          />
          <TextInput
            label={t('learning.campaignTitle')}
            required
            data-testid="campaign-title"
            {...form.getInputProps('title')}
          />
          <div>
            <Text size="sm" fw={500} mb={4} id="campaign-target-kind">
              {t('learning.target')}
            </Text>
            <SegmentedControl
              aria-labelledby="campaign-target-kind"
              value={form.values.targetKind}
              onChange={(v) => {
                form.setFieldValue('targetKind', v as Target);
                form.setFieldValue('targets', []);
              }}
              data={(['units', 'roles', 'users'] as const).map((k) => ({
                value: k,
                label: t(`learning.targetKinds.${k}`),
              }))}
            />
          </div>
          <MultiSelect
            label={t(`learning.targetPick.${form.values.targetKind}`)}
            description={form.values.targetKind === 'units' ? t('learning.unitsIncludeSub') : undefined}
            data={targetOptions}
            searchable
            clearable
            required
            hidePickedOptions
            nothingFoundMessage={t('learning.nothingFound')}
            data-testid="campaign-targets"
            {...form.getInputProps('targets')}
          />
          <TextInput
            type="date"
            label={t('learning.dueDate')}
            min={today()}
            data-testid="campaign-due"
            {...form.getInputProps('dueDate')}
          />
          <ProblemAlert error={lookupError} />
          <ProblemAlert error={create.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('learning.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="campaign-submit">
              {t('learning.createCampaign')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function CampaignModal({
  campaign,
  onClose,
}: {
  campaign: CampaignT | null;
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const pct = usePct();
  const qc = useQueryClient();
  const detail = useQuery({
    queryKey: [...campaignsKey, 'detail', campaign?.id],
    queryFn: ({ signal }) =>
      api.get<z.infer<typeof CampaignDetail>>(`/api/learning/campaigns/${campaign!.id}`, { signal }),
    enabled: !!campaign,
  });
  const enrol = useMutation({
    mutationFn: () => api.post<z.infer<typeof EnrolResult>>(`/api/learning/campaigns/${campaign!.id}/enrol`),
    onSuccess: (r) => {
      qc.invalidateQueries({ queryKey: campaignsKey });
      notifySuccess(t('learning.enrolNewcomersDone', { count: r.added }));
    },
  });
  return (
    <Modal
      opened={!!campaign}
      onClose={onClose}
      size="xl"
      title={campaign ? t('learning.learnersOf', { title: campaign.title }) : ''}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <Stack>
        <Group justify="flex-end">
          <Button variant="default" size="xs" onClick={() => enrol.mutate()} loading={enrol.isPending}>
            {t('learning.enrolNewcomers')}
          </Button>
        </Group>
        <ProblemAlert error={enrol.error} />
        {detail.isPending ? (
          <PageLoader />
        ) : detail.isError ? (
          <QueryError error={detail.error} onRetry={() => detail.refetch()} />
        ) : (
          <ScrollTable minWidth={640} label={t('learning.learners')}>
            <Table striped fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('learning.learner')}</Table.Th>
                  <Table.Th scope="col">{t('learning.unit')}</Table.Th>
                  <Table.Th scope="col">{t('learning.status')}</Table.Th>
                  <Table.Th scope="col">{t('learning.dueDate')}</Table.Th>
                  <Table.Th scope="col">{t('learning.score')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {detail.data.learners.map((l) => (
                  <Table.Tr key={l.enrolmentId}>
                    <Table.Td>{l.userName}</Table.Td>
                    <Table.Td>{l.unitName ?? '—'}</Table.Td>
                    <Table.Td>
                      <EnrolmentBadge status={l.status} />
                    </Table.Td>
                    <Table.Td>
                      <DueDate dueDate={l.dueDate} status={l.status} />
                    </Table.Td>
                    <Table.Td>{pct(l.score)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </Stack>
    </Modal>
  );
}
