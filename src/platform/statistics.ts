import { type TableRow, writeTable } from './tables/tables.ts';

// Small-cell suppression for published counts (docs/adr/0019): surveys' results, cases' and
// reports' statistics. A figure that would single out fewer than k people is never published.

/**
 * Suppresses every group under k (and those already suppressed); when exactly one group is
 * suppressed next to published ones (with a published total, its figure could be worked out by
 * difference), the next smallest group is suppressed too (complementary suppression).
 */
export function suppressGroups<T extends { n: number; suppressed?: boolean }>(
  groups: T[],
  k: number,
): (T & { suppressed: boolean })[] {
  const out = groups.map((g) => ({ ...g, suppressed: g.suppressed === true || g.n < k }));
  const hidden = out.filter((g) => g.suppressed && g.n > 0);
  if (hidden.length === 1) {
    const next = out.filter((g) => !g.suppressed).sort((a, b) => a.n - b.n)[0];
    if (next) next.suppressed = true;
  }
  return out;
}

/** Counts as published: a suppressed one becomes null; zero identifies nobody and stays 0. */
export function publishedCounts(
  groups: { key: string; label: string; n: number }[],
  k: number,
): { key: string; label: string; n: number | null }[] {
  return suppressGroups(groups, k).map((g) => ({
    key: g.key,
    label: g.label,
    n: g.suppressed && g.n > 0 ? null : g.n,
  }));
}

/** A single figure (a total): null under k. */
export const publishedTotal = (n: number, k: number): number | null => (n >= k ? n : null);

/** The median, to one decimal; null when fewer than k values. */
export function publishedMedian(values: readonly number[], k: number): number | null {
  if (values.length < k) return null;
  const d = [...values].sort((a, b) => a - b);
  const m = d.length % 2 ? d[(d.length - 1) / 2]! : (d[d.length / 2 - 1]! + d[d.length / 2]!) / 2;
  return Math.round(m * 10) / 10;
}

/**
 * Published statistics as a table (XLSX or CSV) of dimension, value and count: each list of
 * counts under its dimension, then the single figures (value left empty). Labels are the
 * caller's, already translated.
 */
export function statisticsTable(o: {
  format: 'xlsx' | 'csv';
  rtl: boolean;
  sheetName: string;
  headers: { dimension: string; value: string; count: string };
  counts: readonly (readonly [string, readonly { label: string; n: number | null }[]])[];
  figures: readonly (readonly [string, number | null])[];
}): Promise<Buffer> {
  const rows: TableRow[] = [
    ...o.counts.flatMap(([dimension, list]) => list.map((g) => ({ dimension, value: g.label, count: g.n }))),
    ...o.figures.map(([dimension, count]) => ({ dimension, value: '', count })),
  ];
  return writeTable({
    sheetName: o.sheetName,
    columns: [
      { key: 'dimension', header: o.headers.dimension },
      { key: 'value', header: o.headers.value },
      { key: 'count', header: o.headers.count },
    ],
    rows,
    format: o.format,
    rtl: o.rtl,
  });
}
