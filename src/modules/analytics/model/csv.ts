import fs from 'node:fs';
import { parse } from 'csv-parse';
import { AppError } from '../../../platform/errors.ts';

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

export const invalid = (message: string) => new AppError('UNPROCESSABLE', message);

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

function firstLine(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const len = fs.readSync(fd, buf, 0, buf.length, 0);
    if (len === 0) throw invalid(`${file} is empty`);
    if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))
      throw invalid(`${file} is UTF-16; save it as CSV UTF-8`);
    if (buf.subarray(0, len).includes(0)) throw invalid(`${file} is not a CSV file (it holds binary data)`);
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

/** Streams a CSV file (UTF-8, header row, any of , ; tab | as delimiter) into columns. */
export async function readColumns(file: string): Promise<ColumnTable> {
  const header = firstLine(file);
  if (header.trim() === '') throw invalid(`${file} has no header row`);
  const delimiter = detectDelimiter(header);
  const parser = fs
    .createReadStream(file)
    .pipe(parse({ delimiter, bom: true, skip_empty_lines: true, relax_column_count: true }));
  let headers: string[] | null = null;
  let maps: Map<string, number>[] = [];
  let dicts: string[][] = [];
  let codes: Int32Array[] = [];
  let rows = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (headers === null) {
        headers = record.map((h) => h.trim());
        const seen = new Set<string>();
        for (const h of headers) {
          if (h === '') throw invalid('A column has no name in the header row');
          if (seen.has(h)) throw invalid(`The column "${h}" appears twice in the header row`);
          seen.add(h);
        }
        maps = headers.map(() => new Map());
        dicts = headers.map(() => []);
        codes = headers.map(() => new Int32Array(1024));
        continue;
      }
      if (record.length !== headers.length)
        throw invalid(`Row ${rows + 2} has ${record.length} cells for ${headers.length} columns`);
      if (rows === codes[0]!.length)
        codes = codes.map((c) => {
          const grown = new Int32Array(c.length * 2);
          grown.set(c);
          return grown;
        });
      for (let c = 0; c < record.length; c++) {
        const v = record[c]!.trim();
        const map = maps[c]!;
        let code = map.get(v);
        if (code === undefined) {
          code = dicts[c]!.length;
          dicts[c]!.push(v);
          map.set(v, code);
        }
        codes[c]![rows] = code;
      }
      rows++;
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw invalid(`${file} is not a readable CSV file: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (headers === null) throw invalid(`${file} is empty`);
  if (rows === 0) throw invalid(`${file} has a header row but no data rows`);
  const hs = headers;
  return {
    headers: hs,
    rows,
    columns: hs.map((name, c) => ({ name, dict: dicts[c]!, codes: codes[c]!.subarray(0, rows) })),
  };
}

/**
 * A column table from rows already in memory (e.g. read from the analytics store), for
 * trainModel and scoreTable: the same interning as readColumns.
 */
export function columnTable(headers: string[], rows: readonly (readonly string[])[]): ColumnTable {
  const columns: Column[] = headers.map((name, c) => {
    const dict: string[] = [];
    const map = new Map<string, number>();
    const codes = Int32Array.from(rows, (r) => {
      const v = (r[c] ?? '').trim();
      let code = map.get(v);
      if (code === undefined) {
        code = dict.length;
        dict.push(v);
        map.set(v, code);
      }
      return code;
    });
    return { name, dict, codes };
  });
  return { headers, rows: rows.length, columns };
}
