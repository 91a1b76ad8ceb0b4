import {
  Badge,
  Button,
  Code,
  Container,
  Group,
  Modal,
  MultiSelect,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { LANGUAGE_NAMES, type Language } from '../../../web/i18n';
import { CopyValue } from '../../../web/ui-kit/copy-value';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { AnchorLink } from '../../../web/ui-kit/links';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { CHANNEL_LANGUAGES } from '../reports.vocab';
import { EscrowSettings } from './escrow';
import {
  type ChannelT,
  channelsKey,
  publicUrl,
  type RecipientT,
  textIn,
  useChannels,
  useRecipients,
} from './channels-queries';

export function ChannelsPage(): ReactNode {
  return (
    <RequirePermission permission="reports.manage">
      <Channels />
    </RequirePermission>
  );
}

export const languageName = (l: string) => LANGUAGE_NAMES[l as Language] ?? l;

function Channels(): ReactNode {
  const { t } = useTranslation();
  const list = useChannels();
  const recipients = useRecipients();
  const [creating, setCreating] = useState(false);
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('reports.channels.title')}
        description={t('reports.channels.intro')}
        actions={
          <Button onClick={() => setCreating(true)} data-testid="channel-new">
            {t('reports.channels.new')}
          </Button>
        }
      />
      <Stack mb="lg">
        <EscrowSettings />
      </Stack>
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={list.refetch} />
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed">{t('reports.channels.empty')}</Text>
      ) : (
        <ScrollTable minWidth={960} label={t('reports.channels.title')}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('reports.channels.name')}</Table.Th>
                <Table.Th scope="col">{t('reports.channels.publicUrl')}</Table.Th>
                <Table.Th scope="col">{t('reports.channels.languages')}</Table.Th>
                <Table.Th scope="col">{t('reports.channels.retention')}</Table.Th>
                <Table.Th scope="col">{t('reports.channels.clocks')}</Table.Th>
                <Table.Th scope="col">{t('reports.channels.recipients')}</Table.Th>
                <Table.Th scope="col">{t('reports.channels.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((c) => (
                <ChannelRow key={c.id} c={c} recipients={recipients.data?.items ?? []} />
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {creating && <CreateModal onClose={() => setCreating(false)} />}
    </Container>
  );
}

function ChannelRow({ c, recipients }: { c: ChannelT; recipients: RecipientT[] }): ReactNode {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const name = textIn(c.name, i18n.language, c.languages);
  const toggle = useMutation({
    mutationFn: () =>
      api.patch<ChannelT>(`/api/reports/channels/${c.id}`, { version: c.version, active: !c.active }),
    onSuccess: (fresh) => {
      qc.invalidateQueries({ queryKey: channelsKey });
      notifySuccess(t(fresh.active ? 'reports.channels.enabled' : 'reports.channels.disabled', { name }));
    },
  });
  const names = c.recipients.map((id) => recipients.find((r) => r.userId === id)?.name ?? '…');
  return (
    <Table.Tr data-testid={`channel-row-${c.slug}`}>
      <Table.Td>
        <AnchorLink to="/reports/channels/$id" params={{ id: c.id }} fw={600}>
          {name}
        </AnchorLink>
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Code dir="ltr" data-testid="channel-url">
            {publicUrl(c)}
          </Code>
          <CopyValue value={publicUrl(c)} label={t('reports.channels.copyUrl')} />
        </Group>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {c.languages.map((l) => (
            <Badge key={l} variant="light" color="gray" tt="none" title={languageName(l)}>
              {l}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>{t('reports.channels.retentionValue', { count: c.retentionDays })}</Table.Td>
      <Table.Td>
        {t('reports.channels.clocksValue', {
          ack: t('reports.channels.withinDays', { count: c.ackDays }),
          feedback: t('reports.channels.withinDays', { count: c.feedbackDays }),
        })}
      </Table.Td>
      <Table.Td>
        {names.length ? (
          <Text size="sm">{names.join(', ')}</Text>
        ) : (
          <Badge color="red" variant="light" tt="none">
            {t('reports.channels.noRecipients')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td miw={120}>
        <Stack gap={6} align="flex-start">
          <Badge color={c.active ? 'teal' : 'gray'} variant="light" style={{ overflow: 'visible' }}>
            {t(c.active ? 'reports.channels.active' : 'reports.channels.inactive')}
          </Badge>
          <Button
            size="compact-xs"
            variant="default"
            onClick={() => toggle.mutate()}
            loading={toggle.isPending}
            aria-label={`${t(c.active ? 'reports.channels.disable' : 'reports.channels.enable')} — ${name}`}
            data-testid="channel-toggle"
          >
            {t(c.active ? 'reports.channels.disable' : 'reports.channels.enable')}
          </Button>
          {toggle.error ? (
            <SaveError
              error={toggle.error}
              onReload={() => qc.invalidateQueries({ queryKey: channelsKey })}
            />
          ) : null}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

function CreateModal({ onClose }: { onClose: () => void }): ReactNode {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const ui = (CHANNEL_LANGUAGES as readonly string[]).includes(i18n.language) ? i18n.language : 'en';
  const form = useForm({
    initialValues: {
      name: '',
      slug: '',
      languages: [...new Set([ui, 'en', 'fr', 'ar'])],
    },
  });
  const create = useMutation({
    mutationFn: (v: typeof form.values) =>
      api.post<ChannelT>('/api/reports/channels', {
        slug: v.slug,
        name: { [v.languages.includes(ui) ? ui : (v.languages[0] ?? 'en')]: v.name.trim() },
        languages: v.languages,
      }),
    onSuccess: (c) => {
      qc.invalidateQueries({ queryKey: channelsKey });
      navigate({ to: '/reports/channels/$id', params: { id: c.id } } as never);
    },
    onError: (e) => applyFieldErrors(form, ['slug', 'name', 'languages'], e),
  });
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened
      onClose={onClose}
      title={t('reports.channels.new')}
    >
      <form onSubmit={form.onSubmit((v) => create.mutate(v))}>
        <Stack gap="sm">
          <TextInput
            label={t('reports.channels.name')}
            required
            data-testid="channel-name"
            {...form.getInputProps('name')}
          />
          <TextInput
            label={t('reports.channels.slug')}
            description={t('reports.channels.slugHelp')}
            required
            dir="ltr"
            data-testid="channel-slug"
            {...form.getInputProps('slug')}
            onChange={(e) =>
              form.setFieldValue('slug', e.currentTarget.value.toLowerCase().replace(/[^a-z0-9-]/g, '-'))
            }
          />
          <MultiSelect
            label={t('reports.channels.languages')}
            data={CHANNEL_LANGUAGES.map((l) => ({ value: l, label: languageName(l) }))}
            required
            {...form.getInputProps('languages')}
          />
          <ProblemAlert error={create.error} />
          <Button
            type="submit"
            loading={create.isPending}
            disabled={!form.values.name.trim() || !form.values.slug || form.values.languages.length === 0}
            data-testid="channel-create"
          >
            {t('reports.channels.create')}
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
