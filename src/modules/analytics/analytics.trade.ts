import fs from 'node:fs/promises';
import { type AnalyticsEngine, lit, num } from './analytics.engine.ts';
import {
  firstLine,
  type ImportStage,
  isParquet,
  removeVersionFiles,
  type ValidationReport,
} from './analytics.import.ts';
import {
  type DatasetKind,
  type IssueReason,
  RATE_COLUMNS,
  RATE_REQUIRED,
  TRADE_COLUMNS,
  TRADE_REQUIRED,
} from './analytics.vocab.ts';

/**
 * Partner trade statistics (UN Comtrade style) and duty-rate tables, imported like declaration
 * extracts (docs/adr/0025): header first, one staging pass with row numbers, one validation scan,
 * the valid rows written to the version's Parquet file under a temporary name and renamed — whole
 * or absent. HS codes, reporter and partner codes stay text.
 */

/** Source header for each trade (or rate) column; unlisted columns keep their canonical name. */
export type TableMapping = Record<string, string>;

/**
 * Built-in mappings for the usual UN Comtrade exports, recognised by their headers when the
 * file does not use the canonical names: `comtrade-r` (the lower-case columns of the R
 * packages, e.g. `../shared/data/comtrade-sawnwood`), `comtrade-classic` (the legacy bulk CSV),
 * `comtrade-plus` (the current API). Partners and reporters are identified by their numeric
 * M49 codes (the ISO column is empty for areas such as "Other Asia, nes").
 */
export const COMTRADE_MAPPINGS: Record<string, TableMapping> = {
  'comtrade-r': {
    reporter: 'reportercode',
    reporter_name: 'reporter',
    partner: 'partnercode',
    partner_name: 'partner',
    year: 'year',
    hs_code: 'productcode',
    flow: 'flow',
    value: 'tradevalue',
    quantity: 'quantity',
    quantity_unit: 'unit',
    net_weight: 'weight',
    estimated: 'flag',
    classification: 'classification',
  },
  'comtrade-classic': {
    reporter: 'Reporter Code',
    reporter_name: 'Reporter',
    partner: 'Partner Code',
    partner_name: 'Partner',
    year: 'Year',
    hs_code: 'Commodity Code',
    flow: 'Trade Flow',
    value: 'Trade Value (US$)',
    quantity: 'Qty',
    quantity_unit: 'Qty Unit',
    net_weight: 'Netweight (kg)',
    estimated: 'Flag',
    classification: 'Classification',
  },
  'comtrade-plus': {
    reporter: 'reporterCode',
    reporter_name: 'reporterDesc',
    partner: 'partnerCode',
    partner_name: 'partnerDesc',
    year: 'refYear',
    hs_code: 'cmdCode',
    flow: 'flowCode',
    value: 'primaryValue',
    quantity: 'qty',
    quantity_unit: 'qtyUnitAbbr',
    net_weight: 'netWgt',
    estimated: 'isQtyEstimated',
    classification: 'classificationCode',
  },
};

interface Spec {
  columns: readonly string[];
  required: readonly string[];
  /** Typed columns: SQL over the trimmed text value `x` (NULL when it cannot be typed). */
  typed: Record<string, { type: string; cast: (x: string) => string }>;
  /** Extra checks on the typed row (`t__<col>` is the typed value). */
  checks: { col: string; reason: IssueReason; when: string }[];
  /** Columns whose repetition is a duplicate row. */
  key: string[];
}

const MISSING = (x: string) => `CASE WHEN ${x} IN ('NA', 'N/A', '-') THEN NULL ELSE ${x} END`;
const NUMBER = (x: string) => `try_cast(replace(${MISSING(x)}, ',', '') AS DOUBLE)`;
/** A purely numeric HS code of odd length lost its leading zero to a number-typed reader. */
const HS = (x: string) =>
  `CASE WHEN regexp_full_match(${x}, '[0-9]+') AND length(${x}) % 2 = 1 THEN '0' || ${x} ELSE ${x} END`;
const FLOW = (x: string) => `CASE
    WHEN lower(${x}) IN ('1', 'm', 'import', 'imports') THEN 'import'
    WHEN lower(${x}) IN ('2', 'x', 'export', 'exports') THEN 'export'
    WHEN lower(${x}) IN ('3', 'rx', 're-export', 're-exports', 'reexport', 'reexports', 're export', 're exports') THEN 're-export'
    WHEN lower(${x}) IN ('4', 'rm', 're-import', 're-imports', 'reimport', 'reimports', 're import', 're imports') THEN 're-import'
  END`;

const TRADE: Spec = {
  columns: TRADE_COLUMNS,
  required: TRADE_REQUIRED,
  typed: {
    year: { type: 'INTEGER', cast: (x) => `try_cast(${x} AS INTEGER)` },
    hs_code: { type: 'VARCHAR', cast: HS },
    flow: { type: 'VARCHAR', cast: FLOW },
    value: { type: 'DOUBLE', cast: NUMBER },
    quantity: { type: 'DOUBLE', cast: NUMBER },
    net_weight: { type: 'DOUBLE', cast: NUMBER },
    // Comtrade's flag: 0 none, 2 quantity, 4 weight, 6 both estimated; the API's true/false.
    estimated: {
      type: 'INTEGER',
      cast: (x) =>
        `coalesce(try_cast(${MISSING(x)} AS INTEGER), CASE lower(${x}) WHEN 'true' THEN 6 WHEN 'false' THEN 0 END)`,
    },
  },
  checks: [
    { col: 'year', reason: 'bad_year', when: 'year IS NOT NULL AND NOT (t__year BETWEEN 1900 AND 2100)' },
    { col: 'year', reason: 'bad_year', when: 'year IS NOT NULL AND t__year IS NULL' },
    { col: 'flow', reason: 'unknown_flow', when: 'flow IS NOT NULL AND t__flow IS NULL' },
    ...['value', 'quantity', 'net_weight', 'estimated'].flatMap((c) => [
      {
        col: c,
        reason: 'bad_number' as const,
        when: `${c} IS NOT NULL AND ${c} NOT IN ('NA', 'N/A', '-') AND t__${c} IS NULL`,
      },
      { col: c, reason: 'negative_value' as const, when: `t__${c} < 0` },
    ]),
  ],
  key: ['reporter', 'partner', 't__year', 't__hs_code', 't__flow', "coalesce(classification, '')"],
};

const RATES: Spec = {
  columns: RATE_COLUMNS,
  required: RATE_REQUIRED,
  typed: {
    hs_code: { type: 'VARCHAR', cast: (x) => HS(`replace(${x}, '.', '')`) },
    rate: { type: 'DOUBLE', cast: (x) => `try_cast(replace(replace(${x}, '%', ''), ',', '.') AS DOUBLE)` },
  },
  checks: [
    {
      col: 'rate',
      reason: 'bad_rate',
      when: 'rate IS NOT NULL AND (t__rate IS NULL OR t__rate < 0 OR t__rate > 1000)',
    },
  ],
  key: ['t__hs_code'],
};

const SPECS: Record<Exclude<DatasetKind, 'declarations'>, Spec> = { trade: TRADE, duty_rates: RATES };
const MAX_ISSUES = 500;
const q = (id: string) => `"${id.replaceAll('"', '""')}"`;

/**
 * Validates and imports a trade-statistics file or a duty-rate table (CSV with any delimiter,
 * or Parquet) into the version's Parquet file. A file without the canonical trade headers but
 * with those of a known Comtrade export is read through the built-in mapping.
 */
export async function importTable(
  engine: AnalyticsEngine,
  o: {
    kind: 'trade' | 'duty_rates';
    tenantId: string;
    versionId: string;
    file: string;
    mapping?: TableMapping;
    mode: 'reject-file' | 'import-valid';
    onStage?: (s: ImportStage) => void;
  },
): Promise<ValidationReport> {
  const spec = SPECS[o.kind];
  const report: ValidationReport = {
    rows: 0,
    validRows: 0,
    rejectedRows: 0,
    fileErrors: [],
    byReason: {},
    issues: [],
    columns: [],
    extraColumns: [],
  };
  const target = engine.parquetPath(o.tenantId, o.versionId);
  const rejects = engine.rejectsPath(o.tenantId, o.versionId);
  await fs.mkdir(engine.tenantDir(o.tenantId), { recursive: true });
  try {
    return await engine.with(async (c) => {
      o.onStage?.('reading');
      if ((await fs.stat(o.file)).size === 0) {
        report.fileErrors.push({ reason: 'empty', detail: 'the file is empty' });
        return report;
      }
      const source = (await isParquet(o.file))
        ? `(SELECT COLUMNS(*)::VARCHAR FROM read_parquet(${lit(o.file)}))`
        : `read_csv(${lit(o.file)}, header = true, all_varchar = true, sample_size = 20480, encoding = 'utf-8')`;
      let cols: string[];
      try {
        cols = (await engine.rows<{ column_name: string }>(c, `DESCRIBE SELECT * FROM ${source}`)).map(
          (r) => r.column_name,
        );
      } catch (e) {
        report.fileErrors.push({ reason: 'unreadable', detail: firstLine(e) });
        return report;
      }
      report.columns = cols;
      let mapping = o.mapping;
      if (!mapping && o.kind === 'trade' && !spec.required.every((x) => cols.includes(x))) {
        const known = Object.entries(COMTRADE_MAPPINGS).find(([, m]) =>
          spec.required.every((x) => cols.includes(m[x] as string)),
        );
        if (known) {
          report.mapping = known[0];
          mapping = known[1];
        }
      }
      const mapped = new Map<string, string>();
      for (const col of spec.columns) {
        const src = mapping?.[col] ?? col;
        if (cols.includes(src)) mapped.set(col, src);
      }
      const missing = spec.required.filter((x) => !mapped.has(x));
      for (const m of missing)
        report.fileErrors.push({
          reason: 'missing_column',
          detail: `${m}${mapping?.[m] ? ` (mapped from ${mapping[m]})` : ''}`,
        });
      if (missing.length) return report;
      const used = new Set(mapped.values());
      report.extraColumns = cols.filter((x) => !used.has(x));

      o.onStage?.('validating');
      const select = spec.columns.map((col) => {
        const src = mapped.get(col);
        const e = src ? `nullif(trim(${q(src)}), '')` : 'NULL::VARCHAR';
        const ty = spec.typed[col];
        return ty ? `${e} AS ${col}, (${ty.cast(e)})::${ty.type} AS t__${col}` : `${e} AS ${col}`;
      });
      const extras = report.extraColumns.map((x) => `${q(x)} AS ${q(`x_${x}`)}`);
      try {
        await c.run(
          `CREATE TEMP TABLE m AS SELECT row_number() OVER () + 1 AS __row, ${[...select, ...extras].join(', ')} FROM ${source}`,
        );
      } catch (e) {
        report.fileErrors.push({ reason: 'unreadable', detail: firstLine(e) });
        return report;
      }
      report.rows = num((await engine.rows<{ n: number }>(c, 'SELECT count(*) AS n FROM m'))[0]?.n) ?? 0;
      if (report.rows === 0) {
        report.fileErrors.push({ reason: 'empty', detail: 'the file has a header but no rows' });
        return report;
      }
      const checks = [
        ...spec.required.map((col) => ({ col, reason: 'missing_required' as const, when: `${col} IS NULL` })),
        ...spec.checks,
      ].map(
        (k) =>
          `CASE WHEN ${k.when} THEN {'col': '${k.col}', 'reason': '${k.reason}', 'value': ${k.col}::VARCHAR} END`,
      );
      await c.run(`CREATE TEMP TABLE issues AS
        SELECT DISTINCT __row, x.col AS col, x.reason AS reason, x.value AS value FROM (
          SELECT __row, unnest(list_filter([${checks.join(', ')}], v -> v IS NOT NULL)) AS x FROM m)
        UNION ALL
        SELECT __row, 'hs_code', 'duplicate_key', hs_code FROM (
          SELECT __row, hs_code, row_number() OVER (PARTITION BY ${spec.key.join(', ')} ORDER BY __row) AS k
          FROM m WHERE ${spec.key.map((x) => `${x} IS NOT NULL`).join(' AND ')}) WHERE k > 1`);
      const [counts] = await engine.rows<{ bad: number }>(
        c,
        'SELECT count(DISTINCT __row) AS bad FROM issues',
      );
      report.rejectedRows = num(counts?.bad) ?? 0;
      report.validRows = report.rows - report.rejectedRows;
      for (const r of await engine.rows<{ reason: IssueReason; n: number }>(
        c,
        'SELECT reason, count(*) AS n FROM issues GROUP BY reason ORDER BY reason',
      ))
        report.byReason[r.reason] = num(r.n) ?? 0;
      report.issues = (
        await engine.rows<{ __row: number; col: string; reason: IssueReason; value: string | null }>(
          c,
          `SELECT __row, col, reason, left(value, 200) AS value FROM issues ORDER BY __row, col, reason LIMIT ${MAX_ISSUES}`,
        )
      ).map((r) => ({ row: num(r.__row) ?? 0, column: r.col, reason: r.reason, value: r.value }));
      if (report.rejectedRows > 0 && o.mode === 'reject-file') return report;
      if (report.validRows === 0) return report;

      o.onStage?.('writing');
      const typedCols = Object.keys(spec.typed).map((x) => `t__${x}`);
      if (report.rejectedRows > 0)
        await c.run(`COPY (
            SELECT i.__row AS "row", i.reasons, m.* EXCLUDE (__row, ${typedCols.join(', ')})
            FROM (SELECT __row, string_agg(col || ': ' || reason, '; ' ORDER BY col) AS reasons FROM issues GROUP BY __row) i
            JOIN m USING (__row) ORDER BY i.__row
          ) TO ${lit(rejects)} (HEADER, DELIMITER ',')`);
      const out = spec.columns.map((col) => (spec.typed[col] ? `t__${col} AS ${col}` : col));
      const tmp = `${target}.${process.pid}.tmp`;
      await c.run(`COPY (
          SELECT __row AS source_row, ${[...out, ...report.extraColumns.map((x) => q(`x_${x}`))].join(', ')}
          FROM m ${report.rejectedRows ? 'WHERE __row NOT IN (SELECT __row FROM issues)' : ''} ORDER BY __row
        ) TO ${lit(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
      await fs.rename(tmp, target);
      o.onStage?.('done');
      return report;
    });
  } catch (e) {
    await removeVersionFiles(engine, o.tenantId, o.versionId);
    throw e;
  }
}
