import {
  Anchor,
  Badge,
  Button,
  Container,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { Section } from '../../../web/ui-kit/section';
import { REVIEW_ACTIONS, REVIEW_TRANSITIONS, type ReviewAction } from '../declarations.vocab';
import { AssetValuesModal } from './asset-values';
import { ApprovalBadge, DeclarationsTabs, StatusBadge } from './bits';
import { declarationsKey, useApprovals, useFlags, useQueue } from './queries';
import type { DeclarationT, FlagT, HandledRowsT } from './types';

/** What a declaration says, in a line or two (never an asset value: lists carry none). */
function Details({ d }: { d: DeclarationT }): ReactNode {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      <Text size="sm">{d.summary}</Text>
      {d.type === 'conflict' && (
        <Text size="xs" c="dimmed">
          {d.partyIdentifier} · {d.nature} · {t(`declarations.mitigation.${d.mitigation!}`)}
        </Text>
      )}
      {d.type === 'gift' && (
        <Text size="xs" c="dimmed">
          {d.giftDate} · {d.description} · {t(`declarations.disposition.${d.disposition!}`)}
        </Text>
      )}
    </Stack>
  );
}

// ---- line managers -------------------------------------------------------------------------

export function ApprovalsPage(): ReactNode {
  return (
    <RequirePermission permission="declarations.approve">
      <Approvals />
    </RequirePermission>
  );
}

function Approvals(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const list = useApprovals();
  const qc = useQueryClient();
  const [note, setNote] = useState<Record<string, string>>({});
  const decide = useMutation({
    mutationFn: (v: { d: DeclarationT; decision: 'approved' | 'rejected' }) =>
      api.post(`/api/declarations/${v.d.id}/approval`, {
        decision: v.decision,
        ...(note[v.d.id] ? { note: note[v.d.id] } : {}),
        version: v.d.version,
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: declarationsKey });
      notifySuccess(t('declarations.saved'));
    },
  });
  return (
    <Container size="xl" px={0}>
      <PageHeader title={t('declarations.approvalsTitle')} description={t('declarations.approvalsIntro')} />
      <DeclarationsTabs current="approvals" />
      <ProblemAlert error={decide.error} />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed">{t('declarations.noApprovals')}</Text>
      ) : (
        <ScrollTable minWidth={820} label={t('declarations.approvalsTitle')}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('declarations.declarant')}</Table.Th>
                <Table.Th scope="col">{t('declarations.type')}</Table.Th>
                <Table.Th scope="col">{t('declarations.subject')}</Table.Th>
                <Table.Th scope="col">{t('declarations.submittedAt')}</Table.Th>
                <Table.Th scope="col">{t('declarations.approvalLabel')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((d) => (
                <Table.Tr key={d.id} data-testid={`approval-row-${d.id}`}>
                  <Table.Td>{d.declarant}</Table.Td>
                  <Table.Td>{t(`declarations.types.${d.type}`)}</Table.Td>
                  <Table.Td>
                    <Details d={d} />
                  </Table.Td>
                  <Table.Td>{f.date(d.submittedAt)}</Table.Td>
                  <Table.Td>
                    {d.approval === 'pending' ? (
                      <Stack gap={4}>
                        <TextInput
                          size="xs"
                          label={t('declarations.note')}
                          value={note[d.id] ?? ''}
                          onChange={(e) => setNote({ ...note, [d.id]: e.currentTarget.value })}
                        />
                        <Group gap={4}>
                          <Button
                            size="xs"
                            color="teal"
                            onClick={() => decide.mutate({ d, decision: 'approved' })}
                          >
                            {t('declarations.approve')}
                          </Button>
                          <Button
                            size="xs"
                            color="red"
                            variant="light"
                            onClick={() => decide.mutate({ d, decision: 'rejected' })}
                          >
                            {t('declarations.reject')}
                          </Button>
                        </Group>
                      </Stack>
                    ) : (
                      <ApprovalBadge approval={d.approval} />
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Container>
  );
}

// ---- reviewers -----------------------------------------------------------------------------

export function ReviewPage(): ReactNode {
  return (
    <RequirePermission permission="declarations.review">
      <Review />
    </RequirePermission>
  );
}

/** The actions a reviewer may take on a declaration in this status (the server's transitions). */
const next = (status: DeclarationT['status']) =>
  REVIEW_ACTIONS.filter((a) => REVIEW_TRANSITIONS[a].from.includes(status));

function Review(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const queue = useQueue();
  const flags = useFlags();
  const [values, setValues] = useState<string | null>(null);
  const [acting, setActing] = useState<{ d: DeclarationT; action: ReviewAction } | null>(null);
  const [deciding, setDeciding] = useState<FlagT | null>(null);
  const [rowsOf, setRowsOf] = useState<FlagT | null>(null);
  const qc = useQueryClient();
  const scan = useMutation({
    mutationFn: () => api.post<{ raised: number }>('/api/declarations/flags/scan'),
    onSuccess: (r) => {
      qc.invalidateQueries({ queryKey: declarationsKey });
      notifySuccess(t('declarations.scanDone', { count: r.raised }));
    },
  });
  const [filter, setFilter] = useState<'open' | 'all'>('open');
  const shownFlags = (flags.data?.items ?? []).filter((x) => filter === 'all' || x.status === 'open');
  return (
    <Container size="xl" px={0}>
      <PageHeader title={t('declarations.reviewTitle')} description={t('declarations.reviewIntro')} />
      <DeclarationsTabs current="review" />
      <Stack gap="lg">
        <Section title={t('declarations.flagsTitle')} description={t('declarations.flagsIntro')}>
          <Group justify="space-between">
            <SegmentedControl
              value={filter}
              onChange={(v) => setFilter(v as 'open' | 'all')}
              data={[
                { value: 'open', label: t('declarations.openFlags') },
                { value: 'all', label: t('declarations.allFlags') },
              ]}
              w="fit-content"
            />
            <Button size="xs" variant="default" loading={scan.isPending} onClick={() => scan.mutate()}>
              {t('declarations.scan')}
            </Button>
          </Group>
          <ProblemAlert error={scan.error} />
          {flags.isPending ? (
            <PageLoader />
          ) : flags.isError ? (
            <QueryError error={flags.error} onRetry={() => flags.refetch()} />
          ) : shownFlags.length === 0 ? (
            <Text c="dimmed">{t('declarations.noFlags')}</Text>
          ) : (
            <Stack gap="xs">
              {shownFlags.map((x) => (
                <Group
                  key={x.id}
                  justify="space-between"
                  align="flex-start"
                  wrap="nowrap"
                  data-testid={`flag-${x.rule}`}
                  p="xs"
                  style={{ borderInlineStart: '3px solid var(--mantine-color-orange-5)' }}
                >
                  <Stack gap={2}>
                    <Group gap={6}>
                      <Badge color="orange" variant="light">
                        {t(`declarations.rules.${x.rule}`)}
                      </Badge>
                      <Text size="sm" fw={500}>
                        {x.declarant}
                      </Text>
                      {x.status !== 'open' && (
                        <Badge variant="outline">{t(`declarations.flagStatus.${x.status}`)}</Badge>
                      )}
                    </Group>
                    <Text size="sm">{x.explanation}</Text>
                    {x.rule === 'related_party_handled' && (
                      <Anchor
                        component="button"
                        type="button"
                        size="xs"
                        ta="start"
                        onClick={() => setRowsOf(x)}
                      >
                        {t('declarations.showRows')}
                      </Anchor>
                    )}
                    {x.reason && (
                      <Text size="xs" c="dimmed">
                        {x.reason}
                        {x.referralRef ? ` · ${x.referralRef}` : ''}
                      </Text>
                    )}
                  </Stack>
                  {x.status === 'open' && (
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => setDeciding(x)}
                      style={{ flexShrink: 0 }}
                    >
                      {t('declarations.decide')}
                    </Button>
                  )}
                </Group>
              ))}
            </Stack>
          )}
        </Section>
        <Section title={t('declarations.queueTitle')}>
          {queue.isPending ? (
            <PageLoader />
          ) : queue.isError ? (
            <QueryError error={queue.error} onRetry={() => queue.refetch()} />
          ) : queue.data.items.length === 0 ? (
            <Text c="dimmed">{t('declarations.none')}</Text>
          ) : (
            <ScrollTable minWidth={900} label={t('declarations.queueTitle')}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('declarations.declarant')}</Table.Th>
                    <Table.Th scope="col">{t('declarations.type')}</Table.Th>
                    <Table.Th scope="col">{t('declarations.subject')}</Table.Th>
                    <Table.Th scope="col">{t('declarations.submittedAt')}</Table.Th>
                    <Table.Th scope="col">{t('declarations.statusLabel')}</Table.Th>
                    <Table.Th scope="col">{t('declarations.actions')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {queue.data.items.map((d) => (
                    <Table.Tr key={d.id} data-testid={`queue-row-${d.id}`}>
                      <Table.Td>{d.declarant}</Table.Td>
                      <Table.Td>{t(`declarations.types.${d.type}`)}</Table.Td>
                      <Table.Td>
                        <Details d={d} />
                        {d.openFlags > 0 && (
                          <Badge color="red.9" size="sm" mt={4}>
                            {t('declarations.flagCount', { n: d.openFlags })}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>{f.date(d.submittedAt)}</Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          <StatusBadge status={d.status} />
                          <ApprovalBadge approval={d.approval} />
                        </Group>
                        {d.caseId && d.caseReference && (
                          <Anchor component={Link} to={`/cases/${d.caseId}`} size="xs" display="block">
                            {t('declarations.caseLink', { reference: d.caseReference })}
                          </Anchor>
                        )}
                        {d.referralRef && (
                          <Text size="xs" c="dimmed">
                            {d.referralRef}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {d.type === 'asset' && (
                            <Button size="xs" variant="default" onClick={() => setValues(d.id)}>
                              {t('declarations.showValues')}
                            </Button>
                          )}
                          {next(d.status).map((action) => (
                            <Button
                              key={action}
                              size="xs"
                              variant={action === 'flag' || action === 'refer' ? 'light' : 'default'}
                              color={action === 'flag' ? 'orange' : action === 'refer' ? 'red' : undefined}
                              onClick={() => setActing({ d, action })}
                            >
                              {t(`declarations.actionsList.${action}`)}
                            </Button>
                          ))}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
        </Section>
      </Stack>
      <AssetValuesModal id={values} onClose={() => setValues(null)} />
      <ReviewModal acting={acting} onClose={() => setActing(null)} />
      <FlagModal flag={deciding} onClose={() => setDeciding(null)} />
      <HandledRowsModal flag={rowsOf} onClose={() => setRowsOf(null)} />
    </Container>
  );
}

function ReviewModal({
  acting,
  onClose,
}: {
  acting: { d: DeclarationT; action: ReviewAction } | null;
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [note, setNote] = useState('');
  const [reference, setReference] = useState('');
  const close = () => {
    save.reset();
    setNote('');
    setReference('');
    onClose();
  };
  const save = useMutation({
    mutationFn: () =>
      api.post<DeclarationT>(`/api/declarations/${acting!.d.id}/review`, {
        action: acting!.action,
        ...(note ? { note } : {}),
        ...(reference ? { reference } : {}),
        version: acting!.d.version,
      }),
    onSuccess: (d) => {
      qc.invalidateQueries({ queryKey: declarationsKey });
      // A referral opens a case: its reference is shown.
      notifySuccess(
        d.caseReference && acting?.action === 'refer'
          ? t('declarations.caseOpened', { reference: d.caseReference })
          : t('declarations.saved'),
      );
      close();
    },
  });
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={!!acting}
      onClose={close}
      title={acting ? t(`declarations.actionsList.${acting.action}`) : ''}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          {acting && <Details d={acting.d} />}
          <Textarea
            label={t('declarations.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          {acting?.action === 'refer' && (
            <TextInput
              label={t('declarations.reference')}
              description={t('declarations.referenceHelp')}
              value={reference}
              onChange={(e) => setReference(e.currentTarget.value)}
            />
          )}
          <ProblemAlert error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="review-confirm">
              {t('declarations.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function FlagModal({ flag, onClose }: { flag: FlagT | null; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [decision, setDecision] = useState<'dismiss' | 'refer'>('dismiss');
  const [reason, setReason] = useState('');
  const [reference, setReference] = useState('');
  const close = () => {
    save.reset();
    setReason('');
    setReference('');
    onClose();
  };
  const save = useMutation({
    mutationFn: () =>
      api.post<FlagT>(`/api/declarations/flags/${flag!.id}/decision`, {
        decision,
        reason,
        ...(decision === 'refer' && reference ? { reference } : {}),
        version: flag!.version,
      }),
    onSuccess: (f) => {
      qc.invalidateQueries({ queryKey: declarationsKey });
      notifySuccess(
        f.status === 'referred' && f.referralRef
          ? t('declarations.caseOpened', { reference: f.referralRef })
          : t('declarations.saved'),
      );
      close();
    },
  });
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={!!flag}
      onClose={close}
      title={t('declarations.decide')}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          {flag && <Text size="sm">{flag.explanation}</Text>}
          <SegmentedControl
            value={decision}
            onChange={(v) => setDecision(v as 'dismiss' | 'refer')}
            data={[
              { value: 'dismiss', label: t('declarations.dismiss') },
              { value: 'refer', label: t('declarations.refer') },
            ]}
          />
          <Textarea
            required
            label={t('declarations.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          {decision === 'refer' && (
            <TextInput
              label={t('declarations.reference')}
              description={t('declarations.referenceHelp')}
              value={reference}
              onChange={(e) => setReference(e.currentTarget.value)}
            />
          )}
          <ProblemAlert error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('declarations.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The Customs declarations behind a related-party flag (the analytics dataset rows). */
function HandledRowsModal({ flag, onClose }: { flag: FlagT | null; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const rows = useQuery({
    queryKey: [...declarationsKey, 'flag-rows', flag?.id],
    queryFn: () => api.get<HandledRowsT>(`/api/declarations/flags/${flag!.id}/rows`),
    enabled: !!flag,
  });
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={!!flag}
      onClose={onClose}
      size="xl"
      title={
        rows.data
          ? t('declarations.rowsTitle', { dataset: rows.data.dataset, version: rows.data.datasetVersion })
          : t('declarations.showRows')
      }
    >
      {rows.isPending ? (
        <PageLoader />
      ) : rows.isError ? (
        <QueryError error={rows.error} onRetry={() => rows.refetch()} />
      ) : (
        <Stack>
          <ScrollTable minWidth={700} label={t('declarations.showRows')}>
            <Table striped data-testid="handled-rows">
              <Table.Thead>
                <Table.Tr>
                  {rows.data.columns.map((c) => (
                    <Table.Th key={c} scope="col">
                      {c}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.data.rows.map((r, i) => (
                  <Table.Tr key={String(r[0] ?? i)}>
                    {r.map((v, j) => (
                      <Table.Td key={rows.data.columns[j]} dir="auto">
                        {v ?? ''}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
          <Text size="xs" c="dimmed">
            {t('declarations.rowsTotal', { shown: rows.data.rows.length, count: rows.data.total })}
          </Text>
        </Stack>
      )}
    </Modal>
  );
}
