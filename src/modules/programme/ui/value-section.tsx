import { Badge, Button, Group, MultiSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { request } from '../../../web/api';
import { Chart } from '../../../web/ui-kit/chart';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import type { PerUnit, ValueForMoney } from '../programme.value';
import { CurrencySelect, programmeKey } from './bits';

type VfmT = z.infer<typeof ValueForMoney>;
type PerUnitT = z.infer<typeof PerUnit>;

/**
 * Value for money of a partnership (docs/guide/programme.md §9): cost per outcome and output and per
 * unit of indicator change, in a chosen currency with the rates used; the Secretariat links
 * activities to outputs here.
 */
export function ValueForMoneySection({
  base,
  id,
  manage,
}: {
  base: string;
  id: string;
  manage: boolean;
}): ReactNode {
  const { t } = useTranslation();
  const [currency, setCurrency] = useState('EUR');
  const key = [...programmeKey, 'vfm', base, id, currency];
  const data = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => request<VfmT>(`${base}/${id}/value-for-money?currency=${currency}`, { signal }),
    retry: false,
  });
  const v = data.data;
  const outputs = v ? v.outcomes.flatMap((o) => o.outputs) : [];
  return (
    <Paper withBorder p="md" data-testid="programme-vfm">
      <Group justify="space-between" align="flex-end" mb="sm">
        <Stack gap={2}>
          <Title order={2} size="h4">
            {t('programme.vfm.title')}
          </Title>
          {v && (
            <Text size="sm" c="dimmed">
              {t(`programme.vfm.basis.${v.costBasis}`)}
            </Text>
          )}
        </Stack>
        <CurrencySelect
          value={currency}
          onChange={setCurrency}
          label={t('programme.reportCurrency')}
          testId="programme-vfm-currency"
        />
      </Group>
      {data.isPending ? (
        <PageLoader />
      ) : data.isError ? (
        <QueryError error={data.error} />
      ) : v ? (
        <Stack>
          {outputs.length > 0 && (
            <Chart
              label={t('programme.vfm.chart', { currency })}
              height={80 + outputs.length * 36}
              option={{
                tooltip: { trigger: 'axis' },
                grid: { containLabel: true, left: 16, right: 56, top: 16, bottom: 24 },
                xAxis: { type: 'value', name: currency },
                yAxis: {
                  type: 'category',
                  data: outputs.map((o) => o.title),
                  inverse: true,
                  // Long output titles end with an ellipsis instead of running off the left edge.
                  axisLabel: { width: 220, overflow: 'truncate' },
                },
                series: [
                  {
                    type: 'bar',
                    name: t('programme.vfm.cost'),
                    data: outputs.map((o) => Number(o.cost)),
                    label: { show: true, position: 'right' },
                  },
                ],
              }}
            />
          )}
          <ScrollTable minWidth={720} label={t('programme.vfm.title')}>
            <Table data-testid="programme-vfm-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('programme.vfm.result')}</Table.Th>
                  <Table.Th>{t('programme.vfm.cost')}</Table.Th>
                  <Table.Th>{t('programme.vfm.change')}</Table.Th>
                  <Table.Th>{t('programme.vfm.perUnit')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {v.outcomes.map((o) => (
                  <ResultRows
                    key={o.id}
                    level="outcome"
                    title={o.title}
                    cost={o.cost}
                    indicators={o.indicators}
                  >
                    {o.outputs.map((x) => (
                      <ResultRows
                        key={x.id}
                        level="output"
                        title={x.title}
                        cost={x.cost}
                        indicators={x.indicators}
                        testId="programme-vfm-output"
                      />
                    ))}
                  </ResultRows>
                ))}
                <Table.Tr>
                  <Table.Td>{t('programme.vfm.unlinked')}</Table.Td>
                  <Table.Td>
                    {v.unlinked} {v.currency}
                  </Table.Td>
                  <Table.Td colSpan={2} />
                </Table.Tr>
                {v.elsewhere !== '0.00' && v.elsewhere !== '0' && (
                  <Table.Tr>
                    <Table.Td>{t('programme.vfm.elsewhere')}</Table.Td>
                    <Table.Td>
                      {v.elsewhere} {v.currency}
                    </Table.Td>
                    <Table.Td colSpan={2} />
                  </Table.Tr>
                )}
                <Table.Tr fw={700}>
                  <Table.Td>{t('programme.total')}</Table.Td>
                  <Table.Td>
                    {v.total} {v.currency}
                  </Table.Td>
                  <Table.Td colSpan={2} />
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </ScrollTable>
          {v.rates.length > 0 && (
            <Text size="sm" data-testid="programme-vfm-rates">
              {t('programme.ratesUsed')}:{' '}
              {v.rates
                .map(
                  (r) =>
                    `1 ${r.from} = ${r.rate} ${r.to} (${r.asOf})${r.inverse ? ` ${t('programme.inverse')}` : ''}`,
                )
                .join('; ')}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {t('programme.vfm.rule')} {t('programme.vfm.partnerRule')}
          </Text>
          {manage && <LinkActivities data={v} onSaved={() => data.refetch()} />}
        </Stack>
      ) : null}
    </Paper>
  );
}

function ResultRows(props: {
  level: 'outcome' | 'output';
  title: string;
  cost: string;
  indicators: PerUnitT[];
  children?: ReactNode;
  testId?: string;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <>
      <Table.Tr data-testid={props.testId}>
        <Table.Td fw={props.level === 'outcome' ? 700 : 600} ps={props.level === 'output' ? 'lg' : undefined}>
          {t(`programme.results.${props.level}`)}: {props.title}
        </Table.Td>
        <Table.Td>{props.cost}</Table.Td>
        <Table.Td colSpan={2} />
      </Table.Tr>
      {props.indicators.map((i) => (
        <Table.Tr key={i.indicatorId}>
          <Table.Td ps={props.level === 'output' ? 'xl' : 'lg'}>
            <Text size="sm">
              {i.name} ({i.unit})
            </Text>
          </Table.Td>
          <Table.Td />
          <Table.Td>{i.change ?? '—'}</Table.Td>
          <Table.Td>
            {i.costPerUnit !== null ? (
              i.costPerUnit
            ) : (
              <Badge color="gray" variant="light">
                {t(`programme.vfm.reason.${i.reason ?? 'no_actual'}`)}
              </Badge>
            )}
          </Table.Td>
        </Table.Tr>
      ))}
      {props.children}
    </>
  );
}

/** The Secretariat links each activity serving the partnership to the outputs it contributes to. */
function LinkActivities({ data, onSaved }: { data: VfmT; onSaved: () => unknown }): ReactNode {
  const { t } = useTranslation();
  const outputs = data.outcomes.flatMap((o) => o.outputs.map((x) => ({ value: x.id, label: x.title })));
  if (data.activities.length === 0) return <Text c="dimmed">{t('programme.vfm.noActivities')}</Text>;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('programme.vfm.linksTitle')}
      </Title>
      {data.activities.map((a) => (
        <ActivityLinkRow key={a.id} activity={a} outputs={outputs} onSaved={onSaved} />
      ))}
    </Stack>
  );
}

function ActivityLinkRow({
  activity,
  outputs,
  onSaved,
}: {
  activity: VfmT['activities'][number];
  outputs: { value: string; label: string }[];
  onSaved: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [value, setValue] = useState<string[]>(activity.outputIds);
  const save = useMutation({
    mutationFn: () =>
      request(`/api/programme/activities/${activity.id}/outputs`, {
        method: 'PUT',
        body: { version: activity.version, outputIds: value },
      }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.saved'));
      await onSaved();
    },
  });
  return (
    <Stack gap={4} data-testid="programme-vfm-activity">
      <Group align="flex-end" wrap="wrap">
        <MultiSelect
          label={`${activity.title} · ${activity.cost}`}
          data={outputs}
          value={value}
          onChange={setValue}
          placeholder={t('programme.vfm.noOutput')}
          w={480}
          clearable
          data-testid="programme-vfm-outputs"
        />
        <Button
          variant="default"
          onClick={() => save.mutate()}
          loading={save.isPending}
          data-testid="programme-vfm-save-links"
        >
          {t('programme.vfm.saveLinks')}
        </Button>
      </Group>
      <SaveError error={save.error} onReload={onSaved} />
    </Stack>
  );
}
