import {
  Alert as Notice,
  Badge,
  Button,
  Code,
  Group,
  ScrollArea,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, errorMessage } from '../../../web/api';
import { useCan } from '../../../web/session';
import { AnchorLink } from '../../../web/ui-kit/links';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import type * as C from '../analytics.contract';
import { type Alert, RowsBehind, RowsTable, type Run, useCatalogue, useFormat } from './bits';

type Status = Alert['status'];
/** Where an alert may go next (as the server's TRANSITIONS). */
const NEXT: Record<Status, Status[]> = {
  new: ['under_review', 'escalated', 'risk_map', 'dismissed'],
  under_review: ['escalated', 'risk_map', 'dismissed'],
  dismissed: ['under_review'],
  escalated: [],
  risk_map: [],
};

/** One alert: the explanation in words, its figures, its indicator's definition, the rows, triage. */
export function AlertPage(): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { alertId } = useParams({ strict: false }) as { alertId: string };
  const [note, setNote] = useState('');
  const f = useFormat();
  // The risk register takes a risk only from those who may edit it (the server says 403 too).
  const canMap = useCan('risks.manage');
  const canCases = useCan('cases.read');
  const canRisks = useCan('risks.read');
  const alert = useQuery({
    queryKey: ['analytics', 'alerts', 'one', alertId],
    queryFn: () => api.get<Alert>(`/api/analytics/alerts/${alertId}`),
  });
  const catalogue = useCatalogue();
  const run = useQuery({
    queryKey: ['analytics', 'run', alert.data?.runId],
    enabled: !!alert.data,
    queryFn: () => api.get<Run>(`/api/analytics/runs/${alert.data?.runId}`),
  });
  const triage = useMutation({
    mutationFn: (status: Status) =>
      api.patch<Alert>(`/api/analytics/alerts/${alertId}`, {
        status,
        version: alert.data?.version,
        ...(status === 'dismissed' ? { reason: note.trim() } : {}),
        ...((status === 'escalated' || status === 'risk_map') && note.trim()
          ? { reference: note.trim() }
          : {}),
      }),
    onSuccess: () => {
      setNote('');
      qc.invalidateQueries({ queryKey: ['analytics', 'alerts'] });
    },
  });
  if (alert.isPending || catalogue.isPending) return <PageLoader />;
  if (alert.isError) return <QueryError error={alert.error} onRetry={() => alert.refetch()} />;
  if (catalogue.isError) return <QueryError error={catalogue.error} onRetry={() => catalogue.refetch()} />;
  const a = alert.data;
  const def = catalogue.data.items.find((i) => i.id === a.indicatorId);
  const unit = def?.unit;
  const officer = a.officerId ?? (a.subjectType === 'officer' ? a.subjectId : null);
  const mirror = a.subjectType === 'hs_partner_year';
  const next = NEXT[a.status].filter((s) => s !== 'risk_map' || canMap);
  return (
    <Stack gap="lg">
      <PageHeader
        title={t('analytics.people.alertTitle', { indicator: a.indicatorId, subject: a.subjectId })}
        crumbs={[{ label: t('analytics.title'), to: '/analytics' }]}
        before={
          <Badge
            size="lg"
            variant="light"
            color={a.status === 'new' ? 'orange' : 'gray'}
            data-testid="alert-status"
          >
            {t(`analytics.alertStatus.${a.status}`)}
          </Badge>
        }
      />
      <Notice color="orange" title={t('analytics.people.inWords')}>
        {a.explanation}
      </Notice>
      <Table withTableBorder style={{ maxWidth: 560 }}>
        <Table.Tbody>
          {(
            [
              ['observed', f(a.observed, unit)],
              ['expected', f(a.expected, unit)],
              ['limit', f(a.limit, unit)],
              ['n', String(a.n)],
              ['score', a.score.toFixed(2)],
            ] as const
          ).map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Th scope="row">{t(`analytics.people.${k}`)}</Table.Th>
              <Table.Td>{v}</Table.Td>
            </Table.Tr>
          ))}
          {a.officeCode && (
            <Table.Tr>
              <Table.Th scope="row">{t('analytics.pairs.office')}</Table.Th>
              <Table.Td>{a.officeCode}</Table.Td>
            </Table.Tr>
          )}
          {(a.periodFrom || a.periodTo) && (
            <Table.Tr>
              <Table.Th scope="row">{t('analytics.people.period')}</Table.Th>
              <Table.Td>
                {t('analytics.people.periodRange', { from: a.periodFrom ?? '…', to: a.periodTo ?? '…' })}
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      <Group gap="md">
        {officer && !mirror && (
          <AnchorLink
            to="/analytics/versions/$versionId/officers/$officerId"
            params={{ versionId: a.datasetVersionId, officerId: officer }}
          >
            {t('analytics.people.openOfficer', { officer })}
          </AnchorLink>
        )}
        {a.subjectType === 'pair' && (
          <AnchorLink to="/analytics/pairs">{t('analytics.pairs.open')}</AnchorLink>
        )}
        {mirror && <AnchorLink to="/analytics/mirror">{t('analytics.mirror.nav')}</AnchorLink>}
      </Group>
      <Stack component="section" aria-labelledby="alert-definition" gap={4}>
        <Title order={2} id="alert-definition">
          {t('analytics.people.definitionTitle')}
        </Title>
        <Text fw={600}>
          {a.indicatorId} · {def?.name}
        </Text>
        <Text size="sm">{def?.description}</Text>
        <Text size="sm" c="dimmed">
          {t('analytics.funnel.definition', { version: a.indicatorVersion, source: def?.source ?? '' })}
          {def && def.version !== a.indicatorVersion
            ? ` — ${t('analytics.people.newerVersion', { version: def.version })}`
            : ''}
        </Text>
        {def && (
          <ScrollArea viewportProps={{ tabIndex: 0 }}>
            <Code block style={{ whiteSpace: 'pre-wrap' }}>
              {Object.entries(def.formula)
                .map(([k, v]) => `${k}: ${v}`)
                .join('\n')}
            </Code>
          </ScrollArea>
        )}
        <AnchorLink to="/analytics/indicators" hash={a.indicatorId} size="sm">
          {t('analytics.dashboard.open')}
        </AnchorLink>
      </Stack>
      <Stack component="section" aria-labelledby="alert-triage" gap="xs">
        <Title order={2} id="alert-triage">
          {t('analytics.people.triageTitle')}
        </Title>
        {(a.reason || a.reference) && (
          <Text size="sm">
            {a.reason && t('analytics.people.reason', { reason: a.reason })}{' '}
            {a.reference && t('analytics.people.reference', { reference: a.reference })}
          </Text>
        )}
        {a.caseId &&
          (canCases ? (
            <AnchorLink to="/cases/$id" params={{ id: a.caseId }} data-testid="alert-case">
              {t('analytics.people.openCase')}
            </AnchorLink>
          ) : (
            <Text size="sm" c="dimmed">
              {t('analytics.people.caseNoAccess')}
            </Text>
          ))}
        {a.riskId && canRisks && (
          <AnchorLink to="/risks/$id" params={{ id: a.riskId }} data-testid="alert-risk">
            {t('analytics.people.openRisk')}
          </AnchorLink>
        )}
        {next.length > 0 ? (
          <>
            <Textarea
              label={t('analytics.alerts.note')}
              description={t('analytics.alerts.noteHelp')}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              autosize
              minRows={2}
              maw={560}
            />
            <Group gap="xs">
              {next.includes('under_review') && (
                <Button
                  variant="default"
                  onClick={() => triage.mutate('under_review')}
                  loading={triage.isPending}
                >
                  {t(a.status === 'dismissed' ? 'analytics.people.reopen' : 'analytics.alerts.review')}
                </Button>
              )}
              {next.includes('escalated') && (
                <Button onClick={() => triage.mutate('escalated')} loading={triage.isPending}>
                  {t('analytics.alerts.escalate')}
                </Button>
              )}
              {next.includes('risk_map') && (
                <Button
                  variant="default"
                  onClick={() => triage.mutate('risk_map')}
                  loading={triage.isPending}
                >
                  {t('analytics.alerts.riskMap')}
                </Button>
              )}
              {next.includes('dismissed') && (
                <Button
                  variant="subtle"
                  color="red"
                  disabled={!note.trim()}
                  onClick={() => triage.mutate('dismissed')}
                  loading={triage.isPending}
                >
                  {t('analytics.alerts.dismiss')}
                </Button>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {t('analytics.people.caseHint')}{' '}
              {t(canMap ? 'analytics.people.riskHint' : 'analytics.people.riskMapNeeds')}
            </Text>
          </>
        ) : (
          <Text size="sm">{t('analytics.people.final')}</Text>
        )}
        {triage.isError && <Notice color="red">{errorMessage(triage.error)}</Notice>}
      </Stack>
      {mirror ? (
        <MirrorRows alertId={a.id} title={t('analytics.people.rowsTitle', { what: a.subjectId })} />
      ) : (
        run.data && (
          <RowsBehind
            versionId={a.datasetVersionId}
            query={{
              officer: officer ?? undefined,
              declarant: a.declarantId ?? undefined,
              indicator: a.indicatorId,
              from: run.data.periodFrom ?? undefined,
              to: run.data.periodTo ?? undefined,
            }}
            title={t('analytics.people.rowsTitle', { what: `${a.indicatorId} · ${a.subjectId}` })}
          />
        )
      )}
    </Stack>
  );
}

/** The trade rows behind a mirror alert (both sides of the cell; first 200). */
function MirrorRows({ alertId, title }: { alertId: string; title: string }): ReactNode {
  const rows = useQuery({
    queryKey: ['analytics', 'alert-rows', alertId],
    queryFn: () =>
      api.get<z.infer<typeof C.DeclarationRows>>(`/api/analytics/alerts/${alertId}/declarations`),
  });
  if (!rows.data) return null;
  return (
    <section aria-label={title}>
      <Text fw={600}>{title}</Text>
      <RowsTable columns={rows.data.columns} rows={rows.data.rows} />
    </section>
  );
}
