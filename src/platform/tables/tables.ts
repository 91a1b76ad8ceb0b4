import ExcelJS from 'exceljs';
import { AppError, type ProblemDetail } from '../errors.ts';
import { zipEntries } from '../http/upload.ts';

/**
 * Tables in and out: XLSX (exceljs, docs/adr/0014) and CSV (RFC 4180, our own code).
 *
 * Values: string, number, boolean, Date, null. In XLSX an empty string is written as an empty
 * cell (reads back as null), and line breaks come back as LF (XML turns CR LF into LF).
 *
 * Formula injection (CSV/spreadsheet injection): a cell a spreadsheet would evaluate is never
 * produced.
 * - XLSX: strings are always written as string cells, never formulas; reading returns a formula
 *   cell's cached result, never its formula.
 * - CSV: a string that starts with = + - @ (or their full-width forms), a tab, a carriage
 *   return or an apostrophe, and a string that would read back as another type ('42', 'TRUE',
 *   '2026-01-31', '') is written with a leading apostrophe `'`, as spreadsheets mark literal
 *   text. Reading removes one leading apostrophe and returns the rest as a string, so every
 *   string comes back exactly. Unquoted CSV cells read as: empty → null; a number in its
 *   canonical form (String(Number(x)) === x, so '007' stays text) → number; TRUE/FALSE →
 *   boolean; YYYY-MM-DD or an ISO instant ending in Z → Date (UTC); anything else → string.
 */
export type CellValue = string | number | boolean | Date | null;
export type TableRow = Record<string, CellValue>;
export type TableFormat = 'xlsx' | 'csv';
/** The Content-Type of a table download. */
export const TABLE_MEDIA_TYPES: Record<TableFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

export interface TableColumn {
  key: string;
  header: string;
}

export interface TableSheet {
  sheetName: string;
  columns: readonly TableColumn[];
  rows: AsyncIterable<TableRow> | Iterable<TableRow>;
}

export interface WriteTableOptions extends TableSheet {
  format: TableFormat;
  /** Right-to-left sheet (XLSX view); CSV has no direction. */
  rtl?: boolean;
  /** More sheets after the first, same rules (XLSX only: a CSV file holds one table, and refuses them). */
  more?: readonly TableSheet[];
}

export interface ReadTableOptions {
  /** Data rows accepted (the header row not counted); more → 422. Default 10,000. */
  maxRows?: number;
  /** Columns accepted; more → 422. Default 200. */
  maxColumns?: number;
}

export interface ReadTable {
  /** The header row, as written. */
  headers: string[];
  /** Data rows keyed by header text; missing cells are null. */
  rows: TableRow[];
}

const DEFAULT_MAX_ROWS = 10_000;
const DEFAULT_MAX_COLUMNS = 200;
const MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024;
const MAX_CELL_CHARS = 32_767; // Excel's own limit

// ---------------------------------------------------------------------------------------------
// Shared

/** A, B, …, Z, AA, … for column index 0, 1, … */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

const unprocessable = (message: string, details?: ProblemDetail[]) =>
  new AppError('UNPROCESSABLE', message, details);

const cellPath = (row: number, col: number, header?: string) =>
  `row ${row}, column ${columnLetter(col)}${header ? ` (${header})` : ''}`;

/** 422 listing the cell problems found (the first five in the message, up to 100 in details). */
function throwProblems(details: ProblemDetail[]): void {
  if (details.length)
    throw unprocessable(
      `The file has ${details.length} problem(s): ${details
        .slice(0, 5)
        .map((d) => `${d.path}: ${d.message}`)
        .join('; ')}`,
      details.slice(0, 100),
    );
}

function isUtcMidnight(d: Date): boolean {
  return (
    d.getUTCHours() === 0 &&
    d.getUTCMinutes() === 0 &&
    d.getUTCSeconds() === 0 &&
    d.getUTCMilliseconds() === 0
  );
}

function checkValue(v: unknown, where: string): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`writeTable: ${where} is not a finite number`);
    return v;
  }
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new Error(`writeTable: ${where} is an invalid date`);
    return v;
  }
  throw new Error(`writeTable: ${where} has an unsupported type`);
}

function checkHeaders(headers: string[], maxColumns: number): void {
  if (headers.length === 0) throw unprocessable('The file has no header row');
  if (headers.length > maxColumns) throw unprocessable(`The file has more than ${maxColumns} columns`);
  const details: ProblemDetail[] = [];
  const seen = new Set<string>();
  headers.forEach((h, i) => {
    if (h.trim() === '') details.push({ path: cellPath(1, i), message: 'The column has no header' });
    else if (seen.has(h)) details.push({ path: cellPath(1, i, h), message: 'The header is repeated' });
    seen.add(h);
  });
  if (details.length)
    throw unprocessable(
      `The header row is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
      details,
    );
}

// ---------------------------------------------------------------------------------------------
// CSV

const DANGEROUS_START = /^[=+\-@\t\r'\uff1d\uff0b\uff0d\uff20]/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** What an unquoted-apostrophe CSV cell reads as (see the module comment). */
function parseCsvCell(s: string): CellValue {
  if (s === '') return null;
  if (s.startsWith("'")) return s.slice(1);
  if (s === 'TRUE') return true;
  if (s === 'FALSE') return false;
  if (/^-?(\d|\.\d)/.test(s)) {
    const n = Number(s);
    if (Number.isFinite(n) && String(n) === s) return n;
  }
  if (DATE_ONLY.test(s)) {
    const d = new Date(`${s}T00:00:00.000Z`);
    if (!Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s) return d;
  }
  if (ISO_INSTANT.test(s)) {
    const d = new Date(s);
    if (!Number.isNaN(d.getTime()) && d.toISOString() === s) return d;
  }
  return s;
}

function csvText(v: CellValue): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return isUtcMidnight(v) ? v.toISOString().slice(0, 10) : v.toISOString();
  // A string: neutralised when a spreadsheet would evaluate it or when it would read back as another type.
  if (v === '' || DANGEROUS_START.test(v) || parseCsvCell(v) !== v) return `'${v}`;
  return v;
}

/** One RFC 4180 field: quoted when it holds a quote, a delimiter, a line end or edge spaces. */
export function csvField(text: string): string {
  return /[",\r\n;\t]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function detectDelimiter(text: string): ',' | ';' | '\t' {
  // Count candidates on the header line, outside quotes.
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

/** RFC 4180 records; each field notes whether it was quoted. */
function parseCsvRecords(
  text: string,
  delimiter: string,
  maxRecords: number,
): { value: string; quoted: boolean }[][] {
  const records: { value: string; quoted: boolean }[][] = [];
  let record: { value: string; quoted: boolean }[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  const endField = () => {
    record.push({ value: field, quoted });
    field = '';
    quoted = false;
  };
  const endRecord = () => {
    endField();
    // A blank line (one empty unquoted field) is not a record.
    if (!(record.length === 1 && record[0]!.value === '' && !record[0]!.quoted)) {
      records.push(record);
      if (records.length > maxRecords) throw unprocessable(`The file has more than ${maxRecords - 1} rows`);
    }
    record = [];
    recordLine = line;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (field !== '' || quoted)
        throw unprocessable(`A quote in the middle of a field (line ${line})`, [
          { path: `line ${line}, column ${columnLetter(record.length)}`, message: 'Unexpected quote' },
        ]);
      inQuotes = true;
      quoted = true;
    } else if (ch === delimiter) endField();
    else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      line++;
      endRecord();
    } else {
      if (quoted)
        throw unprocessable(`Text after a closing quote (line ${line})`, [
          {
            path: `line ${line}, column ${columnLetter(record.length)}`,
            message: 'Text after a closing quote',
          },
        ]);
      field += ch;
    }
  }
  if (inQuotes)
    throw unprocessable(`A quoted field is never closed (it starts on line ${recordLine})`, [
      { path: `line ${recordLine}`, message: 'Unclosed quote' },
    ]);
  if (field !== '' || quoted || record.length > 0) endRecord();
  return records;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readCsv(data: Buffer, maxRows: number, maxColumns: number): ReadTable {
  if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff))
    throw unprocessable('The CSV file is UTF-16; save it as CSV UTF-8');
  if (data.includes(0)) throw unprocessable('This is not a CSV file (it holds binary data)');
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    throw unprocessable('The CSV file is not UTF-8 text; save it as CSV UTF-8');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const delimiter = detectDelimiter(text);
  const records = parseCsvRecords(text, delimiter, maxRows + 1);
  if (records.length === 0) throw unprocessable('The file is empty');
  const headers = records[0]!.map((f) => (f.value.startsWith("'") ? f.value.slice(1) : f.value));
  checkHeaders(headers, maxColumns);
  const rows: TableRow[] = [];
  const details: ProblemDetail[] = [];
  records.slice(1).forEach((rec, r) => {
    const rowNumber = r + 2;
    const extra = rec.slice(headers.length).filter((f) => f.value !== '');
    if (extra.length)
      details.push({
        path: `row ${rowNumber}`,
        message: `${rec.length} cells for ${headers.length} columns`,
      });
    const row: TableRow = {};
    headers.forEach((h, c) => {
      const f = rec[c];
      if (f && f.value.length > MAX_CELL_CHARS)
        details.push({
          path: cellPath(rowNumber, c, h),
          message: `Longer than ${MAX_CELL_CHARS} characters`,
        });
      row[h] = f ? parseCsvCell(f.value) : null;
    });
    rows.push(row);
  });
  throwProblems(details);
  return { headers, rows };
}

// ---------------------------------------------------------------------------------------------
// XLSX

function sheetTitle(name: string): string {
  const clean = name
    .replace(/[[\]:*?/\\]/g, ' ')
    .replace(/^'+|'+$/g, '')
    .trim();
  return Array.from(clean || 'Sheet1')
    .slice(0, 31)
    .join('');
}

type ExcelValue = ExcelJS.CellValue;

function fromExcel(v: ExcelValue): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('') || null;
    // A formula's cached result, never the formula itself.
    if ('formula' in v || 'sharedFormula' in v)
      return fromExcel(((v as { result?: unknown }).result ?? null) as ExcelValue);
    if ('hyperlink' in v) return fromExcel((v as { text?: unknown }).text as ExcelValue);
    if ('error' in v) return String((v as { error: unknown }).error);
  }
  return null;
}

async function readXlsx(data: Buffer, maxRows: number, maxColumns: number): Promise<ReadTable> {
  const entries = zipEntries(data);
  if (!entries?.some((e) => e.name.startsWith('xl/')))
    throw unprocessable('This is not an XLSX file (save it as an Excel workbook, .xlsx)');
  if (entries.reduce((n, e) => n + e.size, 0) > MAX_XLSX_UNCOMPRESSED)
    throw unprocessable('The workbook is too large once uncompressed');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ExcelJS.Buffer);
  } catch {
    throw unprocessable('The XLSX file is damaged or not a workbook');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw unprocessable('The workbook has no sheet');
  if (ws.actualRowCount > maxRows + 1) throw unprocessable(`The file has more than ${maxRows} rows`);
  const width = ws.actualColumnCount;
  if (width > maxColumns) throw unprocessable(`The file has more than ${maxColumns} columns`);
  const headerRow = ws.getRow(1);
  const headers: string[] = [];
  for (let c = 1; c <= headerRow.cellCount; c++) {
    const v = fromExcel(headerRow.getCell(c).value);
    headers.push(v === null ? '' : v instanceof Date ? v.toISOString() : String(v));
  }
  while (headers.length && headers[headers.length - 1] === '') headers.pop();
  checkHeaders(headers, maxColumns);
  const rows: TableRow[] = [];
  const details: ProblemDetail[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const out: TableRow = {};
    let any = false;
    for (let c = 1; c <= Math.max(row.cellCount, headers.length); c++) {
      const v = fromExcel(row.getCell(c).value);
      if (c > headers.length) {
        if (v !== null)
          details.push({ path: cellPath(rowNumber, c - 1), message: 'A value outside the header columns' });
        continue;
      }
      if (typeof v === 'string' && v.length > MAX_CELL_CHARS)
        details.push({
          path: cellPath(rowNumber, c - 1, headers[c - 1]),
          message: `Longer than ${MAX_CELL_CHARS} characters`,
        });
      out[headers[c - 1]!] = v;
      if (v !== null) any = true;
    }
    if (any) rows.push(out);
  });
  throwProblems(details);
  return { headers, rows };
}

// ---------------------------------------------------------------------------------------------
// Public API

async function* iterate<T>(rows: AsyncIterable<T> | Iterable<T>): AsyncGenerator<T> {
  for await (const r of rows as AsyncIterable<T>) yield r;
}

export async function writeTable(opts: WriteTableOptions): Promise<Buffer> {
  const { columns, format } = opts;
  if (columns.length === 0) throw new Error('writeTable: no columns');
  if (format === 'csv') {
    if (opts.more?.length) throw new Error('writeTable: a CSV file holds one table');
    const header = (h: string) => csvField(DANGEROUS_START.test(h) ? `'${h}` : h);
    const lines: string[] = [columns.map((c) => header(c.header)).join(',')];
    let n = 0;
    for await (const row of iterate(opts.rows)) {
      n++;
      lines.push(
        columns.map((c) => csvField(csvText(checkValue(row[c.key], `row ${n} ${c.key}`)))).join(','),
      );
    }
    return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
  }
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Arusha';
  wb.created = new Date(0);
  for (const sheet of [opts, ...(opts.more ?? [])]) {
    if (sheet.columns.length === 0) throw new Error('writeTable: no columns');
    const ws = wb.addWorksheet(sheetTitle(sheet.sheetName), {
      views: [{ state: 'frozen', ySplit: 1, rightToLeft: opts.rtl ?? false }],
    });
    ws.columns = sheet.columns.map((c) => ({
      key: c.key,
      header: c.header,
      width: Math.min(60, Math.max(10, Array.from(c.header).length + 2)),
    }));
    ws.getRow(1).font = { bold: true };
    let n = 0;
    for await (const row of iterate(sheet.rows)) {
      n++;
      const values: ExcelValue[] = [];
      for (const c of sheet.columns) {
        const v = checkValue(row[c.key], `row ${n} ${c.key}`);
        // Strings stay strings: exceljs writes a formula only from a { formula } object.
        values.push(v === '' ? null : v);
      }
      const added = ws.addRow(values);
      added.eachCell((cell) => {
        if (cell.value instanceof Date)
          cell.numFmt = isUtcMidnight(cell.value) ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm:ss';
        if (typeof cell.value === 'string' && cell.value.includes('\n')) cell.alignment = { wrapText: true };
      });
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function readTable(
  data: Buffer,
  format: TableFormat,
  opts: ReadTableOptions = {},
): Promise<ReadTable> {
  const maxRows = opts.maxRows ?? DEFAULT_MAX_ROWS;
  const maxColumns = opts.maxColumns ?? DEFAULT_MAX_COLUMNS;
  if (data.length === 0) throw unprocessable('The file is empty');
  return format === 'csv' ? readCsv(data, maxRows, maxColumns) : readXlsx(data, maxRows, maxColumns);
}
