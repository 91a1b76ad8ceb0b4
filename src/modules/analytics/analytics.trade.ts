import fs from 'node:fs/promises';
import type { Locale } from '../../platform/i18n/i18n.ts';
import type { AnalyticsEngine } from './analytics.engine.ts';
import {
  emptyReport,
  field,
  findIssues,
  type ImportStage,
  mapColumns,
  type RowCheck,
  readHeader,
  removeVersionFiles,
  stageRows,
  type ValidationReport,
  writeVersion,
} from './analytics.import.ts';
import {
  type DatasetKind,
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

/**
 * The built-in mapping (its name and columns) of a trade file that lacks the canonical required
 * headers but has those of a known Comtrade export; undefined otherwise.
 */
export function comtradeMapping(header: readonly string[]): [string, TableMapping] | undefined {
  if (TRADE_REQUIRED.every((x) => header.includes(x))) return undefined;
  return Object.entries(COMTRADE_MAPPINGS).find(([, m]) =>
    TRADE_REQUIRED.every((x) => header.includes(m[x] as string)),
  );
}

interface Spec {
  columns: readonly string[];
  required: readonly string[];
  /** Typed columns: SQL over the trimmed text value `x` (NULL when it cannot be typed). */
  typed: Record<string, { type: string; cast: (x: string) => string }>;
  /** Extra checks on the typed row (`t__<col>` is the typed value). */
  checks: RowCheck[];
  /** Columns whose repetition is a duplicate row. */
  key: string[];
}

const MISSING = (x: string) => `CASE WHEN ${x} IN ('NA', 'N/A', '-') THEN NULL ELSE ${x} END`;
/** NaN, ±inf and overflows (1e400 reads as infinity) are no amounts: NULL, so bad_number. */
const FINITE = (v: string) => `CASE WHEN isfinite(${v}) THEN ${v} END`;
const NUMBER = (x: string) => FINITE(`try_cast(replace(${MISSING(x)}, ',', '') AS DOUBLE)`);
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
    rate: {
      type: 'DOUBLE',
      cast: (x) => FINITE(`try_cast(replace(replace(${x}, '%', ''), ',', '.') AS DOUBLE)`),
    },
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
    /** The language of the rejects file's `explanation` column (English by default). */
    locale?: Locale;
    onStage?: (s: ImportStage) => void;
  },
): Promise<ValidationReport> {
  const spec = SPECS[o.kind];
  const report = emptyReport();
  await fs.mkdir(engine.tenantDir(o.tenantId), { recursive: true });
  try {
    return await engine.with(async (c) => {
      o.onStage?.('reading');
      const header = await readHeader(engine, c, o.file, report);
      if (!header) return report;
      const { cols } = header;
      let mapping = o.mapping;
      const known = !mapping && o.kind === 'trade' ? comtradeMapping(cols) : undefined;
      if (known) {
        report.mapping = known[0];
        mapping = known[1];
      }
      const mapped = mapColumns(report, cols, spec.columns, spec.required, mapping);
      if (!mapped) return report;

      o.onStage?.('validating');
      const select = spec.columns.map((col) => {
        const e = field(mapped, col);
        const ty = spec.typed[col];
        return ty ? `${e} AS ${col}, (${ty.cast(e)})::${ty.type} AS t__${col}` : `${e} AS ${col}`;
      });
      if (!(await stageRows(engine, c, report, header.source, select))) return report;
      await findIssues(
        engine,
        c,
        report,
        [
          ...spec.required.map((col) => ({
            col,
            reason: 'missing_required' as const,
            when: `${col} IS NULL`,
          })),
          ...spec.checks,
        ],
        { col: 'hs_code', reason: 'duplicate_key', key: spec.key },
      );
      if (report.rejectedRows > 0 && o.mode === 'reject-file') return report;
      if (report.validRows === 0) return report;

      o.onStage?.('writing');
      await writeVersion(engine, c, report, {
        tenantId: o.tenantId,
        versionId: o.versionId,
        locale: o.locale,
        typedCols: Object.keys(spec.typed).map((x) => `t__${x}`),
        output: [
          '__row AS source_row',
          ...spec.columns.map((col) => (spec.typed[col] ? `t__${col} AS ${col}` : col)),
        ],
      });
      o.onStage?.('done');
      return report;
    });
  } catch (e) {
    await removeVersionFiles(engine, o.tenantId, o.versionId);
    throw e;
  }
}
