import { Button, Group, ScrollArea, Select, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, type Items } from '../../../web/api';
import { QueryError } from '../../../web/ui-kit/page-state';
import type * as C from '../analytics.contract';

export type Dataset = z.infer<typeof C.Dataset>;
export type Run = z.infer<typeof C.Run>;
export type Result = z.infer<typeof C.Result>;
export type Alert = z.infer<typeof C.Alert>;
export type IndicatorDef = z.infer<typeof C.IndicatorDef>;
export type RowsPage = z.infer<typeof C.RowsPage>;

/** I10's false discovery rate (the catalogue's alpha): a pair with a q below it is significant. */
export const PAIR_ALPHA = 0.01;
/** A pair's Benjamini–Hochberg q (1 when the result has none). */
export const qOf = (r: Result) => (typeof r.extra.q === 'number' ? r.extra.q : 1);

/** Query keys and fetchers shared by the analytics pages (one cache key per URL). */
export const useCatalogue = () =>
  useQuery({
    queryKey: ['analytics', 'indicators'],
    queryFn: () => api.get<Items<IndicatorDef>>('/api/analytics/indicators'),
  });
export const useDatasets = () =>
  useQuery({
    queryKey: ['analytics', 'datasets'],
    queryFn: () => api.get<Items<Dataset>>('/api/analytics/datasets'),
  });
export const useRuns = (versionId: string | null | undefined) =>
  useQuery({
    queryKey: ['analytics', 'runs', versionId],
    enabled: !!versionId,
    queryFn: () => api.get<Items<Run>>(`/api/analytics/runs?datasetVersionId=${versionId}`),
  });

/** Imported declaration versions, newest dataset version first. */
export function declarationVersions(datasets: Dataset[]) {
  return datasets
    .filter((d) => d.kind === 'declarations')
    .flatMap((d) =>
      d.versions
        .filter((v) => v.status === 'imported')
        .map((v) => ({ value: v.id, label: `${d.name} · ${v.number}` })),
    );
}

/** A declarations-version picker (defaults to the first imported one). */
export function VersionSelect(props: {
  datasets: Dataset[];
  value: string | null;
  onChange: (v: string | null) => void;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <Select
      data-testid="version-select"
      label={t('analytics.funnel.version')}
      data={declarationVersions(props.datasets)}
      value={props.value}
      onChange={props.onChange}
      allowDeselect={false}
    />
  );
}

/**
 * Which expectation an indicator's results used, in one line: the expected-hit model (out of
 * fold; its folds, training sample and AUC from the run) or the office × channel average (why).
 * Nothing for indicators that have no model.
 */
export function ExpectationNote(props: { run: Run | undefined; results: Result[] | undefined }): ReactNode {
  const { t, i18n } = useTranslation();
  const how = props.results?.find((r) => typeof r.extra.expectation === 'string')?.extra.expectation;
  if (!how) return null;
  const h = props.run?.params?.expectedHits ?? {};
  const auc =
    h.auc == null ? '—' : new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 3 }).format(h.auc);
  if (how !== 'model')
    return (
      <Text size="sm" data-testid="funnel-expectation">
        {t('analytics.funnel.expectedStrata', {
          reason: t(
            `analytics.funnel.expectedWhy.${h.reason ?? 'too_few_controlled'}` as 'analytics.funnel.expectedWhy.too_few_controlled',
          ),
        })}
      </Text>
    );
  const trained = h.trainedAt
    ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(
        new Date(h.trainedAt),
      )
    : '—';
  return (
    <Stack gap={0}>
      <Text size="sm" data-testid="funnel-expectation">
        {t('analytics.funnel.expectedModel', { folds: h.folds ?? 5, rows: h.trainingRows ?? 0, auc })}
      </Text>
      {/* Which model produced the expected values: its versions, when it was trained, its cache key and features. */}
      <Text size="xs" c="dimmed" data-testid="funnel-model">
        {t('analytics.funnel.modelInfo', {
          model: h.modelVersion ?? '—',
          method: h.hitsVersion ?? '—',
          indicator: h.indicatorVersion ?? '—',
          trained,
          key: h.key ?? '—',
          // Arabic separates a list with its own comma (،); feature names stay as the data names them.
          features: (h.features ?? []).join(i18n.dir() === 'rtl' ? '، ' : ', ') || '—',
        })}
      </Text>
    </Stack>
  );
}

/** The expected-hit model's step of a running run (reading, training or scoring a fold, writing). */
export function ModelProgress(props: { runs: Run[] | undefined }): ReactNode {
  const { t } = useTranslation();
  const running = props.runs?.find((r) => r.status === 'running');
  const p = running?.params?.expectedHits;
  if (!p?.stage || !p.folds) return null;
  return (
    <Text size="sm" c="dimmed" data-testid="model-progress">
      {t(`analytics.funnel.modelStage.${p.stage}` as 'analytics.funnel.modelStage.training', {
        fold: Math.min((p.done ?? 0) + 1, p.folds),
        folds: p.folds,
      })}
    </Text>
  );
}

/** A figure in its indicator's unit, in the reader's language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const nf = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 });
  const pf = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 });
  const hf = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 3 });
  return (x: number | null | undefined, unit?: string) =>
    x == null || !Number.isFinite(x)
      ? '—'
      : unit === 'share'
        ? pf.format(x)
        : unit === 'hhi'
          ? hf.format(x)
          : nf.format(x);
}

/**
 * The declarations behind a figure, one page at a time (read from the version's Parquet file by
 * the server; never all rows).
 */
export function RowsBehind(props: {
  versionId: string;
  query: Record<string, string | null | undefined>;
  title: string;
}): ReactNode {
  const { t } = useTranslation();
  const [offset, setOffset] = useState(0);
  const limit = 25;
  const qs = new URLSearchParams(
    Object.entries(props.query).filter((e): e is [string, string] => !!e[1]),
  ).toString();
  const rows = useQuery({
    queryKey: ['analytics', 'rows', props.versionId, qs, offset],
    queryFn: () =>
      api.get<RowsPage>(
        `/api/analytics/versions/${props.versionId}/declarations?${qs}&offset=${offset}&limit=${limit}`,
      ),
  });
  if (rows.isError) return <QueryError error={rows.error} onRetry={() => rows.refetch()} />;
  const d = rows.data;
  return (
    <section aria-label={props.title} data-testid="rows-behind">
      <Text fw={600} mb={4}>
        {props.title}
      </Text>
      {d && (
        <>
          <RowsTable columns={d.columns} rows={d.rows} />
          <Group gap="sm" mt={4}>
            <Text size="sm">
              {d.total === 0
                ? t('analytics.people.rowsNone')
                : t('analytics.people.rowsShown', {
                    from: offset + 1,
                    to: Math.min(offset + limit, d.total),
                    total: d.total,
                  })}
            </Text>
            <PageButtons offset={offset} size={limit} total={d.total} onOffset={setOffset} />
          </Group>
        </>
      )}
    </section>
  );
}

/** Previous and next over a list shown `size` items at a time from `offset`. */
export function PageButtons(props: {
  offset: number;
  size: number;
  total: number;
  onOffset: (offset: number) => void;
}): ReactNode {
  const { t } = useTranslation();
  const { offset, size } = props;
  return (
    <>
      <Button
        size="xs"
        variant="default"
        disabled={offset === 0}
        onClick={() => props.onOffset(Math.max(0, offset - size))}
      >
        {t('analytics.people.previous')}
      </Button>
      <Button
        size="xs"
        variant="default"
        disabled={offset + size >= props.total}
        onClick={() => props.onOffset(offset + size)}
      >
        {t('analytics.people.next')}
      </Button>
    </>
  );
}

/** Rows as the server read them: the column names, then one line per row (scrolls sideways). */
export function RowsTable(props: { columns: string[]; rows: (string | number | null)[][] }): ReactNode {
  return (
    <ScrollArea viewportProps={{ tabIndex: 0 }}>
      <Table striped withTableBorder fz="xs">
        <Table.Thead>
          <Table.Tr>
            {props.columns.map((c) => (
              <Table.Th key={c}>{c}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.rows.map((r, k) => (
            // Rows have no id of their own (trade rows repeat their first column): keyed by place.
            <Table.Tr key={k}>
              {r.map((v, i) => (
                <Table.Td key={props.columns[i]}>{v ?? ''}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
