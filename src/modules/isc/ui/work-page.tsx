import {
  Anchor,
  Badge,
  Checkbox,
  Container,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Items } from '../../../web/api';
import { Chart } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { Section } from '../../../web/ui-kit/section';
import { CORE_FUNCTIONS, LEAD_KINDS, type LeadKind, WORK_STATUSES, type WorkStatus } from '../isc.vocab';
import {
  CreateForm,
  FULL_LABEL,
  IscListHeader,
  WORK_COLOR,
  WorkStatusBadge,
  iscKey,
  useCanManage,
} from './bits';
import type { WorkItemT } from './types';

export function IscWorkPage(): ReactNode {
  return (
    <RequirePermission permission="isc.read">
      <Work />
    </RequirePermission>
  );
}

const workKey = [...iscKey, 'work'] as const;

/** Mantine colour names as chart colours (the badges' colours, one per status). */
const CHART_COLOR: Record<string, string> = {
  gray: '#868e96',
  blue: '#1c7ed6',
  teal: '#0ca678',
  dark: '#495057',
};

function Work(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const canManage = useCanManage();
  const [creating, setCreating] = useState(false);
  const work = useQuery({
    queryKey: workKey,
    queryFn: ({ signal }) => api.get<Items<WorkItemT>>('/api/isc/work-items', { signal }),
  });
  const items = work.data?.items ?? [];
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, itemGap: 24 },
      grid: { left: 8, right: 8, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: 'category', data: CORE_FUNCTIONS.map((c) => t(`isc.coreFunctions.${c}`)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: WORK_STATUSES.map((st) => ({
        name: t(`isc.workStatus.${st}`),
        type: 'bar',
        stack: 'status',
        itemStyle: { color: CHART_COLOR[WORK_COLOR[st]] },
        data: CORE_FUNCTIONS.map((c) => items.filter((w) => w.coreFunction === c && w.status === st).length),
      })),
    }),
    [items, t],
  );
  return (
    <Container size="lg" px={0}>
      <IscListHeader
        title={t('isc.workTitle')}
        description={t('isc.workIntro')}
        current="work"
        canManage={canManage}
        newLabel={t('isc.newWorkItem')}
        onNew={() => setCreating((c) => !c)}
      />
      {creating && <NewWorkItem onDone={() => setCreating(false)} />}
      {work.isPending ? (
        <PageLoader />
      ) : work.isError ? (
        <QueryError error={work.error} onRetry={() => work.refetch()} />
      ) : (
        <Stack gap="xl">
          <Group gap="sm">
            <Anchor href="/api/isc/work-items/export?format=xlsx" size="sm" data-testid="isc-work-xlsx">
              {t('isc.downloadXlsx')}
            </Anchor>
            <Anchor href="/api/isc/work-items/export?format=csv" size="sm">
              {t('isc.downloadCsv')}
            </Anchor>
          </Group>
          <Section title={t('isc.chartTitle')}>
            <Chart option={option} label={t('isc.chartLabel')} height={260} />
          </Section>
          <ScrollTable minWidth={880} label={t('isc.workTitle')}>
            <Table striped data-testid="isc-work">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('isc.ref')}</Table.Th>
                  <Table.Th>{t('isc.title')}</Table.Th>
                  <Table.Th>{t('isc.coreFunction')}</Table.Th>
                  <Table.Th>{t('isc.lead')}</Table.Th>
                  <Table.Th>{t('isc.statusLabel')}</Table.Th>
                  <Table.Th>{t('isc.dueDate')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((w) => (
                  <Table.Tr key={w.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Text size="sm" ff="monospace">
                        {w.ref}
                      </Text>
                      <Text size="xs" c="dimmed">
                        <bdi>{w.programme}</bdi>
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        <bdi>{w.title}</bdi>
                      </Text>
                      {w.deliverables.length > 0 && (
                        <Text size="xs" c="dimmed">
                          {t('isc.deliverables')}: {f.list(w.deliverables)}
                        </Text>
                      )}
                      {w.public && (
                        <Badge size="xs" variant="light" color="grape" data-testid="isc-public">
                          {t('isc.public')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{t(`isc.coreFunctions.${w.coreFunction}`)}</Table.Td>
                    <Table.Td>
                      {w.leadKind === 'secretariat' ? t('isc.leadKind.secretariat') : w.leadName}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {canManage ? (
                        <StatusSelect item={w} onReload={() => work.refetch()} />
                      ) : (
                        <WorkStatusBadge status={w.status} />
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Stack gap={4} align="flex-start">
                        <Text size="sm">{f.date(w.dueDate)}</Text>
                        {w.overdue && (
                          <Badge
                            color="red"
                            variant="filled"
                            size="sm"
                            styles={FULL_LABEL}
                            data-testid="isc-overdue"
                          >
                            {t('isc.overdue')}
                          </Badge>
                        )}
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        </Stack>
      )}
    </Container>
  );
}

function StatusSelect({ item, onReload }: { item: WorkItemT; onReload: () => unknown }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: (status: WorkStatus) =>
      api.patch<WorkItemT>(`/api/isc/work-items/${item.id}`, { version: item.version, status }),
    onSuccess: () => qc.invalidateQueries({ queryKey: workKey }),
  });
  return (
    <Stack gap={2}>
      <Select
        size="xs"
        w={150}
        aria-label={`${t('isc.statusLabel')} ${item.ref}`}
        value={item.status}
        allowDeselect={false}
        data={WORK_STATUSES.map((s) => ({ value: s, label: t(`isc.workStatus.${s}`) }))}
        onChange={(s) => s && s !== item.status && save.mutate(s as WorkStatus)}
      />
      <SaveError error={save.error} onReload={onReload} />
    </Stack>
  );
}

function NewWorkItem({ onDone }: { onDone: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [v, setV] = useState({
    programme: '2022–2025',
    ref: '',
    title: '',
    coreFunction: 'sp1' as string,
    leadKind: 'secretariat' as LeadKind,
    leadName: '',
    deliverables: '',
    dueDate: '',
    public: false,
  });
  const create = useMutation({
    mutationFn: () =>
      api.post<WorkItemT>('/api/isc/work-items', {
        ...v,
        deliverables: v.deliverables
          .split('\n')
          .map((d) => d.trim())
          .filter(Boolean),
        dueDate: v.dueDate || null,
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: workKey });
      onDone();
    },
  });
  return (
    <CreateForm
      maw={720}
      onSubmit={() => create.mutate()}
      onCancel={onDone}
      pending={create.isPending}
      error={create.error}
    >
      <Group grow>
        <TextInput
          label={t('isc.programme')}
          required
          value={v.programme}
          onChange={(e) => setV({ ...v, programme: e.currentTarget.value })}
        />
        <TextInput
          label={t('isc.ref')}
          required
          value={v.ref}
          onChange={(e) => setV({ ...v, ref: e.currentTarget.value })}
        />
        <TextInput
          type="date"
          label={t('isc.dueDate')}
          value={v.dueDate}
          onChange={(e) => setV({ ...v, dueDate: e.currentTarget.value })}
        />
      </Group>
      <TextInput
        label={t('isc.title')}
        required
        value={v.title}
        onChange={(e) => setV({ ...v, title: e.currentTarget.value })}
      />
      <Group grow>
        <Select
          label={t('isc.coreFunction')}
          allowDeselect={false}
          value={v.coreFunction}
          data={CORE_FUNCTIONS.map((c) => ({ value: c, label: t(`isc.coreFunctions.${c}`) }))}
          onChange={(c) => c && setV({ ...v, coreFunction: c })}
        />
        <Select
          label={t('isc.lead')}
          allowDeselect={false}
          value={v.leadKind}
          data={LEAD_KINDS.map((k) => ({ value: k, label: t(`isc.leadKind.${k}`) }))}
          onChange={(k) => k && setV({ ...v, leadKind: k as LeadKind })}
        />
        <TextInput
          label={t('isc.leadName')}
          disabled={v.leadKind === 'secretariat'}
          value={v.leadName}
          onChange={(e) => setV({ ...v, leadName: e.currentTarget.value })}
        />
      </Group>
      <Textarea
        label={t('isc.deliverables')}
        description={t('isc.deliverablesHelp')}
        autosize
        minRows={2}
        value={v.deliverables}
        onChange={(e) => setV({ ...v, deliverables: e.currentTarget.value })}
      />
      <Checkbox
        label={t('isc.publicLabel')}
        description={t('isc.publicHelp')}
        checked={v.public}
        onChange={(e) => setV({ ...v, public: e.currentTarget.checked })}
      />
    </CreateForm>
  );
}
