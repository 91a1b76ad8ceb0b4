import type { DuckDBConnection } from '@duckdb/node-api';
import { indicatorById } from './analytics.catalogue.ts';
import { type AnalyticsEngine, num } from './analytics.engine.ts';
import type { IndicatorResult } from './analytics.indicators.ts';

/**
 * I4's second measure (domain.md §4.4): the clearance-time outlier score
 * z = (median_i(asm − reg) − median_office) / MAD_office, beside the share of the officer's
 * declarations above the office's 95th percentile (the funnel, which raises the alerts).
 *
 * Decision (catalogue I4 version 2): the z is a second figure of the same indicator, kept in each
 * I4 result's `extra` — not its alerting score. The funnel's limits account for how many
 * declarations an officer handled, the z does not: a small officer's median moves a lot, so a
 * z threshold would flag noise, which the catalogue's design (funnels, "fair comparison") avoids.
 *
 * An officer who worked in several offices: each declaration is put on its own office's scale,
 * (h − median_o) / MAD_o, and the officer's z is the median of those — for an officer of one
 * office exactly the formula (a median commutes with an increasing affine map). MAD is the raw
 * median absolute deviation (no 1.4826 factor, as the formula writes it); an office whose MAD is
 * 0 gives no z. Hours are registration → assessment; unassessed declarations are left out.
 */
export async function clearanceScores(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
): Promise<Map<string, { z: number | null; median_hours: number | null }>> {
  const rows = await engine.rows<{ subject: string; z: number | null; median_hours: number | null }>(
    c,
    `WITH t AS (
       SELECT officer_id, office_code, (epoch(assessed_at) - epoch(registered_at)) / 3600.0 AS h FROM d
       WHERE assessed_at IS NOT NULL AND officer_id IS NOT NULL AND office_code IS NOT NULL),
     o AS (SELECT office_code, median(h) AS med FROM t GROUP BY office_code),
     m AS (SELECT office_code, any_value(med) AS med, median(abs(h - med)) AS mad
           FROM t JOIN o USING (office_code) GROUP BY office_code)
     SELECT officer_id AS subject, median((h - med) / nullif(mad, 0)) AS z, median(h) AS median_hours
     FROM t JOIN m USING (office_code) GROUP BY officer_id`,
  );
  return new Map(rows.map((r) => [String(r.subject), { z: num(r.z), median_hours: num(r.median_hours) }]));
}

/** I4's results with their z (and the officer's median hours) in `extra`, when the catalogue's I4 has it. */
export async function withClearanceScores(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
  results: IndicatorResult[],
): Promise<IndicatorResult[]> {
  const i4 = indicatorById('I4');
  if (!i4 || !('z' in i4.formula) || !results.some((r) => r.indicatorId === 'I4')) return results;
  const scores = await clearanceScores(engine, c);
  return results.map((r) =>
    r.indicatorId === 'I4'
      ? { ...r, extra: { ...r.extra, z: null, median_hours: null, ...scores.get(r.subjectId) } }
      : r,
  );
}
