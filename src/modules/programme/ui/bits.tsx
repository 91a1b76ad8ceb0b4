import {
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Items } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { PageTabs } from '../../../web/ui-kit/page-tabs';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { CURRENCIES, CURRENCY_EXPONENTS, type Currency, type EoiStatus } from '../programme.vocab';
import type {
  ActivityT,
  AgreementT,
  DonorOrganisationT,
  DonorT,
  FundingGapT,
  PartnershipT,
  RateT,
} from './types';

export const programmeKey = ['programme'] as const;

/** The lists /api/programme/<path> serves, by path. */
interface Lists {
  activities: ActivityT;
  agreements: AgreementT;
  donors: DonorT;
  'donor-organisations': DonorOrganisationT;
  partnerships: PartnershipT;
  rates: RateT;
}

/** One of the programme's lists, cached under [programme, path] (pages and forms share it). */
export function useProgrammeList<K extends keyof Lists>(path: K, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: [...programmeKey, path],
    queryFn: ({ signal }) => api.get<Items<Lists[K]>>(`/api/programme/${path}`, { signal }),
    ...options,
  });
}

/** The funding gap in a report currency (a missing rate is a 4xx: not retried). */
export function useFundingGap(currency: string) {
  return useQuery({
    queryKey: [...programmeKey, 'gap', currency],
    queryFn: ({ signal }) =>
      api.get<FundingGapT>(`/api/programme/funding-gap?currency=${currency}`, { signal }),
    retry: false,
  });
}

export function ProgrammeTabs({
  current,
}: {
  current: 'pipeline' | 'partners' | 'funding' | 'activities';
}): ReactNode {
  const { t } = useTranslation();
  return (
    <PageTabs
      label={t('programme.tabsLabel')}
      current={current}
      tabs={[
        { id: 'pipeline', to: '/programme', label: t('programme.pipelineTab') },
        { id: 'partners', to: '/programme/partners', label: t('programme.partnerList.tab') },
        { id: 'funding', to: '/programme/funding', label: t('programme.fundingTab') },
        { id: 'activities', to: '/programme/activities', label: t('programme.activitiesTab') },
      ]}
    />
  );
}

export const STATUS_COLOR: Record<EoiStatus, string> = {
  received: 'gray',
  screening: 'blue',
  eligible_awaiting_funding: 'orange',
  partner: 'teal',
  declined: 'red',
};

export function StatusBadge({ status }: { status: EoiStatus }): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light">
      {t(`programme.status.${status}`)}
    </Badge>
  );
}

/** A row's Edit button, named after the row for screen readers. */
export function EditButton({
  of,
  onClick,
  testId,
}: {
  of: string;
  onClick: () => void;
  testId: string;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <Button
      size="xs"
      variant="default"
      onClick={onClick}
      aria-label={t('programme.editOf', { title: of })}
      data-testid={testId}
    >
      {t('programme.edit')}
    </Button>
  );
}

/**
 * The dialog editing the item of `items` whose id is `editing`. The item is looked up in the list
 * on each render, so a reload after a 409 hands the form the current version, while the form
 * (keyed by the item's id) keeps what was typed.
 */
export function EditDialog<T extends { id: string }>({
  items,
  editing,
  onClose,
  title,
  size,
  children,
}: {
  items: T[] | undefined;
  editing: string | null;
  onClose: () => void;
  title: (item: T) => string;
  size?: string;
  children: (item: T) => ReactNode;
}): ReactNode {
  const { t } = useTranslation();
  const item = items?.find((x) => x.id === editing);
  return (
    <Modal
      opened={!!item}
      onClose={onClose}
      title={item ? title(item) : ''}
      size={size}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {item && <Fragment key={item.id}>{children(item)}</Fragment>}
    </Modal>
  );
}

/** What a partnership is agreed on: its period, its donors and the partner's coordinator. */
export interface PartnershipTerms {
  startsOn: string;
  endsOn: string;
  donorIds: string[];
  coordinatorName: string;
  coordinatorEmail: string;
}

/** A partnership's terms, when a request becomes a partner (pipeline) and when they are corrected (Partners tab). */
export function PartnershipFields({
  value,
  onChange,
}: {
  value: PartnershipTerms;
  onChange: (change: Partial<PartnershipTerms>) => void;
}): ReactNode {
  const { t } = useTranslation();
  const donors = useProgrammeList('donors');
  return (
    <>
      <Group grow>
        <TextInput
          type="date"
          label={t('programme.startsOn')}
          value={value.startsOn}
          onChange={(e) => onChange({ startsOn: e.currentTarget.value })}
        />
        <TextInput
          type="date"
          label={t('programme.endsOn')}
          value={value.endsOn}
          onChange={(e) => onChange({ endsOn: e.currentTarget.value })}
        />
      </Group>
      <MultiSelect
        label={t('programme.donorsLabel')}
        data={(donors.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
        value={value.donorIds}
        onChange={(donorIds) => onChange({ donorIds })}
        data-testid="programme-partner-donors"
      />
      <Group grow>
        <TextInput
          label={t('programme.coordinatorName')}
          value={value.coordinatorName}
          onChange={(e) => onChange({ coordinatorName: e.currentTarget.value })}
          data-testid="programme-partner-coordinator-name"
        />
        <TextInput
          type="email"
          label={t('programme.coordinatorEmail')}
          value={value.coordinatorEmail}
          onChange={(e) => onChange({ coordinatorEmail: e.currentTarget.value })}
        />
      </Group>
    </>
  );
}

export type MoneyFormat = (m: { amount: string; currency: string } | null | undefined) => string;

/**
 * Money written the UI language's way ("1,500.00 EUR", "1 500,00 EUR", "١٬٥٠٠٫٠٠ EUR"), from the
 * server's exact decimal string (Intl formats the string itself: no float in between), with the
 * currency's own decimals and its ISO code, since the programme mixes currencies.
 */
export function useMoney(): MoneyFormat {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  return useMemo(() => {
    const formats = new Map<string, Intl.NumberFormat>();
    const of = (currency: string) => {
      let f = formats.get(currency);
      if (!f) {
        const digits = CURRENCY_EXPONENTS[currency as Currency] ?? 2;
        f = new Intl.NumberFormat(lng, {
          style: 'currency',
          currency,
          currencyDisplay: 'code',
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        });
        formats.set(currency, f);
      }
      return f;
    };
    return (m) => (m ? of(m.currency).format(m.amount as `${number}`) : '—');
  }, [lng]);
}

/**
 * A decimal figure (a KPI's or an indicator's baseline, target or actual, sent as exact text) in
 * the UI language's digits and separators: "1250000.5" reads "1 250 000,5" in French. Formatted
 * from the text, so no digit is lost to floating point.
 */
export function useFigure(): (value: string) => string {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  return useMemo(() => {
    const nf = new Intl.NumberFormat(lng, { maximumFractionDigits: 20 });
    return (value) => nf.format(value as `${number}`);
  }, [lng]);
}

export const currencyOptions = CURRENCIES.map((c) => ({ value: c, label: c }));

export function CurrencySelect(props: {
  value: string;
  onChange: (v: string) => void;
  label?: string;
  testId?: string;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <Select
      label={props.label ?? t('programme.currency')}
      data={currencyOptions}
      value={props.value}
      onChange={(v) => v && props.onChange(v)}
      searchable
      allowDeselect={false}
      w={120}
      data-testid={props.testId}
    />
  );
}

/** The agreements; with `onEdit` (the Secretariat's funding page), an Edit button on each. */
export function AgreementsTable({
  items,
  onEdit,
}: {
  items: AgreementT[];
  onEdit?: (a: AgreementT) => void;
}): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const money = useMoney();
  return (
    <ScrollTable minWidth={720} label={t('programme.agreements')}>
      <Table data-testid="programme-agreements">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('programme.reference')}</Table.Th>
            <Table.Th>{t('programme.donor')}</Table.Th>
            <Table.Th>{t('programme.amount')}</Table.Th>
            <Table.Th>{t('programme.period')}</Table.Th>
            <Table.Th>{t('programme.earmark')}</Table.Th>
            <Table.Th>{t('programme.disbursed')}</Table.Th>
            <Table.Th>{t('programme.spent')}</Table.Th>
            {onEdit && <Table.Th>{t('common.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>{a.reference}</Table.Td>
              <Table.Td>{a.donorName}</Table.Td>
              <Table.Td>{money(a.amount)}</Table.Td>
              <Table.Td>
                {f.date(a.startsOn)} – {f.date(a.endsOn)}
              </Table.Td>
              <Table.Td>
                {a.earmarkRegion ??
                  (a.earmarkPartnershipId ? (a.earmarkPartner ?? t('programme.funds.aPartner')) : '—')}
              </Table.Td>
              <Table.Td>{money(a.disbursed)}</Table.Td>
              <Table.Td>{a.spent.length ? a.spent.map(money).join(', ') : '—'}</Table.Td>
              {onEdit && (
                <Table.Td>
                  <EditButton of={a.reference} onClick={() => onEdit(a)} testId="programme-agreement-edit" />
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

/**
 * The activities; with `onEdit` (the Secretariat's page), an Edit button on each; with `reports`
 * (the partner's and the donor's pages), a column with each activity's report files.
 */
export function ActivitiesTable({
  items,
  onEdit,
  reports,
}: {
  items: ActivityT[];
  onEdit?: (a: ActivityT) => void;
  reports?: (a: ActivityT) => ReactNode;
}): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const money = useMoney();
  if (items.length === 0) return <Text c="dimmed">{t('programme.noActivities')}</Text>;
  return (
    <ScrollTable minWidth={720} label={t('programme.activitiesTitle')}>
      <Table data-testid="programme-activities">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('programme.title')}</Table.Th>
            <Table.Th>{t('programme.type')}</Table.Th>
            <Table.Th>{t('programme.period')}</Table.Th>
            <Table.Th>{t('programme.partners')}</Table.Th>
            <Table.Th>{t('programme.participants')}</Table.Th>
            <Table.Th>{t('programme.costs')}</Table.Th>
            {reports && <Table.Th>{t('programme.records.reports')}</Table.Th>}
            {onEdit && <Table.Th>{t('common.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                <Stack gap={2}>
                  {/* dir=auto: an English title in the Arabic page kept its full stop at the start. */}
                  <Text size="sm" fw={500} dir="auto">
                    {a.title}
                  </Text>
                  {a.outputs && (
                    <Text size="xs" c="dimmed" dir="auto">
                      {a.outputs}
                    </Text>
                  )}
                </Stack>
              </Table.Td>
              <Table.Td>{t(`programme.activityType.${a.type}`)}</Table.Td>
              <Table.Td>
                {f.date(a.startsOn)} – {f.date(a.endsOn)}
              </Table.Td>
              <Table.Td>{a.partners.join(', ') || '—'}</Table.Td>
              <Table.Td>
                <Stack gap={0}>
                  {a.participants.map((p) => (
                    <Text size="xs" key={p.role}>
                      {t(`programme.role.${p.role as 'other'}`)}:{' '}
                      {t('programme.participantsLine', { women: p.women, men: p.men })}
                    </Text>
                  ))}
                </Stack>
              </Table.Td>
              <Table.Td>
                {a.costs.length === 0 && '—'}
                <Group gap={4}>
                  {a.costs.map((c, i) => (
                    <Text size="xs" key={i}>
                      {c.label}: {money(c.amount)}
                    </Text>
                  ))}
                </Group>
              </Table.Td>
              {reports && <Table.Td>{reports(a)}</Table.Td>}
              {onEdit && (
                <Table.Td>
                  <EditButton of={a.title} onClick={() => onEdit(a)} testId="programme-activity-edit" />
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

/**
 * A donor's report for a period in every format: the donor's own (default), or the Secretariat's
 * copy of one donor's (`donorId`; no IATI button — the Secretariat downloads the whole programme's).
 */
export function ReportLinks({ donorId }: { donorId?: string }): ReactNode {
  const { t } = useTranslation();
  const year = new Date().getUTCFullYear();
  const [from, setFrom] = useState(`${year}-01-01`);
  const [to, setTo] = useState(`${year}-12-31`);
  const base = donorId ? `/api/programme/donors/${donorId}/report` : '/api/programme/donor/report';
  const href = (format: string) => `${base}?from=${from}&to=${to}&format=${format}`;
  return (
    <Paper withBorder p="md">
      <Group align="flex-end">
        <Text fw={600}>{t('programme.report')}</Text>
        <TextInput
          type="date"
          label={t('programme.startsOn')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('programme.endsOn')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
        <Button component="a" href={href('xlsx')} download data-testid="programme-report-xlsx">
          {t('programme.downloadXlsx')}
        </Button>
        <Button component="a" href={href('csv')} download variant="default">
          {t('programme.downloadCsv')}
        </Button>
        <Button
          component="a"
          href={href('pdf')}
          download
          variant="default"
          data-testid="programme-report-pdf"
        >
          {t('programme.downloadPdf')}
        </Button>
        <Button component="a" href={href('html')} target="_blank" rel="noopener" variant="subtle">
          {t('programme.printView')}
        </Button>
        {!donorId && (
          <Button
            component="a"
            href="/api/programme/donor/iati.xml"
            download
            variant="default"
            title={t('programme.downloadIatiHint')}
          >
            {t('programme.downloadIati')}
          </Button>
        )}
      </Group>
    </Paper>
  );
}

/** A form line's "Remove" button; `label` names the line for screen readers ("Remove cost line 2"). */
export function RemoveLine({ label, onClick }: { label: string; onClick: () => void }): ReactNode {
  const { t } = useTranslation();
  return (
    <Button variant="subtle" color="red" onClick={onClick} aria-label={label}>
      {t('programme.remove')}
    </Button>
  );
}
