import {
  Alert,
  Button,
  Container,
  Grid,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
  Textarea,
  ThemeIcon,
} from '@mantine/core';
import { IconBriefcase, IconInfoCircle, IconKey, IconLock, IconMessages, IconX } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../../web/api';
import { useCan, useMe } from '../../../web/session';
import { useFormat } from '../../../web/ui-kit/format';
import { ButtonLink } from '../../../web/ui-kit/links';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { Section } from '../../../web/ui-kit/section';
import { CLOSE_REASONS, type CloseReason } from '../reports.vocab';
import { Due, LegalHoldBadge, LegalHoldSwitch, StatusBadge, clocks } from './bits';
import { AccessHistory } from './escrow';
import { Files } from './files';
import { KeyBanner, LockButton } from './keys';
import { useRecipients } from './channels-queries';
import { handlerKey, keysProblem, useReport, useUnits } from './queries';
import type { CaseOpenedT, ReportDetailT } from './types';

export function ReportPage(): ReactNode {
  return (
    <RequirePermission permission="reports.handle">
      <ReportView />
    </RequirePermission>
  );
}

/** A change answered with 204: the report is read again (an audited read) and the inbox refreshed. */
function useAction<B>(id: string, path: string, after?: () => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: B) => api.post(`/api/reports/${id}/${path}`, body),
    onSuccess: () => {
      after?.();
      return qc.invalidateQueries({ queryKey: handlerKey });
    },
  });
}

function ReportView(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const { id } = useParams({ strict: false }) as { id: string };
  const r = useReport(id);
  const crumbs = [{ label: t('reports.inbox.title'), to: '/reports' as const }];
  if (r.isPending) return <PageLoader />;
  if (r.isError) {
    // Keys locked or not set up: the banner unlocks them, and the report is read again.
    if (keysProblem(r.error))
      return (
        <Container size="xl" px={0}>
          <PageHeader title={t('reports.report.lockedTitle')} crumbs={crumbs} />
          <KeyBanner />
        </Container>
      );
    return <QueryError error={r.error} onRetry={() => r.refetch()} />;
  }
  const d = r.data;
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('reports.report.title', { received: f.dateTime(d.receivedAt) })}
        description={d.channel}
        crumbs={crumbs}
        actions={
          <Group gap="xs">
            {d.legalHold && <LegalHoldBadge />}
            <StatusBadge status={d.status} />
            <LockButton />
          </Group>
        }
      />
      <Alert icon={<IconLock aria-hidden />} color="gray" variant="light" mb="md">
        {t('reports.report.readAudited')}
      </Alert>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            <Answers d={d} />
            <Messages d={d} />
            <Files reportId={d.id} closed={d.status === 'closed'} />
            <InternalWork d={d} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <Workflow d={d} onReload={() => r.refetch()} />
            <Assignees d={d} />
            <AccessHistory d={d} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Container>
  );
}

// ---- what the reporter answered ------------------------------------------------------------------
/** A language's name in the reader's language ("fr" → "French"). */
const languageName = (code: string, lng: string) => {
  try {
    return new Intl.DisplayNames([lng], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
};

export function Answers({ d }: { d: ReportDetailT }): ReactNode {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const units = useUnits(d.answers.some((a) => a.type === 'office'));
  const show = (a: ReportDetailT['answers'][number]): string => {
    if (a.value === undefined || a.value === null || a.value === '') return '—';
    if (a.type === 'office')
      return units.data?.items.find((u) => u.id === a.value)?.name ?? t('reports.report.unknownOffice');
    if (a.type === 'date' && typeof a.value === 'string') return f.date(a.value);
    if (a.type === 'amount' && typeof a.value === 'number') return f.number(a.value);
    return String(a.value);
  };
  return (
    <Section
      title={t('reports.report.answers')}
      description={t('reports.report.answersHint', { language: languageName(d.language, i18n.language) })}
    >
      <Table data-testid="report-answers">
        <Table.Tbody>
          {d.answers.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Th scope="row" w="40%" style={{ verticalAlign: 'top' }}>
                {a.label}
              </Table.Th>
              {/* The reporter's words keep their own direction (French in an Arabic page, and back). */}
              <Table.Td
                style={{ whiteSpace: 'pre-wrap' }}
                dir={a.type === 'short_text' || a.type === 'long_text' ? 'auto' : undefined}
              >
                {show(a)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Section>
  );
}

// ---- messages to the reporter (not internal notes) -----------------------------------------------
function Messages({ d }: { d: ReportDetailT }): ReactNode {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const send = useAction<{ body: string }>(d.id, 'messages', () => {
    setBody('');
    notifySuccess(t('reports.messages.sent'));
  });
  const closed = d.status === 'closed';
  return (
    <Section title={t('reports.messages.title')} description={t('reports.messages.hint')}>
      <Stack gap="sm" data-testid="reporter-messages" aria-live="polite">
        <MessageList messages={d.messages} />
      </Stack>
      {closed ? (
        <Text size="sm" c="dimmed">
          {t('reports.messages.closed')}
        </Text>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (body.trim()) send.mutate({ body: body.trim() });
          }}
        >
          <Stack gap="xs">
            <Textarea
              label={t('reports.messages.write')}
              description={t('reports.messages.writeHint')}
              required
              autosize
              minRows={3}
              maxLength={20000}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              data-testid="message-body"
            />
            {send.error && <ProblemAlert error={send.error} />}
            <Button
              type="submit"
              w="fit-content"
              loading={send.isPending}
              leftSection={<IconMessages size={16} aria-hidden />}
            >
              {t('reports.messages.send')}
            </Button>
          </Stack>
        </form>
      )}
    </Section>
  );
}

/** The thread with the reporter, oldest first, or a line saying it is empty. */
export function MessageList({ messages }: { messages: ReportDetailT['messages'] }): ReactNode {
  const { t } = useTranslation();
  if (messages.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('reports.messages.none')}
      </Text>
    );
  return messages.map((m, i) => <Message key={`${m.at}-${i}`} m={m} />);
}

function Message({ m }: { m: ReportDetailT['messages'][number] }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const reporter = m.direction === 'reporter';
  return (
    <Stack
      gap={2}
      p="sm"
      maw="85%"
      style={{
        alignSelf: reporter ? 'flex-start' : 'flex-end',
        borderRadius: 8,
        border: '1px solid var(--mantine-color-default-border)',
        background: reporter ? 'var(--mantine-color-default)' : 'var(--mantine-color-blue-light)',
      }}
      data-testid={`message-${m.direction}`}
    >
      <Text size="xs" c="dimmed">
        {reporter
          ? t('reports.messages.fromReporter')
          : t('reports.messages.fromHandler', { name: m.author ?? '—' })}
        {' · '}
        {f.dateTime(m.at)}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} dir="auto">
        {m.body}
      </Text>
    </Stack>
  );
}

/** Internal notes are the case's: said here so that nothing internal is written to the reporter. */
function InternalWork({ d }: { d: ReportDetailT }): ReactNode {
  const { t } = useTranslation();
  return (
    <Section title={t('reports.internal.title')}>
      <Alert icon={<IconInfoCircle aria-hidden />} color="blue" variant="outline">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{d.caseId ? t('reports.internal.inCase') : t('reports.internal.noCase')}</Text>
          {d.caseId && (
            <ButtonLink to="/cases/$id" params={{ id: d.caseId }} size="xs" variant="default">
              {t('reports.triage.viewCase')}
            </ButtonLink>
          )}
        </Stack>
      </Alert>
    </Section>
  );
}

// ---- workflow: clocks, acknowledge, triage, close, legal hold ------------------------------------
function Workflow({ d, onReload }: { d: ReportDetailT; onReload: () => unknown }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const manager = useCan('reports.manage');
  // Cases are seen by cases.manage, or by the handlers a case is assigned to.
  const caseManager = useCan('cases.manage');
  const [closing, setClosing] = useState(false);
  const c = clocks(d);
  const ack = useAction<{ version: number }>(d.id, 'acknowledge', () =>
    notifySuccess(t('reports.workflow.acknowledged')),
  );
  const triage = useMutation({
    mutationFn: () => api.post<CaseOpenedT>(`/api/reports/${d.id}/case`),
    onSuccess: async (o) => {
      notifySuccess(t('reports.triage.opened', { reference: o.reference }));
      await qc.invalidateQueries({ queryKey: handlerKey });
    },
  });
  const rows: [string, ReactNode][] = [
    [t('reports.inbox.received'), f.dateTime(d.receivedAt)],
    [
      t('reports.inbox.ackDue'),
      <Due key="a" at={d.ackDue} overdue={c.ackOverdue} done={d.status !== 'new'} />,
    ],
    [
      t('reports.inbox.feedbackDue'),
      <Due key="f" at={d.feedbackDue} overdue={c.feedbackOverdue} done={d.status === 'closed'} />,
    ],
    ...(d.closeReason
      ? [[t('reports.workflow.reason'), t(`reports.reason.${d.closeReason}`)] as [string, ReactNode]]
      : []),
  ];
  return (
    <Section title={t('reports.workflow.title')}>
      <Table>
        <Table.Tbody>
          {rows.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Th scope="row" w="45%">
                {k}
              </Table.Th>
              <Table.Td>{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {d.status !== 'closed' && (
        <Group>
          {d.status === 'new' && (
            <Button
              onClick={() => ack.mutate({ version: d.version })}
              loading={ack.isPending}
              data-testid="acknowledge"
            >
              {t('reports.workflow.acknowledge')}
            </Button>
          )}
          {!d.caseId && (
            <Button
              variant={d.status === 'new' ? 'default' : 'filled'}
              leftSection={<IconBriefcase size={16} aria-hidden />}
              onClick={() => triage.mutate()}
              loading={triage.isPending}
              data-testid="open-case"
            >
              {t('reports.triage.open')}
            </Button>
          )}
          <Button variant="default" color="red" onClick={() => setClosing(true)} data-testid="close-report">
            {t('reports.workflow.close')}
          </Button>
        </Group>
      )}
      {d.caseId && (
        <Alert color="violet" variant="light" icon={<IconBriefcase aria-hidden />} data-testid="report-case">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t('reports.triage.done')}</Text>
            {!caseManager && (
              <Text size="xs" c="dimmed">
                {t('reports.triage.assignedByManager')}
              </Text>
            )}
            <ButtonLink to="/cases/$id" params={{ id: d.caseId }} size="xs">
              {triage.data
                ? t('reports.triage.viewCaseRef', { reference: triage.data.reference })
                : t('reports.triage.viewCase')}
            </ButtonLink>
          </Stack>
        </Alert>
      )}
      {ack.error && <SaveError error={ack.error} onReload={onReload} />}
      {triage.error && <ProblemAlert error={triage.error} />}
      {manager && <LegalHoldSwitch r={d} onDone={onReload} />}
      <CloseModal d={d} opened={closing} onClose={() => setClosing(false)} onReload={onReload} />
    </Section>
  );
}

function CloseModal({
  d,
  opened,
  onClose,
  onReload,
}: {
  d: ReportDetailT;
  opened: boolean;
  onClose: () => void;
  onReload: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const [reason, setReason] = useState<CloseReason | ''>('');
  const close = useAction<{ version: number; reason: CloseReason }>(d.id, 'close', () => {
    notifySuccess(t('reports.workflow.closed'));
    onClose();
  });
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('reports.workflow.closeTitle')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (reason) close.mutate({ version: d.version, reason });
        }}
      >
        <Stack>
          <Text size="sm">{t('reports.workflow.closeText')}</Text>
          <NativeSelect
            label={t('reports.workflow.reason')}
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value as CloseReason)}
            data={[
              { value: '', label: t('reports.workflow.chooseReason'), disabled: true },
              ...CLOSE_REASONS.map((r) => ({ value: r, label: t(`reports.reason.${r}`) })),
            ]}
            data-testid="close-reason"
          />
          {close.error && <SaveError error={close.error} onReload={onReload} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('reports.workflow.cancel')}
            </Button>
            <Button type="submit" color="red" disabled={!reason} loading={close.isPending}>
              {t('reports.workflow.closeConfirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

// ---- who holds the report key --------------------------------------------------------------------
function Assignees({ d }: { d: ReportDetailT }): ReactNode {
  const { t } = useTranslation();
  const me = useMe();
  const manager = useCan('reports.manage');
  const qc = useQueryClient();
  const handlers = useRecipients(manager);
  const [userId, setUserId] = useState('');
  const add = useAction<{ userId: string; acknowledgeConflict?: boolean }>(d.id, 'assignees', () => {
    setUserId('');
    notifySuccess(t('reports.assignees.added'));
  });
  // The server answers 409 on acknowledgeConflict when the handler works in the office named.
  const conflict =
    add.error instanceof ApiError &&
    add.error.status === 409 &&
    !!add.error.problem.errors?.some((e) => e.path === 'acknowledgeConflict');
  const remove = useMutation({
    mutationFn: (uid: string) => api.delete(`/api/reports/${d.id}/assignees/${uid}`),
    onSuccess: async () => {
      notifySuccess(t('reports.assignees.removed'));
      await qc.invalidateQueries({ queryKey: handlerKey });
    },
  });
  const assigned = new Set(d.assignees.map((a) => a.userId));
  const candidates = (handlers.data?.items ?? []).filter((h) => !assigned.has(h.userId));
  return (
    <Section title={t('reports.assignees.title')} description={t('reports.assignees.hint')}>
      <Stack gap="xs" data-testid="assignees">
        {d.assignees.map((a) => (
          <Group key={a.userId} justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              <ThemeIcon variant="light" color="teal" size="sm" aria-hidden>
                <IconKey size={14} />
              </ThemeIcon>
              <Text size="sm">
                {a.name}
                {a.userId === me.user.id ? ` (${t('reports.assignees.you')})` : ''}
              </Text>
            </Group>
            {d.assignees.length > 1 && (
              <Button
                size="xs"
                variant="subtle"
                color="red"
                leftSection={<IconX size={14} aria-hidden />}
                loading={remove.isPending && remove.variables === a.userId}
                onClick={() => remove.mutate(a.userId)}
                aria-label={t('reports.assignees.removeName', { name: a.name })}
              >
                {t('reports.assignees.remove')}
              </Button>
            )}
          </Group>
        ))}
      </Stack>
      {remove.error && <ProblemAlert error={remove.error} />}
      {manager ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (userId) add.mutate({ userId });
          }}
        >
          <Stack gap="xs">
            <Group align="flex-end" gap="xs">
              <NativeSelect
                label={t('reports.assignees.add')}
                value={userId}
                onChange={(e) => setUserId(e.currentTarget.value)}
                data={[
                  { value: '', label: t('reports.assignees.choose') },
                  ...candidates.map((h) => ({
                    value: h.userId,
                    label: h.hasKey ? h.name : t('reports.assignees.noKey', { name: h.name }),
                    disabled: !h.hasKey,
                  })),
                ]}
                style={{ flex: 1 }}
              />
              <Button type="submit" disabled={!userId} loading={add.isPending}>
                {t('reports.assignees.assign')}
              </Button>
            </Group>
            {conflict ? (
              <Alert
                color="orange"
                title={t('reports.assignees.conflictTitle')}
                data-testid="assign-conflict"
              >
                <Stack gap="xs" align="flex-start">
                  <Text size="sm">{t('reports.assignees.conflict')}</Text>
                  <Button
                    size="xs"
                    color="orange"
                    loading={add.isPending}
                    onClick={() => add.mutate({ userId, acknowledgeConflict: true })}
                  >
                    {t('reports.assignees.assignAnyway')}
                  </Button>
                </Stack>
              </Alert>
            ) : (
              add.error && <ProblemAlert error={add.error} />
            )}
          </Stack>
        </form>
      ) : (
        <Text size="xs" c="dimmed">
          {t('reports.assignees.askManager')}
        </Text>
      )}
    </Section>
  );
}
