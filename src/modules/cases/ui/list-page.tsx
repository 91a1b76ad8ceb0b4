import {
  Badge,
  Button,
  Checkbox,
  Container,
  Group,
  Modal,
  NativeSelect,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useCan } from '../../../web/session';
import { useFormat } from '../../../web/ui-kit/format';
import { AnchorLink } from '../../../web/ui-kit/links';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { SOURCE_KINDS, type SourceKind } from '../cases.vocab';
import { CasesTabs, StatusBadge, label } from './bits';
import { casesKey, useCases, useUnits } from './queries';
import type { CaseSummaryT } from './types';

export function CasesPage(): ReactNode {
  return (
    <RequirePermission permission="cases.read">
      <CasesView />
    </RequirePermission>
  );
}

function CasesView(): ReactNode {
  const { t } = useTranslation();
  const manager = useCan('cases.manage');
  const [scope, setScope] = useState<'mine' | 'all'>(manager ? 'all' : 'mine');
  const [opening, setOpening] = useState(false);
  const list = useCases(manager ? scope : 'mine');
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('cases.listTitle')}
        description={t('cases.listIntro')}
        actions={
          manager && (
            <Button onClick={() => setOpening(true)} data-testid="open-case">
              {t('cases.openNew')}
            </Button>
          )
        }
      />
      <CasesTabs current="list" />
      <Stack>
        {manager && (
          <SegmentedControl
            value={scope}
            onChange={(v) => setScope(v as 'mine' | 'all')}
            data={[
              { value: 'all', label: t('cases.scope.all') },
              { value: 'mine', label: t('cases.scope.mine') },
            ]}
            w="fit-content"
          />
        )}
        {list.isPending ? (
          <PageLoader />
        ) : list.isError ? (
          <QueryError error={list.error} onRetry={() => list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <Text c="dimmed">{t('cases.none')}</Text>
        ) : (
          <CaseTable items={list.data.items} />
        )}
      </Stack>
      {manager && <OpenCaseModal opened={opening} onClose={() => setOpening(false)} />}
    </Container>
  );
}

function CaseTable({ items }: { items: CaseSummaryT[] }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <ScrollTable minWidth={820} label={t('cases.listTitle')}>
      <Table striped highlightOnHover data-testid="cases-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('cases.reference')}</Table.Th>
            <Table.Th>{t('cases.title')}</Table.Th>
            <Table.Th>{t('cases.source')}</Table.Th>
            <Table.Th>{t('cases.status')}</Table.Th>
            <Table.Th>{t('cases.assignees')}</Table.Th>
            <Table.Th>{t('cases.due')}</Table.Th>
            <Table.Th>{t('cases.opened')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <AnchorLink to="/cases/$id" params={{ id: c.id }}>
                  {c.reference}
                </AnchorLink>
              </Table.Td>
              <Table.Td>
                <Group gap={6}>
                  <span>{c.title}</span>
                  {c.escalated && (
                    <Badge color="red.9" variant="outline" size="sm">
                      {t('cases.escalated')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>{label('source', c.sourceKind)}</Table.Td>
              <Table.Td>
                <StatusBadge status={c.status} />
              </Table.Td>
              <Table.Td>
                {c.assignees.length ? f.list(c.assignees.map((a) => a.name)) : t('cases.unassigned')}
              </Table.Td>
              <Table.Td>
                <Group gap={6}>
                  <span>{f.date(c.decisionDueOn)}</span>
                  {c.overdue && (
                    <Badge color="red.9" size="sm">
                      {t('cases.overdue')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>{f.date(c.openedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

function OpenCaseModal({ opened, onClose }: { opened: boolean; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const units = useUnits(opened);
  const [v, setV] = useState({
    title: '',
    sourceKind: 'report' as SourceKind,
    sourceRef: '',
    orgUnitId: '',
    escalated: false,
  });
  const save = useMutation({
    mutationFn: () =>
      api.post<CaseSummaryT>('/api/cases', {
        title: v.title,
        sourceKind: v.sourceKind,
        ...(v.sourceRef.trim() ? { sourceRef: v.sourceRef.trim() } : {}),
        ...(v.orgUnitId ? { orgUnitId: v.orgUnitId } : {}),
        escalated: v.escalated,
      }),
    onSuccess: (c) => {
      qc.invalidateQueries({ queryKey: casesKey });
      notifySuccess(t('cases.created', { reference: c.reference }));
      onClose();
      navigate({ to: '/cases/$id', params: { id: c.id } });
    },
  });
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('cases.openNew')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <TextInput
            label={t('cases.title')}
            required
            maxLength={300}
            value={v.title}
            onChange={(e) => setV({ ...v, title: e.currentTarget.value })}
          />
          <NativeSelect
            label={t('cases.source')}
            value={v.sourceKind}
            onChange={(e) => setV({ ...v, sourceKind: e.currentTarget.value as SourceKind })}
            data={SOURCE_KINDS.map((k) => ({ value: k, label: label('source', k) }))}
          />
          <TextInput
            label={t('cases.sourceRef')}
            maxLength={200}
            value={v.sourceRef}
            onChange={(e) => setV({ ...v, sourceRef: e.currentTarget.value })}
          />
          <NativeSelect
            label={t('cases.unit')}
            value={v.orgUnitId}
            onChange={(e) => setV({ ...v, orgUnitId: e.currentTarget.value })}
            data={[
              { value: '', label: t('cases.noUnit') },
              ...(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name })),
            ]}
          />
          <Checkbox
            label={t('cases.escalated')}
            description={t('cases.escalatedHint')}
            checked={v.escalated}
            onChange={(e) => setV({ ...v, escalated: e.currentTarget.checked })}
          />
          {save.error && <ProblemAlert error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('cases.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('cases.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
