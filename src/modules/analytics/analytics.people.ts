import type { z } from 'zod';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import { CATALOGUE, type FunnelIndicator, indicatorById } from './analytics.catalogue.ts';
import type * as C from './analytics.contract.ts';
import { lit, num } from './analytics.engine.ts';
import { runHitsFile } from './analytics.expected.ts';
import {
  declarationPage,
  funnelLimits,
  openDataset,
  type PairsStored,
  sourceOf,
  strataOn,
} from './analytics.indicators.ts';
import { PQ, Q } from './analytics.queries.ts';
import { type AnalyticsService, resultOf } from './analytics.service.ts';

/** A period label of `registered_at`: `2025-03` (month) or `2025-Q1` (quarter). */
const periodExpr = (p: 'month' | 'quarter') =>
  p === 'month'
    ? `strftime(registered_at, '%Y-%m')`
    : `(CAST(year(registered_at) AS VARCHAR) || '-Q' || CAST(quarter(registered_at) AS VARCHAR))`;

/**
 * People views over a declarations version (issue 5, "Alerts and people"): an officer's
 * indicators period by period, the declarations behind any figure (one page at a time, read
 * from Parquet), and a run's summary per indicator for the dashboard by RAD factor. Read only;
 * every query is aggregated in DuckDB except the page of rows asked for.
 */
export class PeopleService {
  constructor(private readonly svc: AnalyticsService) {}

  private get engine() {
    return this.svc.engine;
  }

  /**
   * One officer over time: for each funnel indicator, per month or quarter, the observed value
   * against the expected one for the declarations the officer handled in that period (strata
   * means of the same period, or for I6 the model's probabilities when the run used them), with
   * 95 % and 99.8 % limits — the run's method applied period by period. The overall figures are
   * those of the latest finished run of the version.
   */
  async officerProfile(
    tx: TenantTx,
    tenantId: string,
    versionId: string,
    officer: string,
    period: 'month' | 'quarter',
    locale: Locale,
  ): Promise<z.infer<typeof C.OfficerProfile>> {
    const v = await this.svc.versionOfKind(tx, versionId, 'declarations');
    const run = await PQ.latestDoneRun(tx, v.id);
    const results = run ? await PQ.officerResults(tx, run.id, officer) : [];
    const alerts = await PQ.officerAlerts(tx, v.id, officer);
    const funnels = CATALOGUE.filter((i): i is FunnelIndicator => i.kind === 'funnel');
    const per = periodExpr(period);
    const parquet = this.engine.parquetPath(tenantId, v.id);
    // I6 as the run computed it: expected from the model's probabilities when the run used them.
    const modelled = run ? await runHitsFile(run.params, parquet) : null;
    const { series, declarations, periods } = await this.engine.with(async (c) => {
      await openDataset(c, parquet, {
        from: run?.periodFrom ?? undefined,
        to: run?.periodTo ?? undefined,
      });
      const own = await this.engine.rows<{ period: string; n: number }>(
        c,
        `SELECT ${per} AS period, count(*) AS n FROM d WHERE officer_id = ${lit(officer)} OR rerouted_by = ${lit(officer)} GROUP BY ALL ORDER BY period`,
      );
      const series = new Map<string, z.infer<typeof C.PeriodPoint>[]>();
      for (const ind of funnels) {
        const f = ind.formula;
        const rows = await this.engine.rows<{
          period: string;
          n: number;
          observed: number;
          expected: number;
          se: number;
        }>(
          c,
          modelled && f.expected
            ? `SELECT period, count(*) AS n, sum(y) / count(*) AS observed, sum(p) / count(*) AS expected,
                      sqrt(sum(p * (1 - p))) / count(*) AS se
               FROM (SELECT ${f.subject} AS subject, (${f.y})::DOUBLE AS y, h.p, ${per} AS period
                     FROM ${sourceOf(ind.id)} JOIN read_parquet(${lit(modelled)}) h USING (declaration_id)
                     WHERE ${f.filter})
               WHERE subject = ${lit(officer)} GROUP BY period ORDER BY period`
            : `WITH base AS (
             SELECT ${f.subject} AS subject, ${strataOn(c, f.strata)} AS stratum, (${f.y})::DOUBLE AS y, ${per} AS period
             FROM ${sourceOf(ind.id)} WHERE ${f.filter}),
           b AS (SELECT * FROM base WHERE subject IS NOT NULL AND stratum IS NOT NULL AND y IS NOT NULL),
           o AS (SELECT period, stratum, count(*) AS n, sum(y) AS sy FROM b WHERE subject = ${lit(officer)} GROUP BY ALL),
           s AS (SELECT period, stratum, avg(y) AS mu, var_pop(y) AS v FROM b SEMI JOIN o USING (period, stratum) GROUP BY ALL)
           SELECT period, sum(n) AS n, sum(sy) / sum(n) AS observed, sum(n * mu) / sum(n) AS expected,
                  sqrt(sum(n * v)) / sum(n) AS se
           FROM o JOIN s USING (period, stratum) GROUP BY period ORDER BY period`,
        );
        series.set(
          ind.id,
          rows.map((r) => {
            const se = num(r.se) ?? 0;
            return {
              period: String(r.period),
              n: num(r.n) ?? 0,
              observed: r.observed,
              expected: r.expected,
              ...funnelLimits(r.expected, se, ind.unit),
            };
          }),
        );
      }
      return {
        series,
        periods: own.map((r) => String(r.period)),
        declarations: own.reduce((s, r) => s + (num(r.n) ?? 0), 0),
      };
    });
    if (!declarations && !results.length) throw notFound('officer');
    const bySubject = new Map(
      results.filter((r) => r.subjectType === 'officer').map((r) => [r.indicatorId, r] as const),
    );
    const shown = CATALOGUE.filter((i) => i.kind === 'funnel' || i.kind === 'hhi');
    return {
      officerId: officer,
      datasetVersionId: v.id,
      runId: run?.id ?? null,
      period,
      periods,
      declarations,
      indicators: shown.map((i) => {
        const r = bySubject.get(i.id);
        return {
          indicatorId: i.id,
          indicatorVersion: r?.indicatorVersion ?? i.version,
          overall: r ? resultOf(r) : null,
          series: series.get(i.id) ?? [],
        };
      }),
      pairs: results.filter((r) => r.subjectType === 'pair').map(resultOf),
      pairsStored: (run?.params as { pairs?: PairsStored } | null)?.pairs ?? null,
      alerts: alerts.map((a) => this.svc.alertView(a, locale)),
    };
  }

  /**
   * A page of the declarations behind a figure: an officer's (with an indicator: those its
   * formula counts for the officer), a pair's (officer × declarant, within I10's scope), in a
   * period. DuckDB counts them and returns only the page asked for.
   */
  async rows(
    tx: TenantTx,
    tenantId: string,
    versionId: string,
    q: z.infer<typeof C.RowsQuery>,
  ): Promise<z.infer<typeof C.RowsPage>> {
    const v = await this.svc.versionOfKind(tx, versionId, 'declarations');
    const ind = q.indicator ? indicatorById(q.indicator) : undefined;
    if (q.indicator && (!ind || ind.kind === 'mirror' || ind.kind === 'deviant'))
      throw new AppError('VALIDATION_FAILED', 'no declarations behind this indicator', [
        { path: 'indicator', message: 'an indicator over declarations per officer or pair' },
      ]);
    const where: string[] = [];
    if (ind?.kind === 'funnel') {
      if (q.officer) where.push(`(${ind.formula.subject}) = ${lit(q.officer)}`);
      where.push(`(${ind.formula.filter})`);
    } else if (q.officer) where.push(`officer_id = ${lit(q.officer)}`);
    if (ind && (ind.kind === 'pairs' || ind.kind === 'hhi')) where.push(`(${ind.formula.scope})`);
    if (q.declarant) where.push(`declarant_id = ${lit(q.declarant)}`);
    if (q.period)
      where.push(`${periodExpr(q.period.includes('Q') ? 'quarter' : 'month')} = ${lit(q.period)}`);
    const cond = where.length ? where.join(' AND ') : 'TRUE';
    return this.engine.with(async (c) => {
      await openDataset(c, this.engine.parquetPath(tenantId, v.id), {
        from: q.from,
        to: q.to,
        only: ind ? [ind.id] : [],
      });
      const page = await declarationPage(
        this.engine,
        c,
        ind ? sourceOf(ind.id) : 'd',
        cond,
        q.limit,
        q.offset,
      );
      return { ...page, offset: q.offset, limit: q.limit };
    });
  }

  /** Per indicator of a run: subjects, those beyond each limit on the bad side, alerts raised. */
  async runSummary(tx: TenantTx, runId: string): Promise<z.infer<typeof C.RunSummaryRow>[]> {
    const run = await Q.run(tx, runId);
    if (!run) throw notFound('run');
    const alerts = new Map((await PQ.runAlertCounts(tx, run.id)).map((a) => [a.indicatorId, a.n]));
    // I10 stores the significant pairs and the most deviant others: its subjects are those evaluated.
    const pairs = (run.params as { pairs?: PairsStored } | null)?.pairs;
    return (await PQ.runCounts(tx, run.id))
      .map((c) => {
        const low = indicatorById(c.indicatorId)?.direction === 'higher_better';
        return {
          indicatorId: c.indicatorId,
          indicatorVersion: c.indicatorVersion,
          subjects: c.indicatorId === 'I10' && pairs ? pairs.evaluated : c.subjects,
          outside95: low ? c.below95 : c.above95,
          outside998: low ? c.below998 : c.above998,
          alerts: alerts.get(c.indicatorId) ?? 0,
        };
      })
      .sort((a, b) => Number(a.indicatorId.slice(1)) - Number(b.indicatorId.slice(1)));
  }
}
