import { Badge, Button, Container, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api } from '../../../web/api';
import { useCan } from '../../../web/session';
import { ActualsChart } from './charts';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import type { Indicator, Results } from '../programme.results';
import { programmeKey } from './bits';
import {
  ActualForm,
  AddIndicatorForm,
  ConfirmDelete,
  ConsentPanel,
  EvaluationForm,
  LinkForm,
  ResultForm,
} from './results-forms';
import { EvaluationActions } from './records';
import { PlanProgress } from './plan-section';
import { ValueForMoneySection } from './value-section';

type ResultsT = z.infer<typeof Results>;
type IndicatorT = z.infer<typeof Indicator>;
type OutcomeT = ResultsT['outcomes'][number];
type OutputT = OutcomeT['outputs'][number];

/** A partnership's results framework and evaluations, for the Secretariat, the partner or a funding donor. */
export function ProgrammeResultsPage(): ReactNode {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const manage = useCan('programme.manage');
  const submit = useCan('programme.submit');
  const base = manage
    ? '/api/programme/partnerships'
    : submit
      ? '/api/programme/mine/partnerships'
      : '/api/programme/donor/partnerships';
  const data = useQuery({
    queryKey: [...programmeKey, 'results', base, id],
    queryFn: ({ signal }) => api.get<ResultsT>(`${base}/${id}/results`, { signal }),
  });
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={
          data.data
            ? t('programme.results.titleOf', { name: data.data.organisation })
            : t('programme.results.title')
        }
        description={t('programme.results.intro')}
      />
      {data.isPending ? (
        <PageLoader />
      ) : data.isError ? (
        <QueryError error={data.error} onRetry={() => data.refetch()} />
      ) : (
        <Stack gap="xl">
          {submit && !manage && (
            <>
              <ConsentPanel />
              <ConsentPanel scope="kpis" />
              <ConsentPanel scope="survey_index" />
              <ConsentPanel scope="case_statistics" />
            </>
          )}
          {data.data.outcomes.length === 0 && <Text c="dimmed">{t('programme.results.empty')}</Text>}
          {data.data.outcomes.map((o) => (
            <Paper withBorder p="md" key={o.id}>
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Title order={2} size="h4">
                  {t('programme.results.outcome')}: {o.title}
                </Title>
                {manage && <ResultActions level="outcome" result={o} partnershipId={id} data={data.data} />}
              </Group>
              <Indicators items={o.indicators} manage={manage} />
              {o.outputs.map((out) => (
                <Stack key={out.id} ms="lg" mt="md" gap="xs">
                  <Group justify="space-between" wrap="wrap" gap="xs">
                    <Title order={3} size="h5">
                      {t('programme.results.output')}: {out.title}
                    </Title>
                    {manage && (
                      <ResultActions level="output" result={out} partnershipId={id} data={data.data} />
                    )}
                  </Group>
                  <Indicators items={out.indicators} manage={manage} />
                </Stack>
              ))}
            </Paper>
          ))}
          {manage && (
            <Paper withBorder p="md">
              <Stack>
                <ResultForm partnershipId={id} data={data.data} />
                {data.data.outcomes.length > 0 && <AddIndicatorForm partnershipId={id} data={data.data} />}
              </Stack>
            </Paper>
          )}
          <PlanProgress base={base} id={id} />
          <ValueForMoneySection base={base} id={id} manage={manage} />
          <Evaluations items={data.data.evaluations} manage={manage} />
          {manage && <EvaluationForm partnershipId={id} />}
        </Stack>
      )}
    </Container>
  );
}

/**
 * The Secretariat's Rename and Delete of an outcome or output. A delete goes only while nothing
 * under it holds data (the server says 409 otherwise, worded here).
 */
function ResultActions({
  level,
  result,
  partnershipId,
  data,
}: {
  level: 'outcome' | 'output';
  result: OutcomeT | OutputT;
  partnershipId: string;
  data: ResultsT;
}): ReactNode {
  const { t } = useTranslation();
  const [open, setOpen] = useState<'rename' | 'delete' | null>(null);
  return (
    <Group gap="xs">
      <Button
        size="xs"
        variant="default"
        onClick={() => setOpen('rename')}
        aria-label={t('programme.results.renameOf', { title: result.title })}
        data-testid="programme-result-rename"
      >
        {t('programme.results.rename')}
      </Button>
      <Button
        size="xs"
        variant="subtle"
        color="red"
        onClick={() => setOpen('delete')}
        aria-label={t('programme.results.deleteOf', { title: result.title })}
        data-testid="programme-result-delete"
      >
        {t('programme.results.delete')}
      </Button>
      <Modal
        opened={open === 'rename'}
        onClose={() => setOpen(null)}
        title={t(level === 'outcome' ? 'programme.results.renameOutcome' : 'programme.results.renameOutput')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <ResultForm partnershipId={partnershipId} data={data} result={result} onDone={() => setOpen(null)} />
      </Modal>
      {open === 'delete' && (
        <ConfirmDelete
          title={t(
            level === 'outcome' ? 'programme.results.deleteOutcome' : 'programme.results.deleteOutput',
          )}
          body={
            <Stack gap="xs">
              <Text size="sm">
                {t(
                  level === 'outcome'
                    ? 'programme.results.deleteOutcomeBody'
                    : 'programme.results.deleteOutputBody',
                  { title: result.title },
                )}
              </Text>
              <Text size="sm" c="dimmed">
                {t('programme.results.deleteRule')}
              </Text>
            </Stack>
          }
          url={`/api/programme/results/${result.id}?version=${result.version}`}
          conflict={t('programme.results.deleteHeld')}
          onClose={() => setOpen(null)}
        />
      )}
    </Group>
  );
}

function Indicators({ items, manage }: { items: IndicatorT[]; manage: boolean }): ReactNode {
  if (items.length === 0) return null;
  return (
    <Stack gap="lg" mt="sm">
      {items.map((i) => (
        <IndicatorBlock key={i.id} indicator={i} manage={manage} />
      ))}
    </Stack>
  );
}

/**
 * One indicator: baseline and target, every period's actual (a linked one with the evidence it is
 * read from), a chart of the actuals over the periods against baseline and target, and for the
 * Secretariat its source, a new actual, and each entered actual's correction or deletion.
 */
function IndicatorBlock({ indicator: i, manage }: { indicator: IndicatorT; manage: boolean }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  // By id: the dialogs follow the data (a reload after a 409 brings the current version).
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const edited = i.actuals.find((a) => a.id !== null && a.id === editing);
  const deleted = i.actuals.find((a) => a.id !== null && a.id === deleting);
  const dates = (a: IndicatorT['actuals'][number]) =>
    a.periodStart && a.periodEnd
      ? `${f.date(a.periodStart)} – ${f.date(a.periodEnd)}`
      : a.periodEnd
        ? f.date(a.periodEnd)
        : '';
  return (
    <Stack gap="xs" data-testid="programme-indicator">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text fw={600}>
          {i.name} ({i.unit}) · {t(`programme.results.direction.${i.direction}`)}
        </Text>
        <Text size="sm">
          {t('programme.results.baseline')}: {i.baseline} · {t('programme.results.target')}: {i.target}
        </Text>
      </Group>
      {i.actuals.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('programme.results.noActuals')}
        </Text>
      ) : (
        <Table aria-label={t('programme.results.actualsOf', { name: i.name })}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('programme.forms.period')}</Table.Th>
              <Table.Th>{t('programme.results.dates')}</Table.Th>
              <Table.Th>{t('programme.results.actual')}</Table.Th>
              <Table.Th>{t('programme.results.source')}</Table.Th>
              {manage && <Table.Th>{t('common.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {i.actuals.map((a, k) => (
              <Table.Tr key={a.id ?? `linked-${k}`} data-testid="programme-actual-row">
                <Table.Td>{a.periodLabel || '—'}</Table.Td>
                <Table.Td>{dates(a)}</Table.Td>
                <Table.Td>{a.value ?? '—'}</Table.Td>
                <Table.Td>
                  {a.source !== 'entered' ? (
                    a.evidence?.kind === 'kpi' ? (
                      <Text size="sm">
                        {t('programme.results.linkedKpi', { code: a.evidence.code, name: a.evidence.name })}
                      </Text>
                    ) : a.evidence?.kind === 'survey_index' ? (
                      <Text size="sm">
                        {t('programme.results.linkedSurvey', {
                          name: a.evidence.name,
                          date: f.date(a.evidence.closedOn),
                        })}
                        {a.status === 'suppressed' && ` · ${t('programme.results.status.suppressed')}`}
                      </Text>
                    ) : a.evidence?.kind === 'case_statistics' ? (
                      <Text size="sm">
                        {t('programme.results.linkedCases', {
                          measure: t(`programme.results.measure.${a.evidence.measure}`),
                          year: a.evidence.year,
                        })}
                        {a.status === 'suppressed' && ` · ${t('programme.results.status.suppressed')}`}
                      </Text>
                    ) : a.evidence ? (
                      <Text size="sm">
                        {t('programme.results.linkedTo', {
                          factor: i.link?.kind === 'rad_factor' ? i.link.factor : '',
                          title: a.evidence.title,
                        })}{' '}
                        · {f.date(a.evidence.validatedAt)}
                      </Text>
                    ) : (
                      <Badge color="gray" variant="light">
                        {t(`programme.results.status.${a.status}`)}
                      </Badge>
                    )
                  ) : (
                    <Text size="sm">{t('programme.results.entered')}</Text>
                  )}
                </Table.Td>
                {manage && (
                  <Table.Td>
                    {a.id ? (
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => setEditing(a.id)}
                          aria-label={t('programme.results.editActualOf', {
                            period: a.periodLabel,
                            name: i.name,
                          })}
                          data-testid="programme-actual-edit"
                        >
                          {t('programme.results.correct')}
                        </Button>
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          onClick={() => setDeleting(a.id)}
                          aria-label={t('programme.results.deleteActualOf', {
                            period: a.periodLabel,
                            name: i.name,
                          })}
                          data-testid="programme-actual-delete"
                        >
                          {t('programme.results.delete')}
                        </Button>
                      </Group>
                    ) : (
                      <Text size="xs" c="dimmed">
                        {t('programme.results.linkedHint')}
                      </Text>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <IndicatorChart indicator={i} />
      {manage && (
        <Stack gap={4}>
          <Text size="xs" c="dimmed">
            {t('programme.forms.actualFor', { name: i.name })}
          </Text>
          <LinkForm key={`${i.id}-${i.version}`} indicator={i} />
          {!i.link && <ActualForm indicatorId={i.id} name={i.name} />}
        </Stack>
      )}
      <Modal
        opened={!!edited}
        onClose={() => setEditing(null)}
        title={t('programme.results.editActual')}
        size="lg"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {edited && (
          <ActualForm
            key={edited.id}
            indicatorId={i.id}
            name={i.name}
            actual={edited}
            onDone={() => setEditing(null)}
          />
        )}
      </Modal>
      {deleted && (
        <ConfirmDelete
          title={t('programme.results.deleteActual')}
          body={t('programme.results.deleteActualBody', {
            period: deleted.periodLabel,
            value: deleted.value,
            name: i.name,
          })}
          url={`/api/programme/actuals/${deleted.id}?version=${deleted.version}`}
          onClose={() => setDeleting(null)}
        />
      )}
    </Stack>
  );
}

/** The actuals over the periods (bars) against the baseline and target (lines). */
function IndicatorChart({ indicator: i }: { indicator: IndicatorT }): ReactNode {
  const { t } = useTranslation();
  return (
    <ActualsChart
      label={t('programme.results.chartLabel', { name: i.name })}
      points={i.actuals.flatMap((a) =>
        a.value === null ? [] : [{ period: a.periodLabel || '—', value: Number(a.value) }],
      )}
      baseline={i.baseline}
      target={i.target}
      names={{
        actual: t('programme.results.actual'),
        baseline: t('programme.results.baseline'),
        target: t('programme.results.target'),
      }}
    />
  );
}

function Evaluations({ items, manage }: { items: ResultsT['evaluations']; manage: boolean }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Stack>
      <Title order={2} size="h4">
        {t('programme.results.evaluations')}
      </Title>
      {items.length === 0 && <Text c="dimmed">{t('programme.results.noEvaluations')}</Text>}
      {items.map((e) => (
        <Paper withBorder p="md" key={e.id}>
          <Group justify="space-between">
            <Text fw={600}>{e.title}</Text>
            <Group gap="sm">
              <Text size="sm" c="dimmed">
                {e.evaluator} · {f.date(e.evaluatedOn)}
              </Text>
              {manage && <EvaluationActions id={e.id} title={e.title} />}
            </Group>
          </Group>
          <Table mt="sm">
            <Table.Tbody>
              {e.criteria.map((c) => (
                <Table.Tr key={c.criterion}>
                  <Table.Td>{t(`programme.results.criterion.${c.criterion}`)}</Table.Td>
                  <Table.Td>
                    {c.rating} — {t(`programme.results.rating.${c.ratingName}`)}
                  </Table.Td>
                  <Table.Td>{c.findings}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      ))}
    </Stack>
  );
}
