import type { DuckDBConnection } from '@duckdb/node-api';
import { CATALOGUE, type FunnelIndicator, type SpecialIndicator } from './analytics.catalogue.ts';
import { withClearanceScores } from './analytics.clearance.ts';
import { type AnalyticsEngine, lit, num } from './analytics.engine.ts';
import { benjaminiHochberg, poissonUpperLog, Z95, Z998, zFromUpperLog } from './analytics.stats.ts';
import type { CanonicalColumn } from './analytics.vocab.ts';

/** One subject's figure for one indicator (officer, office, or officer × declarant pair). */
export interface IndicatorResult {
  indicatorId: string;
  indicatorVersion: number;
  subjectType: 'officer' | 'office' | 'declarant' | 'pair' | 'hs_partner_year';
  subjectId: string;
  officerId: string | null;
  declarantId: string | null;
  officeCode: string | null;
  n: number;
  observed: number;
  expected: number;
  lower95: number | null;
  upper95: number | null;
  lower998: number | null;
  upper998: number | null;
  /** How far on the bad side (≈ standard deviations); positive = worse than expected. */
  score: number;
  /** Beyond the alert limit on the bad side (99.8 %, or significant after correction). */
  flagged: boolean;
  extra: Record<string, number | string | null>;
}

export interface RunOptions {
  /** Registrations from this day (inclusive), ISO date. */
  from?: string;
  /** … to this day (exclusive). */
  to?: string;
  /** These indicators only (default: the whole catalogue). */
  only?: string[];
  /**
   * The version's out-of-fold hit probabilities (analytics.expected.ts): I6 then expects
   * Σ p over an officer's controlled declarations; without them, its strata.
   */
  hits?: string | null;
}

/** Funnel indicators raise alerts only with at least this many declarations behind them. */
export const MIN_N = 20;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Computes the catalogue over one dataset version's Parquet file, aggregated in DuckDB. */
export async function computeIndicators(
  engine: AnalyticsEngine,
  parquet: string,
  o: RunOptions = {},
): Promise<IndicatorResult[]> {
  return engine.with(async (c) => {
    await openDataset(c, parquet, o);
    let out: IndicatorResult[] = [];
    // concat, not push(...xs): I10 has hundreds of thousands of candidate pairs at 10 M rows.
    const wanted = CATALOGUE.filter((i) => !o.only || o.only.includes(i.id));
    // An indicator expected from the model has its own scan (its probabilities joined).
    const modelled = wanted.filter(
      (i): i is FunnelIndicator => i.kind === 'funnel' && !!o.hits && !!i.formula.expected,
    );
    for (const ind of modelled) out = out.concat(await modelFunnel(engine, c, ind, o.hits as string));
    // Funnel indicators over the same declarations, subjects and strata share one scan.
    const rest = wanted.filter((i) => !modelled.includes(i as FunnelIndicator));
    for (const group of funnelGroups(rest)) out = out.concat(await funnels(engine, c, group));
    for (const ind of wanted) {
      if (ind.kind === 'pairs') out = out.concat(await pairs(engine, c, ind));
      else if (ind.kind === 'hhi') out = out.concat(await hhi(engine, c, ind));
    }
    out.sort((a, b) => order(a.indicatorId) - order(b.indicatorId));
    const deviant = wanted.find((i) => i.kind === 'deviant');
    if (deviant) out = out.concat(await deviantRates(engine, c, deviant as SpecialIndicator, out));
    // I4's second measure, the clearance-time z, on the same view (analytics.clearance.ts).
    return withClearanceScores(engine, c, out);
  });
}

/**
 * On a connection: view `d` over the version's Parquet file (the period applied) and, when I9
 * is among `only` (or `only` is absent), table `ref`: the reference unit value per HS6 × origin
 * (median of the dataset, ≥ 5 declarations), which only I9 reads.
 */
export async function openDataset(c: DuckDBConnection, parquet: string, o: RunOptions = {}) {
  await c.run("SET TimeZone = 'UTC'");
  pairScopes.delete(c);
  const where: string[] = [];
  // A TIMESTAMP bound: the column is TIMESTAMP (UTC) since the streamed import, TIMESTAMPTZ in
  // older files; either way the bound is cast once, never the column.
  if (o.from && DATE.test(o.from)) where.push(`registered_at >= CAST(${lit(o.from)} AS TIMESTAMP)`);
  if (o.to && DATE.test(o.to)) where.push(`registered_at < CAST(${lit(o.to)} AS TIMESTAMP)`);
  await c.run(
    `CREATE OR REPLACE TEMP VIEW d AS SELECT * FROM read_parquet(${lit(parquet)})${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`,
  );
  withProcedure.set(c, await hasProcedure(c, 'd'));
  if (o.only && !o.only.includes('I9')) return;
  await c.run(`CREATE OR REPLACE TEMP TABLE ref AS
    SELECT hs6, origin, median(customs_value / net_mass_kg) AS ref_uv FROM d
    WHERE customs_value > 0 AND net_mass_kg > 0 AND hs6 IS NOT NULL
    GROUP BY hs6, origin HAVING count(*) >= 5`);
}

/** Connections whose view `d` has procedure codes (openDataset): their strata hold the procedure equal. */
const withProcedure = new WeakMap<DuckDBConnection, boolean>();

/**
 * Whether `relation` has a `procedure` column with at least one code. Versions imported before
 * the column existed have none; a file without it, or with it empty, has it all NULL. Either
 * way the strata and the model stay as they were, so their results are unchanged.
 */
export async function hasProcedure(c: DuckDBConnection, relation: string): Promise<boolean> {
  const cols = (await c.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${relation})`))
    .getRowsJS()
    .map((r) => r[0]);
  if (!cols.includes('procedure')) return false;
  const r = await c.runAndReadAll(`SELECT 1 FROM ${relation} WHERE procedure IS NOT NULL LIMIT 1`);
  return r.currentRowCount > 0;
}

/**
 * A funnel's strata with the customs procedure added when the version has procedure codes
 * (issue 5: compare with the declarations handled "same office, channel, procedure, product
 * risk"). An unknown procedure is a stratum of its own; a NULL stratum stays NULL.
 */
export const strataOf = (strata: string, procedure: boolean) =>
  procedure ? `(${strata}) || '|' || coalesce(procedure, '?')` : strata;

/** A funnel's strata on a connection opened by openDataset: × procedure when its view has codes. */
export const strataOn = (c: DuckDBConnection, strata: string) =>
  strataOf(strata, withProcedure.get(c) ?? false);

/** The FROM clause an indicator reads (I9 needs the reference unit values). */
export const sourceOf = (id: string) =>
  id === 'I9' ? '(SELECT d.*, ref.ref_uv FROM d JOIN ref USING (hs6, origin))' : 'd';

/** The columns shown for the declarations behind a figure or an alert. */
const ROW_COLUMNS = [
  'declaration_id',
  'office_code',
  'registered_at',
  'assessed_at',
  'declarant_id',
  'officer_id',
  'assignment',
  'channel_system',
  'channel_final',
  'rerouted_by',
  'hs6',
  'origin',
  'customs_value',
  'duties_declared',
  'duties_assessed',
  'offence',
] as const satisfies readonly CanonicalColumn[];

/**
 * The declarations of `from` (a relation over view `d`) where `where` holds, in registration
 * order: `limit` of them from `offset`, and how many in all. Only that page leaves DuckDB.
 */
export async function declarationPage(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
  from: string,
  where: string,
  limit: number,
  offset = 0,
): Promise<{ columns: string[]; rows: (string | number | null)[][]; total: number }> {
  const cols = ROW_COLUMNS.map((x) =>
    x.endsWith('_at') ? `strftime(${x}, '%Y-%m-%dT%H:%M:%SZ') AS ${x}` : x,
  ).join(', ');
  const [total] = await engine.rows<{ n: number }>(c, `SELECT count(*) AS n FROM ${from} WHERE ${where}`);
  const rows = await engine.cells(
    c,
    `SELECT ${cols} FROM ${from} WHERE ${where} ORDER BY registered_at, declaration_id LIMIT ${limit} OFFSET ${offset}`,
  );
  return { columns: [...ROW_COLUMNS], rows, total: total?.n ?? 0 };
}

const clip = (v: number, unit: string) => (unit === 'share' ? Math.min(1, Math.max(0, v)) : v);

/** A funnel's 95 % and 99.8 % limits around `expected` (a share's kept within 0–1). */
export const funnelLimits = (expected: number, se: number, unit: string) => ({
  lower95: clip(expected - Z95 * se, unit),
  upper95: clip(expected + Z95 * se, unit),
  lower998: clip(expected - Z998 * se, unit),
  upper998: clip(expected + Z998 * se, unit),
});

const order = (id: string) => CATALOGUE.findIndex((i) => i.id === id);

/**
 * Funnel indicators grouped by what they scan: same source, filter, subject and strata (I1–I3
 * share one; I6–I7 another). An indicator whose value uses a window function stays alone.
 */
export function funnelGroups(inds: readonly (FunnelIndicator | SpecialIndicator)[]): FunnelIndicator[][] {
  const groups = new Map<string, FunnelIndicator[]>();
  for (const ind of inds) {
    if (ind.kind !== 'funnel') continue;
    const f = ind.formula;
    const key = /\bOVER\b/i.test(f.y)
      ? ind.id
      : JSON.stringify([sourceOf(ind.id), f.filter, f.subject, f.strata]);
    groups.set(key, [...(groups.get(key) ?? []), ind]);
  }
  return [...groups.values()];
}

/**
 * The funnel figures of a group of indicators in one scan. Per subject × stratum: count, sum
 * and population variance of each indicator's y; a stratum's mean and variance are combined
 * from those (Chan's formula: M2 = Σ n·v + n·(m − μ)²), so the declarations are read once.
 * Observed = Σy / n; expected = Σ_s n_s·μ_s / n; se = √(Σ_s n_s·σ²_s) / n.
 */
async function funnels(engine: AnalyticsEngine, c: DuckDBConnection, group: FunnelIndicator[]) {
  const first = group[0] as FunnelIndicator;
  const f = first.formula;
  const ys = group.map((ind, k) => `(${ind.formula.y})::DOUBLE AS y${k}`);
  const per = (fn: (k: number) => string) => group.map((_, k) => fn(k)).join(', ');
  const rows = await engine.rows<Record<string, number | string | null>>(
    c,
    `WITH b AS (
       SELECT * FROM (SELECT ${f.subject} AS subject, ${strataOn(c, f.strata)} AS stratum, ${ys.join(', ')}
                      FROM ${sourceOf(first.id)} WHERE ${f.filter})
       WHERE subject IS NOT NULL AND stratum IS NOT NULL),
     o AS (SELECT subject, stratum, ${per((k) => `count(y${k}) AS n${k}, sum(y${k}) AS s${k}, var_pop(y${k}) AS v${k}`)}
           FROM b GROUP BY subject, stratum),
     m AS (SELECT stratum, ${per((k) => `sum(s${k}) / nullif(sum(n${k}), 0) AS mu${k}`)} FROM o GROUP BY stratum),
     s AS (SELECT stratum, ${per((k) => `any_value(mu${k}) AS mu${k}, sum(n${k} * coalesce(v${k}, 0) + n${k} * (s${k} / nullif(n${k}, 0) - mu${k}) ** 2) FILTER (WHERE n${k} > 0) / nullif(sum(n${k}), 0) AS var${k}`)}
           FROM o JOIN m USING (stratum) GROUP BY stratum)
     SELECT subject, ${per((k) => `sum(n${k}) AS n${k}, sum(s${k}) / nullif(sum(n${k}), 0) AS observed${k}, sum(n${k} * mu${k}) FILTER (WHERE n${k} > 0) / nullif(sum(n${k}), 0) AS expected${k}, sqrt(sum(n${k} * var${k}) FILTER (WHERE n${k} > 0)) / nullif(sum(n${k}), 0) AS se${k}`)}
     FROM o JOIN s USING (stratum) GROUP BY subject ORDER BY subject`,
  );
  return group.flatMap((ind, k) =>
    rows
      .filter((r) => (num(r[`n${k}`]) ?? 0) > 0)
      .map((r) =>
        funnelResult(ind, {
          subject: String(r.subject),
          n: num(r[`n${k}`]) ?? 0,
          observed: num(r[`observed${k}`]) ?? 0,
          expected: num(r[`expected${k}`]) ?? 0,
          se: num(r[`se${k}`]) ?? 0,
        }),
      ),
  );
}

/**
 * An indicator's figures expected from the model: per officer, observed hits O = Σy and expected
 * hits E = Σp over its controlled declarations (p: the declaration's out-of-fold probability);
 * observed = O/n, expected = E/n, and se = √(Σ p(1 − p)) / n — the binomial variance of each
 * declaration summed, as the strata's Σ n_s·p_s(1 − p_s) — so the funnel limits come from the
 * expected counts. `extra` carries O, E and O/E.
 */
async function modelFunnel(engine: AnalyticsEngine, c: DuckDBConnection, ind: FunnelIndicator, hits: string) {
  const f = ind.formula;
  const rows = await engine.rows<{
    subject: string;
    n: number;
    o: number;
    e: number;
    v: number;
    unscored: number;
  }>(
    c,
    `SELECT subject, count(*) AS n, sum(y) AS o, sum(p) AS e, sum(p * (1 - p)) AS v,
            count(*) FILTER (WHERE p IS NULL) AS unscored
     FROM (SELECT ${f.subject} AS subject, (${f.y})::DOUBLE AS y, h.p
           FROM ${sourceOf(ind.id)} LEFT JOIN read_parquet(${lit(hits)}) h USING (declaration_id) WHERE ${f.filter})
     WHERE subject IS NOT NULL GROUP BY subject ORDER BY subject`,
  );
  // The file covers every declaration of the version matching the filter: a gap is a stale file.
  if (rows.some((r) => (num(r.unscored) ?? 0) > 0))
    throw new Error(`${hits} does not cover every declaration ${ind.id} counts: remove it to recompute`);
  return rows.map((r) => {
    const n = num(r.n) ?? 0;
    const o = r.o ?? 0;
    const e = r.e ?? 0;
    return funnelResult(
      ind,
      { subject: String(r.subject), n, observed: o / n, expected: e / n, se: Math.sqrt(r.v ?? 0) / n },
      { expectation: 'model', hits: o, expected_hits: e, ratio: e > 0 ? o / e : null },
    );
  });
}

function funnelResult(
  ind: FunnelIndicator,
  r: { subject: string; n: number; observed: number; expected: number; se: number },
  more?: IndicatorResult['extra'],
): IndicatorResult {
  const { n, se } = r;
  const z = se > 0 ? (r.observed - r.expected) / se : 0;
  const score = ind.direction === 'higher_better' ? -z : z;
  return {
    indicatorId: ind.id,
    indicatorVersion: ind.version,
    subjectType: 'officer',
    subjectId: r.subject,
    officerId: r.subject,
    declarantId: null,
    officeCode: null,
    n,
    observed: r.observed,
    expected: r.expected,
    ...funnelLimits(r.expected, se, ind.unit),
    score,
    flagged: ind.alerts && n >= MIN_N && se > 0 && score > Z998,
    extra: more ? { se, ...more } : ind.formula.expected ? { se, ...strataHits(r) } : { se },
  };
}

/** An indicator that can be expected from the model, when its strata served instead. */
const strataHits = (r: { n: number; observed: number; expected: number }) => ({
  expectation: 'strata',
  hits: r.observed * r.n,
  expected_hits: r.expected * r.n,
  ratio: r.expected > 0 ? r.observed / r.expected : null,
});

/**
 * Temp table `pair_counts`: declarations per office × officer × declarant within `scope` — the
 * one scan I10 and I11 share (both read random assignments); made again only if the scope differs.
 */
async function pairCounts(c: DuckDBConnection, scope: string) {
  const made = pairScopes.get(c);
  if (made === scope) return;
  await c.run(`CREATE OR REPLACE TEMP TABLE pair_counts AS
    SELECT office_code, officer_id, declarant_id, count(*) AS c FROM d
    WHERE ${scope} AND officer_id IS NOT NULL AND declarant_id IS NOT NULL GROUP BY ALL`);
  pairScopes.set(c, scope);
}
const pairScopes = new WeakMap<DuckDBConnection, string>();

/** I10 pairs a run stores besides the significant ones: the most deviant others (docs/adr/0025). */
export const PAIRS_KEPT = 1000;

/** How many I10 pairs a run tested, evaluated and stored (the run's `params.pairs`). */
export interface PairsStored {
  /** m: every officer × declarant pair of an office, the count the BH correction is over. */
  tested: number;
  /** The candidates above expectation, each given its Poisson tail and BH q. */
  evaluated: number;
  /** Those written as results: every significant pair and the `kept` highest scores of the rest. */
  stored: number;
  kept: number;
}

/**
 * The results a run writes: every significant I10 pair and, of the other candidates, the `kept`
 * with the highest score (ties by subject), not each of the hundreds of thousands evaluated at
 * 10 M declarations. Only what is written changes: p, q (BH over all m pairs), the flags and the
 * alerts are those of every candidate. Other indicators' results pass as they are.
 */
export function keepPairs(
  results: IndicatorResult[],
  kept = PAIRS_KEPT,
): { results: IndicatorResult[]; pairs: PairsStored | null } {
  const pairs = results.filter((r) => r.indicatorId === 'I10' && r.subjectType === 'pair');
  if (!pairs.length) return { results, pairs: null };
  const key = (r: IndicatorResult) => `${r.officeCode}/${r.subjectId}`;
  const others = pairs
    .filter((r) => !r.flagged)
    .sort((a, b) => b.score - a.score || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const keep = new Set([...pairs.filter((r) => r.flagged), ...others.slice(0, Math.max(0, kept))]);
  const out = results.filter((r) => r.indicatorId !== 'I10' || r.subjectType !== 'pair' || keep.has(r));
  return {
    results: out,
    pairs: {
      tested: Number(pairs[0]!.extra.tests ?? pairs.length),
      evaluated: pairs.length,
      stored: keep.size,
      kept,
    },
  };
}

async function pairs(engine: AnalyticsEngine, c: DuckDBConnection, ind: SpecialIndicator) {
  const alpha = Number(ind.formula.alpha);
  await pairCounts(c, String(ind.formula.scope));
  await c.run(`CREATE OR REPLACE TEMP TABLE pairs AS
    WITH o AS (SELECT office_code, officer_id, declarant_id, c AS obs FROM pair_counts),
    tot AS (SELECT office_code, sum(obs) AS n FROM o GROUP BY ALL),
    ni AS (SELECT office_code, officer_id, sum(obs) AS n FROM o GROUP BY ALL),
    nb AS (SELECT office_code, declarant_id, sum(obs) AS n FROM o GROUP BY ALL)
    SELECT o.office_code, o.officer_id, o.declarant_id, o.obs, nb.n * ni.n / tot.n::DOUBLE AS expected,
           ni.n AS officer_n, nb.n AS declarant_n
    FROM o JOIN ni USING (office_code, officer_id) JOIN nb USING (office_code, declarant_id) JOIN tot USING (office_code)`);
  const m = num((await engine.rows<{ m: number }>(c, 'SELECT count(*) AS m FROM pairs'))[0]?.m) ?? 0;
  // Only pairs well above expectation can be significant; the others keep p ≈ 1 in the count m.
  const cand = await engine.rows<{
    office_code: string;
    officer_id: string;
    declarant_id: string;
    obs: number;
    expected: number;
    officer_n: number;
    declarant_n: number;
  }>(
    c,
    'SELECT * FROM pairs WHERE obs >= 2 AND obs > expected + 1.5 * sqrt(expected) ORDER BY office_code, officer_id, declarant_id',
  );
  const logp = cand.map((p) => poissonUpperLog(num(p.obs) ?? 0, p.expected));
  const pv = logp.map((l) => Math.exp(l));
  // The candidates are among the m pairs, so m ≥ cand.length.
  const q = benjaminiHochberg(pv, m);
  // BH threshold: the largest k·α/m reached; the limit is the smallest count beyond it.
  const tests = Math.max(1, m);
  let threshold = alpha / tests;
  [...pv]
    .sort((a, b) => a - b)
    .forEach((p, k) => {
      if (p <= ((k + 1) * alpha) / tests) threshold = ((k + 1) * alpha) / tests;
    });
  const logT = Math.log(threshold);
  return cand.map((p, i): IndicatorResult => {
    const obs = num(p.obs) ?? 0;
    const qi = q[i] as number;
    // The count significant at the BH threshold, for alerts only (a search per pair is costly).
    let limit: number | null = null;
    if (qi < alpha) {
      limit = Math.max(1, Math.ceil(p.expected));
      while (poissonUpperLog(limit, p.expected) > logT && limit < obs) limit++;
    }
    return {
      indicatorId: ind.id,
      indicatorVersion: ind.version,
      subjectType: 'pair',
      subjectId: `${p.officer_id}/${p.declarant_id}`,
      officerId: p.officer_id,
      declarantId: p.declarant_id,
      officeCode: p.office_code,
      n: num(p.declarant_n) ?? 0,
      observed: obs,
      expected: p.expected,
      lower95: null,
      upper95: null,
      lower998: null,
      upper998: limit,
      score: zFromUpperLog(logp[i] as number),
      flagged: qi < alpha,
      extra: {
        p: pv[i] as number,
        q: qi,
        ratio: obs / p.expected,
        officer_n: num(p.officer_n),
        tests: m,
      },
    };
  });
}

async function hhi(engine: AnalyticsEngine, c: DuckDBConnection, ind: SpecialIndicator) {
  await pairCounts(c, String(ind.formula.scope));
  const rows = await engine.rows<{
    office_code: string;
    officer_id: string;
    n: number;
    hhi: number;
    top1: number;
    expected: number;
    se: number;
    office_hhi: number;
  }>(
    c,
    `WITH oi AS (SELECT office_code, officer_id, declarant_id, c FROM pair_counts),
     tot AS (SELECT office_code, sum(c) AS n FROM oi GROUP BY ALL),
     sh AS (SELECT office_code, sum(c) / any_value(tot.n)::DOUBLE AS p FROM oi JOIN tot USING (office_code) GROUP BY office_code, declarant_id),
     agg AS (SELECT office_code, sum(p * p) AS s2, sum(p * p * p) AS s3 FROM sh GROUP BY ALL),
     h AS (SELECT office_code, officer_id, sum(c) AS n, sum(c * c) / (sum(c) * sum(c))::DOUBLE AS hhi,
                  max(c) / sum(c)::DOUBLE AS top1 FROM oi GROUP BY ALL)
     SELECT h.*, agg.s2 + (1 - agg.s2) / h.n AS expected, agg.s2 AS office_hhi,
            sqrt(greatest(0, 4.0 / h.n * (agg.s3 - agg.s2 * agg.s2)) + 2.0 * (1 - agg.s2) / (h.n * h.n)) AS se
     FROM h JOIN agg USING (office_code) ORDER BY office_code, officer_id`,
  );
  return rows.map((r): IndicatorResult => {
    const n = num(r.n) ?? 0;
    const score = r.se > 0 ? (r.hhi - r.expected) / r.se : 0;
    return {
      indicatorId: ind.id,
      indicatorVersion: ind.version,
      subjectType: 'officer',
      subjectId: r.officer_id,
      officerId: r.officer_id,
      declarantId: null,
      officeCode: r.office_code,
      n,
      observed: r.hhi,
      expected: r.expected,
      lower95: Math.max(0, r.expected - Z95 * r.se),
      upper95: r.expected + Z95 * r.se,
      lower998: Math.max(0, r.expected - Z998 * r.se),
      upper998: r.expected + Z998 * r.se,
      score,
      flagged: ind.alerts && n >= 50 && score > Z998,
      extra: { top1: r.top1, office_hhi: r.office_hhi, se: r.se },
    };
  });
}

async function deviantRates(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
  ind: SpecialIndicator,
  done: IndicatorResult[],
) {
  const flagged = done.filter((r) => r.indicatorId === 'I10' && r.flagged);
  await c.run(
    'CREATE OR REPLACE TEMP TABLE flagged (office_code VARCHAR, officer_id VARCHAR, declarant_id VARCHAR)',
  );
  if (flagged.length)
    await c.run(
      `INSERT INTO flagged VALUES ${flagged.map((f) => `(${lit(f.officeCode ?? '')}, ${lit(f.officerId ?? '')}, ${lit(f.declarantId ?? '')})`).join(', ')}`,
    );
  const rows = await engine.rows<{
    office_code: string;
    n_dev: number;
    n_other: number;
    observed: number;
    expected: number;
    hours_dev: number | null;
    hours_other: number | null;
  }>(
    c,
    `SELECT office_code, count(*) FILTER (WHERE f) AS n_dev, count(*) FILTER (WHERE NOT f) AS n_other,
            avg(y) FILTER (WHERE f) AS observed, avg(y) FILTER (WHERE NOT f) AS expected,
            median(h) FILTER (WHERE f) AS hours_dev, median(h) FILTER (WHERE NOT f) AS hours_other
     FROM (SELECT d.office_code, (${ind.formula.y})::DOUBLE AS y, (epoch(assessed_at) - epoch(registered_at)) / 3600.0 AS h,
                  flagged.officer_id IS NOT NULL AS f
           FROM d LEFT JOIN flagged USING (office_code, officer_id, declarant_id) WHERE ${ind.formula.filter})
     GROUP BY office_code HAVING count(*) FILTER (WHERE f) > 0 ORDER BY office_code`,
  );
  return rows.map(
    (r): IndicatorResult => ({
      indicatorId: ind.id,
      indicatorVersion: ind.version,
      subjectType: 'office',
      subjectId: r.office_code,
      officerId: null,
      declarantId: null,
      officeCode: r.office_code,
      n: num(r.n_dev) ?? 0,
      observed: r.observed,
      expected: r.expected,
      lower95: null,
      upper95: null,
      lower998: null,
      upper998: null,
      score: 0,
      flagged: false,
      extra: { n_other: num(r.n_other), hours_dev: r.hours_dev, hours_other: r.hours_other },
    }),
  );
}
