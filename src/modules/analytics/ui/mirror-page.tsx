import {
  Alert as Notice,
  Badge,
  Button,
  Checkbox,
  Group,
  List,
  NumberInput,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, errorMessage, type Items, upload } from '../../../web/api';
import { Chart } from '../../../web/ui-kit/chart';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import type * as C from '../analytics.contract';
import { ACTOR_ROLES, MIRROR_CAVEATS } from '../analytics.vocab';
import { RowsTable } from './bits';

type Dataset = z.infer<typeof C.Dataset>;
type Version = z.infer<typeof C.DatasetVersion>;
type Mirror = z.infer<typeof C.Mirror>;
type MirrorRow = z.infer<typeof C.MirrorRow>;
type Country = z.infer<typeof C.MirrorCountry>;
type Rows = z.infer<typeof C.DeclarationRows>;
type Run = z.infer<typeof C.Run>;
type Sort = z.infer<typeof C.MirrorQuery>['sort'];
type Actors = z.infer<typeof C.MirrorActors>;
type ActorRow = z.infer<typeof C.MirrorActor>;
type Role = ActorRow['role'];
/** The declared side: the country's reporter rows in the trade file, or a declarations version. */
const TRADE_SIDE = 'trade';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const imported = (ds: Dataset[], kind: string) =>
  ds
    .filter((d) => d.kind === kind)
    .flatMap((d) =>
      d.versions
        .filter((v) => v.status === 'imported')
        .map((v) => ({ value: v.id, label: `${d.name} · ${v.number} · ${v.sourceName}`, v })),
    );

/** Mirror analysis: declared imports against partners' exports, with caveats beside every figure. */
export function MirrorPage(): ReactNode {
  const { t } = useTranslation();
  const datasets = useQuery({
    queryKey: ['analytics', 'datasets'],
    queryFn: () => api.get<Items<Dataset>>('/api/analytics/datasets'),
  });
  if (datasets.isPending) return <PageLoader />;
  if (datasets.isError) return <QueryError error={datasets.error} onRetry={() => datasets.refetch()} />;
  return (
    <Stack gap="xl">
      <PageHeader title={t('analytics.mirror.title')} description={t('analytics.mirror.intro')} />
      <MirrorView datasets={datasets.data.items} />
    </Stack>
  );
}

function MirrorView({ datasets }: { datasets: Dataset[] }): ReactNode {
  const { t, i18n } = useTranslation();
  const trade = imported(datasets, 'trade');
  const rates = imported(datasets, 'duty_rates');
  const declarations = imported(datasets, 'declarations');
  const [side, setSide] = useState<string>(TRADE_SIDE);
  const [currencyFactor, setCurrencyFactor] = useState<number>(1);
  const declId = side === TRADE_SIDE ? null : side;
  const validCurrency = Number.isFinite(currencyFactor) && currencyFactor > 0;
  const [versionId, setVersionId] = useState<string | null>(trade[0]?.value ?? null);
  const [country, setCountry] = useState<string | null>(null);
  const [ratesId, setRatesId] = useState<string | null>(rates[0]?.value ?? null);
  const [factor, setFactor] = useState<number>(1.1);
  const [sort, setSort] = useState<Sort>('value_gap_log');
  const [twoSided, setTwoSided] = useState(true);
  const [partner, setPartner] = useState<string | null>(null);
  const [cell, setCell] = useState<MirrorRow | null>(null);
  const version = trade.find((x) => x.value === versionId)?.v;
  const countries = useQuery({
    queryKey: ['analytics', 'mirror-countries', versionId],
    enabled: !!versionId,
    queryFn: () => api.get<Items<Country>>(`/api/analytics/versions/${versionId}/mirror/countries`),
  });
  const validFactor = Number.isFinite(factor) && factor >= 1 && factor <= 3;
  const params = new URLSearchParams({
    country: country ?? '',
    factor: String(factor),
    sort,
    limit: '100',
    ...(ratesId ? { dutyRatesVersionId: ratesId } : {}),
    ...(twoSided ? { twoSided: 'true' } : {}),
    ...(partner ? { partner } : {}),
    ...(declId ? { declarationsVersionId: declId, currencyFactor: String(currencyFactor) } : {}),
  });
  const mirror = useQuery({
    queryKey: ['analytics', 'mirror', versionId, params.toString()],
    enabled: !!versionId && !!country && validFactor && validCurrency,
    queryFn: () => api.get<Mirror>(`/api/analytics/versions/${versionId}/mirror?${params}`),
  });
  const nf = useMemo(
    () => new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 0 }),
    [i18n.language],
  );
  const gf = useMemo(
    () => new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2, signDisplay: 'exceptZero' }),
    [i18n.language],
  );
  const money = (v: number | null) => (v === null ? '—' : nf.format(v));
  const rows = mirror.data?.rows ?? [];
  const chartRows = partner ? [...rows].sort((a, b) => a.year - b.year) : rows.slice(0, 20);
  // The HS code is named in a bar's label only when the bars are of several codes.
  const oneHs = new Set(chartRows.map((r) => r.hs_code)).size === 1;
  const label = (r: MirrorRow) =>
    partner ? String(r.year) : `${r.partner_name ?? r.partner} ${r.year}${oneHs ? '' : ` · ${r.hs_code}`}`;
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, itemGap: 32 },
      grid: { left: 80, right: 20, top: 40, bottom: 90 },
      xAxis: { type: 'category', data: chartRows.map(label), axisLabel: { rotate: 45 } },
      yAxis: { type: 'value' },
      series: [
        { name: t('analytics.mirror.declared'), type: 'bar', data: chartRows.map((r) => r.declared_value) },
        {
          name: t('analytics.mirror.mirrorCif', { factor }),
          type: 'bar',
          data: chartRows.map((r) => r.mirror_cif),
        },
      ],
    }),
    [chartRows, factor, t, partner],
  );
  const headers: { key: Sort | null; label: string }[] = [
    { key: 'hs_code', label: t('analytics.mirror.col.hs') },
    { key: 'partner_name', label: t('analytics.mirror.col.partner') },
    { key: 'year', label: t('analytics.mirror.col.year') },
    { key: 'declared_value', label: t('analytics.mirror.col.declared') },
    { key: 'mirror_value', label: t('analytics.mirror.col.mirror') },
    { key: 'value_gap_log', label: t('analytics.mirror.col.gapLog') },
    { key: null, label: t('analytics.mirror.col.caveats') },
    { key: 'value_gap_abs', label: t('analytics.mirror.col.gapAbs') },
    { key: 'quantity_gap_log', label: t('analytics.mirror.col.gapQty') },
    { key: 'weight_gap_log', label: t('analytics.mirror.col.gapWeight') },
    { key: null, label: t('analytics.mirror.col.rate') },
    { key: 'revenue_loss', label: t('analytics.mirror.col.loss') },
  ];
  const s = mirror.data?.summary;
  const comtrade = version?.report?.mapping?.startsWith('comtrade');
  return (
    <Stack>
      {trade.length === 0 && <Notice color="blue">{t('analytics.mirror.noTrade')}</Notice>}
      <Group align="end" wrap="wrap">
        <Select
          data-testid="mirror-trade"
          allowDeselect={false}
          label={t('analytics.mirror.trade')}
          data={trade.map(({ value, label }) => ({ value, label }))}
          value={versionId}
          onChange={(v) => {
            setVersionId(v);
            setCountry(null);
          }}
        />
        <Select
          data-testid="mirror-country"
          allowDeselect={false}
          label={t('analytics.mirror.country')}
          searchable
          data={(countries.data?.items ?? []).map((c) => ({
            value: c.code,
            label: `${c.name ?? c.code} (${c.code})`,
          }))}
          value={country}
          onChange={(v) => {
            setCountry(v);
            setPartner(null);
          }}
        />
        <NumberInput
          label={t('analytics.mirror.factor')}
          description={t('analytics.mirror.factorHelp')}
          value={factor}
          onChange={(v) => setFactor(typeof v === 'number' ? v : Number(v))}
          min={1}
          max={3}
          step={0.01}
          decimalScale={3}
          w={160}
        />
        <Select
          label={t('analytics.mirror.rates')}
          clearable
          placeholder={t('analytics.mirror.noRates')}
          data={rates.map(({ value, label }) => ({ value, label }))}
          value={ratesId}
          onChange={setRatesId}
        />
        <Select
          data-testid="mirror-declared"
          label={t('analytics.mirror.declaredSide')}
          description={t('analytics.mirror.declaredHelp')}
          data={[
            { value: TRADE_SIDE, label: t('analytics.mirror.declaredTrade') },
            ...declarations.map(({ value, label }) => ({ value, label })),
          ]}
          value={side}
          onChange={(v) => {
            setSide(v ?? TRADE_SIDE);
            setCell(null);
          }}
          allowDeselect={false}
          w={320}
        />
        {declId && (
          <NumberInput
            label={t('analytics.mirror.currencyFactor')}
            description={t('analytics.mirror.currencyHelp')}
            value={currencyFactor}
            onChange={(v) => setCurrencyFactor(typeof v === 'number' ? v : Number(v))}
            min={0}
            step={0.01}
            decimalScale={6}
            w={200}
          />
        )}
        <Checkbox
          label={t('analytics.mirror.twoSided')}
          checked={twoSided}
          onChange={(e) => setTwoSided(e.currentTarget.checked)}
        />
      </Group>
      {!validFactor && <Text c="red">{t('analytics.mirror.factorHelp')}</Text>}
      {!validCurrency && <Text c="red">{t('analytics.mirror.currencyHelp')}</Text>}
      {mirror.data?.declared && <DeclaredNotes d={mirror.data.declared} />}
      <Caveats declared={!!declId} />
      {mirror.isError && <QueryError error={mirror.error} onRetry={() => mirror.refetch()} />}
      {mirror.isFetching && <Progress value={100} animated aria-label={t('analytics.mirror.computing')} />}
      {s && (
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Figure
            label={t('analytics.mirror.sum.cells')}
            value={`${nf.format(s.twoSided)} / ${nf.format(s.cells)}`}
          />
          <Figure
            label={t('analytics.mirror.sum.positiveGap')}
            value={nf.format(s.positiveGap)}
            caveats={['cif_fob', 'timing']}
          />
          <Figure
            label={t('analytics.mirror.sum.loss')}
            value={nf.format(s.revenueLoss)}
            note={
              s.unknownRateCells
                ? t('analytics.mirror.sum.unknownRate', {
                    count: s.unknownRateCells,
                    gap: nf.format(s.unknownRateGap),
                  })
                : undefined
            }
            caveats={s.unknownRateCells ? ['no_rate'] : []}
          />
          <Figure
            label={t('analytics.mirror.sum.mirrorOnly')}
            value={nf.format(s.mirrorOnlyValue)}
            note={t('analytics.mirror.sum.mirrorOnlyNote', { count: s.mirrorOnly })}
            caveats={['one_side']}
          />
        </SimpleGrid>
      )}
      {mirror.data?.elasticity && <ElasticityNote e={mirror.data.elasticity} />}
      {mirror.data && rows.length > 0 && (
        <Chart
          option={option}
          label={t('analytics.mirror.chartLabel', { factor })}
          height={380}
          onItemClick={({ dataIndex }) => setCell(chartRows[dataIndex] ?? null)}
        />
      )}
      {partner && (
        <Group>
          <Text size="sm">
            {t('analytics.mirror.partnerOnly', { partner: rows[0]?.partner_name ?? partner })}
          </Text>
          <Button size="xs" variant="default" onClick={() => setPartner(null)}>
            {t('analytics.mirror.allPartners')}
          </Button>
        </Group>
      )}
      {mirror.data && (
        <Table.ScrollContainer minWidth={1250}>
          <Table striped highlightOnHover aria-label={t('analytics.mirror.tableLabel')}>
            <Table.Thead>
              <Table.Tr>
                {headers.map((h) => (
                  <Table.Th
                    key={h.label}
                    aria-sort={
                      h.key && h.key === sort
                        ? ['year', 'partner_name', 'hs_code'].includes(h.key)
                          ? 'ascending'
                          : 'descending'
                        : undefined
                    }
                  >
                    {h.key ? (
                      <UnstyledButton
                        onClick={() => setSort(h.key as Sort)}
                        fw={h.key === sort ? 700 : 500}
                        fz="sm"
                      >
                        {h.label}
                        {h.key === sort ? ' ▾' : ''}
                      </UnstyledButton>
                    ) : (
                      h.label
                    )}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={`${r.hs_code}/${r.partner}/${r.year}`}>
                  <Table.Td>
                    <Tooltip label={t('analytics.mirror.rowsBehind')}>
                      <UnstyledButton fz="sm" c="blue" onClick={() => setCell(r)}>
                        {r.hs_code}
                      </UnstyledButton>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    <UnstyledButton fz="sm" c="blue" onClick={() => setPartner(r.partner)}>
                      {r.partner_name ?? r.partner}
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td>{r.year}</Table.Td>
                  <Table.Td>{money(r.declared_value)}</Table.Td>
                  <Table.Td>{money(r.mirror_value)}</Table.Td>
                  <Table.Td fw={600}>{r.value_gap_log === null ? '—' : gf.format(r.value_gap_log)}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="wrap" miw={160}>
                      {r.caveats.map((c) => (
                        <CaveatBadge key={c} c={c} />
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {r.value_gap_abs === null ? '—' : gf.format(Math.round(r.value_gap_abs))}
                  </Table.Td>
                  <Table.Td>{r.quantity_gap_log === null ? '—' : gf.format(r.quantity_gap_log)}</Table.Td>
                  <Table.Td>{r.weight_gap_log === null ? '—' : gf.format(r.weight_gap_log)}</Table.Td>
                  <Table.Td>
                    {r.duty_rate === null ? t('analytics.mirror.unknown') : `${r.duty_rate} %`}
                  </Table.Td>
                  <Table.Td>
                    {r.revenue_loss === null
                      ? r.value_gap_abs !== null && r.value_gap_abs > 0
                        ? t('analytics.mirror.unknown')
                        : '—'
                      : money(r.revenue_loss)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {mirror.data && (
        <Text size="xs" c="dimmed">
          {t('analytics.mirror.shown', { n: rows.length, count: mirror.data.total })}
          {comtrade ? ` · ${t('analytics.mirror.attribution')}` : ''}
        </Text>
      )}
      {cell && versionId && country && (
        <Behind
          versionId={versionId}
          country={country}
          cell={cell}
          declared={declId ? { id: declId, currencyFactor } : null}
          onClose={() => setCell(null)}
        />
      )}
      {versionId && country && declId && validFactor && validCurrency && (
        <ActorTable
          versionId={versionId}
          country={country}
          factor={factor}
          declId={declId}
          currencyFactor={currencyFactor}
        />
      )}
      {versionId && country && (
        <RunMirror
          versionId={versionId}
          country={country}
          factor={factor}
          ratesId={ratesId}
          declared={declId ? { id: declId, currencyFactor } : null}
        />
      )}
      <RatesEntry datasets={datasets} />
    </Stack>
  );
}

function Figure(p: { label: string; value: string; note?: string; caveats?: string[] }): ReactNode {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {p.label}
      </Text>
      <Group gap={6}>
        <Text fw={700} size="lg">
          {p.value}
        </Text>
        {p.caveats?.map((c) => (
          <CaveatBadge key={c} c={c} />
        ))}
      </Group>
      {p.note && <Text size="xs">{p.note}</Text>}
    </Stack>
  );
}

function CaveatBadge({ c }: { c: string }): ReactNode {
  const { t } = useTranslation();
  return (
    <Tooltip
      label={t(`analytics.mirror.caveat.${c as (typeof MIRROR_CAVEATS)[number]}.text`)}
      multiline
      w={320}
      withArrow
    >
      <Badge
        size="xs"
        variant="light"
        color={c === 'cif_fob' || c === 'timing' ? 'gray' : 'orange'}
        tabIndex={0}
        style={{ flexShrink: 0, overflow: 'visible' }}
      >
        {t(`analytics.mirror.caveat.${c as (typeof MIRROR_CAVEATS)[number]}.label`)}
      </Badge>
    </Tooltip>
  );
}

/** Caveats that only arise with the declared side from declarations (and one that never does). */
const DECLARED_ONLY: readonly string[] = [
  'origin_unmatched',
  'hs_level',
  'partial_year',
  'currency',
  'attribution',
];

function Caveats({ declared }: { declared: boolean }): ReactNode {
  const { t } = useTranslation();
  const shown = MIRROR_CAVEATS.filter((c) => (declared ? c !== 'hs_version' : !DECLARED_ONLY.includes(c)));
  return (
    <Notice color="yellow" title={t('analytics.mirror.caveatsTitle')}>
      <Text size="sm">{t('analytics.mirror.caveatsIntro')}</Text>
      <List size="sm" mt={4}>
        {shown.map((c) => (
          <List.Item key={c}>
            <b>{t(`analytics.mirror.caveat.${c}.label`)}</b>: {t(`analytics.mirror.caveat.${c}.text`)}
          </List.Item>
        ))}
      </List>
    </Notice>
  );
}

interface DeclaredChoice {
  id: string;
  currencyFactor: number;
}

function Behind(p: {
  versionId: string;
  country: string;
  cell: MirrorRow;
  declared: DeclaredChoice | null;
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const q = new URLSearchParams({
    country: p.country,
    hs: p.cell.hs_code,
    partner: p.cell.partner,
    year: String(p.cell.year),
    ...(p.declared
      ? { declarationsVersionId: p.declared.id, currencyFactor: String(p.declared.currencyFactor) }
      : {}),
  });
  return (
    <RowsSection
      url={`/api/analytics/versions/${p.versionId}/mirror/rows?${q}`}
      title={t('analytics.mirror.behindTitle', {
        hs: p.cell.hs_code,
        partner: p.cell.partner_name ?? p.cell.partner,
        year: p.cell.year,
      })}
      onClose={p.onClose}
    />
  );
}

/** A table of rows as the API gives them (columns + cells), under a title, with a close button. */
function RowsSection(p: { url: string; title: string; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const rows = useQuery({
    queryKey: ['analytics', 'mirror-rows', p.url],
    queryFn: () => api.get<Rows>(p.url),
  });
  return (
    <Stack component="section" aria-labelledby="mirror-behind">
      <Group justify="space-between">
        <Title order={3} id="mirror-behind">
          {p.title}
        </Title>
        <Button size="xs" variant="default" onClick={p.onClose}>
          {t('analytics.mirror.close')}
        </Button>
      </Group>
      {rows.isError && <QueryError error={rows.error} onRetry={() => rows.refetch()} />}
      {rows.data && <RowsTable columns={rows.data.columns} rows={rows.data.rows} />}
    </Stack>
  );
}

function RunMirror(p: {
  versionId: string;
  country: string;
  factor: number;
  ratesId: string | null;
  declared: DeclaredChoice | null;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [threshold, setThreshold] = useState<number>(Math.LN2);
  const [minGap, setMinGap] = useState<number>(100000);
  const [done, setDone] = useState<Run | null>(null);
  const run = useMutation({
    mutationFn: async () => {
      let r = await api.post<Run>('/api/analytics/runs', {
        datasetVersionId: p.versionId,
        mirror: {
          country: p.country,
          factor: p.factor,
          threshold,
          minGap,
          ...(p.ratesId ? { dutyRatesVersionId: p.ratesId } : {}),
          ...(p.declared
            ? { declarationsVersionId: p.declared.id, currencyFactor: p.declared.currencyFactor }
            : {}),
        },
      });
      while (r.status === 'pending' || r.status === 'running') {
        await sleep(1000);
        r = await api.get<Run>(`/api/analytics/runs/${r.id}`);
      }
      return r;
    },
    onSuccess: (r) => {
      setDone(r);
      qc.invalidateQueries({ queryKey: ['analytics', 'alerts'] });
    },
  });
  return (
    <Stack component="section" aria-labelledby="mirror-run">
      <Title order={2} id="mirror-run">
        {t('analytics.mirror.runTitle')}
      </Title>
      <Text size="sm">{t('analytics.mirror.runHelp')}</Text>
      <Group align="end">
        <NumberInput
          label={t('analytics.mirror.threshold')}
          value={threshold}
          onChange={(v) => setThreshold(Number(v))}
          min={0}
          max={20}
          step={0.1}
          decimalScale={3}
          w={180}
        />
        <NumberInput
          label={t('analytics.mirror.minGap')}
          value={minGap}
          onChange={(v) => setMinGap(Number(v))}
          min={0}
          step={10000}
          thousandSeparator
          w={180}
        />
        <Button loading={run.isPending} onClick={() => run.mutate()}>
          {t('analytics.mirror.run')}
        </Button>
      </Group>
      {run.isError && <Notice color="red">{errorMessage(run.error)}</Notice>}
      {done && (
        <Notice color={done.status === 'done' ? 'green' : 'red'}>
          {done.status === 'done' ? t('analytics.mirror.runDone', { n: done.alertCount ?? 0 }) : done.error}
        </Notice>
      )}
    </Stack>
  );
}

/** I15: the regression of the log gap on the duty rate, with its standard errors. */
function ElasticityNote({ e }: { e: NonNullable<Mirror['elasticity']> }): ReactNode {
  const { t, i18n } = useTranslation();
  const f = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 });
  const s = e.simple;
  return (
    <Stack gap={2} data-testid="mirror-elasticity">
      <Text fw={600} size="sm">
        {t('analytics.mirror.elasticity.title')}
      </Text>
      <Text size="sm">
        {!s
          ? t('analytics.mirror.elasticity.none')
          : e.full
            ? t('analytics.mirror.elasticity.full', {
                beta: f.format(s.beta),
                se: f.format(s.seBeta),
                cells: t('analytics.mirror.elasticity.cells', { count: s.n }),
                r2: f.format(s.r2),
                betaFull: f.format(e.full.beta),
                seFull: f.format(e.full.seBeta),
                gamma: f.format(e.full.gamma),
                seGamma: f.format(e.full.seGamma),
                cellsFull: t('analytics.mirror.elasticity.cells', { count: e.full.n }),
              })
            : t('analytics.mirror.elasticity.simple', {
                beta: f.format(s.beta),
                se: f.format(s.seBeta),
                cells: t('analytics.mirror.elasticity.cells', { count: s.n }),
                r2: f.format(s.r2),
              })}
      </Text>
      <Text size="xs" c="dimmed">
        {t('analytics.mirror.elasticity.note')}
      </Text>
    </Stack>
  );
}

/** What the declared side from declarations covers, and the origins it could not match. */
function DeclaredNotes({ d }: { d: NonNullable<Mirror['declared']> }): ReactNode {
  const { t, i18n } = useTranslation();
  const nf = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 0 });
  const unmatched = d.unmatchedOrigins.reduce((n, u) => n + u.declarations, 0);
  return (
    <Stack gap={4}>
      <Text size="sm">
        {t('analytics.mirror.declaredSummary', { count: d.declarations, years: d.years.join(', ') })}
      </Text>
      {d.partialYears.length > 0 && (
        <Text size="sm" c="orange.8">
          {t('analytics.mirror.partialYears', { years: d.partialYears.join(', ') })}
        </Text>
      )}
      {unmatched > 0 && (
        <Notice color="orange" title={t('analytics.mirror.caveat.origin_unmatched.label')}>
          <Text size="sm">{t('analytics.mirror.unmatched', { count: unmatched })}</Text>
          <List size="sm">
            {d.unmatchedOrigins.slice(0, 20).map((u) => (
              <List.Item key={u.origin}>
                {t('analytics.mirror.unmatchedOne', {
                  origin: u.origin || '—',
                  count: u.declarations,
                  value: u.value === null ? '—' : nf.format(u.value),
                })}
              </List.Item>
            ))}
          </List>
        </Notice>
      )}
    </Stack>
  );
}

/** I17: the gaps attributed to officers, declarants and importers, largest first. */
function ActorTable(p: {
  versionId: string;
  country: string;
  factor: number;
  declId: string;
  currencyFactor: number;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const [role, setRole] = useState<Role | null>(null);
  const [actor, setActor] = useState<ActorRow | null>(null);
  const base = {
    country: p.country,
    declarationsVersionId: p.declId,
    currencyFactor: String(p.currencyFactor),
  };
  const q = new URLSearchParams({
    ...base,
    factor: String(p.factor),
    limit: '100',
    ...(role ? { role } : {}),
  });
  const actors = useQuery({
    queryKey: ['analytics', 'mirror-actors', p.versionId, q.toString()],
    queryFn: () => api.get<Actors>(`/api/analytics/versions/${p.versionId}/mirror/actors?${q}`),
  });
  const nf = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 0 });
  const gf = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2, signDisplay: 'exceptZero' });
  return (
    <Stack component="section" aria-labelledby="mirror-actors">
      <Title order={2} id="mirror-actors">
        {t('analytics.mirror.actors.title')}
      </Title>
      <Text size="sm">{t('analytics.mirror.actors.intro')}</Text>
      <Select
        label={t('analytics.mirror.actors.role')}
        data={[
          { value: '', label: t('analytics.mirror.actors.allRoles') },
          ...ACTOR_ROLES.map((r) => ({ value: r, label: t(`analytics.mirror.actors.roles.${r}`) })),
        ]}
        value={role ?? ''}
        onChange={(v) => setRole((v || null) as Role | null)}
        allowDeselect={false}
        w={220}
      />
      {actors.isError && <QueryError error={actors.error} onRetry={() => actors.refetch()} />}
      {actors.data && (
        <>
          <Text size="sm">
            {t('analytics.mirror.actors.total', { gap: nf.format(actors.data.positiveGap) })}
          </Text>
          <Table.ScrollContainer
            minWidth={900}
            type="native"
            tabIndex={0}
            role="region"
            aria-label={t('analytics.mirror.actors.tableLabel')}
          >
            <Table striped highlightOnHover aria-label={t('analytics.mirror.actors.tableLabel')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('analytics.mirror.actors.col.role')}</Table.Th>
                  <Table.Th>{t('analytics.mirror.actors.col.actor')}</Table.Th>
                  <Table.Th>{t('analytics.mirror.actors.col.gap')}</Table.Th>
                  <Table.Th>{t('analytics.mirror.actors.col.gapLog')}</Table.Th>
                  <Table.Th>{t('analytics.mirror.actors.col.value')}</Table.Th>
                  <Table.Th>{t('analytics.mirror.actors.col.declarations')}</Table.Th>
                  <Table.Th>{t('analytics.mirror.actors.col.cells')}</Table.Th>
                  <Table.Th>{t('analytics.mirror.actors.col.caveats')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {actors.data.rows.map((a) => (
                  <Table.Tr key={`${a.role}:${a.actor_id}`}>
                    <Table.Td>{t(`analytics.mirror.actors.roles.${a.role}`)}</Table.Td>
                    <Table.Td>
                      <Tooltip label={t('analytics.mirror.actors.rowsBehind')}>
                        <UnstyledButton fz="sm" c="blue" onClick={() => setActor(a)}>
                          {a.actor_id || t('analytics.mirror.actors.unnamed')}
                        </UnstyledButton>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td fw={600}>{nf.format(a.attributed_gap)}</Table.Td>
                    <Table.Td>{a.gap_log_weighted === null ? '—' : gf.format(a.gap_log_weighted)}</Table.Td>
                    <Table.Td>{nf.format(a.declared_value)}</Table.Td>
                    <Table.Td>{nf.format(a.declarations)}</Table.Td>
                    <Table.Td>{nf.format(a.cells)}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="wrap" miw={160}>
                        {a.caveats.map((c) => (
                          <CaveatBadge key={c} c={c} />
                        ))}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Text size="xs" c="dimmed">
            {t('analytics.mirror.actors.shown', { n: actors.data.rows.length, count: actors.data.total })}
          </Text>
        </>
      )}
      {actor && (
        <RowsSection
          url={`/api/analytics/versions/${p.versionId}/mirror/actors/rows?${new URLSearchParams({
            ...base,
            role: actor.role,
            actor: actor.actor_id,
          })}`}
          title={`${t(`analytics.mirror.actors.roles.${actor.role}`)} ${actor.actor_id || t('analytics.mirror.actors.unnamed')}`}
          onClose={() => setActor(null)}
        />
      )}
    </Stack>
  );
}

/** Duty rates typed in (HS code and percent per line), imported as a duty-rate table version. */
function RatesEntry({ datasets }: { datasets: Dataset[] }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [text, setText] = useState('');
  const [result, setResult] = useState<Version | null>(null);
  const save = useMutation({
    mutationFn: async () => {
      let ds = datasets.find((d) => d.kind === 'duty_rates');
      ds ??= await api.post<Dataset>('/api/analytics/datasets', {
        name: t('analytics.mirror.ratesName'),
        kind: 'duty_rates',
      });
      const csv = `hs_code;rate\n${text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) =>
          l
            .split(/[\s;,:=]+/)
            .slice(0, 2)
            .join(';'),
        )
        .join('\n')}\n`;
      let v = await upload<Version>(
        '/api/analytics/imports',
        new File([csv], 'duty-rates.csv', { type: 'text/csv' }),
        {
          fields: { datasetId: ds.id, mode: 'reject-file' },
        },
      );
      while (v.status === 'pending' || v.status === 'importing') {
        await sleep(800);
        v = await api.get<Version>(`/api/analytics/versions/${v.id}`);
      }
      return v;
    },
    onSuccess: (v) => {
      setResult(v);
      qc.invalidateQueries({ queryKey: ['analytics', 'datasets'] });
    },
  });
  return (
    <Stack component="section" aria-labelledby="mirror-rates">
      <Title order={2} id="mirror-rates">
        {t('analytics.mirror.ratesTitle')}
      </Title>
      <Text size="sm">{t('analytics.mirror.ratesHelp')}</Text>
      <Textarea
        label={t('analytics.mirror.ratesInput')}
        placeholder={'4407 10\n440799 12.5'}
        autosize
        minRows={3}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
      />
      <Group>
        <Button
          variant="default"
          disabled={!text.trim()}
          loading={save.isPending}
          onClick={() => save.mutate()}
        >
          {t('analytics.mirror.ratesSave')}
        </Button>
      </Group>
      {save.isError && <Notice color="red">{errorMessage(save.error)}</Notice>}
      {result && (
        <Notice color={result.status === 'imported' ? 'green' : 'orange'}>
          {t(`analytics.status.${result.status}`)} ·{' '}
          {result.report?.issues
            .slice(0, 10)
            .map(
              (i) =>
                `${t('analytics.import.issue', { row: i.row, column: i.column })} — ${t(`analytics.reason.${i.reason}`)}`,
            )
            .join('; ')}
        </Notice>
      )}
    </Stack>
  );
}
