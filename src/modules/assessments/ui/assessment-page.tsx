import {
  Accordion,
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
} from '@mantine/core';
import { IconCopy, IconShare } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import { ButtonLink } from '../../../web/ui-kit/links';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { DeltaText, ProgressBar, StatusBadge, usePercent } from './bits';
import { EditHeaderButton, EditTeamButton } from './header-dialogs';
import { ItemEditor } from './item-editor';
import {
  type AssessmentDetail,
  assessmentsKey,
  type ScoresResult,
  useAssessment,
  useItems,
  useScores,
} from './queries';

type Target = 'in_progress' | 'in_review' | 'closed' | 'validated';

function Workflow({ a }: { a: AssessmentDetail }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [confirm, setConfirm] = useState<Target | null>(null);
  const [note, setNote] = useState('');
  const done = () => {
    void qc.invalidateQueries({ queryKey: assessmentsKey });
    setConfirm(null);
    setNote('');
  };
  const move = useMutation({
    mutationFn: (to: Target) =>
      to === 'validated'
        ? api.post(`/api/assessments/${a.id}/validate`, { version: a.version, note: note || null })
        : api.post(`/api/assessments/${a.id}/transition`, { to, version: a.version, note: note || null }),
    onSuccess: () => {
      notifySuccess(t('assessments.transitioned'));
      done();
    },
  });
  const revise = useMutation({
    mutationFn: () => api.post<AssessmentDetail>(`/api/assessments/${a.id}/revise`),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: assessmentsKey });
      void navigate({ to: '/assessments/$id', params: { id: r.id } });
    },
  });
  const share = useMutation({
    mutationFn: () =>
      a.shared ? api.delete(`/api/assessments/${a.id}/share`) : api.post(`/api/assessments/${a.id}/share`),
    onSuccess: () => {
      notifySuccess(t(a.shared ? 'assessments.unsharedDone' : 'assessments.sharedDone'));
      void qc.invalidateQueries({ queryKey: assessmentsKey });
    },
  });
  const label = (to: Target) =>
    to === 'in_progress' && a.status === 'in_review'
      ? t('assessments.transitions.sendBack')
      : t(`assessments.transitions.${to}`);
  const targets: Target[] = [...a.can.transition, ...(a.can.validate ? (['validated'] as const) : [])];
  return (
    <>
      <Group gap="xs">
        {targets.map((to) => (
          <Button
            key={to}
            size="sm"
            variant={to === 'validated' ? 'filled' : 'light'}
            color={to === 'validated' ? 'teal' : undefined}
            data-testid={`transition-${to}`}
            onClick={() => setConfirm(to)}
          >
            {label(to)}
          </Button>
        ))}
        {a.can.revise && (
          <Button
            size="sm"
            variant="default"
            leftSection={<IconCopy size={16} aria-hidden />}
            onClick={() => revise.mutate()}
            loading={revise.isPending}
          >
            {t('assessments.revise')}
          </Button>
        )}
        {a.can.share && (
          <Button
            size="sm"
            variant="default"
            leftSection={<IconShare size={16} aria-hidden />}
            onClick={() => share.mutate()}
            loading={share.isPending}
          >
            {a.shared ? t('assessments.unshare') : t('assessments.share')}
          </Button>
        )}
      </Group>
      <ProblemAlert error={revise.error ?? share.error} />
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={confirm !== null}
        onClose={() => setConfirm(null)}
        title={confirm === 'validated' ? t('assessments.validateTitle') : confirm ? label(confirm) : ''}
      >
        <Stack>
          {confirm === 'validated' && <Text size="sm">{t('assessments.validateHelp')}</Text>}
          <Textarea
            label={t('assessments.note')}
            maxLength={2000}
            autosize
            minRows={2}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          <ProblemAlert error={move.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)}>
              {t('assessments.cancel')}
            </Button>
            <Button
              data-testid="transition-confirm"
              loading={move.isPending}
              onClick={() => confirm && move.mutate(confirm)}
            >
              {confirm ? label(confirm) : ''}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

export function ScoresView({ s }: { s: ScoresResult }): ReactNode {
  const { t } = useTranslation();
  const pct = usePercent();
  const fmt = useFormat();
  const factors = s.factors.filter((f) => f.items > 0);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: {},
      legend: { bottom: 0, itemGap: 24 },
      radar: {
        indicator: factors.map((f) => ({ name: `${f.factor}. ${f.name}`, max: 100 })),
        radius: '62%',
        axisName: { fontSize: 11 },
      },
      series: [
        {
          type: 'radar',
          data: [
            {
              name: t('assessments.current'),
              value: factors.map((f) => f.score ?? 0),
              areaStyle: { opacity: 0.2 },
            },
            ...(s.previous
              ? [
                  {
                    name: t('assessments.previous', { title: s.previous.title }),
                    value: factors.map((f) => f.previous ?? 0),
                    lineStyle: { type: 'dashed' },
                  },
                ]
              : []),
          ],
        },
      ],
    }),
    [factors, s.previous, t],
  );
  return (
    <Stack>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={2}>
          <Text size="sm" c="dimmed">
            {t('assessments.fields.overall')}
          </Text>
          <Group gap="xs" align="baseline">
            <Text fz={32} fw={700}>
              {pct(s.overall)}
            </Text>
            {s.previous && <DeltaText value={s.overallDelta} />}
          </Group>
        </Stack>
        <div style={{ minInlineSize: 240 }}>
          <Text size="sm" c="dimmed">
            {t('assessments.fields.progress')}
          </Text>
          <ProgressBar {...s.progress} />
        </div>
      </Group>
      <Text size="sm" c="dimmed">
        {t('assessments.scoreHelp')} {s.frozen ? t('assessments.frozen') : ''}
      </Text>
      <div data-testid="assessment-radar">
        <Chart option={option} label={t('assessments.radarLabel')} height={420} />
      </div>
      {!s.previous && (
        <Text size="sm" c="dimmed">
          {t('assessments.noPrevious')}
        </Text>
      )}
      <ScrollTable minWidth={560} label={t('assessments.scoresTitle')}>
        <Table data-testid="assessment-compare" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('assessments.factor')}</Table.Th>
              <Table.Th>{t('assessments.score')}</Table.Th>
              <Table.Th>{t('assessments.previousScore')}</Table.Th>
              <Table.Th>{t('assessments.delta')}</Table.Th>
              <Table.Th>{t('assessments.items')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {factors.map((f) => (
              <Table.Tr key={f.factor} data-factor={f.factor}>
                <Table.Td>{`${f.factor}. ${f.name}`}</Table.Td>
                <Table.Td>{pct(f.score)}</Table.Td>
                <Table.Td>{pct(f.previous)}</Table.Td>
                <Table.Td>
                  <DeltaText value={f.delta} />
                </Table.Td>
                <Table.Td>{`${fmt.number(f.scored + f.notApplicable)} / ${fmt.number(f.items)}`}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Stack>
  );
}

function Checklist({ a }: { a: AssessmentDetail }): ReactNode {
  const q = useItems(a.id);
  const fmt = useFormat();
  if (q.isPending) return <PageLoader />;
  if (q.error) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <Accordion multiple variant="separated" defaultValue={[String(q.data.factors[0]?.factor ?? '')]}>
      {q.data.factors
        .filter((f) => f.items.length > 0)
        .map((f) => {
          const done = f.items.filter((i) => i.response.notApplicable || i.response.rating !== null).length;
          return (
            <Accordion.Item key={f.factor} value={String(f.factor)}>
              <Accordion.Control>
                <Group justify="space-between" wrap="nowrap" pe="sm">
                  <Text fw={600}>{`${f.factor}. ${f.name}`}</Text>
                  <Badge variant="light" color={done === f.items.length ? 'teal' : 'gray'}>
                    {`${fmt.number(done)} / ${fmt.number(f.items.length)}`}
                  </Badge>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <Stack>
                  {f.items.map((i) => (
                    // Keyed on the item only: a newer version must not wipe what is being typed.
                    <ItemEditor key={i.id} a={a} item={i} />
                  ))}
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          );
        })}
    </Accordion>
  );
}

function Scores({ id }: { id: string }): ReactNode {
  const q = useScores(id);
  if (q.isPending) return <PageLoader />;
  if (q.error) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  return <ScoresView s={q.data} />;
}

function Team({ a }: { a: AssessmentDetail }): ReactNode {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <EditTeamButton a={a} />
      {a.team.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('assessments.teamEmpty')}
        </Text>
      ) : (
        <TeamTable a={a} />
      )}
    </Stack>
  );
}

function TeamTable({ a }: { a: AssessmentDetail }): ReactNode {
  const { t } = useTranslation();
  return (
    <Table data-testid="assessment-team">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('assessments.fields.member')}</Table.Th>
          <Table.Th>{t('assessments.fields.role')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {a.team.map((m) => (
          <Table.Tr key={`${m.id}:${m.role}`}>
            <Table.Td>{m.name}</Table.Td>
            <Table.Td>{t(`assessments.roles.${m.role}`)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Detail({ id }: { id: string }): ReactNode {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const q = useAssessment(id);
  const [tab, setTab] = useState<string | null>('items');
  if (q.isPending) return <PageLoader />;
  if (q.error) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const a = q.data;
  const ro = a.status === 'validated' || a.status === 'closed';
  return (
    <>
      <PageHeader
        title={a.title}
        crumbs={[{ label: t('assessments.listTitle'), to: '/assessments' }]}
        before={<StatusBadge status={a.status} testId="assessment-status" />}
        description={
          <>
            {`${t(`assessments.types.${a.type}`)} · ${a.framework.name} (v${a.framework.version}) · ${a.scale.name}`}
            {a.startDate && ` · ${fmt.date(a.startDate)} – ${fmt.date(a.endDate)}`}
            {a.revision > 1 && ` · ${t('assessments.fields.revision')} ${a.revision}`}
          </>
        }
        actions={
          <>
            <EditHeaderButton a={a} />
            <Workflow a={a} />
          </>
        }
      />
      <Stack mb="md" gap="xs">
        <Text size="sm" c="dimmed" data-testid="assessment-scope">
          {a.scopeUnits.length > 0
            ? t('assessments.scopeUnits', {
                units: new Intl.ListFormat(i18n.language, { type: 'unit' }).format(
                  a.scopeUnits.map((u) => u.name),
                ),
              })
            : t('assessments.scopeAll')}
        </Text>
        {a.validatedBy && a.validatedAt && (
          <Text size="sm">
            {t('assessments.validatedBy', { name: a.validatedBy.name, date: fmt.dateTime(a.validatedAt) })}
            {a.validationNote && ` — ${a.validationNote}`}
          </Text>
        )}
        {a.shared && (
          <Badge variant="outline" color="teal" w="fit-content">
            {t('assessments.sharedBadge')}
          </Badge>
        )}
        {ro && (
          <Alert color="gray" variant="light">
            {t('assessments.readOnly', { status: t(`assessments.statuses.${a.status}`) })}
            {a.supersededBy && (
              <Group mt="xs" gap="xs">
                <Text size="sm">{t('assessments.supersededBy')}</Text>
                <ButtonLink size="xs" variant="light" to="/assessments/$id" params={{ id: a.supersededBy }}>
                  {t('assessments.openRevision')}
                </ButtonLink>
              </Group>
            )}
          </Alert>
        )}
        <div style={{ maxInlineSize: 420 }}>
          <ProgressBar {...a.progress} />
        </div>
      </Stack>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="items">{t('assessments.tabs.items')}</Tabs.Tab>
          <Tabs.Tab value="scores" data-testid="assessment-scores-tab">
            {t('assessments.tabs.scores')}
          </Tabs.Tab>
          <Tabs.Tab value="team">{t('assessments.tabs.team')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="items">
          <Checklist a={a} />
        </Tabs.Panel>
        <Tabs.Panel value="scores">
          <Scores id={a.id} />
        </Tabs.Panel>
        <Tabs.Panel value="team">
          <Team a={a} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

export function AssessmentPage(): ReactNode {
  const { id } = useParams({ strict: false }) as { id: string };
  return (
    <RequirePermission permission="assessments.read">
      <Detail id={id} />
    </RequirePermission>
  );
}
