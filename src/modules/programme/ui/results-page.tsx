import { Badge, Container, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api } from '../../../web/api';
import { useCan } from '../../../web/session';
import { Chart } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import type { Indicator, Results } from '../programme.results';
import { programmeKey } from './bits';
import {
  ActualForm,
  AddIndicatorForm,
  AddResultForm,
  ConsentPanel,
  EvaluationForm,
  LinkForm,
} from './results-forms';
import { ValueForMoneySection } from './value-section';

type ResultsT = z.infer<typeof Results>;
type IndicatorT = z.infer<typeof Indicator>;

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
          {submit && !manage && <ConsentPanel />}
          {data.data.outcomes.length === 0 && <Text c="dimmed">{t('programme.results.empty')}</Text>}
          {data.data.outcomes.map((o) => (
            <Paper withBorder p="md" key={o.id}>
              <Title order={2} size="h4">
                {t('programme.results.outcome')}: {o.title}
              </Title>
              <Indicators items={o.indicators} manage={manage} />
              {o.outputs.map((out) => (
                <Stack key={out.id} ms="lg" mt="md" gap="xs">
                  <Title order={3} size="h5">
                    {t('programme.results.output')}: {out.title}
                  </Title>
                  <Indicators items={out.indicators} manage={manage} />
                </Stack>
              ))}
            </Paper>
          ))}
          {manage && (
            <Paper withBorder p="md">
              <Stack>
                <AddResultForm partnershipId={id} data={data.data} />
                {data.data.outcomes.length > 0 && <AddIndicatorForm partnershipId={id} data={data.data} />}
              </Stack>
            </Paper>
          )}
          <ValueForMoneySection base={base} id={id} manage={manage} />
          <Evaluations items={data.data.evaluations} />
          {manage && <EvaluationForm partnershipId={id} />}
        </Stack>
      )}
    </Container>
  );
}

function Indicators({ items, manage }: { items: IndicatorT[]; manage: boolean }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  if (items.length === 0) return null;
  const latest = (i: IndicatorT) => (i.latest?.value === null || !i.latest ? null : Number(i.latest.value));
  return (
    <Stack gap="sm" mt="sm">
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('programme.results.indicator')}</Table.Th>
            <Table.Th>{t('programme.results.baseline')}</Table.Th>
            <Table.Th>{t('programme.results.target')}</Table.Th>
            <Table.Th>{t('programme.results.actual')}</Table.Th>
            <Table.Th>{t('programme.results.source')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((i) => (
            <Table.Tr key={i.id}>
              <Table.Td>
                {i.name} ({i.unit}) · {t(`programme.results.direction.${i.direction}`)}
              </Table.Td>
              <Table.Td>{i.baseline}</Table.Td>
              <Table.Td>{i.target}</Table.Td>
              <Table.Td>
                {i.latest?.value ?? '—'}
                {i.latest?.periodLabel && i.latest.source === 'entered' ? ` (${i.latest.periodLabel})` : ''}
              </Table.Td>
              <Table.Td>
                {i.latest?.source === 'rad_factor' ? (
                  i.latest.evidence ? (
                    <Text size="sm">
                      {t('programme.results.linkedTo', {
                        factor: i.link?.factor,
                        title: i.latest.evidence.title,
                      })}{' '}
                      · {f.date(i.latest.evidence.validatedAt)}
                    </Text>
                  ) : (
                    <Badge color="gray" variant="light">
                      {t(`programme.results.status.${i.latest.status}`)}
                    </Badge>
                  )
                ) : (
                  <Text size="sm">{t('programme.results.entered')}</Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
          {manage &&
            items.map((i) => (
              <Table.Tr key={`actual-${i.id}`}>
                <Table.Td colSpan={5}>
                  <Text size="xs" c="dimmed">
                    {t('programme.forms.actualFor', { name: i.name })}
                  </Text>
                  <LinkForm key={`${i.id}-${i.version}`} indicator={i} />
                  {!i.link && <ActualForm indicatorId={i.id} name={i.name} />}
                </Table.Td>
              </Table.Tr>
            ))}
        </Table.Tbody>
      </Table>
      <Chart
        label={t('programme.results.chartLabel')}
        height={80 + items.length * 40}
        option={{
          legend: {},
          grid: { containLabel: true, left: 8, right: 16 },
          xAxis: { type: 'value' },
          yAxis: { type: 'category', data: items.map((i) => i.name) },
          series: [
            {
              name: t('programme.results.baseline'),
              type: 'bar',
              data: items.map((i) => Number(i.baseline)),
            },
            { name: t('programme.results.target'), type: 'bar', data: items.map((i) => Number(i.target)) },
            { name: t('programme.results.actual'), type: 'bar', data: items.map(latest) },
          ],
        }}
      />
    </Stack>
  );
}

function Evaluations({ items }: { items: ResultsT['evaluations'] }): ReactNode {
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
            <Text size="sm" c="dimmed">
              {e.evaluator} · {f.date(e.evaluatedOn)}
            </Text>
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
