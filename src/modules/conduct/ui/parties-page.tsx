import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Container,
  Group,
  Menu,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconDots, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { CopyValue } from '../../../web/ui-kit/copy-value';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { PARTY_TYPES, type PartyType } from '../conduct.vocab';
import { ManageTabs, conductKey, today, usePct } from './bits';
import type { PartyLinkT, PartyListT, PartyT } from './types';

export function PartiesPage(): ReactNode {
  return (
    <RequirePermission permission="conduct.manage">
      <Parties />
    </RequirePermission>
  );
}

const partiesKey = [...conductKey, 'parties'];

function Parties(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const pct = usePct();
  const qc = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [paper, setPaper] = useState<PartyT | null>(null);
  const [link, setLink] = useState<PartyLinkT | null>(null);
  const list = useQuery({
    queryKey: partiesKey,
    queryFn: ({ signal }) => api.get<PartyListT>('/api/conduct/parties', { signal }),
  });
  const makeLink = useMutation({
    mutationFn: (id: string) => api.post<PartyLinkT>(`/api/conduct/parties/${id}/links`),
    onSuccess: (l) => {
      setLink(l);
      qc.invalidateQueries({ queryKey: partiesKey });
    },
  });
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('conduct.partiesTitle')}
        description={t('conduct.partiesIntro')}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
            {t('conduct.newParty')}
          </Button>
        }
      />
      <ManageTabs current="parties" />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <Stack>
          {!list.data.current && <Alert color="orange">{t('conduct.noPrivateCode')}</Alert>}
          <Card withBorder>
            <Text size="sm" c="dimmed">
              {t('conduct.brokerRate')}
            </Text>
            <Text fw={700} size="xl">
              {pct(list.data.brokers.rate)}{' '}
              <Text span size="sm" c="dimmed" fw={400}>
                {t('conduct.ackOf', {
                  acknowledged: list.data.brokers.acknowledged,
                  assigned: list.data.brokers.assigned,
                })}
              </Text>
            </Text>
          </Card>
          <ProblemAlert error={makeLink.error} />
          {list.data.items.length === 0 ? (
            <Text c="dimmed">{t('conduct.noParties')}</Text>
          ) : (
            <ScrollTable minWidth={720} label={t('conduct.partiesTitle')}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('conduct.partyName')}</Table.Th>
                    <Table.Th scope="col">{t('conduct.partyType')}</Table.Th>
                    <Table.Th scope="col">{t('conduct.identifier')}</Table.Th>
                    <Table.Th scope="col">{t('conduct.acknowledgedCol')}</Table.Th>
                    <Table.Th scope="col">
                      <VisuallyHidden>{t('conduct.actions')}</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.items.map((p) => (
                    <Table.Tr key={p.id}>
                      <Table.Td fw={500}>{p.name}</Table.Td>
                      <Table.Td>
                        {t(`conduct.partyTypes.${p.type}`)}
                        {p.licensed && (
                          <Badge ms="xs" size="sm" variant="light">
                            {t('conduct.licensed')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>{p.identifier ?? '—'}</Table.Td>
                      <Table.Td>
                        {p.acknowledged
                          ? `${f.date(p.acknowledged.acknowledgedAt)} · ${t(`conduct.methods.${p.acknowledged.method}`)} · ${p.acknowledged.signatory}`
                          : '—'}
                      </Table.Td>
                      <Table.Td>
                        {!p.acknowledged && list.data.current && (
                          <Menu position="bottom-end">
                            <Menu.Target>
                              <Button
                                variant="subtle"
                                size="xs"
                                aria-label={t('conduct.actionsFor', { name: p.name })}
                              >
                                <IconDots size={16} aria-hidden />
                              </Button>
                            </Menu.Target>
                            <Menu.Dropdown>
                              <Menu.Item onClick={() => setPaper(p)}>{t('conduct.recordPaper')}</Menu.Item>
                              <Menu.Item onClick={() => makeLink.mutate(p.id)}>
                                {t('conduct.makeLink')}
                              </Menu.Item>
                            </Menu.Dropdown>
                          </Menu>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
        </Stack>
      )}
      {adding && <PartyModal onClose={() => setAdding(false)} />}
      {paper && <PaperModal party={paper} onClose={() => setPaper(null)} />}
      <Modal
        opened={!!link}
        onClose={() => setLink(null)}
        title={t('conduct.linkTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {link && (
          <Stack>
            <Text size="sm">{t('conduct.linkHelp', { date: f.date(link.expiresAt) })}</Text>
            <CopyValue value={link.url} label={t('conduct.linkTitle')} />
          </Stack>
        )}
      </Modal>
    </Container>
  );
}

function PartyModal({ onClose }: { onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const form = useForm({
    initialValues: { type: 'broker' as PartyType, name: '', identifier: '', licensed: true, email: '' },
    validate: { name: (v) => (v.trim() ? null : t('conduct.required')) },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      api.post('/api/conduct/parties', {
        type: v.type,
        name: v.name.trim(),
        identifier: v.identifier.trim() || null,
        licensed: v.licensed,
        email: v.email.trim() || null,
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: partiesKey });
      onClose();
    },
    onError: (e) => applyFieldErrors(form, ['type', 'name', 'identifier', 'email'], e),
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('conduct.newParty')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <Select
            label={t('conduct.partyType')}
            data={PARTY_TYPES.map((p) => ({ value: p, label: t(`conduct.partyTypes.${p}`) }))}
            allowDeselect={false}
            {...form.getInputProps('type')}
          />
          <TextInput label={t('conduct.partyName')} required {...form.getInputProps('name')} />
          <TextInput label={t('conduct.identifier')} {...form.getInputProps('identifier')} />
          <TextInput type="email" label={t('conduct.email')} {...form.getInputProps('email')} />
          <Checkbox label={t('conduct.licensed')} {...form.getInputProps('licensed', { type: 'checkbox' })} />
          <ProblemAlert error={save.error} />
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

function PaperModal({ party, onClose }: { party: PartyT; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const form = useForm({
    initialValues: { signatory: '', signedOn: today() },
    validate: {
      signatory: (v) => (v.trim() ? null : t('conduct.required')),
      signedOn: (v) => (!v ? t('conduct.required') : v > today() ? t('conduct.notFuture') : null),
    },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      api.post(`/api/conduct/parties/${party.id}/acknowledgements`, {
        signatory: v.signatory.trim(),
        signedOn: v.signedOn,
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: partiesKey });
      notifySuccess(t('conduct.saved'));
      onClose();
    },
    onError: (e) => applyFieldErrors(form, ['signatory', 'signedOn'], e),
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('conduct.recordPaperFor', { name: party.name })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <TextInput label={t('conduct.signatory')} required {...form.getInputProps('signatory')} />
          <TextInput
            type="date"
            label={t('conduct.signedOn')}
            max={today()}
            required
            {...form.getInputProps('signedOn')}
          />
          <ProblemAlert error={save.error} />
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
