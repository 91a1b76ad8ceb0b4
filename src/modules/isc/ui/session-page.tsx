import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Container,
  FileInput,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Items, request, upload } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { Section } from '../../../web/ui-kit/section';
import { PARTICIPANT_KINDS, SESSION_STATUSES, type ParticipantKind, type SessionStatus } from '../isc.vocab';
import {
  IscTabs,
  ReadOnlyNote,
  type SessionDraft,
  SessionFields,
  SessionStatusBadge,
  iscKey,
  sessionBody,
} from './bits';
import type { AgendaItemT, ObserverOrganisationT, SessionDetailT, WorkItemT } from './types';

export function IscSessionPage(): ReactNode {
  return (
    <RequirePermission permission="isc.read">
      <SessionView />
    </RequirePermission>
  );
}

function SessionView(): ReactNode {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const { id } = useParams({ strict: false }) as { id: string };
  const key = [...iscKey, 'session', id];
  const session = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<SessionDetailT>(`/api/isc/sessions/${id}`, { signal }),
  });
  if (session.isPending) return <PageLoader />;
  if (session.isError) return <QueryError error={session.error} onRetry={() => session.refetch()} />;
  const s = session.data;
  const title = t('isc.sessionNumber', { number: s.number });
  return (
    <Container size="lg" px={0}>
      <PageHeader
        title={title}
        crumbs={[{ label: t('isc.sessionsTab'), to: '/isc' }]}
        description={
          <Stack gap={4}>
            {s.theme && (
              <Text>
                <bdi>{s.theme}</bdi>
              </Text>
            )}
            <Group gap="sm">
              <SessionStatusBadge status={s.status} />
              <Text size="sm" c="dimmed">
                {t('isc.sessionLine', {
                  dates: `${f.date(s.startDate)} – ${f.date(s.endDate)}`,
                  place: s.online ? t('isc.online') : (s.place ?? '—'),
                })}
              </Text>
            </Group>
          </Stack>
        }
      />
      <IscTabs current="sessions" />
      <ReadOnlyNote canManage={s.canManage} />
      <Stack gap="xl">
        {s.canManage && <StatusEditor session={s} onReload={() => session.refetch()} />}
        <Agenda session={s} lang={i18n.language} onReload={() => session.refetch()} />
        <Documents session={s} />
        <Participants session={s} onReload={() => session.refetch()} />
        <Minutes session={s} onReload={() => session.refetch()} />
      </Stack>
    </Container>
  );
}

/** A PATCH of the session that puts the answer in the cache. */
function useSessionSave(s: SessionDetailT) {
  const qc = useQueryClient();
  const { t } = useTranslation();
  return useMutation({
    mutationFn: (changes: Record<string, unknown>) =>
      api.patch<SessionDetailT>(`/api/isc/sessions/${s.id}`, { version: s.version, ...changes }),
    onSuccess: (next) => {
      qc.setQueryData([...iscKey, 'session', s.id], next);
      qc.invalidateQueries({ queryKey: [...iscKey, 'sessions'] });
      notifySuccess(t('isc.saved'));
    },
  });
}

function StatusEditor({
  session: s,
  onReload,
}: {
  session: SessionDetailT;
  onReload: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const save = useSessionSave(s);
  const [editing, setEditing] = useState(false);
  return (
    <Stack gap="xs">
      <Group align="flex-end">
        <Button
          variant="default"
          leftSection={<IconPencil size={16} aria-hidden />}
          onClick={() => setEditing((e) => !e)}
        >
          {t('isc.details')}
        </Button>
        <Select
          label={t('isc.statusLabel')}
          value={s.status}
          data={SESSION_STATUSES.map((x) => ({ value: x, label: t(`isc.status.${x}`) }))}
          onChange={(v) => v && v !== s.status && save.mutate({ status: v as SessionStatus })}
          allowDeselect={false}
          data-testid="isc-status"
        />
      </Group>
      {editing && <DetailsForm session={s} onDone={() => setEditing(false)} onReload={onReload} />}
      <SaveError error={save.error} onReload={onReload} />
    </Stack>
  );
}

function DetailsForm({
  session: s,
  onDone,
  onReload,
}: {
  session: SessionDetailT;
  onDone: () => void;
  onReload: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const save = useSessionSave(s);
  const [v, setV] = useState<SessionDraft>({
    number: s.number,
    theme: s.theme,
    startDate: s.startDate,
    endDate: s.endDate,
    place: s.place ?? '',
    online: s.online,
  });
  return (
    <Paper
      withBorder
      p="sm"
      maw={720}
      component="form"
      data-testid="isc-details-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(sessionBody(v), { onSuccess: onDone });
      }}
    >
      <Stack gap="xs">
        <SessionFields v={v} setV={setV} />
        <SaveError error={save.error} onReload={onReload} />
        <Group>
          <Button type="submit" size="sm" loading={save.isPending}>
            {t('isc.save')}
          </Button>
          <Button size="sm" variant="default" onClick={onDone}>
            {t('isc.cancel')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

// ---- agenda builder ----------------------------------------------------------------------------------

type ItemDraft = {
  number: string;
  titleEn: string;
  titleFr: string;
  presenter: string;
  documentIds: string[];
  workItemId: string | null;
  outcome: string;
};
const EMPTY: ItemDraft = {
  number: '',
  titleEn: '',
  titleFr: '',
  presenter: '',
  documentIds: [],
  workItemId: null,
  outcome: '',
};

function Agenda({
  session: s,
  lang,
  onReload,
}: {
  session: SessionDetailT;
  lang: string;
  onReload: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
  const work = useQuery({
    queryKey: [...iscKey, 'work'],
    queryFn: ({ signal }) => api.get<Items<WorkItemT>>('/api/isc/work-items', { signal }),
  });
  const workById = new Map((work.data?.items ?? []).map((w) => [w.id, w]));
  const docById = new Map(s.documents.map((d) => [d.id, d]));
  const put = (next: SessionDetailT) => qc.setQueryData([...iscKey, 'session', s.id], next);
  const move = useMutation({
    mutationFn: (v: { item: AgendaItemT; direction: 'up' | 'down' }) =>
      api.post<SessionDetailT>(`/api/isc/sessions/${s.id}/agenda/${v.item.id}/move`, {
        version: v.item.version,
        direction: v.direction,
      }),
    onSuccess: put,
  });
  const remove = useMutation({
    mutationFn: (item: AgendaItemT) =>
      request<SessionDetailT>(`/api/isc/sessions/${s.id}/agenda/${item.id}`, {
        method: 'DELETE',
        body: { version: item.version },
      }),
    onSuccess: put,
  });
  return (
    <Section title={t('isc.agenda')}>
      {s.agenda.length === 0 && <Text c="dimmed">{t('isc.agendaEmpty')}</Text>}
      <Stack gap="xs" data-testid="isc-agenda">
        {s.agenda.map((a, i) =>
          editing === a.id ? (
            <ItemForm
              key={a.id}
              session={s}
              item={a}
              workItems={work.data?.items ?? []}
              onDone={() => setEditing(null)}
              onReload={onReload}
            />
          ) : (
            <Paper key={a.id} withBorder p="sm" data-testid="isc-agenda-item">
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <Stack gap={2}>
                  <Text fw={600}>
                    {a.number}. <bdi>{lang === 'fr' && a.titleFr ? a.titleFr : a.titleEn}</bdi>
                  </Text>
                  {lang !== 'fr' && a.titleFr && (
                    <Text size="sm" c="dimmed" lang="fr">
                      {a.titleFr}
                    </Text>
                  )}
                  <Text size="sm" c="dimmed">
                    {[
                      a.presenter && `${t('isc.presenter')}: ${a.presenter}`,
                      a.workItemId &&
                        `${t('isc.workItem')}: ${workById.get(a.workItemId)?.ref ?? ''} ${workById.get(a.workItemId)?.title ?? ''}`,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </Text>
                  {a.documentIds.length > 0 && (
                    <Text size="sm">
                      {t('isc.linkedDocuments')}:{' '}
                      {a.documentIds
                        .map((d) => docById.get(d)?.title)
                        .filter(Boolean)
                        .join(', ')}
                    </Text>
                  )}
                  {a.outcome && (
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      <b>{t('isc.outcome')}:</b> <bdi>{a.outcome}</bdi>
                    </Text>
                  )}
                </Stack>
                {s.canManage && (
                  <Group gap={4} wrap="nowrap">
                    <ActionIcon
                      variant="subtle"
                      disabled={i === 0}
                      aria-label={t('isc.moveUp', { number: a.number })}
                      onClick={() => move.mutate({ item: a, direction: 'up' })}
                    >
                      <IconArrowUp size={16} aria-hidden />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      disabled={i === s.agenda.length - 1}
                      aria-label={t('isc.moveDown', { number: a.number })}
                      onClick={() => move.mutate({ item: a, direction: 'down' })}
                    >
                      <IconArrowDown size={16} aria-hidden />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      aria-label={t('isc.editItem', { number: a.number })}
                      onClick={() => setEditing(a.id)}
                    >
                      <IconPencil size={16} aria-hidden />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('isc.removeItem', { number: a.number })}
                      onClick={() => remove.mutate(a)}
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Group>
                )}
              </Group>
            </Paper>
          ),
        )}
      </Stack>
      <SaveError error={move.error ?? remove.error} onReload={onReload} />
      {s.canManage && editing === null && (
        <ItemForm session={s} workItems={work.data?.items ?? []} onDone={() => {}} onReload={onReload} />
      )}
    </Section>
  );
}

function ItemForm({
  session: s,
  item,
  workItems,
  onDone,
  onReload,
}: {
  session: SessionDetailT;
  item?: AgendaItemT;
  workItems: WorkItemT[];
  onDone: () => void;
  onReload: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [v, setV] = useState<ItemDraft>(
    item
      ? {
          number: item.number,
          titleEn: item.titleEn,
          titleFr: item.titleFr,
          presenter: item.presenter,
          documentIds: item.documentIds,
          workItemId: item.workItemId,
          outcome: item.outcome,
        }
      : { ...EMPTY, number: String(s.agenda.length + 1) },
  );
  const save = useMutation({
    mutationFn: () =>
      item
        ? api.patch<SessionDetailT>(`/api/isc/sessions/${s.id}/agenda/${item.id}`, {
            version: item.version,
            ...v,
          })
        : api.post<SessionDetailT>(`/api/isc/sessions/${s.id}/agenda`, v),
    onSuccess: (next) => {
      qc.setQueryData([...iscKey, 'session', s.id], next);
      if (!item) setV({ ...EMPTY, number: String(next.agenda.length + 1) });
      onDone();
    },
  });
  return (
    <Paper
      withBorder
      p="sm"
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      data-testid="isc-item-form"
    >
      <Stack gap="xs">
        {!item && (
          <Title order={3} size="h5">
            {t('isc.addItem')}
          </Title>
        )}
        <Group grow align="flex-start">
          <TextInput
            label={t('isc.itemNumber')}
            required
            maw={90}
            value={v.number}
            onChange={(e) => setV({ ...v, number: e.currentTarget.value })}
          />
          <TextInput
            label={t('isc.titleEn')}
            required
            value={v.titleEn}
            onChange={(e) => setV({ ...v, titleEn: e.currentTarget.value })}
          />
          <TextInput
            label={t('isc.titleFr')}
            lang="fr"
            value={v.titleFr}
            onChange={(e) => setV({ ...v, titleFr: e.currentTarget.value })}
          />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label={t('isc.presenter')}
            value={v.presenter}
            onChange={(e) => setV({ ...v, presenter: e.currentTarget.value })}
          />
          <Select
            label={t('isc.workItem')}
            clearable
            value={v.workItemId}
            data={workItems.map((w) => ({ value: w.id, label: `${w.ref} ${w.title}` }))}
            onChange={(x) => setV({ ...v, workItemId: x })}
          />
          <MultiSelect
            label={t('isc.linkedDocuments')}
            value={v.documentIds}
            data={s.documents.map((d) => ({ value: d.id, label: d.title }))}
            onChange={(x) => setV({ ...v, documentIds: x })}
          />
        </Group>
        <Textarea
          label={t('isc.outcome')}
          autosize
          minRows={1}
          value={v.outcome}
          onChange={(e) => setV({ ...v, outcome: e.currentTarget.value })}
        />
        <SaveError error={save.error} onReload={onReload} />
        <Group>
          <Button
            type="submit"
            size="sm"
            loading={save.isPending}
            leftSection={item ? undefined : <IconPlus size={16} aria-hidden />}
          >
            {item ? t('isc.save') : t('isc.addItem')}
          </Button>
          {item && (
            <Button size="sm" variant="default" onClick={onDone}>
              {t('isc.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

// ---- documents -------------------------------------------------------------------------------------

function Documents({ session: s }: { session: SessionDetailT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const refresh = () => qc.invalidateQueries({ queryKey: [...iscKey, 'session', s.id] });
  const add = useMutation({
    mutationFn: () => upload(`/api/isc/documents`, file!, { fields: { sessionId: s.id, title } }),
    onSuccess: () => {
      setFile(null);
      setTitle('');
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/api/isc/sessions/${s.id}/documents/${id}`),
    onSuccess: refresh,
  });
  return (
    <Section title={t('isc.documents')}>
      {s.documents.length === 0 ? (
        <Text c="dimmed">{t('isc.documentsEmpty')}</Text>
      ) : (
        <Stack gap={4}>
          {s.documents.map((d) => (
            <Group key={d.id} gap="sm">
              <Anchor
                href={`/api/isc/sessions/${s.id}/documents/${d.id}`}
                aria-label={t('isc.download', { title: d.title })}
              >
                {d.title}
              </Anchor>
              <Text size="xs" c="dimmed">
                {d.filename} · {f.date(d.createdAt)}
              </Text>
              {s.canManage && (
                <ActionIcon
                  size="sm"
                  variant="subtle"
                  color="red"
                  aria-label={t('isc.remove')}
                  onClick={() => remove.mutate(d.id)}
                >
                  <IconTrash size={14} aria-hidden />
                </ActionIcon>
              )}
            </Group>
          ))}
        </Stack>
      )}
      {s.canManage && (
        <Group align="flex-end" mt="sm">
          <TextInput
            label={t('isc.documentTitle')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
          <FileInput label={t('isc.file')} value={file} onChange={setFile} clearable w={260} />
          <Button disabled={!file || !title.trim()} loading={add.isPending} onClick={() => add.mutate()}>
            {t('isc.upload')}
          </Button>
        </Group>
      )}
      <SaveError error={add.error ?? remove.error} onReload={refresh} />
    </Section>
  );
}

// ---- participants ----------------------------------------------------------------------------------

function Participants({
  session: s,
  onReload,
}: {
  session: SessionDetailT;
  onReload: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const save = useSessionSave(s);
  const [v, setV] = useState({
    kind: 'member' as ParticipantKind,
    name: '',
    category: '',
    count: '' as number | string,
    organisationId: null as string | null,
  });
  // Observers and private-sector bodies may be invited by organisation: its ISC readers then read
  // this session (docs/adr/0029).
  const orgs = useQuery({
    queryKey: [...iscKey, 'observer-organisations'],
    queryFn: ({ signal }) =>
      api.get<Items<ObserverOrganisationT>>('/api/isc/observer-organisations', { signal }),
    enabled: s.canManage,
  });
  const orgName = new Map((orgs.data?.items ?? []).map((o) => [o.id, o.name]));
  const add = () =>
    save.mutate(
      {
        participants: [
          ...s.participants,
          {
            kind: v.kind,
            name: v.name,
            country: null,
            category: v.category.trim() || null,
            delegatesCount: v.count === '' ? null : Number(v.count),
            delegates: [],
            organisationId: v.kind === 'member' ? null : v.organisationId,
          },
        ],
      },
      { onSuccess: () => setV({ ...v, name: '', category: '', count: '', organisationId: null }) },
    );
  return (
    <Section title={t('isc.participants')}>
      <ScrollTable minWidth={480} label={t('isc.participants')}>
        <Table data-testid="isc-participants">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('isc.participantName')}</Table.Th>
              <Table.Th>{t('isc.category')}</Table.Th>
              <Table.Th>{t('isc.delegates')}</Table.Th>
              {s.canManage && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {PARTICIPANT_KINDS.flatMap((kind) => {
              const rows = s.participants.map((p, i) => ({ p, i })).filter(({ p }) => p.kind === kind);
              if (rows.length === 0) return [];
              return [
                <Table.Tr key={kind}>
                  <Table.Td colSpan={s.canManage ? 4 : 3} fw={600} bg="var(--mantine-color-default-hover)">
                    {t(`isc.participantKind.${kind}`)}
                  </Table.Td>
                </Table.Tr>,
                ...rows.map(({ p, i }) => (
                  <Table.Tr key={`${kind}-${i}`}>
                    <Table.Td>
                      {p.name}
                      {p.organisationId && (
                        <Badge size="xs" variant="light" ms="xs" data-testid="isc-invited">
                          {t('isc.invited')}
                          {orgName.has(p.organisationId) ? `: ${orgName.get(p.organisationId)}` : ''}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{p.category ?? (p.country || '')}</Table.Td>
                    <Table.Td>
                      {[p.delegatesCount ?? '', ...p.delegates].filter((x) => x !== '').join(', ')}
                    </Table.Td>
                    {s.canManage && (
                      <Table.Td>
                        <ActionIcon
                          size="sm"
                          variant="subtle"
                          color="red"
                          aria-label={t('isc.remove')}
                          onClick={() =>
                            save.mutate({ participants: s.participants.filter((_, j) => j !== i) })
                          }
                        >
                          <IconTrash size={14} aria-hidden />
                        </ActionIcon>
                      </Table.Td>
                    )}
                  </Table.Tr>
                )),
              ];
            })}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      {s.canManage && (
        <Group align="flex-end" mt="sm">
          <Select
            label={t('isc.kind')}
            value={v.kind}
            allowDeselect={false}
            data={PARTICIPANT_KINDS.map((k) => ({ value: k, label: t(`isc.participantKind.${k}`) }))}
            onChange={(k) => k && setV({ ...v, kind: k as ParticipantKind })}
          />
          {v.kind !== 'member' && (
            <Select
              label={t('isc.invitedOrganisation')}
              description={t('isc.invitedOrganisationHelp')}
              clearable
              value={v.organisationId}
              data={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
              onChange={(id) =>
                setV({
                  ...v,
                  organisationId: id,
                  name: v.name || (id ? (orgName.get(id) ?? '') : ''),
                })
              }
              data-testid="isc-participant-organisation"
            />
          )}
          <TextInput
            label={t('isc.participantName')}
            value={v.name}
            onChange={(e) => setV({ ...v, name: e.currentTarget.value })}
          />
          <TextInput
            label={t('isc.category')}
            value={v.category}
            onChange={(e) => setV({ ...v, category: e.currentTarget.value })}
          />
          <NumberInput
            label={t('isc.delegates')}
            min={0}
            w={110}
            value={v.count}
            onChange={(n) => setV({ ...v, count: n })}
          />
          <Button variant="light" disabled={!v.name.trim()} onClick={add}>
            {t('isc.addParticipant')}
          </Button>
        </Group>
      )}
      <SaveError error={save.error} onReload={onReload} />
    </Section>
  );
}

// ---- minutes ---------------------------------------------------------------------------------------

function Minutes({ session: s, onReload }: { session: SessionDetailT; onReload: () => unknown }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const save = useSessionSave(s);
  const [text, setText] = useState(s.minutes);
  const [adopted, setAdopted] = useState(s.minutesAdoptedOn ?? '');
  if (!s.canManage)
    return (
      <Section title={t('isc.minutes')}>
        {s.minutesAdoptedOn && (
          <Text size="sm" c="dimmed">
            {t('isc.minutesAdoptedLine', { date: f.date(s.minutesAdoptedOn) })}
          </Text>
        )}
        <Text
          style={{ whiteSpace: 'pre-wrap' }}
          c={s.minutes ? undefined : 'dimmed'}
          data-testid="isc-minutes"
        >
          {s.minutes ? <bdi>{s.minutes}</bdi> : t('isc.minutesEmpty')}
        </Text>
      </Section>
    );
  return (
    <Section title={t('isc.minutes')}>
      <Stack gap="xs">
        <Textarea
          autosize
          minRows={4}
          aria-label={t('isc.minutes')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          data-testid="isc-minutes"
        />
        <Group align="flex-end">
          <TextInput
            type="date"
            label={t('isc.minutesAdoptedOn')}
            value={adopted}
            onChange={(e) => setAdopted(e.currentTarget.value)}
          />
          <Button
            loading={save.isPending}
            onClick={() => save.mutate({ minutes: text, minutesAdoptedOn: adopted || null })}
          >
            {t('isc.save')}
          </Button>
        </Group>
        <SaveError error={save.error} onReload={onReload} />
      </Stack>
    </Section>
  );
}
