import { Button, Container, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { Chart } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { WCO_REGIONS } from '../programme.vocab';
import {
  AgreementsTable,
  CurrencySelect,
  ProgrammeTabs,
  ReportLinks,
  programmeKey,
  useFundingGap,
  useProgrammeList,
} from './bits';
import type { AgreementT, DonorT, RateT } from './types';

export function ProgrammeFundingPage(): ReactNode {
  return (
    <RequirePermission permission="programme.manage">
      <Funding />
    </RequirePermission>
  );
}

function Funding(): ReactNode {
  const { t } = useTranslation();
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('programme.fundingTitle')}
        description={t('programme.fundingIntro')}
        actions={
          <Button
            component="a"
            href="/api/programme/iati.xml"
            download
            variant="default"
            title={t('programme.downloadIatiHint')}
            data-testid="programme-iati"
          >
            {t('programme.downloadIati')}
          </Button>
        }
      />
      <ProgrammeTabs current="funding" />
      <Stack gap="xl">
        <Gap />
        <Donors />
        <Agreements />
        <Rates />
      </Stack>
    </Container>
  );
}

function Gap(): ReactNode {
  const { t } = useTranslation();
  const [currency, setCurrency] = useState('EUR');
  const gap = useFundingGap(currency);
  const regionLabel = (r: string | null) => r ?? t('programme.notEarmarked');
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" align="flex-end" mb="sm">
        <Title order={2} size="h4">
          {t('programme.gapTitle')}
        </Title>
        <CurrencySelect
          value={currency}
          onChange={setCurrency}
          label={t('programme.reportCurrency')}
          testId="programme-gap-currency"
        />
      </Group>
      {gap.isPending ? (
        <PageLoader />
      ) : gap.isError ? (
        <QueryError error={gap.error} />
      ) : (
        <Stack>
          <Chart
            label={t('programme.gapChart', { currency })}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0, itemGap: 24 },
              grid: { top: 48, left: 80, right: 16, bottom: 32 },
              xAxis: { type: 'category', data: gap.data.rows.map((r) => regionLabel(r.region)) },
              yAxis: { type: 'value' },
              series: [
                {
                  type: 'bar',
                  name: t('programme.demand'),
                  data: gap.data.rows.map((r) => Number(r.demand)),
                },
                {
                  type: 'bar',
                  name: t('programme.available'),
                  data: gap.data.rows.map((r) => Number(r.available)),
                },
                { type: 'bar', name: t('programme.gap'), data: gap.data.rows.map((r) => Number(r.gap)) },
              ],
            }}
          />
          <ScrollTable minWidth={560} label={t('programme.gapTitle')}>
            <Table data-testid="programme-gap">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th />
                  <Table.Th>{t('programme.demand')}</Table.Th>
                  <Table.Th>{t('programme.available')}</Table.Th>
                  <Table.Th>{t('programme.gap')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...gap.data.rows, { ...gap.data.total, region: 'total' }].map((r) => (
                  <Table.Tr key={r.region ?? 'none'} fw={r.region === 'total' ? 700 : undefined}>
                    <Table.Td>{r.region === 'total' ? t('programme.total') : regionLabel(r.region)}</Table.Td>
                    <Table.Td>{r.demand}</Table.Td>
                    <Table.Td>{r.available}</Table.Td>
                    <Table.Td>{r.gap}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
          {gap.data.rates.length > 0 && (
            <Text size="sm" data-testid="programme-rates-used">
              {t('programme.ratesUsed')}:{' '}
              {gap.data.rates
                .map(
                  (r) =>
                    `1 ${r.from} = ${r.rate} ${r.to} (${r.asOf})${r.inverse ? ` ${t('programme.inverse')}` : ''}`,
                )
                .join('; ')}
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}

function Donors(): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const donors = useProgrammeList('donors');
  const orgs = useProgrammeList('donor-organisations');
  const [name, setName] = useState('');
  const [org, setOrg] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () => api.post<DonorT>('/api/programme/donors', { name: name.trim(), organisationId: org }),
    onSuccess: () => {
      setName('');
      setOrg(null);
      qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.saved'));
    },
  });
  const orgName = new Map((orgs.data?.items ?? []).map((o) => [o.id, o.name]));
  const [reportOf, setReportOf] = useState<string | null>(null);
  return (
    <Stack>
      <Title order={2} size="h4">
        {t('programme.donors')}
      </Title>
      {donors.isError ? (
        <QueryError error={donors.error} />
      ) : (
        <Table data-testid="programme-donors">
          <Table.Tbody>
            {(donors.data?.items ?? []).map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>{d.name}</Table.Td>
                <Table.Td>
                  {d.organisationId ? orgName.get(d.organisationId) : t('programme.noOrganisation')}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Select
        data-testid="programme-donor-report-of"
        label={t('programme.donorReportOf')}
        data={(donors.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
        value={reportOf}
        onChange={setReportOf}
        w={320}
      />
      {reportOf && <ReportLinks donorId={reportOf} />}
      <Group align="flex-end">
        <TextInput
          label={t('programme.donorName')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <Select
          label={t('programme.donorOrganisation')}
          data={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
          value={org}
          onChange={setOrg}
          clearable
          w={320}
        />
        <Button onClick={() => add.mutate()} loading={add.isPending} disabled={!name.trim()}>
          {t('programme.addDonor')}
        </Button>
      </Group>
      <ProblemAlert error={add.error} />
    </Stack>
  );
}

function Agreements(): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const list = useProgrammeList('agreements');
  const donors = useProgrammeList('donors');
  const [form, setForm] = useState({
    donorId: null as string | null,
    reference: '',
    amount: '',
    currency: 'EUR',
    startsOn: '',
    endsOn: '',
    earmarkRegion: null as string | null,
  });
  const set = (k: keyof typeof form) => (v: string | null) => setForm((f) => ({ ...f, [k]: v }));
  const add = useMutation({
    mutationFn: () =>
      api.post<AgreementT>('/api/programme/agreements', {
        donorId: form.donorId,
        reference: form.reference.trim(),
        amount: { amount: form.amount.trim(), currency: form.currency },
        startsOn: form.startsOn,
        endsOn: form.endsOn,
        earmarkRegion: form.earmarkRegion,
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.saved'));
    },
  });
  return (
    <Stack>
      <Title order={2} size="h4">
        {t('programme.agreements')}
      </Title>
      {list.isError ? <QueryError error={list.error} /> : <AgreementsTable items={list.data?.items ?? []} />}
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t('programme.donor')}
          data={(donors.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
          value={form.donorId}
          onChange={set('donorId')}
          w={200}
        />
        <TextInput
          label={t('programme.reference')}
          value={form.reference}
          onChange={(e) => set('reference')(e.currentTarget.value)}
          w={140}
        />
        <TextInput
          label={t('programme.amount')}
          value={form.amount}
          inputMode="decimal"
          onChange={(e) => set('amount')(e.currentTarget.value)}
          w={140}
        />
        <CurrencySelect value={form.currency} onChange={set('currency')} />
        <TextInput
          type="date"
          label={t('programme.startsOn')}
          value={form.startsOn}
          onChange={(e) => set('startsOn')(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('programme.endsOn')}
          value={form.endsOn}
          onChange={(e) => set('endsOn')(e.currentTarget.value)}
        />
        <Select
          label={t('programme.earmarkRegion')}
          data={[...WCO_REGIONS]}
          value={form.earmarkRegion}
          onChange={set('earmarkRegion')}
          clearable
          w={200}
        />
        <Button onClick={() => add.mutate()} loading={add.isPending} disabled={!form.donorId || !form.amount}>
          {t('programme.addAgreement')}
        </Button>
      </Group>
      <ProblemAlert error={add.error} />
    </Stack>
  );
}

function Rates(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const list = useProgrammeList('rates');
  const [from, setFrom] = useState('USD');
  const [to, setTo] = useState('EUR');
  const [rate, setRate] = useState('');
  const [asOf, setAsOf] = useState(new Date().toISOString().slice(0, 10));
  const add = useMutation({
    mutationFn: () => api.post<RateT>('/api/programme/rates', { from, to, rate: rate.trim(), asOf }),
    onSuccess: () => {
      setRate('');
      qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.saved'));
    },
  });
  return (
    <Stack>
      <Title order={2} size="h4">
        {t('programme.rates')}
      </Title>
      {list.isError ? (
        <QueryError error={list.error} />
      ) : (
        <Table data-testid="programme-rates">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('programme.rateFrom')}</Table.Th>
              <Table.Th>{t('programme.rateTo')}</Table.Th>
              <Table.Th>{t('programme.rate')}</Table.Th>
              <Table.Th>{t('programme.asOf')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(list.data?.items ?? []).map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.from}</Table.Td>
                <Table.Td>{r.to}</Table.Td>
                <Table.Td>{r.rate}</Table.Td>
                <Table.Td>{f.date(r.asOf)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group align="flex-end">
        <CurrencySelect value={from} onChange={setFrom} label={t('programme.rateFrom')} />
        <CurrencySelect value={to} onChange={setTo} label={t('programme.rateTo')} />
        <TextInput
          label={t('programme.rate')}
          value={rate}
          inputMode="decimal"
          onChange={(e) => setRate(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('programme.asOf')}
          value={asOf}
          onChange={(e) => setAsOf(e.currentTarget.value)}
        />
        <Button onClick={() => add.mutate()} loading={add.isPending} disabled={!rate.trim()}>
          {t('programme.addRate')}
        </Button>
      </Group>
      <ProblemAlert error={add.error} />
    </Stack>
  );
}
