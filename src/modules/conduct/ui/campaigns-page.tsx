import {
  Anchor,
  Badge,
  Button,
  Checkbox,
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
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Items, api } from '../../../web/api';
import { useUnits } from '../../../web/directory';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import type { CampaignTarget } from '../conduct.vocab';
import { ManageTabs, conductKey, today, usePct } from './bits';
import type { CampaignDetailT, CampaignT, VersionSummaryT } from './types';

export function CampaignsPage(): ReactNode {
  return (
    <RequirePermission permission="conduct.manage">
      <Campaigns />
    </RequirePermission>
  );
}

function Campaigns(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const pct = usePct();
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    queryKey: [...conductKey, 'campaigns'],
    queryFn: ({ signal }) => api.get<Items<CampaignT>>('/api/conduct/campaigns', { signal }),
  });
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('conduct.campaignsTitle')}
        description={t('conduct.campaignsIntro')}
        actions={
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => setCreating(true)}
            data-testid="campaign-new"
          >
            {t('conduct.newCampaign')}
          </Button>
        }
      />
      <ManageTabs current="campaigns" />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed">{t('conduct.noCampaigns')}</Text>
      ) : (
        <ScrollTable minWidth={760} label={t('conduct.campaignsTitle')}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('conduct.campaign')}</Table.Th>
                <Table.Th scope="col">{t('conduct.version')}</Table.Th>
                <Table.Th scope="col">{t('conduct.target')}</Table.Th>
                <Table.Th scope="col">{t('conduct.dueDate')}</Table.Th>
                <Table.Th scope="col">{t('conduct.acknowledgedCol')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((c) => {
                const r = c.assigned ? c.acknowledged / c.assigned : 0;
                return (
                  <Table.Tr key={c.id} data-testid="campaign-row">
                    <Table.Td>
                      <Anchor component="button" type="button" fw={500} onClick={() => setOpen(c.id)}>
                        {c.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{t('conduct.versionShort', { number: c.versionNumber })}</Table.Td>
                    <Table.Td>
                      {c.targetKind === 'new_entrants'
                        ? t('conduct.targetNewSince', { date: f.date(c.joinedFrom) })
                        : t(`conduct.targets.${c.targetKind}`, { n: c.units.length })}
                    </Table.Td>
                    <Table.Td c={c.overdue ? 'red' : undefined}>{f.date(c.dueDate)}</Table.Td>
                    <Table.Td miw={200}>
                      <Progress value={r * 100} color={r >= 1 ? 'teal' : 'blue'} aria-label={pct(r)} />
                      <Text size="xs" c="dimmed" mt={2}>
                        {t('conduct.ackOf', {
                          acknowledged: f.number(c.acknowledged),
                          assigned: f.number(c.assigned),
                        })}{' '}
                        · {pct(r)}
                        {c.overdue > 0 && ` · ${t('conduct.overdueCount', { n: c.overdue })}`}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {creating && <CreateCampaign onClose={() => setCreating(false)} />}
      {open && <CampaignModal id={open} onClose={() => setOpen(null)} />}
    </Container>
  );
}

function CreateCampaign({ onClose }: { onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const versions = useQuery({
    queryKey: [...conductKey, 'versions', 'staff'],
    queryFn: ({ signal }) =>
      api.get<Items<VersionSummaryT>>('/api/conduct/versions?audience=staff', { signal }),
  });
  const units = useUnits();
  const published = (versions.data?.items ?? []).filter((v) => v.status === 'published');
  const form = useForm({
    initialValues: {
      versionId: '',
      title: '',
      targetKind: 'all' as CampaignTarget,
      units: [] as string[],
      joinedFrom: '',
      dueDate: '',
      escalate: true,
    },
    validate: {
      versionId: (v) => (v ? null : t('conduct.required')),
      title: (v) => (v.trim() ? null : t('conduct.required')),
      dueDate: (v) => (!v ? t('conduct.required') : v < today() ? t('conduct.dueInPast') : null),
      units: (v, all) => (all.targetKind === 'units' && !v.length ? t('conduct.pickUnits') : null),
      joinedFrom: (v, all) => (all.targetKind === 'new_entrants' && !v ? t('conduct.required') : null),
    },
  });
  const first = published[0]?.id;
  useEffect(() => {
    if (first && !form.values.versionId) form.setFieldValue('versionId', first);
  }, [first]);
  const create = useMutation({
    mutationFn: (v: typeof form.values) =>
      api.post<CampaignDetailT>('/api/conduct/campaigns', {
        versionId: v.versionId,
        title: v.title.trim(),
        targetKind: v.targetKind,
        dueDate: v.dueDate,
        escalate: v.escalate,
        ...(v.targetKind === 'units' ? { units: v.units } : {}),
        ...(v.targetKind === 'new_entrants' ? { joinedFrom: v.joinedFrom } : {}),
      }),
    onSuccess: (c) => {
      qc.invalidateQueries({ queryKey: conductKey });
      notifySuccess(t('conduct.campaignCreated', { count: c.assigned }));
      onClose();
    },
    onError: (e) => applyFieldErrors(form, ['versionId', 'title', 'units', 'joinedFrom', 'dueDate'], e),
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('conduct.newCampaign')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={form.onSubmit((v) => create.mutate(v))}>
        <Stack>
          {versions.isSuccess && published.length === 0 && (
            <Text c="orange" size="sm">
              {t('conduct.publishFirst')}
            </Text>
          )}
          <Select
            label={t('conduct.version')}
            data={published.map((v) => ({ value: v.id, label: `${v.number} — ${v.title}` }))}
            required
            data-testid="campaign-version"
            {...form.getInputProps('versionId')}
          />
          <TextInput
            label={t('conduct.campaignTitle')}
            required
            data-testid="campaign-title"
            {...form.getInputProps('title')}
          />
          <div>
            <Text size="sm" fw={500} mb={4} id="conduct-target-kind">
              {t('conduct.target')}
            </Text>
            <SegmentedControl
              aria-labelledby="conduct-target-kind"
              value={form.values.targetKind}
              onChange={(v) => form.setFieldValue('targetKind', v as CampaignTarget)}
              data={(['all', 'new_entrants', 'units'] as const).map((k) => ({
                value: k,
                label: t(`conduct.targetKinds.${k}`),
              }))}
            />
          </div>
          {form.values.targetKind === 'units' && (
            <MultiSelect
              label={t('conduct.units')}
              description={t('conduct.unitsIncludeSub')}
              data={(units.data?.items ?? []).map((u) => ({
                value: u.id,
                label: u.code ? `${u.name} (${u.code})` : u.name,
              }))}
              searchable
              required
              {...form.getInputProps('units')}
            />
          )}
          {form.values.targetKind === 'new_entrants' && (
            <TextInput
              type="date"
              label={t('conduct.joinedFrom')}
              description={t('conduct.joinedFromHelp')}
              required
              {...form.getInputProps('joinedFrom')}
            />
          )}
          <TextInput
            type="date"
            label={t('conduct.dueDate')}
            min={today()}
            required
            data-testid="campaign-due"
            {...form.getInputProps('dueDate')}
          />
          <Checkbox label={t('conduct.escalate')} {...form.getInputProps('escalate', { type: 'checkbox' })} />
          <ProblemAlert error={create.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="campaign-launch">
              {t('conduct.launch')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function CampaignModal({ id, onClose }: { id: string; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const c = useQuery({
    queryKey: [...conductKey, 'campaign', id],
    queryFn: ({ signal }) => api.get<CampaignDetailT>(`/api/conduct/campaigns/${id}`, { signal }),
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={c.data?.title ?? ''}
      size="xl"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {c.isPending ? (
        <PageLoader />
      ) : c.isError ? (
        <QueryError error={c.error} />
      ) : (
        <ScrollTable minWidth={520} label={c.data.title}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('conduct.person')}</Table.Th>
                <Table.Th scope="col">{t('conduct.unit')}</Table.Th>
                <Table.Th scope="col">{t('conduct.acknowledgedCol')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {c.data.people.map((p) => (
                <Table.Tr key={p.userId}>
                  <Table.Td>{p.name}</Table.Td>
                  <Table.Td>{p.unit ?? '—'}</Table.Td>
                  <Table.Td>
                    {p.acknowledgedAt ? (
                      f.dateTime(p.acknowledgedAt)
                    ) : (
                      <Badge color={p.overdue ? 'red' : 'gray'} variant="light">
                        {t(p.overdue ? 'conduct.overdue' : 'conduct.pending')}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Modal>
  );
}
