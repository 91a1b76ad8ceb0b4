import fs from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { z } from 'zod';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import type { Report } from './analytics.contract.ts';
import { type AnalyticsEngine, ident, lit, num } from './analytics.engine.ts';
import { detectDelimiter, headerLine } from './model/csv.ts';
import {
  ASSIGNMENTS,
  CANONICAL_COLUMNS,
  CHANNELS,
  type CanonicalColumn,
  ISSUE_REASONS,
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

/**
 * The file errors whose detail is a fixed sentence, by key: the CLI says them in its language
 * (`analytics.cli.detail.<key>`); other details (a column's name, the reader's message) vary.
 */
export const FIXED_DETAILS = {
  empty_file: 'the file is empty',
  no_rows: 'the file has a header but no rows',
} as const;

export type ImportStage = 'reading' | 'validating' | 'writing' | 'done';

const NUMERIC = ['customs_value', 'net_mass_kg', 'duties_declared', 'duties_assessed'] as const;
const DATES = ['registered_at', 'assessed_at', 'released_at'] as const;
const MAX_ISSUES = 500;

/**
 * A file's bytes in 8 MiB blocks, read into one reused buffer: each block is valid only until the
 * next is asked for. A stream's fresh chunk per read costs 3–4× the CPU on a 2 GB extract (page
 * faults on new memory; docs/adr/0025, "Performance"), and both scans below run alone before the
 * import's first pass.
 */
async function* blocks(file: string): AsyncGenerator<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(8 << 20);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/** SHA-256 of a file, streamed (re-importing the same file is recognised by it). */
export async function hashFile(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const b of blocks(file)) h.update(b);
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

/**
 * An ISO 8601 text as a UTC `TIMESTAMP` (offsets honoured). The plain `YYYY-MM-DDTHH:MM:SS`
 * form — no room for an offset — takes the core cast; anything else goes through ICU's
 * `TIMESTAMPTZ` (offsets, fractions, zones) and back to UTC. Stored as `TIMESTAMP` (UTC) so the
 * indicators' `CAST(… AS DATE)` and `epoch()` stay in the core too (ICU costs 10× more there).
 */
export function utcTimestamp(e: string): string {
  return `(CASE WHEN ${e} LIKE '____-__-__%__:__:__' AND strlen(${e}) = 19 THEN try_cast(${e} AS TIMESTAMP)
    WHEN regexp_matches(${e}, ${lit(IMPOSSIBLE_OFFSET)}) THEN NULL
    ELSE timezone('UTC', try_cast(${e} AS TIMESTAMPTZ)) END)`;
}

/**
 * A UTC offset no place on Earth has: more than 14 hours, or 60 minutes or more. ICU takes
 * '+25:00' (and shifts the time by a day); the import refuses it as a bad date. Only the text
 * after a time's minutes or seconds is looked at, so a date's '-31' is not an offset.
 */
const IMPOSSIBLE_OFFSET =
  ':[0-9]{2}(\\.[0-9]*)?\\s*[+-]((1[5-9]|[2-9][0-9])(:?[0-9]{2})?|[0-9]{2}:?[6-9][0-9])\\s*$';

/**
 * The dates an extract may hold, [from, to): anything outside is refused as `bad_date`.
 * 1900-01-01 .. 2100-12-31 — wide enough for any clearance system's records and for planned
 * releases, narrow enough to refuse DuckDB's 'infinity' and '-infinity', years 0001 or 10000
 * and the like, which would otherwise reach the indicators as processing times of centuries.
 * The trade statistics' `year` takes the same range (analytics.trade.ts). Documented in
 * docs/adr/0025 ("Import") and docs/guide/analytics.md.
 */
export const PLAUSIBLE_DATES = { from: '1900-01-01', to: '2101-01-01' } as const;

function codeCase(expr: string, codes: Record<string, string> | undefined): string {
  const base = `lower(${expr})`;
  if (!codes || !Object.keys(codes).length) return base;
  const whens = Object.entries(codes)
    .map(([from, to]) => `WHEN ${expr} = ${lit(from)} THEN ${lit(to)}`)
    .join(' ');
  return `CASE ${whens} ELSE ${base} END`;
}

/**
 * Parquet writer options of a version's file. The dictionary limit keeps unique ids cheap; LZ4
 * (`lz4_raw`, the codec the Parquet spec names) rather than zstd: measured at 1 M rows, ≈ 20 %
 * less CPU for the import and ≈ 8 % less for the suite that reads it, for a file ≈ 40 % larger
 * (docs/adr/0025, "Performance"). Files written with zstd before read the same. Row groups of
 * 61,440 rows, half DuckDB's default: a row group's column buffers are fresh memory each time,
 * and smaller ones are reused by the allocator — ≈ 25 % fewer page faults, ≈ 6 % less CPU for
 * the import at 2 M rows, the suite no slower over them.
 */
export const PARQUET_OPTIONS =
  'FORMAT parquet, COMPRESSION lz4_raw, DICTIONARY_SIZE_LIMIT 10000, ROW_GROUP_SIZE 61440';
/**
 * The optimistic pass's COPY: nothing reads a version's file in row order (rows behind an
 * indicator are listed `ORDER BY registered_at, declaration_id`; row numbers come from the
 * exact pass, which keeps insertion order), so the writer need not keep it — DuckDB's parallel
 * writer instead of the order-preserving batch writer, ≈ 20 % less CPU for the COPY.
 */
export const COPY_OPTIONS = `${PARQUET_OPTIONS}, PRESERVE_ORDER false`;
/** Raised inside DuckDB by the fast path at the first row that fails a check. */
const INVALID_ROW = 'arusha: invalid row';

/**
 * Reads a canonical extract (CSV with any delimiter, UTF-8, a header — or Parquet), validates
 * every row in DuckDB and, unless the file is refused, writes the valid rows to the version's
 * Parquet file: under a temporary name first, renamed at the end, so a dataset version is
 * either whole or absent. Rejected rows go to a CSV beside it with their row number and reasons.
 *
 * Set-wise and streamed (docs/adr/0025, "Performance"): rows are never staged in a table.
 * First an optimistic pass reads, types, checks and writes the Parquet file in one scan, with
 * an `error()` guard that stops it at the first row failing a check; then one aggregate over
 * the written file looks for duplicate ids. A clean file is then done. Otherwise (or when the
 * guard fires) the exact pass runs: one scan lists every row's problems with its row number
 * (only the ids and the failing rows are kept), a second writes the valid rows, a third — only
 * with rejects in `import-valid` mode — saves the rejected rows as read.
 */
export async function importDeclarations(
  engine: AnalyticsEngine,
  o: {
    tenantId: string;
    versionId: string;
    file: string;
    mapping?: ColumnMapping;
    mode: 'reject-file' | 'import-valid';
    /** The language of the rejects file's `explanation` column (the importer's; English by default). */
    locale?: Locale;
    onStage?: (s: ImportStage) => void;
    /** Tests only: skip the optimistic pass, so both passes can be compared on one file. */
    exactOnly?: boolean;
  },
): Promise<ValidationReport> {
  const report = emptyReport();
  await fs.mkdir(engine.tenantDir(o.tenantId), { recursive: true });
  return engine.with(async (c) => {
    await c.run("SET TimeZone = 'UTC'");
    o.onStage?.('reading');
    // The optimistic pass's space scan (JS, reading bytes) starts now, beside the header's and the
    // dialect's detection in DuckDB: alone, it was ≈ 0.35 s of a 10 s import at 10 M rows. Unused
    // when the file is refused early or is Parquet; an unreadable file reads as "may need trimming".
    const scan = new AbortController();
    const spaces = o.exactOnly
      ? Promise.resolve(true)
      : spaceAfterFirstLine(o.file, scan.signal).catch(() => true);
    try {
      const header = await readHeader(engine, c, o.file, report);
      if (!header) return report;
      const mapped = mapColumns(report, header.cols, CANONICAL_COLUMNS, REQUIRED_COLUMNS, o.mapping?.columns);
      if (!mapped) return report;

      o.onStage?.('validating');
      const codes = o.mapping?.codes;
      /**
       * The file as canonical text columns, typed `t__` columns and extra `x_` columns, through
       * `reader`. Amounts in `reader.doubles` arrive already parsed: their text is not kept (NULL),
       * so their `bad_number` check below is constant false.
       */
      const staged = (reader: Reader) => {
        const select = CANONICAL_COLUMNS.map((col) => {
          if (reader.doubles.has(col))
            return `NULL::VARCHAR AS ${col}, ${ident(mapped.get(col) as string)} AS t__${col}`;
          let e = field(mapped, col, reader.spaces);
          if (col === 'channel_system' || col === 'channel_final') e = codeCase(e, codes?.channel);
          if (col === 'assignment') e = codeCase(e, codes?.assignment);
          if (col === 'offence' && codes?.offence) e = codeCase(e, codes.offence);
          // Dates and amounts are typed here, once: validation and the Parquet file both use it.
          if ((DATES as readonly string[]).includes(col))
            return `${e} AS ${col}, ${utcTimestamp(e)} AS t__${col}`;
          if ((NUMERIC as readonly string[]).includes(col))
            return `${e} AS ${col}, try_cast(${e} AS DOUBLE) AS t__${col}`;
          return `${e} AS ${col}`;
        });
        const extras = report.extraColumns.map((x) => `${ident(x)} AS ${ident(`x_${x}`)}`);
        return `(SELECT ${[...select, ...extras].join(', ')} FROM ${reader.source})`;
      };
      const asRead: Reader = { source: header.source, doubles: new Set(), spaces: true };
      const checks: RowCheck[] = REQUIRED_COLUMNS.map((col) => ({
        col,
        reason: 'missing_required',
        when: `${col} IS NULL`,
      }));
      // A date is bad when it is not one, or outside PLAUSIBLE_DATES ('infinity' included).
      for (const col of DATES)
        checks.push({
          col,
          reason: 'bad_date',
          when: `${col} IS NOT NULL AND (t__${col} IS NULL OR t__${col} < TIMESTAMP '${PLAUSIBLE_DATES.from}' OR t__${col} >= TIMESTAMP '${PLAUSIBLE_DATES.to}')`,
        });
      // NaN, ±inf and overflows (1e400 reads as inf) are not amounts: bad_number, never
      // negative_value. An amount the reader parsed has no text (NULL): only the typed test applies.
      for (const col of NUMERIC)
        checks.push(
          {
            col,
            reason: 'bad_number',
            when: `(${col} IS NOT NULL AND t__${col} IS NULL) OR NOT isfinite(t__${col})`,
          },
          { col, reason: 'negative_value', when: `t__${col} < 0 AND isfinite(t__${col})` },
        );
      const notIn = (col: string, xs: readonly string[]) =>
        `${col} IS NOT NULL AND ${col} NOT IN (${xs.map(lit).join(', ')})`;
      checks.push(
        { col: 'channel_system', reason: 'unknown_channel', when: notIn('channel_system', CHANNELS) },
        { col: 'channel_final', reason: 'unknown_channel', when: notIn('channel_final', CHANNELS) },
        { col: 'assignment', reason: 'unknown_assignment', when: notIn('assignment', ASSIGNMENTS) },
        { col: 'offence', reason: 'bad_offence', when: notIn('offence', ['0', '1']) },
      );
      const output = [
        ...CANONICAL_COLUMNS.map((col) => {
          if ((DATES as readonly string[]).includes(col) || (NUMERIC as readonly string[]).includes(col))
            return `t__${col} AS ${col}`;
          if (col === 'offence') return `try_cast(${col} AS TINYINT) AS ${col}`;
          return col;
        }),
        ...report.extraColumns.map((x) => ident(`x_${x}`)),
      ];
      const target = engine.parquetPath(o.tenantId, o.versionId);
      const tmp = `${target}.${process.pid}.tmp`;
      const bad = checks.map((k) => `(${k.when})`).join(' OR ');

      // 1. Optimistic: one scan reads, checks and writes; the guard stops it at the first bad row,
      // and any error (a value the typed reader cannot parse, an unreadable file) hands the file to
      // the exact pass, which decides.
      const guarded = output.map((x, i) =>
        i === 0
          ? `CASE WHEN ${bad} THEN error(${lit(INVALID_ROW)}) ELSE declaration_id END AS declaration_id`
          : x,
      );
      let clean = false;
      if (!o.exactOnly) {
        const reader = header.parquet
          ? asRead
          : await optimisticReader(o.file, header.cols, mapped, header.dialect, spaces);
        try {
          const written = await c.runAndReadAll(
            `COPY (SELECT ${guarded.join(', ')} FROM ${staged(reader)}) TO ${lit(tmp)} (${COPY_OPTIONS})`,
          );
          report.rows = num(written.getRows()[0]?.[0]) ?? 0;
          if (report.rows === 0) {
            await fs.rm(tmp, { force: true });
            report.fileErrors.push({ reason: 'empty', detail: FIXED_DETAILS.no_rows });
            return report;
          }
          // Ids are never NULL here (required). Equal ids have equal hashes, so no repeat is missed;
          // a hash collision only sends the file to the exact pass, which compares the ids. Sorting
          // the 64-bit hashes and comparing neighbours costs ≈ 2/3 of a hash aggregation of them,
          // ≈ 1/2 of one of the ids (docs/adr/0025, "Performance").
          const [dups] = await engine.rows<{ n: number }>(
            c,
            `SELECT count(*) AS n FROM (SELECT h = lag(h) OVER (ORDER BY h) AS twice
             FROM (SELECT hash(declaration_id) AS h FROM read_parquet(${lit(tmp)}))) WHERE twice`,
          );
          clean = (num(dups?.n) ?? 0) === 0;
        } catch {
          // the exact pass below reads the file again and reports what is wrong with it
        }
      }
      if (clean) {
        o.onStage?.('writing');
        report.validRows = report.rows;
        await fs.rename(tmp, target);
        o.onStage?.('done');
        return report;
      }
      await fs.rm(tmp, { force: true });

      // 2. Exact: every row's problems with its row number (the header is row 1).
      const numbered = `(SELECT row_number() OVER () + 1 AS __row, * FROM ${staged(asRead)})`;
      try {
        await c.run(`CREATE TEMP TABLE v AS SELECT __row, declaration_id,
          CASE WHEN ${bad} THEN ${problemsOf(checks)} END AS problems
        FROM ${numbered}`);
      } catch (e) {
        report.fileErrors.push({ reason: 'unreadable', detail: firstLine(e) });
        return report;
      }
      report.rows = num((await engine.rows<{ n: number }>(c, 'SELECT count(*) AS n FROM v'))[0]?.n) ?? 0;
      if (report.rows === 0) {
        report.fileErrors.push({ reason: 'empty', detail: FIXED_DETAILS.no_rows });
        return report;
      }
      await c.run(`CREATE TEMP TABLE issues AS
      SELECT DISTINCT __row, x.col AS col, x.reason AS reason, x.value AS value FROM (
        SELECT __row, unnest(problems) AS x FROM v WHERE problems IS NOT NULL)
      UNION ALL
      SELECT __row, 'declaration_id', 'duplicate_id', declaration_id FROM (
        SELECT __row, declaration_id, row_number() OVER (PARTITION BY declaration_id ORDER BY __row) AS k
        FROM v SEMI JOIN (SELECT declaration_id FROM v WHERE declaration_id IS NOT NULL
                          GROUP BY 1 HAVING count(*) > 1) USING (declaration_id)) WHERE k > 1`);
      await c.run('DROP TABLE v');
      await summariseIssues(engine, c, report);
      if (report.rejectedRows > 0 && o.mode === 'reject-file') return report;
      if (report.validRows === 0) return report;

      o.onStage?.('writing');
      if (report.rejectedRows > 0)
        await writeRejects(
          engine,
          c,
          o,
          numbered,
          [...DATES, ...NUMERIC].map((x) => `t__${x}`),
        );
      try {
        await c.run(`COPY (SELECT ${output.join(', ')} FROM ${numbered}
          WHERE __row NOT IN (SELECT DISTINCT __row FROM issues)) TO ${lit(tmp)} (${PARQUET_OPTIONS})`);
        await fs.rename(tmp, target);
      } catch (e) {
        await fs.rm(tmp, { force: true });
        throw e;
      }
      o.onStage?.('done');
      return report;
    } finally {
      scan.abort();
    }
  });
}

// ---- the stages every import shares (declarations here, trade and duty rates in analytics.trade.ts)

/** A row check: the row's `col` has the problem `reason` when the SQL condition `when` holds. */
export interface RowCheck {
  col: string;
  reason: IssueReason;
  when: string;
}

export function emptyReport(): ValidationReport {
  return {
    rows: 0,
    validRows: 0,
    rejectedRows: 0,
    fileErrors: [],
    byReason: {},
    issues: [],
    columns: [],
    extraColumns: [],
  };
}

/** How every import reads a CSV file: dialect detected, header first, every column text. */
const CSV_TEXT = "header = true, all_varchar = true, sample_size = 20480, encoding = 'utf-8'";

/**
 * The optimistic reader's buffer, 8 MiB rather than DuckDB's 32 MiB (16 × the longest line
 * allowed, 2 MB, which it still holds 4 times): each buffer is fresh memory the kernel must fault
 * in and zero, and on this class of virtual machine that was a fifth of the import's CPU —
 * 8 MiB buffers are reused by the allocator, ≈ 40 % fewer page faults and ≈ 15 % less CPU for
 * the pass (docs/adr/0025, "Performance"). Detection (the text reader) keeps DuckDB's default.
 */
const READ_BUFFER = 8 << 20;

/** How a pass reads the file: the relation, the amounts it parses itself, whether values may need trimming. */
interface Reader {
  source: string;
  doubles: ReadonlySet<CanonicalColumn>;
  spaces: boolean;
}

/**
 * The optimistic pass's reader for a CSV file (docs/adr/0025, "Performance"):
 * - The amounts are parsed by the reader itself (≈ 0.1 CPU s per million rows less than text then
 *   `try_cast`). Its DOUBLE parsing is the very cast `try_cast(… AS DOUBLE)` makes — spaces around
 *   the number, 'NaN', 'inf', '1e400', '1_000' alike — so a value it parses gets the value the exact
 *   pass gives it, and a value it cannot parse stops the read (the exact pass then decides). The
 *   dialect the text read detected (delimiter, quote, escape, line end, skipped lines) is pinned:
 *   detection sees column types and could otherwise settle on another one. Dates stay text, typed
 *   by `utcTimestamp` as in the exact pass: the reader's TIMESTAMP drops a '+02:00' offset, a
 *   detecting read guesses formats ('01/03/2025' read as a date), and with a fixed format it
 *   saved nothing measurable.
 * - `spaces` is false when no byte after the header line is an ASCII space (`spaceScan`, started
 *   by the caller): then no value can need trimming, and the text columns are read as they are
 *   (≈ 0.15 CPU s per million rows).
 * Everything text, as the exact pass reads it, when the detected dialect cannot be pinned
 * (`pinned`: the header's `dialect`).
 */
async function optimisticReader(
  file: string,
  cols: string[],
  mapped: Map<CanonicalColumn, string>,
  pinned: string | undefined,
  spaceScan: Promise<boolean>,
): Promise<Reader> {
  const spaces = await spaceScan;
  // A header column that also feeds a text column stays text.
  const text = new Set(
    [...mapped].filter(([col]) => !(NUMERIC as readonly string[]).includes(col)).map(([, src]) => src),
  );
  const doubles = new Set(
    [...mapped]
      .filter(([col, src]) => (NUMERIC as readonly string[]).includes(col) && !text.has(src))
      .map(([col]) => col),
  );
  if (!pinned || !doubles.size)
    return { source: `read_csv(${lit(file)}, ${CSV_TEXT})`, doubles: new Set(), spaces };
  const doubleSrc = new Set([...doubles].map((col) => mapped.get(col)));
  const columns = cols.map((x) => `${lit(x)}: '${doubleSrc.has(x) ? 'DOUBLE' : 'VARCHAR'}'`).join(', ');
  return {
    source: `read_csv(${lit(file)}, auto_detect = false, header = true, encoding = 'utf-8', buffer_size = ${READ_BUFFER}, ${pinned}, columns = {${columns}})`,
    doubles,
    spaces,
  };
}

/**
 * What `read_csv(file, CSV_TEXT)` detects, in one sniff: the column names (those a DESCRIBE of it
 * gives) and the dialect as read_csv options, to pin for the optimistic pass. Undefined when the
 * sniffer fails (the caller then asks DuckDB again, for its error).
 */
async function sniffDialect(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
  file: string,
): Promise<{ names: string[]; options: string } | undefined> {
  try {
    const [d] = await engine.rows<
      Record<'delim' | 'quote' | 'escape' | 'nl' | 'comment', string> & { skip: number; names: string[] }
    >(
      c,
      `SELECT Delimiter AS delim, Quote AS quote, Escape AS escape, NewLineDelimiter AS nl, Comment AS comment,
              SkipRows AS skip, list_transform(Columns, x -> x.name) AS names
       FROM sniff_csv(${lit(file)}, ${CSV_TEXT})`,
    );
    if (!d || !Array.isArray(d.names) || !d.names.length) return undefined;
    // sniff_csv shows an absent quote, escape or comment character as '(empty)'.
    const opt = (x: string) => lit(x === '(empty)' ? '' : x);
    return {
      names: d.names.map(String),
      options: `delim = ${opt(d.delim)}, quote = ${opt(d.quote)}, escape = ${opt(d.escape)}, new_line = ${opt(d.nl)}, comment = ${opt(d.comment)}, skip = ${Number(d.skip)}`,
    };
  } catch {
    return undefined;
  }
}

/**
 * Whether any byte after the file's first line is an ASCII space — the only character `field()`
 * trims on. Stops at the first space, or when `signal` aborts (the answer is then unused); bytes,
 * never rows, reach JS.
 */
export async function spaceAfterFirstLine(file: string, signal?: AbortSignal): Promise<boolean> {
  let firstLine = true;
  for await (let b of blocks(file)) {
    if (signal?.aborted) return true;
    if (firstLine) {
      const lf = b.indexOf(0x0a);
      const cr = b.indexOf(0x0d);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === -1) continue;
      firstLine = false;
      b = b.subarray(end + 1);
    }
    if (b.includes(0x20)) return true;
  }
  return false;
}

/**
 * The file's columns, read from its header (and the delimiter) first: a file missing columns is
 * refused before reading it all. `source` is the SQL relation over the file, every column text.
 * Undefined (with a file error in the report) when the file is empty or unreadable.
 */
export async function readHeader(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
  file: string,
  report: ValidationReport,
): Promise<{ source: string; cols: string[]; parquet: boolean; dialect?: string } | undefined> {
  if ((await fs.stat(file)).size === 0) {
    report.fileErrors.push({ reason: 'empty', detail: FIXED_DETAILS.empty_file });
    return undefined;
  }
  const parquet = await isParquet(file);
  const source = parquet
    ? `(SELECT COLUMNS(*)::VARCHAR FROM read_parquet(${lit(file)}))`
    : `read_csv(${lit(file)}, ${CSV_TEXT})`;
  try {
    // One sniff gives a CSV file's names and dialect (a DESCRIBE sniffed it once more: ≈ 0.3 CPU s
    // per import whatever its size); DESCRIBE only for Parquet, or for the error of a failed sniff.
    const sniffed = parquet ? undefined : await sniffDialect(engine, c, file);
    const cols =
      sniffed?.names ??
      (await engine.rows<{ column_name: string }>(c, `DESCRIBE SELECT * FROM ${source}`)).map(
        (r) => r.column_name,
      );
    const ragged = !parquet && cols.length === 1 ? await raggedRow(engine, c, file) : undefined;
    if (ragged) {
      report.fileErrors.push({ reason: 'unreadable', detail: ragged });
      return undefined;
    }
    report.columns = cols;
    return { source, cols, parquet, ...(sniffed ? { dialect: sniffed.options } : {}) };
  } catch (e) {
    report.fileErrors.push({ reason: 'unreadable', detail: firstLine(e) });
    return undefined;
  }
}

/**
 * Why a file whose header line has several fields was read as one column. DuckDB's dialect
 * detection gives up when a row has more or fewer fields than the header, and reads each line
 * whole — which the report then shows as every required column missing. Read again with the
 * header's delimiter and number of fields, the first such row is named (DuckDB's "Line" counts the
 * header as 1, as the report's rows do). Undefined when the header line is one field indeed.
 */
async function raggedRow(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
  file: string,
): Promise<string | undefined> {
  let line: string;
  try {
    line = headerLine(file);
  } catch {
    return undefined;
  }
  const delim = detectDelimiter(line);
  let fields = 1;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delim) fields++;
  }
  if (fields < 2) return undefined;
  const columns = Array.from({ length: fields }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  try {
    await engine.rows(
      c,
      `SELECT count(*) AS n FROM read_csv(${lit(file)}, auto_detect = false, header = true, encoding = 'utf-8',
         delim = ${lit(delim)}, quote = '"', escape = '"', columns = {${columns}})`,
    );
  } catch (e) {
    return firstLine(e);
  }
  return undefined;
}

const lower = (s: string) => s.toLowerCase();
/** A header as people write it differently: `Officer ID`, `officer-id`, `OFFICER_ID`. */
const loose = (s: string) => s.toLowerCase().replace(/[\s_.-]+/g, '');

/**
 * The file column suggested for each of `targets`: the saved mapping's header when the file has
 * it (or has it in another case), else the column of the same name, compared exactly, then
 * ignoring case, then ignoring case, spaces, `_`, `-` and `.`. A header matched loosely is
 * suggested only when one header matches, and only for one column.
 */
export function suggestColumns(
  targets: readonly string[],
  header: readonly string[],
  saved: Record<string, string> = {},
): Record<string, string> {
  const one = (want: string, f: (s: string) => string) => {
    const hits = header.filter((h) => f(h) === f(want));
    return hits.length === 1 ? hits[0] : undefined;
  };
  const out: Record<string, string> = {};
  const used = new Set<string>();
  for (const t of targets) {
    const s = saved[t];
    const hit = s === undefined ? undefined : header.includes(s) ? s : one(s, lower);
    if (hit) {
      out[t] = hit;
      used.add(hit);
    }
  }
  for (const t of targets) {
    if (out[t]) continue;
    const hit = header.includes(t) ? t : (one(t, lower) ?? one(t, loose));
    if (hit && !used.has(hit)) {
      out[t] = hit;
      used.add(hit);
    }
  }
  return out;
}

/**
 * Canonical column → the file's header (`mapping`, else the header the wizard would suggest:
 * the canonical name, else one spelled like it in another case or with spaces, `_`, `-`, `.`),
 * for the columns the file has; the others are the report's extra columns. Headers taken by a
 * looser spelling are listed in `report.matchedColumns`. Undefined (with a `missing_column` file
 * error each) when a required column is missing or, without a mapping, when two headers could
 * be the same column and none is spelled exactly (no guessing between them).
 */
export function mapColumns<C extends string>(
  report: ValidationReport,
  cols: string[],
  columns: readonly C[],
  required: readonly C[],
  mapping: Partial<Record<C, string>> | undefined,
): Map<C, string> | undefined {
  const mapped = new Map<C, string>();
  const named: Partial<Record<string, string>> = mapping ?? suggestColumns(columns, cols);
  const ambiguous: string[] = [];
  for (const col of columns) {
    const src = named[col] ?? col;
    if (!mapping && !cols.includes(col)) {
      const alike = cols.filter((h) => loose(h) === loose(col));
      if (alike.length > 1) {
        ambiguous.push(col);
        report.fileErrors.push({
          reason: 'missing_column',
          detail: `${col}: ${alike.map((h) => `"${h}"`).join(' and ')} could each be it; rename all but one, or import with a mapping`,
        });
        continue;
      }
    }
    if (cols.includes(src)) mapped.set(col, src);
  }
  const loosely = mapping ? [] : [...mapped].filter(([col, src]) => src !== col);
  if (loosely.length) report.matchedColumns = Object.fromEntries(loosely);
  const missing = required.filter((x) => !mapped.has(x) && !ambiguous.includes(x));
  for (const m of missing)
    report.fileErrors.push({
      reason: 'missing_column',
      detail: `${m}${mapping?.[m] ? ` (mapped from ${mapping[m]})` : ''}`,
    });
  if (missing.length || ambiguous.length) return undefined;
  const used = new Set(mapped.values());
  report.extraColumns = cols.filter((x) => !used.has(x));
  return mapped;
}

/**
 * A column's trimmed text (NULL when empty, or when the file does not have the column).
 * `spaces` false: the caller knows no value has a space (a CSV file without one after its header:
 * `spaceAfterFirstLine`), and the CSV reader gives NULL, never '', for an empty value — the text
 * is then the value as read.
 */
export function field<C extends string>(mapped: Map<C, string>, col: C, spaces = true): string {
  const src = mapped.get(col);
  if (!src) return 'NULL::VARCHAR';
  if (!spaces) return ident(src);
  // = nullif(trim(x), ''); trim() copies every string, so only values with spaces at an end take it.
  // One contains() first: most values have no space at all, and two tests per value cost more.
  const x = ident(src);
  return `(CASE WHEN contains(${x}, ' ') THEN (CASE WHEN starts_with(${x}, ' ') OR ends_with(${x}, ' ') THEN nullif(trim(${x}), '') ELSE ${x} END) ELSE nullif(${x}, '') END)`;
}

/**
 * One pass over the file into temp table `m`: row numbers (the header is row 1), the `select`
 * list (canonical names, typed `t__` columns) and the extra columns as `x_<name>`. False (with a
 * file error) when the file cannot be read or has no rows.
 */
export async function stageRows(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
  report: ValidationReport,
  source: string,
  select: string[],
): Promise<boolean> {
  const extras = report.extraColumns.map((x) => `${ident(x)} AS ${ident(`x_${x}`)}`);
  try {
    await c.run(
      `CREATE TEMP TABLE m AS SELECT row_number() OVER () + 1 AS __row, ${[...select, ...extras].join(', ')} FROM ${source}`,
    );
  } catch (e) {
    report.fileErrors.push({ reason: 'unreadable', detail: firstLine(e) });
    return false;
  }
  report.rows = num((await engine.rows<{ n: number }>(c, 'SELECT count(*) AS n FROM m'))[0]?.n) ?? 0;
  if (report.rows === 0) {
    report.fileErrors.push({ reason: 'empty', detail: FIXED_DETAILS.no_rows });
    return false;
  }
  return true;
}

/**
 * Every check in one scan over `m` (a list of the row's problems, unnested), plus the rows
 * repeating an earlier row's `duplicate.key`, into temp table `issues`; the report's counts and
 * first issues from it.
 */
export async function findIssues(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
  report: ValidationReport,
  checks: RowCheck[],
  duplicate: { col: string; reason: IssueReason; key: string[] },
): Promise<void> {
  const key = duplicate.key.join(', ');
  await c.run(`CREATE TEMP TABLE issues AS
    SELECT DISTINCT __row, x.col AS col, x.reason AS reason, x.value AS value FROM (
      SELECT __row, unnest(${problemsOf(checks)}) AS x FROM m)
    UNION ALL
    SELECT __row, '${duplicate.col}', '${duplicate.reason}', ${duplicate.col} FROM (
      SELECT __row, ${duplicate.col}, row_number() OVER (PARTITION BY ${key} ORDER BY __row) AS k
      FROM m WHERE ${duplicate.key.map((x) => `${x} IS NOT NULL`).join(' AND ')}) WHERE k > 1`);
  await summariseIssues(engine, c, report);
}

/** A row's problems: a SQL list of `{col, reason, value}`, one per check that fails. */
const problemsOf = (checks: RowCheck[]) =>
  `list_filter([${checks
    .map(
      (k) =>
        `CASE WHEN ${k.when} THEN {'col': '${k.col}', 'reason': '${k.reason}', 'value': ${k.col}::VARCHAR} END`,
    )
    .join(', ')}], x -> x IS NOT NULL)`;

/** The report's counts and first issues, from temp table `issues` (one row per row × column × reason). */
async function summariseIssues(engine: AnalyticsEngine, c: DuckDBConnection, report: ValidationReport) {
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
      `SELECT __row, col, reason, left(value, 200) AS value FROM issues ORDER BY __row, col, reason LIMIT ${MAX_ISSUES}`,
    )
  ).map((r) => ({ row: num(r.__row) ?? 0, column: r.col, reason: r.reason, value: r.value }));
}

/**
 * The rejected rows (as read, with their row number and reasons) to the version's rejects CSV;
 * the valid rows (`output`, then the extra columns) to its Parquet file, under a temporary name
 * renamed at the end, so a dataset version is either whole or absent.
 */
export async function writeVersion(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
  report: ValidationReport,
  o: { tenantId: string; versionId: string; typedCols: string[]; output: string[]; locale?: Locale },
): Promise<void> {
  const target = engine.parquetPath(o.tenantId, o.versionId);
  if (report.rejectedRows > 0) await writeRejects(engine, c, o, 'm', o.typedCols);
  const tmp = `${target}.${process.pid}.tmp`;
  await c.run(`COPY (
      SELECT ${[...o.output, ...report.extraColumns.map((x) => ident(`x_${x}`))].join(', ')}
      FROM m ${report.rejectedRows ? 'WHERE __row NOT IN (SELECT __row FROM issues)' : ''} ORDER BY __row
    ) TO ${lit(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
  await fs.rename(tmp, target);
}

/**
 * The rows of `relation` (numbered `__row`) listed in temp table `issues`, as read (`typedCols`
 * left out), with their row number and reasons, to the version's rejects CSV. `reasons` is the
 * machine-readable list (`registered_at: bad_date; customs_value: negative_value`); the last
 * column, `explanation`, says the same in words in `locale` (the server catalogue's
 * `analytics.reason.*`: the texts of the wizard's report and of the CLI), joined in DuckDB from a
 * VALUES list — rows never reach JS. Every column written before keeps its place. The rows come
 * from an untrusted file and the CSV is opened in spreadsheets: a cell a spreadsheet would
 * evaluate (`=HYPERLINK(…)`, `@SUM(…)`, `-2+3`) gets an apostrophe first, as the platform's CSV
 * writer does; a plain number (`-5`, the evidence of a negative value) is written as read.
 */
async function writeRejects(
  engine: AnalyticsEngine,
  c: DuckDBConnection,
  o: { tenantId: string; versionId: string; locale?: Locale },
  relation: string,
  typedCols: string[],
) {
  await c.run(`COPY (
      SELECT i.__row AS "row", i.reasons,
             ${spreadsheetText(`COLUMNS(r.* EXCLUDE (__row, ${typedCols.join(', ')}))::VARCHAR`, { numbers: true })},
             ${spreadsheetText('i.explanation')} AS explanation
      FROM (SELECT __row,
              string_agg(col || ': ' || reason, '; ' ORDER BY col, reason) AS reasons,
              string_agg(col || ': ' || coalesce(w.text, reason), '; ' ORDER BY col, reason) AS explanation
            FROM issues LEFT JOIN ${reasonTexts(o.locale ?? 'en')} USING (reason) GROUP BY __row) i
      JOIN ${relation} r USING (__row) ORDER BY i.__row
    ) TO ${lit(engine.rejectsPath(o.tenantId, o.versionId))} (HEADER, DELIMITER ',')`);
}

/** Each issue reason with its text in `locale` (server catalogue), as a SQL relation `w(reason, text)`. */
export function reasonTexts(locale: Locale): string {
  const rows = ISSUE_REASONS.map((r) => `(${lit(r)}, ${lit(t(locale, `analytics.reason.${r}`))})`);
  return `(VALUES ${rows.join(', ')}) AS w(reason, text)`;
}

/**
 * A text cell a spreadsheet will not evaluate, in SQL: one starting with = + - @ (or their
 * full-width forms), a tab, a carriage return or an apostrophe gets a leading apostrophe, as the
 * platform's CSV writer does (DANGEROUS_START in platform/tables/tables.ts). `numbers`: a plain
 * decimal number (`-5`, `+1.5`, `-2,5`, `1e-3`) is left as it is — a spreadsheet reads it as that
 * same number — as the platform writes numbers typed, without the apostrophe.
 */
export function spreadsheetText(e: string, o: { numbers?: boolean } = {}): string {
  const dangerous = `regexp_matches(${e}, '^[=+@\\t\\r''\\x{FF1D}\\x{FF0B}\\x{FF0D}\\x{FF20}-]')`;
  const number = `regexp_matches(${e}, '^[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][+-]?[0-9]+)?$')`;
  return `(CASE WHEN ${dangerous}${o.numbers ? ` AND NOT ${number}` : ''} THEN '''' || ${e} ELSE ${e} END)`;
}

export function firstLine(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  const first = s.split('\n')[0]?.slice(0, 300) ?? 'unreadable';
  // A row with more or fewer fields than the header: say so beside its line number.
  const fields = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(s);
  if (!fields) return first;
  // DuckDB stops counting one field past the header's: "more", not how many.
  const [expected, found] = [Number(fields[1]), Number(fields[2])];
  return `${first} — ${found > expected ? `more fields than the header's ${expected}` : `${found} fields where the header has ${expected}`}`;
}

/** Removes a version's files (a failed or superseded import). */
export async function removeVersionFiles(engine: AnalyticsEngine, tenantId: string, versionId: string) {
  await fs.rm(engine.parquetPath(tenantId, versionId), { force: true });
  await fs.rm(engine.rejectsPath(tenantId, versionId), { force: true });
}
