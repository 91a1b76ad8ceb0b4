import {
  MultiSelect,
  Anchor,
  Button,
  Container,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Items, api } from '../../../web/api';
import { useUnits } from '../../../web/directory';
import { useCan } from '../../../web/session';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { VULNERABILITY, type Vulnerability } from '../postings.vocab';
import { EvidenceNote, Tabs, VulnerabilityBadge, postingsKey } from './bits';
import type { PositionT } from './types';

export function PositionsPage(): ReactNode {
  return (
    <RequirePermission permission="postings.read">
      <Positions />
    </RequirePermission>
  );
}

export function usePositions() {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: [...postingsKey, 'positions', i18n.language],
    queryFn: ({ signal }) => api.get<Items<PositionT>>('/api/postings/positions', { signal }),
  });
}

function Positions(): ReactNode {
  const { t } = useTranslation();
  const canManage = useCan('postings.manage');
  const list = usePositions();
  const [editing, setEditing] = useState<PositionT | 'new' | null>(null);
  const months = (n: number | null) => (n ? t('postings.months', { count: n }) : '—');
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('postings.positionsTitle')}
        description={t('postings.positionsIntro')}
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
              {t('postings.newPosition')}
            </Button>
          )
        }
      />
      <Tabs current="positions" />
      <EvidenceNote />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed">{t('postings.noPositions')}</Text>
      ) : (
        <ScrollTable minWidth={820} label={t('postings.positionsTitle')}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('postings.position')}</Table.Th>
                <Table.Th scope="col">{t('postings.vulnerabilityLabel')}</Table.Th>
                <Table.Th scope="col">{t('postings.linkedRisks')}</Table.Th>
                <Table.Th scope="col">{t('postings.maxTenure')}</Table.Th>
                <Table.Th scope="col">{t('postings.coolingOff')}</Table.Th>
                <Table.Th scope="col">{t('postings.holders')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    {canManage ? (
                      <Anchor component="button" type="button" fw={500} onClick={() => setEditing(p)}>
                        {p.title}
                      </Anchor>
                    ) : (
                      <Text fw={500}>{p.title}</Text>
                    )}
                    <Text size="xs" c="dimmed">
                      {[p.unit, p.function].filter(Boolean).join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <VulnerabilityBadge level={p.vulnerability} />
                  </Table.Td>
                  <Table.Td>
                    {p.riskLevel
                      ? t('postings.riskLevel', { n: p.riskIds.length, level: p.riskLevel.label })
                      : p.riskIds.length || '—'}
                  </Table.Td>
                  <Table.Td>{months(p.maxTenureMonths)}</Table.Td>
                  <Table.Td>{months(p.coolingOffMonths)}</Table.Td>
                  <Table.Td>{p.holders.map((h) => h.name).join(', ') || '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {editing && (
        <PositionModal position={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </Container>
  );
}

function PositionModal({
  position,
  onClose,
}: {
  position: PositionT | null;
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const positions = usePositions();
  // The version the next save sends: the one the dialog opened on, or the current one after a reload.
  const [version, setVersion] = useState(position?.version);
  // After a 409: refetch the positions and take this one's current version; what was typed stays.
  const reload = async () => {
    const fresh = (await positions.refetch()).data?.items.find((p) => p.id === position?.id);
    if (fresh) setVersion(fresh.version);
  };
  const units = useUnits();
  // The corruption risk map's risks, to link (their highest residual level guides the
  // vulnerability); only for those who may read the register.
  const canRisks = useCan('risks.read');
  const risks = useQuery({
    queryKey: ['risks', 'for-positions'],
    queryFn: ({ signal }) =>
      api.get<Items<{ id: string; ref: string; title: string }>>('/api/risks', { signal }),
    enabled: canRisks,
    staleTime: 60_000,
  });
  const form = useForm({
    initialValues: {
      title: position?.title ?? '',
      function: position?.function ?? '',
      orgUnitId: position?.orgUnitId ?? '',
      vulnerability: (position?.vulnerability ?? 'medium') as Vulnerability,
      maxTenureMonths: (position?.maxTenureMonths ?? '') as number | '',
      coolingOffMonths: (position?.coolingOffMonths ?? '') as number | '',
      riskIds: position?.riskIds ?? ([] as string[]),
    },
    validate: { title: (v) => (v.trim() ? null : t('postings.required')) },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      const body = {
        title: v.title.trim(),
        function: v.function.trim(),
        orgUnitId: v.orgUnitId || null,
        vulnerability: v.vulnerability,
        maxTenureMonths: v.maxTenureMonths === '' ? null : v.maxTenureMonths,
        coolingOffMonths: v.coolingOffMonths === '' ? null : v.coolingOffMonths,
        ...(canRisks ? { riskIds: v.riskIds } : {}),
      };
      return position
        ? api.patch(`/api/postings/positions/${position.id}`, { ...body, version })
        : api.post('/api/postings/positions', body);
    },
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: postingsKey });
      onClose();
    },
    onError: (e) =>
      applyFieldErrors(form, ['title', 'function', 'orgUnitId', 'maxTenureMonths', 'coolingOffMonths'], e),
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={position ? position.title : t('postings.newPosition')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <TextInput label={t('postings.position')} required {...form.getInputProps('title')} />
          <TextInput label={t('postings.function')} {...form.getInputProps('function')} />
          <Select
            label={t('postings.unit')}
            data={(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
            clearable
            searchable
            {...form.getInputProps('orgUnitId')}
          />
          <Select
            label={t('postings.vulnerabilityLabel')}
            description={t('postings.vulnerabilityHelp')}
            data={VULNERABILITY.map((v) => ({ value: v, label: t(`postings.vulnerability.${v}`) }))}
            allowDeselect={false}
            {...form.getInputProps('vulnerability')}
          />
          {canRisks && (
            <MultiSelect
              label={t('postings.linkedRisks')}
              description={t('postings.linkedRisksHelp')}
              data={(risks.data?.items ?? []).map((r) => ({ value: r.id, label: `${r.ref} · ${r.title}` }))}
              searchable
              clearable
              maxValues={50}
              {...form.getInputProps('riskIds')}
            />
          )}
          <Group grow>
            <NumberInput
              label={t('postings.maxTenure')}
              min={1}
              max={480}
              {...form.getInputProps('maxTenureMonths')}
            />
            <NumberInput
              label={t('postings.coolingOff')}
              min={1}
              max={480}
              {...form.getInputProps('coolingOffMonths')}
            />
          </Group>
          <SaveError error={save.error} onReload={reload} />
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
