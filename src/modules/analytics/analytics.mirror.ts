import type { DuckDBConnection } from '@duckdb/node-api';
import { type AnalyticsEngine, lit, num } from './analytics.engine.ts';
import { originTable } from './analytics.origins.ts';
import { type OlsFit, ols } from './analytics.stats.ts';
import { ACTOR_ROLES, type ActorRole, type MirrorCaveat, type MirrorSort } from './analytics.vocab.ts';

/**
 * Mirror analysis (domain.md §4.3–4.4, I13, I14, I16; docs/adr/0025): for the administration's
 * country R, per HS code × partner P × year, R's declared imports from P (M, CIF) against P's
 * reported exports to R (X, FOB):
 *
 *   value gap      ln(X · c) − ln(M)          c = the CIF/FOB factor (default 1.10)
 *   quantity gap   ln(Xq) − ln(Mq)            same for net weight (no freight on quantities)
 *   absolute gap   X · c − M
 *   revenue loss   max(0, X · c − M) · t      t = the duty rate of the longest matching HS prefix
 *
 * Only the flows `import` (R's side) and `export` (P's side) enter the gaps; P's re-exports to R
 * and R's re-imports from P are shown beside them (caveat `reexport`). Rows whose quantity or
 * weight the statistics office estimated (Comtrade `flag` ≠ 0) keep their value, but the cell's
 * quantity and weight gaps are left out (caveat `estimated`). A cell with one side only (not
 * reported, confidential, below a threshold) has no gap (caveat `one_side`). Everything is
 * computed in DuckDB over the version's Parquet file; callers get a sorted, limited page.
 */
export interface MirrorOptions {
  /** The administration's country: reporter code as in the file. */
  country: string;
  /** CIF/FOB factor applied to the partner's (FOB) exports. */
  factor: number;
  /** A duty-rate table's Parquet file (rates in percent per HS code or prefix). */
  rates?: string;
  /**
   * The declared side from the administration's own declarations (a declarations version's
   * Parquet file) instead of its reporter rows in the trade file: customs_value and net_mass_kg
   * by HS6 × origin × year of registration. `currencyFactor` converts customs values into the
   * trade file's currency (1 when they are in it already).
   */
  declared?: { path: string; currencyFactor: number };
}

export interface MirrorRow {
  hs_code: string;
  partner: string;
  partner_name: string | null;
  year: number;
  declared_value: number | null;
  mirror_value: number | null;
  mirror_cif: number | null;
  value_gap_log: number | null;
  value_gap_abs: number | null;
  declared_quantity: number | null;
  mirror_quantity: number | null;
  quantity_unit: string | null;
  quantity_gap_log: number | null;
  declared_weight: number | null;
  mirror_weight: number | null;
  weight_gap_log: number | null;
  reexport_value: number | null;
  reimport_value: number | null;
  duty_rate: number | null;
  rate_hs: string | null;
  revenue_loss: number | null;
  declared_rows: number;
  mirror_rows: number;
  declared_hs: string | null;
  mirror_hs: string | null;
  caveats: MirrorCaveat[];
}

export interface MirrorFilter {
  hs?: string;
  partner?: string;
  year?: number;
  /** Only cells with both sides (a gap). */
  twoSided?: boolean;
}

export interface MirrorSummary {
  cells: number;
  twoSided: number;
  declaredOnly: number;
  mirrorOnly: number;
  declaredValue: number;
  mirrorCif: number;
  /** Σ max(0, X·c − M) over the two-sided cells. */
  positiveGap: number;
  /** Σ revenue loss where the rate is known. */
  revenueLoss: number;
  /** Two-sided cells with a positive gap but no duty rate (loss unknown), and their gap. */
  unknownRateCells: number;
  unknownRateGap: number;
  /** Value of the partner's exports with nothing declared (one side only). */
  mirrorOnlyValue: number;
  reexportValue: number;
  estimatedCells: number;
}

const WORLD = `partner <> '0' AND upper(partner) <> 'WLD' AND lower(coalesce(partner_name, '')) <> 'world'`;

/** On a connection: table `mg`, one row per HS × partner × year for the country, gaps computed. */
export async function openMirror(c: DuckDBConnection, trade: string, o: MirrorOptions) {
  const R = lit(o.country);
  const factor = Number.isFinite(o.factor) && o.factor > 0 ? o.factor : 1.1;
  if (o.declared) await declaredSide(c, trade, R, o.declared);
  else
    await c.run(`CREATE OR REPLACE TEMP TABLE mside AS
    SELECT hs_code, year,
      CASE WHEN reporter = ${R} THEN partner ELSE reporter END AS partner,
      CASE WHEN reporter = ${R} THEN partner_name ELSE reporter_name END AS partner_name,
      CASE WHEN reporter = ${R} AND flow = 'import' THEN 'm' WHEN reporter = ${R} THEN 'rm'
           WHEN flow = 'export' THEN 'x' ELSE 'rx' END AS side,
      value, quantity, quantity_unit, net_weight, coalesce(estimated, 0) <> 0 AS est, classification,
      false AS unmatched, false AS hs_cut
    FROM read_parquet(${lit(trade)})
    WHERE ${WORLD} AND reporter <> partner AND upper(reporter) <> 'WLD' AND reporter <> '0'
      AND ((reporter = ${R} AND flow IN ('import', 're-import')) OR (partner = ${R} AND flow IN ('export', 're-export')))`);
  await c.run(`CREATE OR REPLACE TEMP TABLE mcell AS
    SELECT hs_code, partner, year,
      coalesce(any_value(partner_name) FILTER (WHERE side IN ('m', 'x')), any_value(partner_name)) AS partner_name,
      count(*) FILTER (WHERE side = 'm') AS declared_rows,
      count(*) FILTER (WHERE side = 'x') AS mirror_rows,
      sum(value) FILTER (WHERE side = 'm') AS declared_value,
      sum(value) FILTER (WHERE side = 'x') AS mirror_value,
      sum(quantity) FILTER (WHERE side = 'm') AS declared_quantity,
      sum(quantity) FILTER (WHERE side = 'x') AS mirror_quantity,
      count(quantity) FILTER (WHERE side IN ('m', 'x')) AS with_quantity,
      sum(net_weight) FILTER (WHERE side = 'm') AS declared_weight,
      sum(net_weight) FILTER (WHERE side = 'x') AS mirror_weight,
      count(net_weight) FILTER (WHERE side IN ('m', 'x')) AS with_weight,
      coalesce(bool_or(est) FILTER (WHERE side IN ('m', 'x')), false) AS estimated,
      count(DISTINCT quantity_unit) FILTER (WHERE side IN ('m', 'x') AND quantity IS NOT NULL) AS units,
      any_value(quantity_unit) FILTER (WHERE side IN ('m', 'x') AND quantity IS NOT NULL) AS quantity_unit,
      string_agg(DISTINCT classification, ',' ORDER BY classification) FILTER (WHERE side = 'm') AS declared_hs,
      string_agg(DISTINCT classification, ',' ORDER BY classification) FILTER (WHERE side = 'x') AS mirror_hs,
      sum(value) FILTER (WHERE side = 'rx') AS reexport_value,
      sum(value) FILTER (WHERE side = 'rm') AS reimport_value,
      bool_or(unmatched) AS origin_unmatched,
      bool_or(hs_cut) AS hs_cut
    FROM mside GROUP BY hs_code, partner, year
    HAVING count(*) FILTER (WHERE side IN ('m', 'x')) > 0`);
  await c.run(
    o.rates
      ? `CREATE OR REPLACE TEMP TABLE mrate AS
           SELECT k.hs_code, arg_max(r.rate, length(r.hs_code)) AS duty_rate, arg_max(r.hs_code, length(r.hs_code)) AS rate_hs
           FROM (SELECT DISTINCT hs_code FROM mcell) k JOIN read_parquet(${lit(o.rates)}) r ON starts_with(k.hs_code, r.hs_code)
           GROUP BY k.hs_code`
      : 'CREATE OR REPLACE TEMP TABLE mrate (hs_code VARCHAR, duty_rate DOUBLE, rate_hs VARCHAR)',
  );
  const both = 'declared_rows > 0 AND mirror_rows > 0';
  await c.run(`CREATE OR REPLACE TEMP TABLE mg AS
    WITH g AS (
      SELECT mcell.*, mrate.duty_rate, mrate.rate_hs,
        mirror_value * ${factor} AS mirror_cif,
        CASE WHEN declared_value > 0 AND mirror_value > 0 THEN ln(mirror_value * ${factor}) - ln(declared_value) END AS value_gap_log,
        CASE WHEN ${both} THEN mirror_value * ${factor} - declared_value END AS value_gap_abs,
        CASE WHEN ${both} AND NOT estimated AND units = 1 AND with_quantity = declared_rows + mirror_rows
              AND declared_quantity > 0 AND mirror_quantity > 0
             THEN ln(mirror_quantity) - ln(declared_quantity) END AS quantity_gap_log,
        CASE WHEN ${both} AND NOT estimated AND with_weight = declared_rows + mirror_rows
              AND declared_weight > 0 AND mirror_weight > 0
             THEN ln(mirror_weight) - ln(declared_weight) END AS weight_gap_log
      FROM mcell LEFT JOIN mrate USING (hs_code))
    SELECT *,
      CASE WHEN value_gap_abs <= 0 THEN 0.0 WHEN value_gap_abs > 0 THEN value_gap_abs * duty_rate / 100 END AS revenue_loss,
      list_filter(['cif_fob', 'timing',
        CASE WHEN coalesce(reexport_value, 0) > 0 OR coalesce(reimport_value, 0) > 0 THEN 'reexport' END,
        CASE WHEN NOT (${both}) THEN 'one_side' END,
        CASE WHEN ${both} AND ${o.declared ? 'FALSE' : 'declared_hs IS DISTINCT FROM mirror_hs'} THEN 'hs_version' END,
        CASE WHEN estimated THEN 'estimated' END,
        CASE WHEN units > 1 THEN 'unit' END,
        CASE WHEN value_gap_abs > 0 AND duty_rate IS NULL THEN 'no_rate' END,
        CASE WHEN origin_unmatched THEN 'origin_unmatched' END,
        CASE WHEN hs_cut OR ${o.declared ? 'length(hs_code) < 6' : 'FALSE'} THEN 'hs_level' END,
        CASE WHEN ${o.declared ? 'year IN (SELECT year FROM mpartial)' : 'FALSE'} THEN 'partial_year' END,
        ${o.declared ? "'currency'" : 'NULL'}], x -> x IS NOT NULL) AS caveats
    FROM g`);
}

/**
 * The declared side from declarations (table `mside` as the trade mode builds it, plus `mdecl`,
 * one row per declaration with its cell, and `mpartial`, the years the extract covers only in
 * part). The partner side is the partners' `export` / `re-export` rows to R in the trade file,
 * for the years the declarations cover; R's own reporter rows are not used.
 *
 * - Origin: ISO alpha-2 / alpha-3 (or numeric) → the trade file's partner code through
 *   `morigin` (analytics.origins.ts). An origin not in the table keeps its own code as the
 *   partner and marks its cells `origin_unmatched`: declared only, never silently dropped.
 * - HS: partner codes longer than six digits are cut to six (`hs_level`); a declaration's HS6
 *   joins the longest partner code that is a prefix of it (a partner reporting at HS4 is
 *   compared with the sum of the HS6 lines under it, `hs_level`); an HS6 under no partner code
 *   stays a cell of its own (declared only).
 * - Year: of `registered_at`; a year whose declarations start after 31 January or end before
 *   1 December is `partial_year` (partners report whole years).
 */
async function declaredSide(
  c: DuckDBConnection,
  trade: string,
  R: string,
  d: NonNullable<MirrorOptions['declared']>,
) {
  const cf = Number.isFinite(d.currencyFactor) && d.currencyFactor > 0 ? d.currencyFactor : 1;
  await c.run('CREATE OR REPLACE TEMP TABLE morigin (code VARCHAR, partner VARCHAR, name VARCHAR)');
  await c.run(
    `INSERT INTO morigin VALUES ${originTable()
      .map((o) => `(${lit(o.code)}, ${lit(o.partner)}, ${lit(o.name)})`)
      .join(', ')}`,
  );
  await c.run(`CREATE OR REPLACE TEMP TABLE mx AS
    SELECT left(hs_code, 6) AS hs_code, length(hs_code) > 6 AS hs_cut, year, reporter AS partner,
      reporter_name AS partner_name, CASE WHEN flow = 'export' THEN 'x' ELSE 'rx' END AS side,
      value, quantity, quantity_unit, net_weight, coalesce(estimated, 0) <> 0 AS est, classification
    FROM read_parquet(${lit(trade)})
    WHERE partner = ${R} AND flow IN ('export', 're-export') AND reporter <> partner
      AND upper(reporter) <> 'WLD' AND reporter <> '0' AND lower(coalesce(reporter_name, '')) <> 'world'`);
  await c.run(`CREATE OR REPLACE TEMP TABLE mdecl AS
    WITH d AS (
      SELECT declaration_id, office_code, registered_at, hs6, origin, upper(trim(origin)) AS o,
        year(registered_at)::INTEGER AS year, customs_value, customs_value * ${cf} AS value, net_mass_kg,
        officer_id, declarant_id, importer_id
      FROM read_parquet(${lit(d.path)})),
    k AS (SELECT DISTINCT hs6 FROM d WHERE hs6 IS NOT NULL),
    hs AS (
      SELECT k.hs6, arg_max(x.hs_code, length(x.hs_code)) AS hs_code
      FROM k JOIN (SELECT DISTINCT hs_code FROM mx) x ON starts_with(k.hs6, x.hs_code)
      GROUP BY k.hs6)
    SELECT d.*, coalesce(hs.hs_code, d.hs6, '') AS hs_code,
      coalesce(m.partner, CASE WHEN regexp_full_match(d.o, '[0-9]{1,3}') THEN CAST(CAST(d.o AS INTEGER) AS VARCHAR) END,
               coalesce(d.origin, '')) AS partner,
      m.name AS partner_name,
      m.partner IS NULL AND NOT coalesce(regexp_full_match(d.o, '[0-9]{1,3}'), false) AS unmatched
    FROM d LEFT JOIN hs USING (hs6) LEFT JOIN morigin m ON m.code = d.o`);
  await c.run(`CREATE OR REPLACE TEMP TABLE mpartial AS
    SELECT year FROM mdecl GROUP BY year
    HAVING min(registered_at) > make_timestamp(year, 1, 31, 23, 59, 59)
        OR max(registered_at) < make_timestamp(year, 12, 1, 0, 0, 0)`);
  await c.run(`CREATE OR REPLACE TEMP TABLE mside AS
    SELECT hs_code, year, partner, partner_name, side, value, quantity, quantity_unit, net_weight, est,
      classification, false AS unmatched, hs_cut
    FROM mx WHERE year IN (SELECT DISTINCT year FROM mdecl)
    UNION ALL
    SELECT hs_code, year, partner, partner_name, 'm', value, NULL, NULL, net_mass_kg, false, NULL, unmatched, false
    FROM mdecl`);
}

const COLS = `hs_code, partner, partner_name, year, declared_value, mirror_value, mirror_cif, value_gap_log,
  value_gap_abs, declared_quantity, mirror_quantity, quantity_unit, quantity_gap_log, declared_weight,
  mirror_weight, weight_gap_log, reexport_value, reimport_value, duty_rate, rate_hs, revenue_loss,
  declared_rows, mirror_rows, declared_hs, mirror_hs, caveats`;

function where(f: MirrorFilter): string {
  const w: string[] = ['TRUE'];
  if (f.hs) w.push(`starts_with(hs_code, ${lit(f.hs)})`);
  if (f.partner) w.push(`partner = ${lit(f.partner)}`);
  if (f.year !== undefined && Number.isInteger(f.year)) w.push(`year = ${f.year}`);
  if (f.twoSided) w.push('declared_rows > 0 AND mirror_rows > 0');
  return w.join(' AND ');
}

const toRow = (r: Record<string, unknown>): MirrorRow => {
  const o = { ...r } as Record<string, unknown>;
  for (const k of ['declared_rows', 'mirror_rows', 'year']) o[k] = num(o[k]) ?? 0;
  o.caveats = [...((r.caveats as string[] | null) ?? [])];
  return o as unknown as MirrorRow;
};

/** A sorted page of `mg` (after `openMirror`). Numbers sort descending, names ascending; nulls last. */
export async function mirrorPage(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
  o: { sort: MirrorSort; limit: number; offset?: number; filter?: MirrorFilter },
): Promise<{ rows: MirrorRow[]; total: number }> {
  const w = where(o.filter ?? {});
  const dir = ['year', 'partner_name', 'hs_code'].includes(o.sort) ? 'ASC' : 'DESC';
  const rows = await engine.rows(
    c,
    `SELECT ${COLS} FROM mg WHERE ${w} ORDER BY ${o.sort} ${dir} NULLS LAST, hs_code, partner, year
     LIMIT ${Math.max(1, Math.min(1000, Math.trunc(o.limit)))} OFFSET ${Math.max(0, Math.trunc(o.offset ?? 0))}`,
  );
  const [t] = await engine.rows<{ n: number }>(c, `SELECT count(*) AS n FROM mg WHERE ${w}`);
  return { rows: rows.map(toRow), total: num(t?.n) ?? 0 };
}

export async function mirrorSummary(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
  filter: MirrorFilter = {},
): Promise<MirrorSummary> {
  const [s] = await engine.rows<Record<string, unknown>>(
    c,
    `SELECT count(*) AS cells,
       count(*) FILTER (WHERE declared_rows > 0 AND mirror_rows > 0) AS two_sided,
       count(*) FILTER (WHERE mirror_rows = 0) AS declared_only,
       count(*) FILTER (WHERE declared_rows = 0) AS mirror_only,
       coalesce(sum(declared_value) FILTER (WHERE mirror_rows > 0), 0) AS declared_value,
       coalesce(sum(mirror_cif) FILTER (WHERE declared_rows > 0), 0) AS mirror_cif,
       coalesce(sum(greatest(value_gap_abs, 0)), 0) AS positive_gap,
       coalesce(sum(revenue_loss), 0) AS revenue_loss,
       count(*) FILTER (WHERE value_gap_abs > 0 AND duty_rate IS NULL) AS unknown_rate_cells,
       coalesce(sum(value_gap_abs) FILTER (WHERE value_gap_abs > 0 AND duty_rate IS NULL), 0) AS unknown_rate_gap,
       coalesce(sum(mirror_value) FILTER (WHERE declared_rows = 0), 0) AS mirror_only_value,
       coalesce(sum(reexport_value), 0) AS reexport_value,
       count(*) FILTER (WHERE list_contains(caveats, 'estimated')) AS estimated_cells
     FROM mg WHERE ${where(filter)}`,
  );
  const n = (k: string) => num(s?.[k]) ?? 0;
  return {
    cells: n('cells'),
    twoSided: n('two_sided'),
    declaredOnly: n('declared_only'),
    mirrorOnly: n('mirror_only'),
    declaredValue: n('declared_value'),
    mirrorCif: n('mirror_cif'),
    positiveGap: n('positive_gap'),
    revenueLoss: n('revenue_loss'),
    unknownRateCells: n('unknown_rate_cells'),
    unknownRateGap: n('unknown_rate_gap'),
    mirrorOnlyValue: n('mirror_only_value'),
    reexportValue: n('reexport_value'),
    estimatedCells: n('estimated_cells'),
  };
}

/** The cells above the alert threshold: log value gap ≥ threshold and absolute gap ≥ minGap. */
export async function mirrorFlagged(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
  o: { threshold: number; minGap: number },
): Promise<MirrorRow[]> {
  return (
    await engine.rows(
      c,
      `SELECT ${COLS} FROM mg WHERE value_gap_log >= ${Number(o.threshold)} AND value_gap_abs >= ${Number(o.minGap)}
       ORDER BY value_gap_log DESC, hs_code, partner, year`,
    )
  ).map(toRow);
}

/** Reporters with imports in a trade version (the countries a mirror analysis can be run for). */
export async function mirrorCountries(engine: AnalyticsEngine, trade: string) {
  return engine.with(async (c) =>
    (
      await engine.rows<{ code: string; name: string | null; imports: number; partners: number }>(
        c,
        `SELECT reporter AS code, any_value(reporter_name) AS name, count(*) AS imports,
                count(DISTINCT partner) AS partners
         FROM read_parquet(${lit(trade)}) WHERE flow = 'import' AND ${WORLD}
         GROUP BY reporter ORDER BY name NULLS LAST, code`,
      )
    ).map((r) => ({
      code: r.code,
      name: r.name,
      imports: num(r.imports) ?? 0,
      partners: num(r.partners) ?? 0,
    })),
  );
}

/** The trade rows behind one cell, both sides and every flow (first 200 and the total). */
export async function mirrorRowsBehind(
  engine: AnalyticsEngine,
  trade: string,
  o: { country: string; hs: string; partner: string; year: number },
) {
  const cols = [
    'source_row',
    'reporter',
    'reporter_name',
    'partner',
    'partner_name',
    'year',
    'hs_code',
    'classification',
    'flow',
    'value',
    'quantity',
    'quantity_unit',
    'net_weight',
    'estimated',
  ];
  const [R, P] = [lit(o.country), lit(o.partner)];
  const w = `hs_code = ${lit(o.hs)} AND year = ${Math.trunc(o.year)} AND
    ((reporter = ${R} AND partner = ${P}) OR (reporter = ${P} AND partner = ${R}))`;
  return engine.with(async (c) => {
    const rows = await engine.cells(
      c,
      `SELECT ${cols.join(', ')} FROM read_parquet(${lit(trade)}) WHERE ${w} ORDER BY reporter = ${R} DESC, flow, source_row LIMIT 200`,
    );
    const [t] = await engine.rows<{ n: number }>(
      c,
      `SELECT count(*) AS n FROM read_parquet(${lit(trade)}) WHERE ${w}`,
    );
    return { columns: cols, rows, total: num(t?.n) ?? 0 };
  });
}

/** Declared side from declarations: how many declarations, and the origins with no partner code. */
export async function declaredSideSummary(engine: AnalyticsEngine, c: DuckDBConnection) {
  const [t] = await engine.rows<Record<string, unknown>>(
    c,
    `SELECT count(*) AS declarations, coalesce(sum(value), 0) AS value,
       count(*) FILTER (WHERE hs6 IS NULL OR hs6 = '') AS no_hs,
       string_agg(DISTINCT CAST(year AS VARCHAR), ',' ORDER BY CAST(year AS VARCHAR)) AS years,
       (SELECT string_agg(CAST(year AS VARCHAR), ',' ORDER BY year) FROM mpartial) AS partial
     FROM mdecl`,
  );
  const unmatched = await engine.rows<{ origin: string; declarations: number; value: number | null }>(
    c,
    `SELECT partner AS origin, count(*) AS declarations, sum(value) AS value FROM mdecl WHERE unmatched
     GROUP BY partner ORDER BY count(*) DESC, partner`,
  );
  const years = (v: unknown) => (typeof v === 'string' && v ? v.split(',').map(Number) : []);
  return {
    declarations: num(t?.declarations) ?? 0,
    value: num(t?.value) ?? 0,
    years: years(t?.years),
    partialYears: years(t?.partial),
    unmatchedOrigins: unmatched.map((u) => ({
      origin: u.origin,
      declarations: num(u.declarations) ?? 0,
      value: num(u.value),
    })),
  };
}

const ROLE_COLUMN: Record<ActorRole, string> = {
  officer: 'officer_id',
  declarant: 'declarant_id',
  importer: 'importer_id',
};

export interface ActorRow {
  role: ActorRole;
  actor_id: string;
  declarations: number;
  cells: number;
  declared_value: number;
  /** Σ over the actor's cells of (its value / the cell's declared value) · max(0, X·c − M). */
  attributed_gap: number;
  /** Σ v·G / Σ v over the actor's declarations in two-sided cells (domain.md I17, value-weighted). */
  gap_log_weighted: number | null;
  caveats: MirrorCaveat[];
}

/**
 * I17 (domain.md §4.4, Grigoriou et al. 2019): the gap of each two-sided cell distributed over
 * the officers, declarants and importers whose declarations make up its declared side, in
 * proportion to their customs value. An actor's attributed gap is Σ_k (v_ak / M_k) · max(0,
 * X_k·c − M_k); its value-weighted log gap Σ_k v_ak·G_k / Σ_k v_ak. Only cells with both sides
 * and a log gap count (one-sided cells have no gap to share). Table `mactor` (after `openMirror`
 * with a declared side): one row per role × actor, an unknown actor as ''.
 */
export async function openActors(c: DuckDBConnection) {
  await c.run(`CREATE OR REPLACE TEMP TABLE mactor AS
    WITH d AS (
      SELECT m.*, g.value_gap_log, g.value_gap_abs, g.declared_value AS cell_value, g.caveats
      FROM mdecl m JOIN mg g USING (hs_code, partner, year)
      WHERE g.value_gap_log IS NOT NULL AND g.declared_value > 0 AND coalesce(m.value, 0) > 0),
    r AS (${ACTOR_ROLES.map((role) => `SELECT '${role}' AS role, coalesce(${ROLE_COLUMN[role]}, '') AS actor_id, * FROM d`).join(' UNION ALL ')})
    SELECT role, actor_id, count(*) AS declarations,
      count(DISTINCT hs_code || '/' || partner || '/' || year) AS cells,
      sum(value) AS declared_value,
      sum(value / cell_value * greatest(value_gap_abs, 0)) AS attributed_gap,
      sum(value * value_gap_log) / sum(value) AS gap_log_weighted,
      list_sort(list_distinct(list_concat(['attribution'], flatten(list(caveats))))) AS caveats
    FROM r GROUP BY role, actor_id`);
}

/** A page of `mactor`, largest attributed gap first. */
export async function actorPage(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
  o: { role?: ActorRole; limit: number; offset?: number },
): Promise<{ rows: ActorRow[]; total: number }> {
  const w = o.role ? `role = ${lit(o.role)}` : 'TRUE';
  const rows = await engine.rows<Record<string, unknown>>(
    c,
    `SELECT * FROM mactor WHERE ${w} ORDER BY attributed_gap DESC, role, actor_id
     LIMIT ${Math.max(1, Math.min(1000, Math.trunc(o.limit)))} OFFSET ${Math.max(0, Math.trunc(o.offset ?? 0))}`,
  );
  const [t] = await engine.rows<{ n: number }>(c, `SELECT count(*) AS n FROM mactor WHERE ${w}`);
  return { rows: rows.map(toActor), total: num(t?.n) ?? 0 };
}

const toActor = (r: Record<string, unknown>): ActorRow => ({
  role: r.role as ActorRole,
  actor_id: String(r.actor_id),
  declarations: num(r.declarations) ?? 0,
  cells: num(r.cells) ?? 0,
  declared_value: num(r.declared_value) ?? 0,
  attributed_gap: num(r.attributed_gap) ?? 0,
  gap_log_weighted: num(r.gap_log_weighted),
  caveats: [...((r.caveats as string[] | null) ?? [])] as MirrorCaveat[],
});

/** Officers and declarants whose value-weighted gap ≥ threshold and attributed gap ≥ minGap. */
export async function actorsFlagged(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
  o: { threshold: number; minGap: number },
): Promise<ActorRow[]> {
  return (
    await engine.rows<Record<string, unknown>>(
      c,
      `SELECT * FROM mactor WHERE role IN ('officer', 'declarant') AND actor_id <> ''
         AND gap_log_weighted >= ${Number(o.threshold)} AND attributed_gap >= ${Number(o.minGap)}
       ORDER BY attributed_gap DESC, role, actor_id`,
    )
  ).map(toActor);
}

/**
 * The declarations behind a mirror figure of the declared side (after `openMirror` with one):
 * those of one cell, or those of one actor in the cells that gave it a share of a gap.
 */
export async function declaredRowsBehind(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
  o: { cell?: { hs: string; partner: string; year: number }; actor?: { role: ActorRole; id: string } },
) {
  const cols = [
    'declaration_id',
    'office_code',
    'registered_at',
    'hs6',
    'origin',
    'hs_code',
    'partner',
    'year',
    'customs_value',
    'value',
    'net_mass_kg',
    'officer_id',
    'declarant_id',
    'importer_id',
  ];
  const w: string[] = [];
  if (o.cell)
    w.push(
      `m.hs_code = ${lit(o.cell.hs)} AND m.partner = ${lit(o.cell.partner)} AND m.year = ${Math.trunc(o.cell.year)}`,
    );
  if (o.actor)
    w.push(
      `coalesce(m.${ROLE_COLUMN[o.actor.role]}, '') = ${lit(o.actor.id)} AND g.value_gap_log IS NOT NULL AND coalesce(m.value, 0) > 0`,
    );
  const from = `mdecl m JOIN mg g USING (hs_code, partner, year) WHERE ${w.join(' AND ') || 'TRUE'}`;
  // customs_value as declared; value in the trade file's currency (× the currency factor).
  const rows = await engine.cells(
    c,
    `SELECT ${cols.map((k) => (k === 'registered_at' ? `strftime(m.${k}, '%Y-%m-%dT%H:%M:%SZ') AS ${k}` : `m.${k}`)).join(', ')} FROM ${from}
     ORDER BY m.registered_at, m.declaration_id LIMIT 200`,
  );
  const [t] = await engine.rows<{ n: number }>(c, `SELECT count(*) AS n FROM ${from}`);
  return { columns: cols, rows, total: num(t?.n) ?? 0 };
}

export interface Elasticity {
  /** G = α + β·t over the two-sided cells with a log gap and a duty rate (t = rate / 100). */
  simple: (OlsFit & { alpha: number; beta: number; seBeta: number }) | null;
  /**
   * G = α + β·t + γ·t̄, t̄ = the mean rate of the other HS6 lines of the same HS4 among those
   * cells (Fisman and Wei's "similar products"); over the cells that have such lines.
   */
  full: (OlsFit & { alpha: number; beta: number; gamma: number; seBeta: number; seGamma: number }) | null;
}

/**
 * I15 evasion elasticity (domain.md §4.4, Fisman and Wei 2004), after `openMirror` with a rate
 * table: OLS of the log value gap on the duty rate as a fraction, so β is the change of the gap
 * per unit of rate (Fisman and Wei: β ≈ 3, +1 pp → +3 % gap). β > 0: the gap rises with the tax
 * (evasion); γ < 0: lines taxed less than their neighbours show smaller gaps — goods declared
 * under a neighbouring lower-taxed line (misclassification). Unweighted, one observation per
 * cell; cells, not declarations, so a few hundred numbers reach JS.
 */
export async function elasticity(engine: AnalyticsEngine, c: DuckDBConnection): Promise<Elasticity> {
  const rows = await engine.rows<{ g: number; t: number; tbar: number | null }>(
    c,
    `WITH k AS (
       SELECT hs_code, value_gap_log AS g, duty_rate / 100.0 AS t FROM mg
       WHERE value_gap_log IS NOT NULL AND duty_rate IS NOT NULL),
     p AS (SELECT hs_code, any_value(t) AS t FROM k WHERE length(hs_code) = 6 GROUP BY hs_code)
     SELECT k.g, k.t,
       (SELECT avg(p.t) FROM p WHERE left(p.hs_code, 4) = left(k.hs_code, 4) AND p.hs_code <> k.hs_code) AS tbar
     FROM k ORDER BY k.hs_code, k.g`,
  );
  const s = ols(
    rows.map((r) => r.g),
    rows.map((r) => [1, r.t]),
  );
  const withBar = rows.filter((r) => r.tbar !== null);
  const f = ols(
    withBar.map((r) => r.g),
    withBar.map((r) => [1, r.t, r.tbar as number]),
  );
  return {
    simple: s && { ...s, alpha: s.coef[0] as number, beta: s.coef[1] as number, seBeta: s.se[1] as number },
    full: f && {
      ...f,
      alpha: f.coef[0] as number,
      beta: f.coef[1] as number,
      gamma: f.coef[2] as number,
      seBeta: f.se[1] as number,
      seGamma: f.se[2] as number,
    },
  };
}
