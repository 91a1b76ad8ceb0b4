import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Container,
  FileButton,
  Grid,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Timeline,
} from '@mantine/core';
import { IconAlertTriangle, IconLock, IconMessages } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, upload } from '../../../web/api';
import { currentLanguage } from '../../../web/i18n';
import { useCan } from '../../../web/session';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { Section } from '../../../web/ui-kit/section';
import { type CaseStatus, SUBJECT_KINDS, type SubjectKind } from '../cases.vocab';
import { StatusBadge, label, useTaxonomy } from './bits';
import { casesKey, useCandidates, useCase } from './queries';
import type { CaseDetailT } from './types';

export function CasePage(): ReactNode {
  return (
    <RequirePermission permission="cases.read">
      <CaseView />
    </RequirePermission>
  );
}

/** Every save answers with the whole case: it replaces the cached one (no second audited read). */
function useSave<B>(id: string, path: string, method: 'POST' | 'PATCH' = 'POST') {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: B) =>
      method === 'POST' ? api.post<CaseDetailT>(path, body) : api.patch<CaseDetailT>(path, body),
    onSuccess: (c) => {
      qc.setQueryData([...casesKey, 'case', id], c);
      qc.invalidateQueries({ queryKey: [...casesKey, 'list'] });
    },
  });
}

function CaseView(): ReactNode {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const c = useCase(id);
  if (c.isPending) return <PageLoader />;
  if (c.isError) return <QueryError error={c.error} onRetry={() => c.refetch()} />;
  const d = c.data;
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('cases.caseTitle', { reference: d.reference })}
        description={d.title}
        crumbs={[{ label: t('cases.listTitle'), to: '/cases' }]}
        actions={<StatusBadge status={d.status} />}
      />
      <Alert icon={<IconLock aria-hidden />} color="gray" variant="light" mb="md">
        {t('cases.readAudited')}
      </Alert>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            <Workflow d={d} onReload={() => c.refetch()} />
            <Notes d={d} />
            <ReporterMessages />
            <Subjects d={d} />
            <Files d={d} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <Details d={d} />
            <Assignment d={d} />
            <TimelineSection d={d} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Container>
  );
}

function Details({ d }: { d: CaseDetailT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const { text } = useTaxonomy();
  const rows: [string, ReactNode][] = [
    [t('cases.source'), `${label('source', d.sourceKind)}${d.sourceRef ? ` · ${d.sourceRef}` : ''}`],
    [t('cases.unit'), d.orgUnit ?? t('cases.noUnit')],
    [
      t('cases.due'),
      <Group gap={6} key="due">
        <span>{f.date(d.decisionDueOn)}</span>
        {d.overdue && (
          <Badge color="red.9" size="sm">
            {t('cases.overdue')}
          </Badge>
        )}
      </Group>,
    ],
    [t('cases.opened'), f.dateTime(d.openedAt)],
    [t('cases.closed'), f.dateTime(d.closedAt)],
    [t('cases.decision'), text('decisions', d.decision)],
    [t('cases.outcome'), text('outcomes', d.outcome)],
    [t('cases.sanction'), text('sanctions', d.sanction)],
    [t('cases.closureReason'), text('closureReasons', d.closureReason)],
  ];
  return (
    <Section title={t('cases.details')}>
      {d.escalated && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />}>
          {t('cases.escalatedHint')}
        </Alert>
      )}
      <Table>
        <Table.Tbody>
          {rows.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Th scope="row" w="40%">
                {k}
              </Table.Th>
              <Table.Td>{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Section>
  );
}

// ---- workflow ----------------------------------------------------------------------------------
function Workflow({ d, onReload }: { d: CaseDetailT; onReload: () => unknown }): ReactNode {
  const { t } = useTranslation();
  const { options } = useTaxonomy();
  const [to, setTo] = useState<CaseStatus | null>(null);
  const [extra, setExtra] = useState({ decision: '', outcome: '', sanction: '', closureReason: '' });
  const move = useSave<Record<string, unknown>>(d.id, `/api/cases/${d.id}/transition`);
  const needs = (s: CaseStatus | null) => ({
    decision: s === 'decision',
    outcome: s === 'outcome',
    closure: s === 'closed' && !d.outcome,
  });
  const n = needs(to);
  const submit = () =>
    move.mutate(
      {
        to,
        version: d.version,
        ...(n.decision && extra.decision ? { decision: extra.decision } : {}),
        ...(n.outcome && extra.outcome ? { outcome: extra.outcome } : {}),
        ...(n.outcome && extra.outcome === 'disciplinary_sanction' && extra.sanction
          ? { sanction: extra.sanction }
          : {}),
        ...(n.closure && extra.closureReason ? { closureReason: extra.closureReason } : {}),
      },
      {
        onSuccess: () => {
          setTo(null);
          notifySuccess(t('cases.saved'));
        },
      },
    );
  return (
    <Section title={t('cases.workflow')}>
      {d.next.length === 0 ? (
        <Text c="dimmed">{t('cases.noNext')}</Text>
      ) : (
        <Group>
          {d.next.map((s) => (
            <Button
              key={s}
              variant={s === 'closed' ? 'default' : 'filled'}
              onClick={() => {
                const need = needs(s);
                if (need.decision || need.outcome || need.closure) setTo(s);
                else move.mutate({ to: s, version: d.version });
              }}
              data-testid={`move-${s}`}
            >
              {t('cases.moveTo', { status: label('status', s) })}
            </Button>
          ))}
        </Group>
      )}
      {!to && <SaveError error={move.error} onReload={onReload} />}
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={to !== null}
        onClose={() => setTo(null)}
        title={to ? t('cases.moveTo', { status: label('status', to) }) : ''}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Stack>
            {n.decision && (
              <NativeSelect
                label={t('cases.decision')}
                required
                value={extra.decision}
                onChange={(e) => setExtra({ ...extra, decision: e.currentTarget.value })}
                data={[{ value: '', label: '—' }, ...options('decisions')]}
              />
            )}
            {n.outcome && (
              <NativeSelect
                label={t('cases.outcome')}
                required
                value={extra.outcome}
                onChange={(e) => setExtra({ ...extra, outcome: e.currentTarget.value })}
                data={[{ value: '', label: '—' }, ...options('outcomes')]}
              />
            )}
            {n.outcome && extra.outcome === 'disciplinary_sanction' && (
              <NativeSelect
                label={t('cases.sanction')}
                required
                value={extra.sanction}
                onChange={(e) => setExtra({ ...extra, sanction: e.currentTarget.value })}
                data={[{ value: '', label: '—' }, ...options('sanctions')]}
              />
            )}
            {n.closure && (
              <NativeSelect
                label={t('cases.closureReason')}
                required
                value={extra.closureReason}
                onChange={(e) => setExtra({ ...extra, closureReason: e.currentTarget.value })}
                data={[{ value: '', label: '—' }, ...options('closureReasons')]}
              />
            )}
            <SaveError error={move.error} onReload={onReload} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setTo(null)}>
                {t('cases.cancel')}
              </Button>
              <Button type="submit" loading={move.isPending}>
                {t('cases.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <Appeal d={d} onReload={onReload} />
    </Section>
  );
}

function Appeal({ d, onReload }: { d: CaseDetailT; onReload: () => unknown }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const [v, setV] = useState({ filedOn: '', note: '' });
  const save = useSave<Record<string, unknown>>(d.id, `/api/cases/${d.id}/appeal`);
  if (d.appealFiledOn)
    return (
      <Stack gap={4}>
        <Text fw={600}>{t('cases.appeal')}</Text>
        <Text size="sm">
          {t('cases.appealFiledOn')}: {f.date(d.appealFiledOn)}
        </Text>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {d.appealNote}
        </Text>
      </Stack>
    );
  if (!d.decision) return null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ ...v, version: d.version });
      }}
    >
      <Stack gap="xs">
        <Text fw={600}>{t('cases.appeal')}</Text>
        <Text size="sm" c="dimmed">
          {t('cases.noAppeal')}
        </Text>
        <TextInput
          type="date"
          label={t('cases.appealFiledOn')}
          required
          value={v.filedOn}
          onChange={(e) => setV({ ...v, filedOn: e.currentTarget.value })}
        />
        <Textarea
          label={t('cases.appealNote')}
          required
          maxLength={5000}
          value={v.note}
          onChange={(e) => setV({ ...v, note: e.currentTarget.value })}
        />
        <SaveError error={save.error} onReload={onReload} />
        <Button type="submit" variant="light" w="fit-content" loading={save.isPending}>
          {t('cases.recordAppeal')}
        </Button>
      </Stack>
    </form>
  );
}

// ---- assignment --------------------------------------------------------------------------------
function Assignment({ d }: { d: CaseDetailT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const manager = useCan('cases.manage');
  const candidates = useCandidates(d.id, manager);
  const [v, setV] = useState({ userId: '', replace: false, reason: '', acknowledgeConflict: false });
  const save = useSave<Record<string, unknown>>(d.id, `/api/cases/${d.id}/assign`);
  const chosen = candidates.data?.items.find((m) => m.userId === v.userId);
  return (
    <Section title={t('cases.assignment')}>
      <Text size="sm">
        {t('cases.assignees')}:{' '}
        {d.assignees.length ? f.list(d.assignees.map((a) => a.name)) : t('cases.unassigned')}
      </Text>
      {manager && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(
              {
                userId: v.userId,
                replace: v.replace,
                acknowledgeConflict: v.acknowledgeConflict,
                ...(v.reason.trim() ? { reason: v.reason.trim() } : {}),
              },
              {
                onSuccess: () => {
                  setV({ userId: '', replace: false, reason: '', acknowledgeConflict: false });
                  candidates.refetch();
                  notifySuccess(t('cases.saved'));
                },
              },
            );
          }}
        >
          <Stack gap="xs">
            <NativeSelect
              label={t('cases.assignTo')}
              required
              value={v.userId}
              onChange={(e) => setV({ ...v, userId: e.currentTarget.value, acknowledgeConflict: false })}
              data={[
                { value: '', label: '—' },
                ...(candidates.data?.items ?? [])
                  .filter((m) => !m.assigned)
                  .map((m) => ({
                    value: m.userId,
                    label: `${m.name}${m.unit ? ` (${m.unit})` : ''}${m.conflict ? ` ⚠ ${t('cases.conflictBadge')}` : ''}`,
                  })),
              ]}
              data-testid="assign-to"
            />
            {chosen?.conflict && (
              <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert">
                <Stack gap="xs">
                  <Text size="sm">{t('cases.conflictWarning', { name: chosen.name })}</Text>
                  <Checkbox
                    label={t('cases.acknowledgeConflict')}
                    checked={v.acknowledgeConflict}
                    onChange={(e) => setV({ ...v, acknowledgeConflict: e.currentTarget.checked })}
                  />
                </Stack>
              </Alert>
            )}
            <Checkbox
              label={t('cases.replace')}
              checked={v.replace}
              onChange={(e) => setV({ ...v, replace: e.currentTarget.checked })}
            />
            <TextInput
              label={t('cases.assignReason')}
              maxLength={500}
              value={v.reason}
              onChange={(e) => setV({ ...v, reason: e.currentTarget.value })}
            />
            {save.error && <ProblemAlert error={save.error} />}
            <Button
              type="submit"
              w="fit-content"
              loading={save.isPending}
              disabled={!v.userId || (chosen?.conflict && !v.acknowledgeConflict)}
            >
              {t('cases.assign')}
            </Button>
          </Stack>
        </form>
      )}
      <Text fw={600} size="sm">
        {t('cases.history')}
      </Text>
      <Stack gap={4}>
        {d.assignments.map((a) => (
          <Group key={a.id} gap={6}>
            <Text size="sm" td={a.endedAt ? 'line-through' : undefined}>
              {a.name}
            </Text>
            <Text size="xs" c="dimmed">
              {f.date(a.assignedAt)}
              {a.endedAt ? ` – ${t('cases.ended', { date: f.date(a.endedAt) })}` : ''}
            </Text>
            {a.conflict && (
              <Badge color="red.9" size="xs">
                {t('cases.conflictBadge')}
              </Badge>
            )}
          </Group>
        ))}
      </Stack>
    </Section>
  );
}

// ---- notes, reporter messages, subjects, files -------------------------------------------------
function Notes({ d }: { d: CaseDetailT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const [body, setBody] = useState('');
  const save = useSave<{ body: string }>(d.id, `/api/cases/${d.id}/notes`);
  return (
    <Section title={t('cases.notes')} description={t('cases.notesHint')}>
      <Stack gap="sm" data-testid="internal-notes">
        {d.notes.map((n) => (
          <Stack
            key={n.id}
            gap={2}
            p="xs"
            bg="var(--mantine-color-default-hover)"
            style={{ borderRadius: 6 }}
          >
            <Text size="xs" c="dimmed">
              {n.author} · {f.dateTime(n.createdAt)}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {n.body}
            </Text>
          </Stack>
        ))}
      </Stack>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ body }, { onSuccess: () => setBody('') });
        }}
      >
        <Stack gap="xs">
          <Textarea
            label={t('cases.noteText')}
            required
            autosize
            minRows={2}
            maxLength={20000}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
          />
          {save.error && <ProblemAlert error={save.error} />}
          <Button type="submit" w="fit-content" loading={save.isPending}>
            {t('cases.addNote')}
          </Button>
        </Stack>
      </form>
    </Section>
  );
}

/** Kept apart from internal notes on purpose: reporter messages belong to the report (reports module). */
function ReporterMessages(): ReactNode {
  const { t } = useTranslation();
  return (
    <Section title={t('cases.messages')}>
      <Alert icon={<IconMessages aria-hidden />} color="blue" variant="outline">
        {t('cases.messagesHint')}
      </Alert>
    </Section>
  );
}

function Subjects({ d }: { d: CaseDetailT }): ReactNode {
  const { t } = useTranslation();
  const [v, setV] = useState({ kind: 'staff' as SubjectKind, name: '', identifier: '', role: '' });
  const save = useSave<Record<string, unknown>>(d.id, `/api/cases/${d.id}/subjects`);
  return (
    <Section title={t('cases.subjects')} description={t('cases.subjectsHint')}>
      {d.subjects.length > 0 && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('cases.kind')}</Table.Th>
              <Table.Th>{t('cases.name')}</Table.Th>
              <Table.Th>{t('cases.identifier')}</Table.Th>
              <Table.Th>{t('cases.role')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.subjects.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>{t(`cases.subjectKind.${s.kind}`)}</Table.Td>
                <Table.Td>{s.name}</Table.Td>
                <Table.Td>{s.identifier ?? '—'}</Table.Td>
                <Table.Td>{s.role ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(
            {
              kind: v.kind,
              name: v.name,
              ...(v.identifier.trim() ? { identifier: v.identifier.trim() } : {}),
              ...(v.role.trim() ? { role: v.role.trim() } : {}),
            },
            { onSuccess: () => setV({ kind: 'staff', name: '', identifier: '', role: '' }) },
          );
        }}
      >
        <Group align="flex-end" gap="xs">
          <NativeSelect
            label={t('cases.kind')}
            value={v.kind}
            onChange={(e) => setV({ ...v, kind: e.currentTarget.value as SubjectKind })}
            data={SUBJECT_KINDS.map((k) => ({ value: k, label: t(`cases.subjectKind.${k}`) }))}
          />
          <TextInput
            label={t('cases.name')}
            required
            maxLength={200}
            value={v.name}
            onChange={(e) => setV({ ...v, name: e.currentTarget.value })}
          />
          <TextInput
            label={t('cases.identifier')}
            maxLength={64}
            value={v.identifier}
            onChange={(e) => setV({ ...v, identifier: e.currentTarget.value })}
          />
          <TextInput
            label={t('cases.role')}
            maxLength={200}
            value={v.role}
            onChange={(e) => setV({ ...v, role: e.currentTarget.value })}
          />
          <Button type="submit" loading={save.isPending}>
            {t('cases.addSubject')}
          </Button>
        </Group>
        {save.error && <ProblemAlert error={save.error} />}
      </form>
    </Section>
  );
}

/** Downloads are POSTs (each one is audited): fetch the file, then hand it to the browser. */
async function downloadFile(caseId: string, fileId: string, filename: string) {
  const res = await fetch(`/api/cases/${caseId}/files/${fileId}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'X-Requested-With': 'arusha', 'Accept-Language': currentLanguage() },
  });
  if (!res.ok)
    throw new ApiError({ status: res.status, code: res.status === 404 ? 'NOT_FOUND' : 'INTERNAL' });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Files({ d }: { d: CaseDetailT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const add = useMutation({
    mutationFn: (file: File) => upload(`/api/cases/files`, file, { fields: { caseId: d.id } }),
    // The new file's row comes with the next reading of the case (audited like any other).
    onSuccess: () => qc.invalidateQueries({ queryKey: [...casesKey, 'case', d.id] }),
  });
  return (
    <Section title={t('cases.files')}>
      <FileButton onChange={(file) => file && add.mutate(file)}>
        {(props) => (
          <Button {...props} variant="light" w="fit-content" loading={add.isPending}>
            {t('cases.upload')}
          </Button>
        )}
      </FileButton>
      {add.error && <ProblemAlert error={add.error} />}
      {error ? <ProblemAlert error={error} /> : null}
      <Stack gap={4}>
        {d.files.map((x) => (
          <Group key={x.id} gap="xs">
            <Button
              variant="subtle"
              size="compact-sm"
              onClick={() => downloadFile(d.id, x.id, x.filename).catch(setError)}
            >
              {x.filename}
            </Button>
            <Text size="xs" c="dimmed">
              {f.fileSize(x.size)} · {x.uploadedBy} · {f.date(x.createdAt)}
            </Text>
          </Group>
        ))}
      </Stack>
    </Section>
  );
}

// ---- timeline ----------------------------------------------------------------------------------
function TimelineSection({ d }: { d: CaseDetailT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const names = new Map(d.assignments.map((a) => [a.userId, a.name]));
  const text = (e: CaseDetailT['events'][number]) => {
    const v = e.data;
    switch (e.kind) {
      case 'transition':
        return t('cases.event.transition', {
          from: label('status', String(v.from)),
          to: label('status', String(v.to)),
        });
      case 'assigned':
      case 'unassigned':
        return t(`cases.event.${e.kind}`, { name: names.get(String(v.userId)) ?? '' });
      case 'subject':
        return t('cases.event.subject', { kind: t(`cases.subjectKind.${String(v.kind) as SubjectKind}`) });
      case 'file':
        return t('cases.event.file', { filename: String(v.filename ?? '') });
      case 'appeal':
        return t('cases.event.appeal', { filedOn: f.date(String(v.filedOn)) });
      case 'overdue':
        return t('cases.event.overdue', { dueOn: f.date(String(v.dueOn)) });
      default:
        return t(`cases.event.${e.kind}`);
    }
  };
  return (
    <Section title={t('cases.timeline')}>
      <Timeline bulletSize={14} lineWidth={2} active={d.events.length}>
        {d.events.map((e) => (
          <Timeline.Item key={e.id} title={text(e)}>
            <Text size="xs" c="dimmed">
              {e.actor ? `${e.actor} · ` : ''}
              {f.dateTime(e.createdAt)}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Section>
  );
}
