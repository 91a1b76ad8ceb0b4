import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Container,
  FileInput,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Items, api, upload } from '../../../web/api';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import type { Audience } from '../conduct.vocab';
import { CodeText, ManageTabs, conductKey } from './bits';
import type { VersionDetailT, VersionSummaryT } from './types';

export function VersionsPage(): ReactNode {
  return (
    <RequirePermission permission="conduct.manage">
      <Versions />
    </RequirePermission>
  );
}

function Versions(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const [audience, setAudience] = useState<Audience>('staff');
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const list = useQuery({
    queryKey: [...conductKey, 'versions', audience],
    queryFn: ({ signal }) =>
      api.get<Items<VersionSummaryT>>(`/api/conduct/versions?audience=${audience}`, { signal }),
  });
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('conduct.versionsTitle')}
        description={t('conduct.versionsIntro')}
        actions={
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => setEditing('new')}
            data-testid="version-new"
          >
            {t('conduct.newVersion')}
          </Button>
        }
      />
      <ManageTabs current="versions" />
      <SegmentedControl
        mb="md"
        value={audience}
        onChange={(v) => setAudience(v as Audience)}
        data={(['staff', 'private_sector'] as const).map((a) => ({
          value: a,
          label: t(`conduct.audiences.${a}`),
        }))}
        aria-label={t('conduct.audience')}
      />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed">{t('conduct.noVersions')}</Text>
      ) : (
        <ScrollTable minWidth={640} label={t('conduct.versionsTitle')}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('conduct.number')}</Table.Th>
                <Table.Th scope="col">{t('conduct.title')}</Table.Th>
                <Table.Th scope="col">{t('conduct.effectiveDate')}</Table.Th>
                <Table.Th scope="col">{t('conduct.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((v) => (
                <Table.Tr key={v.id} data-testid={`version-row-${v.number}`}>
                  <Table.Td>{v.number}</Table.Td>
                  <Table.Td>
                    <Anchor component="button" type="button" onClick={() => setEditing(v.id)} fw={500}>
                      {v.title}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{f.date(v.effectiveDate)}</Table.Td>
                  <Table.Td>
                    <Badge color={v.status === 'published' ? 'teal' : 'gray'} variant="light">
                      {t(`conduct.statuses.${v.status}`)}
                    </Badge>
                    {v.publishedAt && (
                      <Text size="xs" c="dimmed">
                        {f.dateTime(v.publishedAt)}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {editing && (
        <VersionModal
          id={editing === 'new' ? null : editing}
          audience={audience}
          onClose={() => setEditing(null)}
        />
      )}
    </Container>
  );
}

interface Step {
  level: number;
  misconduct: string;
  sanction: string;
}

function VersionModal({
  id,
  audience,
  onClose,
}: {
  id: string | null;
  audience: Audience;
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const detail = useQuery({
    queryKey: [...conductKey, 'version', id],
    queryFn: ({ signal }) => api.get<VersionDetailT>(`/api/conduct/versions/${id}`, { signal }),
    enabled: !!id,
  });
  const title = id ? (detail.data?.title ?? '') : t('conduct.newVersion');
  return (
    <Modal
      opened
      onClose={onClose}
      title={title}
      size="xl"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {id && detail.isPending ? (
        <PageLoader />
      ) : id && detail.isError ? (
        <QueryError error={detail.error} />
      ) : detail.data?.status === 'published' ? (
        <Stack>
          <Text size="sm" c="dimmed">
            {t('conduct.immutable')}
          </Text>
          <CodeText
            code={detail.data}
            pdfHref={detail.data.hasPdf ? `/api/conduct/versions/${detail.data.id}/pdf` : undefined}
          />
        </Stack>
      ) : (
        <DraftForm draft={detail.data ?? null} audience={audience} onClose={onClose} />
      )}
    </Modal>
  );
}

function DraftForm({
  draft,
  audience,
  onClose,
}: {
  draft: VersionDetailT | null;
  audience: Audience;
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [pdf, setPdf] = useState<File | null>(null);
  const form = useForm({
    initialValues: {
      title: draft?.title ?? '',
      effectiveDate: draft?.effectiveDate ?? '',
      body: draft?.body ?? '',
      sanctions: (draft?.sanctions ?? []) as Step[],
    },
    validate: {
      title: (v) => (v.trim() ? null : t('conduct.required')),
      effectiveDate: (v) => (v ? null : t('conduct.required')),
    },
  });
  const save = useMutation({
    mutationFn: async (v: typeof form.values) => {
      const body = {
        title: v.title.trim(),
        effectiveDate: v.effectiveDate,
        body: v.body,
        sanctions: v.sanctions.map((s) => ({
          ...s,
          misconduct: s.misconduct.trim(),
          sanction: s.sanction.trim(),
        })),
      };
      let saved = draft
        ? await api.patch<VersionDetailT>(`/api/conduct/versions/${draft.id}`, {
            ...body,
            version: draft.version,
          })
        : await api.post<VersionDetailT>('/api/conduct/versions', { ...body, audience });
      if (pdf)
        saved = await upload<VersionDetailT>('/api/conduct/pdf', pdf, { fields: { versionId: saved.id } });
      return saved;
    },
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: conductKey });
      notifySuccess(t('conduct.saved'));
      onClose();
    },
    onError: (e) => applyFieldErrors(form, ['title', 'effectiveDate', 'body'], e),
  });
  const publish = useMutation({
    mutationFn: () => api.post<VersionDetailT>(`/api/conduct/versions/${draft!.id}/publish`),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: conductKey });
      notifySuccess(t('conduct.publishedToast'));
      onClose();
    },
  });
  const addStep = () =>
    form.insertListItem('sanctions', {
      level: (form.values.sanctions.at(-1)?.level ?? 0) + 1,
      misconduct: '',
      sanction: '',
    });
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
      <Stack>
        <TextInput
          label={t('conduct.title')}
          required
          data-testid="version-title"
          {...form.getInputProps('title')}
        />
        <TextInput
          type="date"
          label={t('conduct.effectiveDate')}
          required
          data-testid="version-effective"
          {...form.getInputProps('effectiveDate')}
        />
        <Textarea
          label={t('conduct.body')}
          description={t('conduct.bodyHelp')}
          autosize
          minRows={8}
          maxRows={20}
          data-testid="version-body"
          {...form.getInputProps('body')}
        />
        <FileInput
          label={t('conduct.pdf')}
          description={
            draft?.pdfName ? t('conduct.pdfAttached', { name: draft.pdfName }) : t('conduct.pdfHelp')
          }
          accept="application/pdf"
          clearable
          value={pdf}
          onChange={setPdf}
        />
        <div>
          <Text fw={500} size="sm" mb={4}>
            {t('conduct.sanctionScale')}
          </Text>
          <Stack gap="xs">
            {form.values.sanctions.map((s, i) => (
              <Group key={`${i}-${s.level}`} align="flex-end" wrap="wrap" gap="xs">
                <NumberInput
                  label={t('conduct.level')}
                  min={1}
                  max={20}
                  w={90}
                  {...form.getInputProps(`sanctions.${i}.level`)}
                />
                <TextInput
                  label={t('conduct.misconduct')}
                  style={{ flex: 1, minWidth: 180 }}
                  {...form.getInputProps(`sanctions.${i}.misconduct`)}
                />
                <TextInput
                  label={t('conduct.sanction')}
                  style={{ flex: 1, minWidth: 180 }}
                  {...form.getInputProps(`sanctions.${i}.sanction`)}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="lg"
                  aria-label={t('conduct.removeStep', { level: s.level })}
                  onClick={() => form.removeListItem('sanctions', i)}
                >
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Group>
            ))}
            <Group>
              <Button
                variant="default"
                size="xs"
                leftSection={<IconPlus size={14} aria-hidden />}
                onClick={addStep}
              >
                {t('conduct.addStep')}
              </Button>
            </Group>
          </Stack>
        </div>
        <SaveError
          error={save.error ?? publish.error}
          // A 409: the draft is read again; its current version goes with the next save, the form stays.
          onReload={() => qc.refetchQueries({ queryKey: [...conductKey, 'version', draft?.id] })}
        />
        <Group justify="flex-end">
          {draft && (
            <Button
              color="teal"
              variant="light"
              loading={publish.isPending}
              onClick={() => publish.mutate()}
              data-testid="version-publish"
            >
              {t('conduct.publish')}
            </Button>
          )}
          <Button type="submit" loading={save.isPending} data-testid="version-save">
            {t('common.save')}
          </Button>
        </Group>
        {draft && (
          <Text size="xs" c="dimmed">
            {t('conduct.publishHelp')}
          </Text>
        )}
      </Stack>
    </form>
  );
}
