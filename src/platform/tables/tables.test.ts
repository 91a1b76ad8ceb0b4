import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { AppError } from '../errors.ts';
import { makeZip, sampleFile } from '../testing/files.ts';
import { columnLetter, readTable, writeTable, type CellValue, type TableRow } from './tables.ts';

// XLSX and CSV: exact round trips for tricky values, injection neutralised, bad files refused.

const TRICKY_STRINGS = [
  '=1+1',
  '=HYPERLINK("http://evil.example","click")',
  '+41 22 123 45 67',
  "-2+3+cmd|' /C calc'!A0",
  '@SUM(A1:A2)',
  "'already quoted",
  '\tleading tab',
  '＝full-width equals',
  'Line one\nLine two\r\nLine three',
  'Comma, "quotes" and ; semicolon',
  '  leading and trailing spaces  ',
  'تقرير النزاهة — لجنة الأخلاقيات',
  'Déclaration d’intérêts',
  '42',
  '007',
  '3.50',
  'TRUE',
  'false',
  '2026-01-31',
  '2026-01-31T10:00:00.000Z',
  'NaN',
  '😀 emoji',
];

const columns = [
  { key: 'id', header: 'ID' },
  { key: 'text', header: 'Text' },
  { key: 'n', header: 'Number' },
  { key: 'b', header: 'Flag' },
  { key: 'd', header: 'Date' },
  { key: 'empty', header: 'Empty' },
];

function rowsFor(): TableRow[] {
  const numbers = [0, -1.5, 3, 1e21, 0.1 + 0.2, -273.15, 123456789.125, Number.MAX_SAFE_INTEGER];
  const dates = [
    new Date('2026-01-31T00:00:00.000Z'),
    new Date('2026-11-27T23:42:51.123Z'),
    new Date('1999-12-31T12:00:00.000Z'),
  ];
  return TRICKY_STRINGS.map((text, i) => ({
    id: i + 1,
    text,
    n: numbers[i % numbers.length]!,
    b: i % 2 === 0,
    d: dates[i % dates.length]!,
    empty: null,
  }));
}

const byHeader = (r: TableRow): Record<string, CellValue> => ({
  ID: r.id ?? null,
  Text: r.text ?? null,
  Number: r.n ?? null,
  Flag: r.b ?? null,
  Date: r.d ?? null,
  Empty: null,
});

async function rejects422(p: Promise<unknown>, message: RegExp): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.status, 422, e.message);
    assert.match(e.message, message);
    return e;
  }
  assert.fail('expected a 422');
}

describe('tables', () => {
  for (const format of ['xlsx', 'csv'] as const) {
    it(`${format}: strings, numbers, booleans, dates, empty cells, multiline and Arabic come back exactly`, async () => {
      const rows = rowsFor();
      async function* gen() {
        for (const r of rows) yield r;
      }
      const data = await writeTable({
        sheetName: 'Risks / 2026 [draft]',
        columns,
        rows: gen(),
        format,
        rtl: true,
      });
      const back = await readTable(data, format);
      assert.deepEqual(back.headers, ['ID', 'Text', 'Number', 'Flag', 'Date', 'Empty']);
      assert.equal(back.rows.length, rows.length);
      for (let i = 0; i < rows.length; i++) {
        const expected = byHeader(rows[i]!);
        // XML normalises CR LF to LF, so XLSX keeps line breaks as LF (documented in tables.ts).
        if (format === 'xlsx') expected.Text = String(expected.Text).replaceAll('\r\n', '\n');
        assert.deepEqual(back.rows[i], expected, `row ${i + 1}`);
      }
    });
  }

  it('xlsx: strings are never written as formulas, the sheet is right-to-left, its name is cleaned', async () => {
    const data = await writeTable({
      sheetName: 'Risks / 2026 [draft]: a very long name beyond thirty-one',
      columns: [{ key: 'a', header: 'A' }],
      rows: [{ a: '=1+1' }, { a: '@SUM(A1)' }],
      format: 'xlsx',
      rtl: true,
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    assert.equal(ws.name, 'Risks   2026  draft   a very lo');
    assert.equal(ws.views[0]?.rightToLeft, true);
    assert.equal(ws.getCell('A2').type, ExcelJS.ValueType.String);
    assert.equal(ws.getCell('A2').value, '=1+1');
    assert.equal(ws.getCell('A3').type, ExcelJS.ValueType.String);
  });

  it('xlsx: reading a formula cell gives its cached result, never the formula', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.addRow(['Name', 'Total']);
    ws.addRow(['x', { formula: 'SUM(1,2)', result: 3 }]);
    ws.addRow([{ richText: [{ text: 'rich ' }, { text: 'text' }] }, { formula: 'NOW()' }]);
    const back = await readTable(Buffer.from(await wb.xlsx.writeBuffer()), 'xlsx');
    assert.deepEqual(back.rows, [
      { Name: 'x', Total: 3 },
      { Name: 'rich text', Total: null },
    ]);
  });

  it('csv: RFC 4180 with a BOM and CRLF; dangerous cells start with an apostrophe', async () => {
    const data = await writeTable({
      sheetName: 'x',
      columns: [
        { key: 'a', header: 'A' },
        { key: 'b', header: '=Header' },
      ],
      rows: [
        { a: '=1+1', b: 'plain' },
        { a: 'say "hi", then\nleave', b: -5 },
        { a: '', b: null },
      ],
      format: 'csv',
    });
    assert.deepEqual([...data.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(
      data.toString('utf8').slice(1),
      `A,'=Header\r\n'=1+1,plain\r\n"say ""hi"", then\nleave",-5\r\n',\r\n`,
    );
    const back = await readTable(data, 'csv');
    assert.deepEqual(back.headers, ['A', '=Header']);
    assert.deepEqual(back.rows, [
      { A: '=1+1', '=Header': 'plain' },
      { A: 'say "hi", then\nleave', '=Header': -5 },
      { A: '', '=Header': null },
    ]);
  });

  it('csv: detects ; and tab delimiters, reads files from spreadsheets (no BOM, LF, short rows)', async () => {
    const semi = await readTable(Buffer.from('Nom;Score;Commentaire\nAlpha;3,5;"a;b"\nBêta;007\n'), 'csv');
    assert.deepEqual(semi.headers, ['Nom', 'Score', 'Commentaire']);
    assert.deepEqual(semi.rows, [
      { Nom: 'Alpha', Score: '3,5', Commentaire: 'a;b' },
      { Nom: 'Bêta', Score: '007', Commentaire: null },
    ]);
    const tab = await readTable(Buffer.from('\ufeffالاسم\tالقيمة\r\nنعم\t12\r\n\r\n'), 'csv');
    assert.deepEqual(tab.rows, [{ الاسم: 'نعم', القيمة: 12 }]);
  });

  it('refuses files that are not what they claim, with 422 and row/column details', async () => {
    await rejects422(readTable(sampleFile('pdf'), 'xlsx'), /not an XLSX file/);
    await rejects422(readTable(sampleFile('docx'), 'xlsx'), /not an XLSX file/);
    await rejects422(
      readTable(makeZip([{ name: 'xl/workbook.xml', data: 'not xml <' }]), 'xlsx'),
      /damaged|no sheet|header/,
    );
    await rejects422(readTable(sampleFile('png'), 'csv'), /binary|UTF-8/);
    await rejects422(readTable(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xc3, 0x28]), 'csv'), /not UTF-8/);
    await rejects422(readTable(Buffer.from('\ufffe'.repeat(2), 'utf16le'), 'csv'), /UTF-16|UTF-8|binary/);
    await rejects422(readTable(Buffer.alloc(0), 'csv'), /empty/);
    await rejects422(readTable(Buffer.from('a,b\n"unclosed,1\n'), 'csv'), /never closed.*line 2/);
    await rejects422(readTable(Buffer.from('a,b\n1,x"y\n'), 'csv'), /quote/);
    const dup = await rejects422(readTable(Buffer.from('Name,Name,\n1,2,3\n'), 'csv'), /header row/);
    assert.deepEqual(
      dup.details?.map((d) => d.path),
      ['row 1, column B (Name)', 'row 1, column C'],
    );
    const wide = await rejects422(readTable(Buffer.from('a,b\n1,2\n1,2,3\n'), 'csv'), /row 3/);
    assert.equal(wide.details?.[0]?.path, 'row 3');
    // xlsx: a value outside the header columns
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.addRow(['A', 'B']);
    ws.addRow([1, 2, 'stray']);
    const e = await rejects422(readTable(Buffer.from(await wb.xlsx.writeBuffer()), 'xlsx'), /problem/);
    assert.equal(e.details?.[0]?.path, 'row 2, column C');
  });

  it('bounds the number of rows', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ a: i }));
    for (const format of ['csv', 'xlsx'] as const) {
      const data = await writeTable({ sheetName: 's', columns: [{ key: 'a', header: 'A' }], rows, format });
      assert.equal((await readTable(data, format, { maxRows: 30 })).rows.length, 30);
      await rejects422(readTable(data, format, { maxRows: 29 }), /more than 29 rows/);
    }
  });

  it('refuses values it cannot write', async () => {
    await assert.rejects(
      writeTable({
        sheetName: 's',
        columns: [{ key: 'a', header: 'A' }],
        rows: [{ a: Number.NaN }],
        format: 'csv',
      }),
      /finite/,
    );
    await assert.rejects(
      writeTable({
        sheetName: 's',
        columns: [{ key: 'a', header: 'A' }],
        rows: [{ a: {} as unknown as string }],
        format: 'xlsx',
      }),
      /unsupported/,
    );
  });

  it('writes more sheets to an XLSX workbook, each with its own columns; a CSV refuses them', async () => {
    const more = [
      { sheetName: 'Second', columns: [{ key: 'b', header: 'B' }], rows: [{ b: '=2+2' }, { b: 3 }] },
    ];
    const data = await writeTable({
      sheetName: 'First',
      columns: [{ key: 'a', header: 'A' }],
      rows: [{ a: 'one' }],
      format: 'xlsx',
      more,
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as unknown as ArrayBuffer);
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      ['First', 'Second'],
    );
    const second = wb.getWorksheet('Second')!;
    assert.deepEqual(
      [second.getCell('A1').value, second.getCell('A2').value, second.getCell('A3').value],
      ['B', '=2+2', 3],
    );
    assert.equal(second.getCell('A2').type, ExcelJS.ValueType.String);
    await assert.rejects(
      writeTable({ sheetName: 'x', columns: [{ key: 'a', header: 'A' }], rows: [], format: 'csv', more }),
      /one table/,
    );
  });

  it('names columns like a spreadsheet', () => {
    assert.deepEqual([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter), [
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});
