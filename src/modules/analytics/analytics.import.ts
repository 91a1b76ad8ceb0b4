import fs from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Report } from './analytics.contract.ts';
import { type AnalyticsEngine, lit, num } from './analytics.engine.ts';
import {
  ASSIGNMENTS,
  CANONICAL_COLUMNS,
  CHANNELS,
  type CanonicalColumn,
  type IssueReason,
  REQUIRED_COLUMNS,
} from './analytics.vocab.ts';

/** How a source system's export maps onto the canonical schema (saved per source system). */
export interface ColumnMapping {
  /** canonical column → the source file's header. Unlisted canonical columns keep their name. */
  columns: Partial<Record<CanonicalColumn, string>>;
  /** Code translations, e.g. { channel: { R: 'red', V: 'green' }, assignment: { A: 'random' } }. */
  codes?: {
    channel?: Record<string, string>;
    assignment?: Record<string, string>;
    offence?: Record<string, string>;
  };
}

/** An import's validation report, as stored with its version and sent to the UI. */
export type ValidationReport = z.infer<typeof Report>;

export type ImportStage = 'reading' | 'validating' | 'writing' | 'done';

const NUMERIC = ['customs_value', 'net_mass_kg', 'duties_declared', 'duties_assessed'] as const;
const DATES = ['registered_at', 'assessed_at', 'released_at'] as const;
const MAX_ISSUES = 500;
const q = (id: string) => `"${id.replaceAll('"', '""')}"`;

/** SHA-256 of a file, streamed (re-importing the same file is recognised by it). */
export async function hashFile(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function isParquet(file: string): Promise<boolean> {
  const fh = await fs.open(file, 'r');
  try {
    const b = Buffer.alloc(4);
    await fh.read(b, 0, 4, 0);
    return b.toString('latin1') === 'PAR1';
  } finally {
    await fh.close();
  }
}

function codeCase(expr: string, codes: Record<string, string> | undefined): string {
  const base = `lower(${expr})`;
  if (!codes || !Object.keys(codes).length) return base;
  const whens = Object.entries(codes)
    .map(([from, to]) => `WHEN ${expr} = ${lit(from)} THEN ${lit(to)}`)
    .join(' ');
  return `CASE ${whens} ELSE ${base} END`;
}

/**
 * Reads a canonical extract (CSV with any delimiter, UTF-8, a header — or Parquet), validates
 * every row in DuckDB and, unless the file is refused, writes the valid rows to the version's
 * Parquet file: under a temporary name first, renamed at the end, so a dataset version is
 * either whole or absent. Rejected rows go to a CSV beside it with their row number and reasons.
 */
export async function importDeclarations(
  engine: AnalyticsEngine,
  o: {
    tenantId: string;
    versionId: string;
    file: string;
    mapping?: ColumnMapping;
    mode: 'reject-file' | 'import-valid';
    onStage?: (s: ImportStage) => void;
  },
): Promise<ValidationReport> {
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
  return engine.with(async (c) => {
    await c.run("SET TimeZone = 'UTC'");
    o.onStage?.('reading');
    const stat = await fs.stat(o.file);
    if (stat.size === 0) {
      report.fileErrors.push({ reason: 'empty', detail: 'the file is empty' });
      return report;
    }
    const source = (await isParquet(o.file))
      ? `(SELECT COLUMNS(*)::VARCHAR FROM read_parquet(${lit(o.file)}))`
      : `read_csv(${lit(o.file)}, header = true, all_varchar = true, sample_size = 20480, encoding = 'utf-8')`;
    let cols: string[];
    try {
      // The header (and the delimiter) first: a file missing columns is refused before reading it all.
      cols = (await engine.rows<{ column_name: string }>(c, `DESCRIBE SELECT * FROM ${source}`)).map(
        (r) => r.column_name,
      );
    } catch (e) {
      report.fileErrors.push({ reason: 'unreadable', detail: firstLine(e) });
      return report;
    }
    report.columns = cols;
    const mapped = new Map<CanonicalColumn, string>();
    for (const col of CANONICAL_COLUMNS) {
      const src = o.mapping?.columns[col] ?? col;
      if (cols.includes(src)) mapped.set(col, src);
    }
    const missing = REQUIRED_COLUMNS.filter((x) => !mapped.has(x));
    for (const m of missing)
      report.fileErrors.push({
        reason: 'missing_column',
        detail: `${m}${o.mapping?.columns[m] ? ` (mapped from ${o.mapping.columns[m]})` : ''}`,
      });
    if (missing.length) return report;
    const used = new Set(mapped.values());
    report.extraColumns = cols.filter((x) => !used.has(x));

    o.onStage?.('validating');
    const field = (col: CanonicalColumn) => {
      const src = mapped.get(col);
      return src ? `nullif(trim(${q(src)}), '')` : 'NULL::VARCHAR';
    };
    const codes = o.mapping?.codes;
    const select = CANONICAL_COLUMNS.map((col) => {
      let e = field(col);
      if (col === 'channel_system' || col === 'channel_final') e = codeCase(e, codes?.channel);
      if (col === 'assignment') e = codeCase(e, codes?.assignment);
      if (col === 'offence' && codes?.offence) e = codeCase(e, codes.offence);
      // Dates and amounts are typed here, once: validation and the Parquet file both use it.
      if ((DATES as readonly string[]).includes(col))
        return `${e} AS ${col}, try_cast(${e} AS TIMESTAMPTZ) AS t__${col}`;
      if ((NUMERIC as readonly string[]).includes(col))
        return `${e} AS ${col}, try_cast(${e} AS DOUBLE) AS t__${col}`;
      return `${e} AS ${col}`;
    });
    const typedCols = [...DATES, ...NUMERIC].map((x) => `t__${x}`);
    const extras = report.extraColumns.map((x) => `${q(x)} AS ${q(`x_${x}`)}`);
    try {
      // One pass over the file: row numbers (the header is row 1), canonical names, codes.
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
    // Every check in one scan: a list of the row's problems, unnested.
    const checks: string[] = [];
    const add = (col: string, reason: IssueReason, when: string) =>
      checks.push(
        `CASE WHEN ${when} THEN {'col': '${col}', 'reason': '${reason}', 'value': ${col}::VARCHAR} END`,
      );
    for (const col of REQUIRED_COLUMNS) add(col, 'missing_required', `${col} IS NULL`);
    for (const col of DATES) add(col, 'bad_date', `${col} IS NOT NULL AND t__${col} IS NULL`);
    for (const col of NUMERIC) {
      add(col, 'bad_number', `${col} IS NOT NULL AND t__${col} IS NULL`);
      add(col, 'negative_value', `t__${col} < 0`);
    }
    const inList = (xs: readonly string[]) => xs.map(lit).join(', ');
    add(
      'channel_system',
      'unknown_channel',
      `channel_system IS NOT NULL AND channel_system NOT IN (${inList(CHANNELS)})`,
    );
    add(
      'channel_final',
      'unknown_channel',
      `channel_final IS NOT NULL AND channel_final NOT IN (${inList(CHANNELS)})`,
    );
    add(
      'assignment',
      'unknown_assignment',
      `assignment IS NOT NULL AND assignment NOT IN (${inList(ASSIGNMENTS)})`,
    );
    add('offence', 'bad_offence', `offence IS NOT NULL AND offence NOT IN ('0', '1')`);
    await c.run(`CREATE TEMP TABLE issues AS
      SELECT __row, x.col AS col, x.reason AS reason, x.value AS value FROM (
        SELECT __row, unnest(list_filter([${checks.join(', ')}], v -> v IS NOT NULL)) AS x FROM m)
      UNION ALL
      SELECT __row, 'declaration_id', 'duplicate_id', declaration_id FROM (
        SELECT __row, declaration_id, row_number() OVER (PARTITION BY declaration_id ORDER BY __row) AS k
        FROM m WHERE declaration_id IS NOT NULL) WHERE k > 1`);
    const [counts] = await engine.rows<{ bad: number }>(c, 'SELECT count(DISTINCT __row) AS bad FROM issues');
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
        `SELECT __row, col, reason, left(value, 200) AS value FROM issues ORDER BY __row, col LIMIT ${MAX_ISSUES}`,
      )
    ).map((r) => ({ row: num(r.__row) ?? 0, column: r.col, reason: r.reason, value: r.value }));
    if (report.rejectedRows > 0 && o.mode === 'reject-file') return report;
    if (report.validRows === 0) return report;

    o.onStage?.('writing');
    if (report.rejectedRows > 0)
      await c.run(`COPY (
          SELECT i.__row AS "row", i.reasons, m.* EXCLUDE (__row, ${typedCols.join(', ')})
          FROM (SELECT __row, string_agg(col || ': ' || reason, '; ' ORDER BY col) AS reasons FROM issues GROUP BY __row) i
          JOIN m USING (__row) ORDER BY i.__row
        ) TO ${lit(rejects)} (HEADER, DELIMITER ',')`);
    const typed = CANONICAL_COLUMNS.map((col) => {
      if ((DATES as readonly string[]).includes(col) || (NUMERIC as readonly string[]).includes(col))
        return `t__${col} AS ${col}`;
      if (col === 'offence') return `try_cast(${col} AS TINYINT) AS ${col}`;
      return col;
    });
    const tmp = `${target}.${process.pid}.tmp`;
    await c.run(`COPY (
        SELECT ${[...typed, ...report.extraColumns.map((x) => q(`x_${x}`))].join(', ')}
        FROM m ${report.rejectedRows ? 'WHERE __row NOT IN (SELECT __row FROM issues)' : ''} ORDER BY __row
      ) TO ${lit(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
    await fs.rename(tmp, target);
    o.onStage?.('done');
    return report;
  });
}

export function firstLine(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return s.split('\n')[0]?.slice(0, 300) ?? 'unreadable';
}

/** Removes a version's files (a failed or superseded import). */
export async function removeVersionFiles(engine: AnalyticsEngine, tenantId: string, versionId: string) {
  await fs.rm(engine.parquetPath(tenantId, versionId), { force: true });
  await fs.rm(engine.rejectsPath(tenantId, versionId), { force: true });
}
