import { Alert, Button, Container, Grid, Group, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useCan } from '../../../web/session';
import { useFormat } from '../../../web/ui-kit/format';
import { AnchorLink, ButtonLink } from '../../../web/ui-kit/links';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { Section } from '../../../web/ui-kit/section';
import type { Risk } from '../risks.contract';
import { FlagBadges, RatingBadge } from './bits';
import { risksKey, useRisk } from './queries';

export function RiskPage(): ReactNode {
  const { id } = useParams({ strict: false }) as { id: string };
  return (
    <RequirePermission permission="risks.read">
      <Detail id={id} />
    </RequirePermission>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }): ReactNode {
  return (
    <Grid.Col span={{ base: 12, sm: 6 }}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <div>{children || '—'}</div>
    </Grid.Col>
  );
}

/** Where the risk came from: an analytics alert links to it; another module's object is named. */
function SourceLine({ source }: { source: NonNullable<Risk['source']> }): ReactNode {
  const { t } = useTranslation();
  return (
    <Text size="sm" data-testid="risk-source">
      {source.module === 'analytics' ? (
        <AnchorLink to="/analytics/alerts/$alertId" params={{ alertId: source.ref }}>
          {t('risks.fromAnalyticsAlert')}
        </AnchorLink>
      ) : (
        t('risks.fromSource', { module: source.module, ref: source.ref })
      )}
    </Text>
  );
}

function Detail({ id }: { id: string }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const risk = useRisk(id);
  const canManage = useCan('risks.manage');
  const qc = useQueryClient();
  const review = useMutation({
    mutationFn: (r: Risk) => api.post<Risk>(`/api/risks/${r.id}/review`, { version: r.version }),
    onSuccess: async (r) => {
      await qc.invalidateQueries({ queryKey: risksKey });
      notifySuccess(t('risks.reviewed', { date: f.date(r.nextReviewOn) }));
    },
  });
  if (risk.isPending) return <PageLoader />;
  if (risk.isError) return <QueryError error={risk.error} onRetry={() => risk.refetch()} />;
  const r = risk.data;
  return (
    <Container size="lg" px={0}>
      <PageHeader
        title={`${r.ref} · ${r.title}`}
        crumbs={[{ label: t('risks.title'), to: '/risks' }]}
        actions={
          canManage && (
            <Group gap="xs">
              {r.status !== 'draft' && (
                <Button
                  variant="default"
                  onClick={() => review.mutate(r)}
                  loading={review.isPending}
                  data-testid="risk-review"
                >
                  {t('risks.markReviewed')}
                </Button>
              )}
              <ButtonLink to="/risks/$id/edit" params={{ id: r.id }} data-testid="risk-edit">
                {t('risks.edit')}
              </ButtonLink>
            </Group>
          )
        }
      />
      <Stack gap="md">
        <ProblemAlert error={review.error} />
        {r.status === 'draft' && (
          <Alert color="yellow" data-testid="risk-draft">
            {t('risks.draftHelp')}
          </Alert>
        )}
        {r.source && <SourceLine source={r.source} />}
        <FlagBadges flags={r.flags} />
        <Section title={t('risks.rating')}>
          <Group gap="xl">
            <div>
              <Text size="xs" c="dimmed">
                {t('risks.inherent')}
              </Text>
              <RatingBadge rating={r.inherent} />
              {r.inherent && (
                <Text size="xs">{t('risks.lxi', { l: r.inherent.likelihood, i: r.inherent.impact })}</Text>
              )}
            </div>
            <Text aria-hidden>→</Text>
            <div>
              <Text size="xs" c="dimmed">
                {t('risks.residual')}
              </Text>
              <RatingBadge rating={r.residual} />
              {r.residual && (
                <Text size="xs">{t('risks.lxi', { l: r.residual.likelihood, i: r.residual.impact })}</Text>
              )}
            </div>
          </Group>
        </Section>
        <Section title={t('risks.details')}>
          <Grid>
            <Row label={t('risks.field.process')}>{r.process}</Row>
            <Row label={t('risks.field.scheme')}>{t(`risks.scheme.${r.scheme}`)}</Row>
            <Row label={t('risks.field.description')}>
              {r.description && (
                <Text span style={{ whiteSpace: 'pre-line' }}>
                  {r.description}
                </Text>
              )}
            </Row>
            <Row label={t('risks.field.drivers')}>{r.drivers}</Row>
            <Row label={t('risks.field.actors')}>{r.actors.length ? f.list(r.actors) : null}</Row>
            <Row label={t('risks.field.factors')}>
              {r.factors.length ? f.list(r.factors.map((n) => t('risks.factorN', { n }))) : null}
            </Row>
            <Row label={t('risks.field.orgUnit')}>{r.orgUnit}</Row>
            <Row label={t('risks.field.owner')}>{r.owner}</Row>
            <Row label={t('risks.field.treatment')}>{t(`risks.treatment.${r.treatment}`)}</Row>
            <Row label={t('risks.field.treatmentNote')}>{r.treatmentNote}</Row>
            <Row label={t('risks.field.status')}>{t(`risks.status.${r.status}`)}</Row>
            <Row label={t('risks.field.lastReviewedAt')}>{f.date(r.lastReviewedAt)}</Row>
            <Row label={t('risks.field.nextReviewOn')}>
              <Text span c={r.overdue ? 'red' : undefined}>
                {f.date(r.nextReviewOn)}
              </Text>
            </Row>
          </Grid>
        </Section>
        <Section title={t('risks.controls')}>
          {r.controls.length === 0 ? (
            <Text c="dimmed">{t('risks.noControls')}</Text>
          ) : (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('risks.control.description')}</Table.Th>
                  <Table.Th scope="col">{t('risks.control.kind')}</Table.Th>
                  <Table.Th scope="col">{t('risks.control.automated')}</Table.Th>
                  <Table.Th scope="col">{t('risks.control.effectiveness')}</Table.Th>
                  <Table.Th scope="col">{t('risks.control.lastTestedOn')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.controls.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>{c.description}</Table.Td>
                    <Table.Td>{t(`risks.controlKind.${c.kind}`)}</Table.Td>
                    <Table.Td>{c.automated ? t('risks.yes') : t('risks.no')}</Table.Td>
                    <Table.Td>{t(`risks.effectiveness.${c.effectiveness}`)}</Table.Td>
                    <Table.Td>{f.date(c.lastTestedOn)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Section>
        {r.treatment === 'accept' && <Acceptance risk={r} />}
      </Stack>
    </Container>
  );
}

function Acceptance({ risk }: { risk: Risk }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const canApprove = useCan('risks.approve');
  const qc = useQueryClient();
  const [note, setNote] = useState('');
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'reject') =>
      api.post<Risk>(`/api/risks/${risk.id}/acceptance`, {
        decision,
        note: note.trim() || null,
        version: risk.version,
      }),
    onSuccess: async () => {
      setNote('');
      await qc.invalidateQueries({ queryKey: risksKey });
    },
  });
  return (
    <Section title={t('risks.acceptanceTitle')}>
      <Alert
        color={risk.acceptance === 'approved' ? 'teal' : risk.acceptance === 'rejected' ? 'red' : 'yellow'}
        data-testid="risk-acceptance-state"
      >
        {t(`risks.acceptance.${risk.acceptance}`)}
        {risk.acceptanceDecidedAt &&
          ` · ${t('risks.decidedBy', { name: risk.acceptanceDecidedBy ?? '—', date: f.date(risk.acceptanceDecidedAt) })}`}
        {risk.acceptanceNote && <Text size="sm">{risk.acceptanceNote}</Text>}
      </Alert>
      {risk.acceptance === 'pending' && canApprove && (
        <Stack gap="xs">
          <ProblemAlert error={decide.error} />
          <Textarea
            label={t('risks.decisionNote')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          <Group>
            <Button
              color="teal"
              onClick={() => decide.mutate('approve')}
              loading={decide.isPending}
              data-testid="risk-accept-approve"
            >
              {t('risks.approve')}
            </Button>
            <Button
              color="red"
              variant="light"
              onClick={() => decide.mutate('reject')}
              loading={decide.isPending}
              data-testid="risk-accept-reject"
            >
              {t('risks.reject')}
            </Button>
          </Group>
        </Stack>
      )}
    </Section>
  );
}
