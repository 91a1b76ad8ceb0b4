import {
  Button,
  Container,
  Group,
  Modal,
  NativeSelect,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Items, api, isApiError } from '../../../web/api';
import { useMembers } from '../../../web/directory';
import { useCan } from '../../../web/session';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { POSTING_REASONS, type PostingReason } from '../postings.vocab';
import { EvidenceNote, Tabs, postingsKey } from './bits';
import { usePositions } from './positions-page';
import type { PostingT } from './types';

export function HistoryPage(): ReactNode {
  return (
    <RequirePermission permission="postings.read">
      <History />
    </RequirePermission>
  );
}

function History(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const canManage = useCan('postings.manage');
  const [editing, setEditing] = useState<{ posting: PostingT; mode: EditMode } | null>(null);
  const [userId, setUserId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const members = useMembers();
  const list = useQuery({
    queryKey: [...postingsKey, 'history', userId],
    queryFn: ({ signal }) =>
      api.get<Items<PostingT>>(`/api/postings/history${userId ? `?userId=${userId}` : ''}`, { signal }),
  });
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('postings.historyTitle')}
        description={t('postings.historyIntro')}
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
              {t('postings.newPosting')}
            </Button>
          )
        }
      />
      <Tabs current="history" />
      <EvidenceNote />
      <Select
        label={t('postings.person')}
        data={(members.data?.items ?? []).map((m) => ({ value: m.userId, label: m.name }))}
        value={userId}
        onChange={setUserId}
        clearable
        searchable
        maw={360}
        mb="md"
      />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed">{t('postings.noPostings')}</Text>
      ) : (
        <ScrollTable minWidth={820} label={t('postings.historyTitle')}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('postings.person')}</Table.Th>
                <Table.Th scope="col">{t('postings.position')}</Table.Th>
                <Table.Th scope="col">{t('postings.start')}</Table.Th>
                <Table.Th scope="col">{t('postings.end')}</Table.Th>
                <Table.Th scope="col">{t('postings.served')}</Table.Th>
                <Table.Th scope="col">{t('postings.reason')}</Table.Th>
                {canManage && (
                  <Table.Th scope="col">
                    <VisuallyHidden>{t('postings.actions')}</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td fw={500}>{p.name}</Table.Td>
                  <Table.Td>
                    {p.position}
                    {p.unit && (
                      <Text size="xs" c="dimmed">
                        {p.unit}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{f.date(p.startDate)}</Table.Td>
                  <Table.Td>{p.endDate ? f.date(p.endDate) : t('postings.current')}</Table.Td>
                  <Table.Td>{t('postings.months', { count: p.months })}</Table.Td>
                  <Table.Td>
                    {t(`postings.reasons.${p.reason}`)}
                    {p.overrideReason && (
                      <Text size="xs" c="orange">
                        {t('postings.overridden', { reason: p.overrideReason })}
                      </Text>
                    )}
                  </Table.Td>
                  {canManage && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        {!p.endDate && (
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => setEditing({ posting: p, mode: 'end' })}
                          >
                            {t('postings.endPosting')}
                          </Button>
                        )}
                        <Button
                          size="xs"
                          variant="subtle"
                          onClick={() => setEditing({ posting: p, mode: 'reason' })}
                          aria-label={t('postings.reasonTitle', { name: p.name, position: p.position })}
                        >
                          {t('postings.correctReason')}
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {adding && <PostingModal onClose={() => setAdding(false)} />}
      {editing && <EditPostingModal {...editing} onClose={() => setEditing(null)} />}
    </Container>
  );
}

function PostingModal({ onClose }: { onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const members = useMembers();
  const positions = usePositions();
  const form = useForm({
    initialValues: {
      userId: '',
      positionId: '',
      startDate: '',
      reason: 'rotation' as PostingReason,
      overrideReason: '',
    },
    validate: {
      userId: (v) => (v ? null : t('postings.required')),
      positionId: (v) => (v ? null : t('postings.required')),
      startDate: (v) => (v ? null : t('postings.required')),
    },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      api.post('/api/postings/history', {
        userId: v.userId,
        positionId: v.positionId,
        startDate: v.startDate,
        reason: v.reason,
        ...(v.overrideReason.trim() ? { overrideReason: v.overrideReason.trim() } : {}),
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: postingsKey });
      onClose();
    },
    onError: (e) => applyFieldErrors(form, ['userId', 'positionId', 'startDate', 'reason'], e),
  });
  const coolingOff = isApiError(save.error, 'CONFLICT');
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('postings.newPosting')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <Select
            label={t('postings.person')}
            data={(members.data?.items ?? []).map((m) => ({ value: m.userId, label: m.name }))}
            searchable
            required
            {...form.getInputProps('userId')}
          />
          <Select
            label={t('postings.position')}
            data={(positions.data?.items ?? [])
              .filter((p) => !p.archived)
              .map((p) => ({ value: p.id, label: p.title }))}
            searchable
            required
            {...form.getInputProps('positionId')}
          />
          <TextInput type="date" label={t('postings.start')} required {...form.getInputProps('startDate')} />
          <Select
            label={t('postings.reason')}
            data={POSTING_REASONS.map((r) => ({ value: r, label: t(`postings.reasons.${r}`) }))}
            allowDeselect={false}
            {...form.getInputProps('reason')}
          />
          <ProblemAlert error={save.error} />
          {coolingOff && (
            <Textarea
              label={t('postings.overrideReason')}
              description={t('postings.overrideHelp')}
              autosize
              minRows={2}
              {...form.getInputProps('overrideReason')}
            />
          )}
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

type EditMode = 'end' | 'reason';

/**
 * Ends a current posting on a day, or corrects a posting's reason (versioned: a concurrent
 * change gives a clear conflict).
 */
function EditPostingModal({
  posting,
  mode,
  onClose,
}: {
  posting: PostingT;
  mode: EditMode;
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [endDate, setEndDate] = useState(new Date().toISOString().slice(0, 10));
  const [reason, setReason] = useState<PostingReason>(posting.reason);
  // The version the next save sends: the one the dialog opened on, or the current one after a reload.
  const [version, setVersion] = useState(posting.version);
  const reload = async () => {
    const list = await api.get<Items<PostingT>>(`/api/postings/history?userId=${posting.userId}`);
    const fresh = list.items.find((p) => p.id === posting.id);
    if (fresh) setVersion(fresh.version);
    qc.invalidateQueries({ queryKey: postingsKey });
  };
  const save = useMutation({
    mutationFn: () =>
      api.patch(
        `/api/postings/history/${posting.id}`,
        mode === 'end' ? { endDate, version } : { reason, version },
      ),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: postingsKey });
      onClose();
    },
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={t(mode === 'end' ? 'postings.endTitle' : 'postings.reasonTitle', {
        name: posting.name,
        position: posting.position,
      })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <Stack>
        {mode === 'end' ? (
          <TextInput
            type="date"
            label={t('postings.end')}
            value={endDate}
            min={posting.startDate}
            onChange={(e) => setEndDate(e.currentTarget.value)}
            required
          />
        ) : (
          <NativeSelect
            label={t('postings.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value as PostingReason)}
            data={POSTING_REASONS.map((r) => ({ value: r, label: t(`postings.reasons.${r}`) }))}
          />
        )}
        <SaveError error={save.error} onReload={reload} />
        <Group justify="flex-end">
          <Button
            onClick={() => save.mutate()}
            loading={save.isPending}
            disabled={mode === 'end' && !endDate}
          >
            {t(mode === 'end' ? 'postings.endPosting' : 'common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
