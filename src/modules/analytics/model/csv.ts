import fs from 'node:fs';
import { parse } from 'csv-parse';
import { AppError } from '../../../platform/errors.ts';
import { t } from '../../../platform/i18n/i18n.ts';

/**
 * A CSV read column by column: each cell is interned, so a column is its distinct values
 * (dict) and one code per row (codes[i] indexes dict). Type detection, encodings and features
 * then work on the distinct values and typed arrays, never on one object per row.
 */
export interface Column {
  name: string;
  dict: string[];
  codes: Int32Array;
}

export interface ColumnTable {
  headers: string[];
  rows: number;
  columns: Column[];
}

/**
 * A file or model refused, by a key of `analytics.model.error` with its values: the message is the
 * English text (API problems, a run's note, logs); the CLI says it again in its --lang.
 */
export class ModelInputError extends AppError {
  constructor(
    readonly key: string,
    readonly vars: Record<string, string | number> = {},
    message = t('en', `analytics.model.error.${key}`, vars),
  ) {
    super('UNPROCESSABLE', message);
  }
}

export const invalid = (key: string, vars?: Record<string, string | number>) =>
  new ModelInputError(key, vars);

/** The delimiter of a header line: the most frequent of , ; tab | outside quotes. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t' || ch === '|'))
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  let most = 0;
  for (const [ch, c] of counts)
    if (c > most) {
      best = ch;
      most = c;
    }
  return best;
}

/** The first line of a CSV file (BOM removed); refuses an empty, UTF-16 or binary file. */
export function headerLine(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const len = fs.readSync(fd, buf, 0, buf.length, 0);
    if (len === 0) throw invalid('empty', { file });
    if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))
      throw invalid('utf16', { file });
    if (buf.subarray(0, len).includes(0)) throw invalid('binary', { file });
    const text = buf
      .subarray(0, len)
      .toString('utf8')
      .replace(/^\ufeff/, '');
    const end = text.search(/\r?\n/);
    return end < 0 ? text : text.slice(0, end);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Builds a column table row by row (or column by column per batch): each cell is interned in
 * its column, so a column stays its distinct values plus one Int32 code per row. readColumns,
 * columnTable and the analytics module's reader over DuckDB (chunks of a query) share it.
 */
export class TableBuilder {
  private readonly maps: Map<string, number>[];
  private readonly dicts: string[][];
  private codes: Int32Array[];
  rows = 0;
  constructor(readonly headers: string[]) {
    this.maps = headers.map(() => new Map());
    this.dicts = headers.map(() => []);
    this.codes = headers.map(() => new Int32Array(1024));
  }

  /** Room for `more` rows (the columns grow by doubling). */
  reserve(more: number) {
    const need = this.rows + more;
    let size = this.codes[0]?.length ?? 0;
    if (need <= size || size === 0) return;
    while (size < need) size *= 2;
    this.codes = this.codes.map((c) => {
      const grown = new Int32Array(size);
      grown.set(c);
      return grown;
    });
  }

  /** The code of `value` in column `c` (interned on first sight). */
  intern(c: number, value: string): number {
    const map = this.maps[c]!;
    let code = map.get(value);
    if (code === undefined) {
      code = this.dicts[c]!.length;
      this.dicts[c]!.push(value);
      map.set(value, code);
    }
    return code;
  }

  /** Sets row `row` of column `c` (after reserve); `commit` then counts the rows set. */
  set(c: number, row: number, value: string) {
    this.codes[c]![row] = this.intern(c, value.trim());
  }

  commit(rows: number) {
    this.rows += rows;
  }

  add(record: readonly string[]) {
    this.reserve(1);
    for (let c = 0; c < this.headers.length; c++) this.set(c, this.rows, record[c] ?? '');
    this.rows++;
  }

  table(): ColumnTable {
    return {
      headers: this.headers,
      rows: this.rows,
      columns: this.headers.map((name, c) => ({
        name,
        dict: this.dicts[c]!,
        codes: this.codes[c]!.subarray(0, this.rows),
      })),
    };
  }
}

/** Streams a CSV file (UTF-8, header row, any of , ; tab | as delimiter) into columns. */
export async function readColumns(file: string): Promise<ColumnTable> {
  const header = headerLine(file);
  if (header.trim() === '') throw invalid('no_header', { file });
  const delimiter = detectDelimiter(header);
  const parser = fs
    .createReadStream(file)
    .pipe(parse({ delimiter, bom: true, skip_empty_lines: true, relax_column_count: true }));
  let b: TableBuilder | null = null;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (b === null) {
        const headers = record.map((h) => h.trim());
        const seen = new Set<string>();
        for (const h of headers) {
          if (h === '') throw invalid('unnamed_column');
          if (seen.has(h)) throw invalid('repeated_column', { column: h });
          seen.add(h);
        }
        b = new TableBuilder(headers);
        continue;
      }
      if (record.length !== b.headers.length)
        throw invalid('cells', { row: b.rows + 2, cells: record.length, columns: b.headers.length });
      b.add(record);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw invalid('unreadable', { file, detail: e instanceof Error ? e.message : String(e) });
  }
  if (b === null) throw invalid('empty', { file });
  if (b.rows === 0) throw invalid('no_rows', { file });
  return b.table();
}

/**
 * A column table from rows already in memory (e.g. read from the analytics store), for
 * trainModel and scoreTable: the same interning as readColumns.
 */
export function columnTable(headers: string[], rows: readonly (readonly string[])[]): ColumnTable {
  const b = new TableBuilder(headers);
  for (const r of rows) b.add(r);
  return b.table();
}

/** The rows of a table at `index` (ascending row numbers), sharing its dictionaries. */
export function subTable(table: ColumnTable, index: Int32Array): ColumnTable {
  return {
    headers: table.headers,
    rows: index.length,
    columns: table.columns.map((c) => ({
      name: c.name,
      dict: c.dict,
      codes: Int32Array.from(index, (i) => c.codes[i]!),
    })),
  };
}
