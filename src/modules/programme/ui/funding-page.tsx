import {
  Button,
  Container,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
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
import { SaveError } from '../../../web/ui-kit/save-error';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { WCO_REGIONS } from '../programme.vocab';
import {
  AgreementsTable,
  CurrencySelect,
  EditButton,
  EditDialog,
  ProgrammeTabs,
  ReportLinks,
  programmeKey,
  useFundingGap,
  useMoney,
  useProgrammeList,
} from './bits';
import { DeleteRow } from './records';
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
  const money = useMoney();
  const inGap = (amount: string) => money({ amount, currency: gap.data?.currency ?? currency });
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
                    <Table.Td>{inGap(r.demand)}</Table.Td>
                    <Table.Td>{inGap(r.available)}</Table.Td>
                    <Table.Td>{inGap(r.gap)}</Table.Td>
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
  const [editing, setEditing] = useState<string | null>(null);
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
                <Table.Td>
                  <EditButton of={d.name} onClick={() => setEditing(d.id)} testId="programme-donor-edit" />
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
      <EditDialog
        items={donors.data?.items}
        editing={editing}
        onClose={() => setEditing(null)}
        title={(d) => t('programme.editOf', { title: d.name })}
      >
        {(d) => <DonorForm donor={d} onSaved={() => setEditing(null)} onReload={() => donors.refetch()} />}
      </EditDialog>
    </Stack>
  );
}

/** A donor's name and donor organisation, saved with the version read. */
function DonorForm({
  donor,
  onSaved,
  onReload,
}: {
  donor: DonorT;
  onSaved: () => void;
  onReload: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const orgs = useProgrammeList('donor-organisations');
  const [name, setName] = useState(donor.name);
  const [org, setOrg] = useState<string | null>(donor.organisationId);
  const save = useMutation({
    mutationFn: () =>
      api.patch<DonorT>(`/api/programme/donors/${donor.id}`, {
        version: donor.version,
        name: name.trim(),
        organisationId: org,
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.saved'));
      onSaved();
    },
  });
  return (
    <Stack>
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
      />
      <SaveError error={save.error} onReload={onReload} />
      <Group>
        <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!name.trim()}>
          {t('programme.save')}
        </Button>
      </Group>
    </Stack>
  );
}

function Agreements(): ReactNode {
  const { t } = useTranslation();
  const list = useProgrammeList('agreements');
  // A new key after each save empties the new-agreement form.
  const [formKey, setFormKey] = useState(0);
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <Stack>
      <Title order={2} size="h4">
        {t('programme.agreements')}
      </Title>
      {list.isError ? (
        <QueryError error={list.error} />
      ) : (
        <AgreementsTable items={list.data?.items ?? []} onEdit={(a) => setEditing(a.id)} />
      )}
      <Paper withBorder p="md">
        <Stack>
          <Title order={3} size="h5">
            {t('programme.funds.newAgreement')}
          </Title>
          <AgreementForm key={formKey} onSaved={() => setFormKey((k) => k + 1)} />
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <DisbursementForm agreements={list.data?.items ?? []} />
      </Paper>
      <EditDialog
        items={list.data?.items}
        editing={editing}
        onClose={() => setEditing(null)}
        title={(a) => t('programme.editOf', { title: a.reference })}
        size="xl"
      >
        {(a) => (
          <Stack>
            <AgreementForm agreement={a} onSaved={() => setEditing(null)} onReload={() => list.refetch()} />
            <Group justify="flex-end">
              <DeleteRow
                of={a.reference}
                url={`/api/programme/agreements/${a.id}?version=${a.version}`}
                title={t('programme.records.deleteAgreement', { title: a.reference })}
                body={t('programme.records.deleteAgreementBody')}
                conflict={t('programme.records.agreementHeld')}
                testId="programme-agreement-delete"
              />
            </Group>
          </Stack>
        )}
      </EditDialog>
    </Stack>
  );
}

type EarmarkKind = 'none' | 'region' | 'partner';

/**
 * An agreement's form: empty to record a new one, or pre-filled from `agreement` to correct it
 * (sent with its version). Earmarked to a WCO region, to one partner, or not at all.
 */
function AgreementForm({
  agreement: a,
  onSaved,
  onReload,
}: {
  agreement?: AgreementT;
  onSaved: () => void;
  /** Editing: fetch the agreement again after a 409 (what was typed stays in the form). */
  onReload?: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const donors = useProgrammeList('donors');
  const partnerships = useProgrammeList('partnerships');
  const [donorId, setDonorId] = useState<string | null>(a?.donorId ?? null);
  const [reference, setReference] = useState(a?.reference ?? '');
  const [amount, setAmount] = useState(a?.amount.amount ?? '');
  const [currency, setCurrency] = useState<string>(a?.amount.currency ?? 'EUR');
  const [startsOn, setStartsOn] = useState(a?.startsOn ?? '');
  const [endsOn, setEndsOn] = useState(a?.endsOn ?? '');
  const [kind, setKind] = useState<EarmarkKind>(
    a?.earmarkRegion ? 'region' : a?.earmarkPartnershipId ? 'partner' : 'none',
  );
  const [region, setRegion] = useState<string | null>(a?.earmarkRegion ?? null);
  const [partner, setPartner] = useState<string | null>(a?.earmarkPartnershipId ?? null);
  const body = () => ({
    donorId,
    reference: reference.trim(),
    amount: { amount: amount.trim(), currency },
    startsOn,
    endsOn,
    earmarkRegion: kind === 'region' ? region : null,
    earmarkPartnershipId: kind === 'partner' ? partner : null,
  });
  const save = useMutation({
    mutationFn: () =>
      a
        ? api.patch<AgreementT>(`/api/programme/agreements/${a.id}`, { ...body(), version: a.version })
        : api.post<AgreementT>('/api/programme/agreements', body()),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.saved'));
      onSaved();
    },
  });
  return (
    <Stack data-testid="programme-agreement-form">
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t('programme.donor')}
          data={(donors.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
          value={donorId}
          onChange={setDonorId}
          w={220}
          data-testid="programme-agreement-donor"
        />
        <TextInput
          label={t('programme.reference')}
          value={reference}
          onChange={(e) => setReference(e.currentTarget.value)}
          w={160}
          data-testid="programme-agreement-reference"
        />
        <TextInput
          label={t('programme.amount')}
          value={amount}
          inputMode="decimal"
          onChange={(e) => setAmount(e.currentTarget.value)}
          w={160}
          data-testid="programme-agreement-amount"
        />
        <CurrencySelect value={currency} onChange={setCurrency} />
        <TextInput
          type="date"
          label={t('programme.startsOn')}
          value={startsOn}
          onChange={(e) => setStartsOn(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('programme.endsOn')}
          value={endsOn}
          onChange={(e) => setEndsOn(e.currentTarget.value)}
        />
      </Group>
      <Group align="flex-end" wrap="wrap">
        <Stack gap={4}>
          <Text size="sm" fw={500} id={`earmark-${a?.id ?? 'new'}`}>
            {t('programme.earmark')}
          </Text>
          <SegmentedControl
            aria-labelledby={`earmark-${a?.id ?? 'new'}`}
            value={kind}
            onChange={(v) => setKind(v as EarmarkKind)}
            data={[
              { value: 'none', label: t('programme.notEarmarked') },
              { value: 'region', label: t('programme.funds.byRegion') },
              { value: 'partner', label: t('programme.funds.byPartner') },
            ]}
            data-testid="programme-agreement-earmark"
          />
        </Stack>
        {kind === 'region' && (
          <Select
            label={t('programme.earmarkRegion')}
            data={[...WCO_REGIONS]}
            value={region}
            onChange={setRegion}
            w={220}
          />
        )}
        {kind === 'partner' && (
          <Select
            label={t('programme.funds.earmarkPartner')}
            data={(partnerships.data?.items ?? []).map((p) => ({ value: p.id, label: p.organisation }))}
            value={partner}
            onChange={setPartner}
            searchable
            w={280}
            data-testid="programme-agreement-partner"
          />
        )}
      </Group>
      {onReload ? <SaveError error={save.error} onReload={onReload} /> : <ProblemAlert error={save.error} />}
      <Group>
        <Button
          onClick={() => save.mutate()}
          loading={save.isPending}
          disabled={!donorId || !amount.trim()}
          data-testid="programme-agreement-save"
        >
          {a ? t('programme.save') : t('programme.addAgreement')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Money received under an agreement, in the agreement's currency (the server refuses any other). */
function DisbursementForm({ agreements }: { agreements: AgreementT[] }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [agreementId, setAgreementId] = useState<string | null>(null);
  const [receivedOn, setReceivedOn] = useState(new Date().toISOString().slice(0, 10));
  const [amount, setAmount] = useState('');
  const chosen = agreements.find((a) => a.id === agreementId);
  const currency = chosen?.amount.currency ?? '';
  const add = useMutation({
    mutationFn: () =>
      api.post<AgreementT>(`/api/programme/agreements/${agreementId}/disbursements`, {
        receivedOn,
        amount: { amount: amount.trim(), currency },
      }),
    onSuccess: () => {
      setAmount('');
      qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.saved'));
    },
  });
  return (
    <Stack data-testid="programme-disbursement-form">
      <Title order={3} size="h5">
        {t('programme.funds.recordDisbursement')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('programme.funds.disbursementHint')}
      </Text>
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t('programme.funds.agreement')}
          data={agreements.map((a) => ({ value: a.id, label: `${a.reference} (${a.donorName})` }))}
          value={agreementId}
          onChange={setAgreementId}
          searchable
          w={280}
          data-testid="programme-disbursement-agreement"
        />
        <TextInput
          type="date"
          label={t('programme.funds.receivedOn')}
          value={receivedOn}
          onChange={(e) => setReceivedOn(e.currentTarget.value)}
        />
        <TextInput
          label={currency ? t('programme.funds.amountIn', { currency }) : t('programme.amount')}
          value={amount}
          inputMode="decimal"
          onChange={(e) => setAmount(e.currentTarget.value)}
          w={180}
          data-testid="programme-disbursement-amount"
        />
        <Button
          onClick={() => add.mutate()}
          loading={add.isPending}
          disabled={!chosen || !amount.trim() || !receivedOn}
          data-testid="programme-disbursement-save"
        >
          {t('programme.funds.record')}
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
  const [editing, setEditing] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () => api.post<RateT>('/api/programme/rates', { from, to, rate: rate.trim(), asOf }),
    onSuccess: () => {
      setRate('');
      qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.saved'));
    },
  });
  const rateName = (r: RateT) => `${r.from} → ${r.to} (${f.date(r.asOf)})`;
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
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(list.data?.items ?? []).map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.from}</Table.Td>
                <Table.Td>{r.to}</Table.Td>
                <Table.Td>{r.rate}</Table.Td>
                <Table.Td>{f.date(r.asOf)}</Table.Td>
                <Table.Td>
                  <EditButton
                    of={rateName(r)}
                    onClick={() => setEditing(r.id)}
                    testId="programme-rate-edit"
                  />
                </Table.Td>
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
      <EditDialog
        items={list.data?.items}
        editing={editing}
        onClose={() => setEditing(null)}
        title={(r) => t('programme.editOf', { title: rateName(r) })}
      >
        {(r) => <RateForm rate={r} onSaved={() => setEditing(null)} onReload={() => list.refetch()} />}
      </EditDialog>
    </Stack>
  );
}

/** A mistyped rate corrected (its currencies, value or date), saved with the version read. */
function RateForm({
  rate: r,
  onSaved,
  onReload,
}: {
  rate: RateT;
  onSaved: () => void;
  onReload: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [from, setFrom] = useState<string>(r.from);
  const [to, setTo] = useState<string>(r.to);
  const [rate, setRate] = useState(r.rate);
  const [asOf, setAsOf] = useState(r.asOf);
  const save = useMutation({
    mutationFn: () =>
      api.patch<RateT>(`/api/programme/rates/${r.id}`, {
        version: r.version,
        from,
        to,
        rate: rate.trim(),
        asOf,
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.saved'));
      onSaved();
    },
  });
  return (
    <Stack>
      <Group align="flex-end">
        <CurrencySelect value={from} onChange={setFrom} label={t('programme.rateFrom')} />
        <CurrencySelect value={to} onChange={setTo} label={t('programme.rateTo')} />
      </Group>
      <Group align="flex-end">
        <TextInput
          label={t('programme.rate')}
          value={rate}
          inputMode="decimal"
          onChange={(e) => setRate(e.currentTarget.value)}
          data-testid="programme-rate-value"
        />
        <TextInput
          type="date"
          label={t('programme.asOf')}
          value={asOf}
          onChange={(e) => setAsOf(e.currentTarget.value)}
        />
      </Group>
      <SaveError error={save.error} onReload={onReload} />
      <Group>
        <Button
          onClick={() => save.mutate()}
          loading={save.isPending}
          disabled={!rate.trim() || !asOf}
          data-testid="programme-rate-save"
        >
          {t('programme.save')}
        </Button>
      </Group>
    </Stack>
  );
}
