import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AnalyticsEngine, lit } from './analytics.engine.ts';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import {
  hashFile,
  type ColumnMapping,
  importDeclarations,
  spaceAfterFirstLine,
  spreadsheetText,
} from './analytics.import.ts';
import { importTable } from './analytics.trade.ts';
import { CANONICAL_COLUMNS } from './analytics.vocab.ts';

// The streamed import (docs/adr/0025, "Performance"): a clean file is checked and written in
// one scan; a file with any problem (including a duplicate id, found only after the scan) gets
// the exact row-numbered pass. Both must give the same values and the same report as before.

const TENANT = '00000000-0000-4000-8000-00000000001a';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-analytics-import-'));
let engine: AnalyticsEngine;
let n = 0;

const row = (o: Partial<Record<(typeof CANONICAL_COLUMNS)[number], string>>) =>
  CANONICAL_COLUMNS.map(
    (c) =>
      o[c] ??
      {
        declaration_id: `D${n++}`,
        office_code: 'A',
        registered_at: '2025-03-01T10:00:00',
        declarant_id: 'B1',
        officer_id: 'O1',
        channel_system: 'green',
        hs6: '027510',
      }[c as string] ??
      '',
  ).join(',');

async function load(
  lines: string[],
  mode: 'reject-file' | 'import-valid' = 'import-valid',
  header: readonly string[] = CANONICAL_COLUMNS,
) {
  const file = path.join(root, `f${n++}.csv`);
  fs.writeFileSync(file, `${header.join(',')}\n${lines.join('\n')}\n`);
  const versionId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const report = await importDeclarations(engine, { tenantId: TENANT, versionId, file, mode });
  const parquet = engine.parquetPath(TENANT, versionId);
  const rows = fs.existsSync(parquet)
    ? await engine.with((c) =>
        engine.rows<Record<string, unknown>>(
          c,
          `SELECT declaration_id, strftime(registered_at, '%Y-%m-%dT%H:%M:%S.%f') AS reg, typeof(registered_at) AS type,
                  customs_value, hs6, office_code FROM read_parquet('${parquet}') ORDER BY declaration_id`,
        ),
      )
    : [];
  const leftovers = fs.readdirSync(path.dirname(parquet)).filter((f) => f.endsWith('.tmp'));
  assert.deepEqual(leftovers, [], 'no temporary file left behind');
  return { report, rows, parquet };
}

before(() => {
  engine = new AnalyticsEngine({ root, threads: 2 });
});
after(async () => {
  await engine.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('analytics import: one scan for clean files, the exact pass otherwise', () => {
  it('dates: plain, with a zone, with an offset, a fraction, spaces — all UTC, stored as TIMESTAMP', async () => {
    const { report, rows } = await load([
      row({ declaration_id: 'a', registered_at: '2025-03-01T10:00:00' }),
      row({ declaration_id: 'b', registered_at: '2025-03-01T10:00:00Z' }),
      row({ declaration_id: 'c', registered_at: '2025-03-01T10:00:00+02:00' }),
      row({ declaration_id: 'd', registered_at: '2025-03-01 23:30:00-01:00' }),
      row({ declaration_id: 'e', registered_at: '2025-03-01T10:00:00.250' }),
      row({ declaration_id: 'f', registered_at: ' 2025-03-01T10:00:00 ', office_code: ' A ' }),
      row({ declaration_id: 'g', registered_at: '2025-03-01' }),
    ]);
    assert.equal(report.rows, 7);
    assert.equal(report.rejectedRows, 0, JSON.stringify(report.issues));
    assert.deepEqual(
      rows.map((r) => [r.declaration_id, r.reg]),
      [
        ['a', '2025-03-01T10:00:00.000000'],
        ['b', '2025-03-01T10:00:00.000000'],
        ['c', '2025-03-01T08:00:00.000000'],
        ['d', '2025-03-02T00:30:00.000000'],
        ['e', '2025-03-01T10:00:00.250000'],
        ['f', '2025-03-01T10:00:00.000000'],
        ['g', '2025-03-01T00:00:00.000000'],
      ],
    );
    assert.ok(rows.every((r) => r.type === 'TIMESTAMP'));
    assert.equal(rows.find((r) => r.declaration_id === 'f')?.office_code, 'A', 'text trimmed');
    assert.ok(
      rows.every((r) => r.hs6 === '027510'),
      'HS codes stay text',
    );
  });

  it('a duplicate id in an otherwise clean file: the exact pass names the later row', async () => {
    const { report, rows } = await load([
      row({ declaration_id: 'x' }),
      row({}),
      row({ declaration_id: 'x' }),
    ]);
    assert.equal(report.rows, 3);
    assert.equal(report.rejectedRows, 1);
    assert.deepEqual(
      report.issues.map((i) => `${i.row}:${i.column}:${i.reason}`),
      ['4:declaration_id:duplicate_id'],
    );
    assert.equal(rows.length, 2);
  });

  it('a row with more or fewer fields than the header is named with its line, not reported as every column missing', async () => {
    // Near the top the dialect detection gives up and reads whole lines as one column.
    const cases = [
      { at: 2, line: `${row({})},extra`, says: /Line: 4 — more fields than the header's 20/ },
      {
        at: 3,
        line: row({}).split(',').slice(0, 15).join(','),
        says: /Line: 5 — 15 fields where the header has 20/,
      },
    ];
    for (const { at, line, says } of cases) {
      const lines = [row({}), row({}), row({}), row({})];
      lines[at] = line;
      const { report, rows } = await load(lines);
      assert.deepEqual(
        report.fileErrors.map((e) => e.reason),
        ['unreadable'],
      );
      assert.match(report.fileErrors[0]!.detail, says);
      assert.equal(rows.length, 0, 'nothing imported');
    }
    // Far down (past the detection's sample) the read itself stops there; the report says why.
    const lines = Array.from({ length: 21000 }, () => row({}));
    lines[20990] = `${lines[20990]},extra`;
    const { report } = await load(lines);
    assert.match(report.fileErrors[0]?.detail ?? '', /Line: 20992 — more fields than the header's 20/);
    // A file of one column is still read as one: its report lists the missing columns.
    const file = path.join(root, 'one-column.csv');
    fs.writeFileSync(file, 'hello\nworld\n');
    const one = await importDeclarations(engine, {
      tenantId: TENANT,
      versionId: '00000000-0000-4000-8000-0000000000f1',
      file,
      mode: 'import-valid',
    });
    assert.ok(one.fileErrors.every((e) => e.reason === 'missing_column') && one.fileErrors.length > 0);
  });

  it('the first bad row stops the one-scan pass; every problem is reported with its row, in file order', async () => {
    const lines = [row({})];
    for (let i = 0; i < 50; i++) lines.push(row({ customs_value: String(i) }));
    lines.push(row({ registered_at: '2025-13-45T10:00:00', customs_value: '-5' }));
    lines.push(row({ channel_system: 'purple' }));
    lines.push(row({ registered_at: '2025-03-01T10:00:00+0x:00' }));
    const { report, rows } = await load(lines);
    assert.equal(report.rows, 54);
    assert.equal(report.rejectedRows, 3);
    assert.deepEqual(
      report.issues.map((i) => `${i.row}:${i.column}:${i.reason}`),
      [
        '53:customs_value:negative_value',
        '53:registered_at:bad_date',
        '54:channel_system:unknown_channel',
        '55:registered_at:bad_date',
      ],
    );
    assert.equal(rows.length, 51);
    const refused = await load(lines, 'reject-file');
    assert.equal(refused.rows.length, 0, 'refused whole: no file');
    assert.equal(refused.report.rejectedRows, 3);
  });

  it('Parquet: a DOUBLE amount that is NaN or infinite and an infinite TIMESTAMP are refused with their rows', async () => {
    const file = path.join(root, `p${n++}.parquet`);
    // Typed columns, as another system's Parquet export has them (not text).
    const values = [
      ['p1', "'2025-03-01 10:00:00'::TIMESTAMP", '10.5'],
      ['p2', "'2025-03-01 10:00:00'::TIMESTAMP", "'NaN'::DOUBLE"],
      ['p3', "'2025-03-01 10:00:00'::TIMESTAMP", "'inf'::DOUBLE"],
      ['p4', "'infinity'::TIMESTAMP", '3'],
      ['p5', "'-infinity'::TIMESTAMP", "'-inf'::DOUBLE"],
      ['p6', "'1850-06-01 00:00:00'::TIMESTAMP", '4'],
    ];
    await engine.with((c) =>
      c.run(`COPY (SELECT * FROM (VALUES ${values.map(([id, at, v]) => `('${id}', ${at}, ${v})`).join(', ')})
        AS t(declaration_id, registered_at, customs_value)
        CROSS JOIN (SELECT 'A' AS office_code, 'B1' AS declarant_id, 'O1' AS officer_id, 'green' AS channel_system))
        TO ${lit(file)} (FORMAT parquet)`),
    );
    for (const exactOnly of [false, true]) {
      const versionId = `00000000-0000-4000-8000-${String(n++).padStart(12, '0')}`;
      const report = await importDeclarations(engine, {
        tenantId: TENANT,
        versionId,
        file,
        mode: 'import-valid',
        exactOnly,
      });
      assert.deepEqual(
        report.issues.map((i) => `${i.row}:${i.column}:${i.reason}`),
        [
          '3:customs_value:bad_number',
          '4:customs_value:bad_number',
          '5:registered_at:bad_date',
          '6:customs_value:bad_number',
          '6:registered_at:bad_date',
          '7:registered_at:bad_date',
        ],
      );
      assert.equal(report.validRows, 1);
      const kept = await engine.with((c) =>
        engine.rows<{ id: string; v: number }>(
          c,
          `SELECT declaration_id AS id, customs_value AS v FROM read_parquet(${lit(engine.parquetPath(TENANT, versionId))})`,
        ),
      );
      assert.deepEqual(kept, [{ id: 'p1', v: 10.5 }]);
    }
  });

  it('a clean file gives the same values through both passes', async () => {
    const lines = Array.from({ length: 30 }, (_, i) =>
      row({
        declaration_id: `k${String(i).padStart(2, '0')}`,
        customs_value: `${i}.5`,
        registered_at: `2025-04-0${1 + (i % 9)}T0${i % 10}:15:00`,
      }),
    );
    const clean = await load(lines);
    const forced = await load([...lines, row({ channel_system: 'purple' })]);
    assert.equal(clean.report.rejectedRows, 0);
    assert.equal(forced.report.rejectedRows, 1);
    assert.deepEqual(forced.rows, clean.rows);
  });
});

// The optimistic pass reads the amounts as DOUBLE in the CSV reader itself (typed) and the rest as
// text. It must accept exactly what the exact pass accepts, with the same typed values: each
// hostile value below sits alone in its own file (one clean row before it), imported once as
// usual and once through the exact pass only; the reports, the Parquet rows (every column, as
// text, with their types) and the rejects must be identical. A value the exact pass rejects must
// also never be written by the optimistic pass (it must have handed the file over).
describe('analytics import without a mapping: headers spelled as people write them', () => {
  const all = (parquet: string) =>
    engine.with((c) =>
      engine.rows(c, `SELECT COLUMNS(*)::VARCHAR FROM read_parquet(${lit(parquet)}) ORDER BY declaration_id`),
    );
  const lines = ['a', 'b', 'c'].map((id) => row({ declaration_id: id, customs_value: '12.5' }));

  it('an upper-case or loosely spelled header is the canonical column; the headers taken are listed', async () => {
    const canonical = await load(lines);
    assert.deepEqual(canonical.report.fileErrors, []);
    assert.equal(canonical.report.matchedColumns, undefined, 'nothing to say when every header is exact');
    const upper = await load(
      lines,
      'reject-file',
      CANONICAL_COLUMNS.map((c) => c.toUpperCase()),
    );
    assert.deepEqual(upper.report.fileErrors, []);
    assert.equal(upper.report.validRows, 3);
    assert.deepEqual(await all(upper.parquet), await all(canonical.parquet));
    assert.equal(upper.report.matchedColumns?.declaration_id, 'DECLARATION_ID');
    assert.equal(Object.keys(upper.report.matchedColumns ?? {}).length, CANONICAL_COLUMNS.length);
    const loose = CANONICAL_COLUMNS.map((c) =>
      c === 'declaration_id' ? 'Declaration ID' : c === 'office_code' ? 'office-code' : c,
    );
    const spelled = await load(lines, 'reject-file', loose);
    assert.deepEqual(spelled.report.fileErrors, []);
    assert.deepEqual(await all(spelled.parquet), await all(canonical.parquet));
    assert.deepEqual(spelled.report.matchedColumns, {
      declaration_id: 'Declaration ID',
      office_code: 'office-code',
    });
  });

  it('two headers that could be one column are refused, naming both; an exact header wins', async () => {
    const twice = [
      ...CANONICAL_COLUMNS.filter((c) => c !== 'declaration_id'),
      'DECLARATION_ID',
      'declaration-id',
    ];
    const withIds = lines.map((l, i) => {
      const f = l.split(',');
      const id = f.shift() as string;
      return [...f, id, `other${i}`].join(',');
    });
    const refused = await load(withIds, 'import-valid', twice);
    assert.equal(fs.existsSync(refused.parquet), false, 'nothing written');
    assert.deepEqual(refused.report.fileErrors, [
      {
        reason: 'missing_column',
        detail:
          'declaration_id: "DECLARATION_ID" and "declaration-id" could each be it; rename all but one, or import with a mapping',
      },
    ]);
    // With the canonical header beside a look-alike, the canonical one is read.
    const exact = await load(
      lines.map((l) => `${l},x`),
      'reject-file',
      [...CANONICAL_COLUMNS, 'Declaration ID'],
    );
    assert.deepEqual(exact.report.fileErrors, []);
    assert.deepEqual(
      exact.rows.map((r) => r.declaration_id),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(exact.report.extraColumns, ['Declaration ID']);
    assert.equal(exact.report.matchedColumns, undefined);
  });
});

describe('analytics import: the optimistic pass accepts exactly what the exact pass accepts', () => {
  const HEADER = CANONICAL_COLUMNS.join(',');
  const clean = (id: string, o: Partial<Record<(typeof CANONICAL_COLUMNS)[number], string>> = {}) =>
    row({ declaration_id: id, customs_value: '10', registered_at: '2025-03-01T10:00:00', ...o });

  /** The statements an import ran (to tell whether the exact pass ran). */
  class SpyEngine extends AnalyticsEngine {
    sql: string[] = [];
    override with<T>(fn: (c: Parameters<Parameters<AnalyticsEngine['with']>[0]>[0]) => Promise<T>) {
      return super.with((c) => {
        const run = c.run.bind(c);
        c.run = (sql: string, ...rest: unknown[]) => {
          this.sql.push(sql);
          return run(sql, ...(rest as []));
        };
        return fn(c);
      });
    }
  }
  let spy: SpyEngine;
  before(() => {
    spy = new SpyEngine({ root, threads: 2 });
  });
  after(() => spy.close());

  async function importBoth(text: string, mapping?: ColumnMapping) {
    const file = path.join(root, `h${n++}.csv`);
    fs.writeFileSync(file, text);
    const out = [];
    for (const exactOnly of [false, true]) {
      const versionId = `00000000-0000-4000-8000-${String(n++).padStart(12, '0')}`;
      spy.sql = [];
      const report = await importDeclarations(spy, {
        tenantId: TENANT,
        versionId,
        file,
        mode: 'import-valid',
        mapping,
        exactOnly,
      });
      const exactRan = spy.sql.some((s) => s.startsWith('CREATE TEMP TABLE v '));
      const parquet = spy.parquetPath(TENANT, versionId);
      const rows = fs.existsSync(parquet)
        ? await spy.with((c) =>
            spy.cells(
              c,
              `SELECT COLUMNS(*)::VARCHAR FROM read_parquet(${lit(parquet)}) ORDER BY declaration_id`,
            ),
          )
        : [];
      const types = fs.existsSync(parquet)
        ? await spy.with((c) =>
            spy.cells(
              c,
              `SELECT column_name, column_type FROM (DESCRIBE FROM read_parquet(${lit(parquet)}))`,
            ),
          )
        : [];
      const rejectsPath = spy.rejectsPath(TENANT, versionId);
      const rejects = fs.existsSync(rejectsPath) ? fs.readFileSync(rejectsPath, 'utf8') : null;
      out.push({ report, rows, types, rejects, exactRan });
    }
    const [fast, exact] = out as [(typeof out)[0], (typeof out)[0]];
    assert.deepEqual(fast.report, exact.report);
    assert.deepEqual(fast.rows, exact.rows);
    assert.deepEqual(fast.types, exact.types);
    assert.equal(fast.rejects, exact.rejects);
    const problem =
      exact.report.rejectedRows > 0 || exact.report.fileErrors.some((e) => e.reason === 'unreadable');
    if (exact.exactRan && problem)
      assert.ok(fast.exactRan, 'a file with a problem is decided by the exact pass');
    return { ...exact, fastPath: !fast.exactRan };
  }

  /** Parsed by DuckDB as a DOUBLE, but no amount: refused as bad_number, never negative_value. */
  const NOT_FINITE = ['NaN', 'nan', '-nan', 'inf', 'Infinity', 'INF', '1e400', '-inf', '-1e400', '-Infinity'];
  const AMOUNTS = {
    /** Accepted by the exact pass (trimmed, then `try_cast(… AS DOUBLE)`) and parsed by the reader. */
    accepted: [
      ...['12', ' 12', '12 ', '\t12', '+5', '-0', '0', '.5', '5.', '+.5', '1e5', '1E-5', '1_000', '00012'],
      ...['0.1', '3.14159265358979323846', '123456789012345678901234567890', '1.7976931348623157e308'],
      ...['4.9e-324', '1e-400', '"12"', '" 12 "', '""', ''],
    ],
    /** Rejected: negative, not a number, or not a finite one (NaN, infinities, overflows). */
    rejected: [
      ...['-5', '1__0', '_1', '0x10', '0b1', '"1,5"', '1.5.5', '12abc', 'abc'],
      ...['1e', 'e5', '+', '-', '.', '1d5', '$12', '12%', '1 000', '１２', '١٢', '\u00a012'],
      ...NOT_FINITE,
    ],
    /** Accepted by the exact pass but not parsed by the reader: the exact pass decides. */
    slow: ['  ', '\u00a0 12 ', ' \u00a0'],
  };
  it('amounts: every hostile value gives the same report and values through both passes', async () => {
    const fast: string[] = [];
    const accepted: string[] = [];
    for (const v of [...AMOUNTS.accepted, ...AMOUNTS.rejected, ...AMOUNTS.slow]) {
      const r = await importBoth(
        `${HEADER}\n${clean('a')}\n${clean('b', { customs_value: v, duties_assessed: v })}\n`,
      );
      assert.ok(r.exactRan, 'exactOnly runs the exact pass');
      if (r.fastPath) fast.push(v);
      if (r.report.rejectedRows === 0) accepted.push(v);
    }
    assert.deepEqual(accepted, [...AMOUNTS.accepted, ...AMOUNTS.slow]);
    // Not finite: refused for what it is, with its row number, through both passes (importBoth).
    for (const v of NOT_FINITE) {
      const r = await importBoth(`${HEADER}\n${clean('a')}\n${clean('b', { customs_value: v })}\n`);
      assert.deepEqual(
        r.report.issues.map((i) => `${i.row}:${i.column}:${i.reason}:${i.value}`),
        [`3:customs_value:bad_number:${v}`],
        v,
      );
      assert.deepEqual(r.report.byReason, { bad_number: 1 }, v);
    }
    // Every value the reader parses took the one-scan pass: the comparison above is not vacuous.
    assert.deepEqual(fast, AMOUNTS.accepted);
  });

  it('dates, codes and ids: the same report and values through both passes', async () => {
    const dates = [
      ...[
        '2025-03-01T10:00:00',
        '2025-03-01 10:00:00',
        ' 2025-03-01T10:00:00 ',
        '2025-03-01',
        '2025-03-01T10:00',
      ],
      ...[
        '2025-03-01T10:00:00Z',
        '2025-03-01T10:00:00+02:00',
        '2025-03-01T10:00:00-0130',
        '2025-03-01T10:00:00.123456789',
      ],
      ...[
        '2025-06-30T23:59:60',
        '2024-02-29T10:00:00',
        '2024-02-30T10:00:00',
        '2023-02-29T10:00:00',
        '2025-03-01T24:00:00',
      ],
      ...[
        '01/03/2025 10:00:00',
        '2025/03/01 10:00:00',
        '20250301T100000',
        '2025-3-1T1:2:3',
        '2025-03-01t10:00:00',
      ],
      ...[
        'infinity',
        '-infinity',
        'epoch',
        'now',
        'NaN',
        '2025-03-01T10:00:00 Europe/Paris',
        '2025-03-01T10:00:00+25:00',
      ],
      ...['0001-01-01T00:00:00', '9999-12-31T23:59:59', '10000-01-01T00:00:00', '2025-03-01 (BC)', '', ' '],
    ];
    const refused: string[] = [];
    for (const v of dates) {
      const r = await importBoth(
        `${HEADER}\n${clean('a')}\n${clean('b', { registered_at: v, released_at: v })}\n`,
      );
      if (r.report.byReason.bad_date) refused.push(v);
    }
    // Outside 1900-01-01 .. 2100-12-31 (PLAUSIBLE_DATES), infinities and impossible offsets too.
    for (const v of [
      'infinity',
      '-infinity',
      '0001-01-01T00:00:00',
      '9999-12-31T23:59:59',
      '10000-01-01T00:00:00',
      '2025-03-01 (BC)',
      '2025-03-01T10:00:00+25:00',
    ])
      assert.ok(refused.includes(v), `${v} is refused as bad_date`);
    for (const v of ['2025-03-01T10:00:00+02:00', '2025-03-01T10:00:00-0130', '2025-03-01', 'epoch'])
      assert.ok(!refused.includes(v), `${v} is a date`);
    const edges = [
      ['1899-12-31T23:59:59', false],
      ['1900-01-01T00:00:00', true],
      ['2100-12-31T23:59:59', true],
      ['2101-01-01T00:00:00', false],
      ['2025-03-01T10:00:00+14:00', true],
      ['2025-03-01T10:00:00-12:00', true],
      ['2025-03-01T10:00:00+15:00', false],
      ['2025-03-01T10:00:00+1500', false],
      ['2025-03-01T10:00:00-99:00', false],
      ['2025-03-01T10:00:00+05:75', false],
      ['2025-03-01T10:00+25:00', false],
      ['2025-03-31', true],
    ] as const;
    for (const [v, ok] of edges) {
      const r = await importBoth(`${HEADER}\n${clean('a')}\n${clean('b', { assessed_at: v })}\n`);
      assert.deepEqual(
        r.report.issues.map((i) => `${i.row}:${i.column}:${i.reason}`),
        ok ? [] : ['3:assessed_at:bad_date'],
        v,
      );
    }
    const codes: Partial<Record<(typeof CANONICAL_COLUMNS)[number], string>>[] = [
      { channel_system: ' Red ' },
      { channel_system: 'RED', channel_final: 'purple' },
      { assignment: 'Random' },
      { offence: '2' },
      { offence: ' 1' },
      { office_code: '  ' },
      { declaration_id: 'a' },
      { hs6: '027510', origin: '"CI"' },
      { origin: '""', rerouted_by: '""' },
      { office_code: '""' },
      { importer_id: 'x y' },
    ];
    for (const o of codes) await importBoth(`${HEADER}\n${clean('a')}\n${clean('b', o)}\n`);
  });

  it('dialects, mappings, empty and unreadable files: the same report and values through both passes', async () => {
    const lines = [clean('a', { customs_value: '12.5' }), clean('b', { customs_value: ' 7 ' })] as const;
    const semi = [HEADER, ...lines].join('\n').replaceAll(',', ';');
    // Clean files in other dialects keep the one-scan pass (the reader's dialect is the detected one).
    for (const text of [
      `${semi}\n`,
      `${[HEADER, ...lines].join('\r\n')}\r\n`,
      `${[HEADER, ...lines].join('\n').replaceAll(',', '\t')}\n`,
      `\ufeff${[HEADER, ...lines].join('\n')}\n`,
    ]) {
      const r = await importBoth(text);
      assert.equal(r.report.validRows, 2);
      assert.ok(r.fastPath, JSON.stringify(text.slice(0, 40)));
    }
    for (const text of [
      // spaces at the ends of a line's first and last values (trimmed by both passes)
      `${HEADER}\r\n ${lines[0]}\r\n${lines[1]} \r\n`,
      `${HEADER}\n${lines[0]}\n${lines[1].replace('O1', 'O1 ')}`,
      `${[HEADER, ...lines].join('\r')}\r`,
      `${semi.replace('12.5', '12,5')}\n`, // a decimal comma is not a number
      `${HEADER}\n${lines[0]}\n${clean('c', { customs_value: '"1,000"' })}\n`,
      `${HEADER}\n${lines[0]}\n${clean('c', { origin: '"a ""quoted"", value"' })}\n`,
      `${HEADER}\n`,
      `${HEADER}\n${lines[0]}\n${lines[1]},extra,fields\n`,
      `${HEADER},note\n${lines[0]},x\n${lines[1]},\n`,
    ])
      await importBoth(text);
    // A header feeding an amount and a text column stays text; two amounts from one header are typed.
    const shared = HEADER.replace('customs_value', 'amount');
    const data = `${shared}\n${lines.join('\n')}\n${clean('c', { customs_value: '-3' })}\n`;
    const both = await importBoth(data, { columns: { customs_value: 'amount', origin: 'amount' } });
    assert.equal(both.report.rejectedRows, 1);
    assert.equal(both.fastPath, false);
    const twice = await importBoth(`${shared}\n${lines.join('\n')}\n`, {
      columns: { customs_value: 'amount', duties_declared: 'amount' },
    });
    assert.equal(twice.fastPath, true);
    assert.deepEqual(
      twice.report.extraColumns,
      ['duties_declared'],
      'the unmapped header is kept as an extra column',
    );
  });
});

describe('the rejects file: the reasons by code, and the same in words in the importer’s language', () => {
  /** The rejects CSV of a version as text cells (header first), read by DuckDB. */
  const rejectsOf = (versionId: string) =>
    engine.with(async (c) => {
      const file = lit(engine.rejectsPath(TENANT, versionId));
      const cols = (
        await engine.rows<{ column_name: string }>(
          c,
          `DESCRIBE SELECT * FROM read_csv(${file}, header = true, all_varchar = true)`,
        )
      ).map((r) => r.column_name);
      const rows = await engine.rows<Record<string, string>>(
        c,
        `SELECT "row", reasons, explanation FROM read_csv(${file}, header = true, all_varchar = true)`,
      );
      return { cols, rows };
    });
  const bad = () => [
    row({}),
    row({ registered_at: '2025-13-45T10:00:00', customs_value: '-5' }),
    row({ channel_system: 'purple' }),
  ];
  /** Imports `content` keeping the valid rows; two rows must be rejected. Returns the version. */
  const importTwoRejected = async (content: string, locale?: Locale) => {
    const file = path.join(root, `r${n++}.csv`);
    fs.writeFileSync(file, content);
    const versionId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const report = await importDeclarations(engine, {
      tenantId: TENANT,
      versionId,
      file,
      mode: 'import-valid',
      ...(locale ? { locale } : {}),
    });
    assert.equal(report.rejectedRows, 2);
    return versionId;
  };
  const imported = async (locale?: Locale) =>
    rejectsOf(await importTwoRejected(`${CANONICAL_COLUMNS.join(',')}\n${bad().join('\n')}\n`, locale));

  it('French when the importer reads French, English by default; the codes column and every column keep their place', async () => {
    const fr = await imported('fr');
    const en = await imported();
    for (const x of [fr, en]) {
      assert.deepEqual(x.cols, ['row', 'reasons', ...CANONICAL_COLUMNS, 'explanation']);
      assert.deepEqual(
        x.rows.map((r) => `${r.row} ${r.reasons}`),
        ['3 customs_value: negative_value; registered_at: bad_date', '4 channel_system: unknown_channel'],
      );
    }
    assert.deepEqual(
      fr.rows.map((r) => r.explanation),
      [
        'customs_value: valeur négative; registered_at: pas une date ISO 8601 (2025-03-01 ou 2025-03-01T10:00:00+02:00) entre le 1900-01-01 et le 2100-12-31, avec un décalage horaire réel (±14:00 au plus)',
        'channel_system: circuit inconnu',
      ],
    );
    assert.deepEqual(
      en.rows.map((r) => r.explanation),
      [
        'customs_value: negative value; registered_at: not a date in ISO 8601 (2025-03-01 or 2025-03-01T10:00:00+02:00) between 1900-01-01 and 2100-12-31, with a real time offset (at most ±14:00)',
        'channel_system: unknown channel',
      ],
    );
  });

  it('a rejected row’s cells a spreadsheet would evaluate get an apostrophe, in every column; plain numbers stay as read', async () => {
    const lines = [
      row({}),
      row({ declarant_id: '=1+2', importer_id: '@SUM(A1)', officer_id: '-2+3', customs_value: '-5' }),
      row({ hs6: '+1.5', net_mass_kg: '"-2,5"', channel_system: 'purple' }),
    ];
    const versionId = await importTwoRejected(
      `${CANONICAL_COLUMNS.join(',')},note\n${lines.map((l, i) => `${l},${['ok', '=cmd|x', '-1e3'][i]}`).join('\n')}\n`,
    );
    const rows = await engine.with((c) =>
      engine.rows<Record<string, string>>(
        c,
        `SELECT * FROM read_csv(${lit(engine.rejectsPath(TENANT, versionId))}, header = true, all_varchar = true) ORDER BY "row"::INT`,
      ),
    );
    const [a, b] = rows;
    assert.deepEqual(
      [a?.declarant_id, a?.importer_id, a?.officer_id, a?.customs_value, a?.x_note],
      ["'=1+2", "'@SUM(A1)", "'-2+3", '-5', "'=cmd|x"],
    );
    assert.deepEqual(
      [b?.hs6, b?.net_mass_kg, b?.x_note, b?.channel_system],
      ['+1.5', '-2,5', '-1e3', 'purple'],
    );
  });

  it('trade statistics: the same explanation column, in the importer’s language', async () => {
    const file = path.join(root, `t${n++}.csv`);
    fs.writeFileSync(
      file,
      'reporter,partner,year,hs_code,flow,value\n388,840,2012,440799,import,10\n388,840,3012,440799,smuggle,10\n',
    );
    const versionId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const report = await importTable(engine, {
      kind: 'trade',
      tenantId: TENANT,
      versionId,
      file,
      mode: 'import-valid',
      locale: 'es',
    });
    assert.equal(report.rejectedRows, 1);
    const { cols, rows } = await rejectsOf(versionId);
    assert.equal(cols.at(-1), 'explanation');
    assert.deepEqual(rows, [
      {
        row: '3',
        reasons: 'flow: unknown_flow; year: bad_year',
        explanation: `flow: ${t('es', 'analytics.reason.unknown_flow')}; year: no es un año (1900–2100)`,
      },
    ]);
  });

  it('a text a spreadsheet would evaluate is written with a leading apostrophe, as the platform’s CSV writer does', async () => {
    const cells = ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', "'x", '＝1', 'registered_at: -5', 'x=1'];
    const out = await engine.with((c) =>
      engine.rows<{ v: string }>(
        c,
        cells.map((x, i) => `SELECT ${i} AS i, ${spreadsheetText(lit(x))} AS v`).join(' UNION ALL ') +
          ' ORDER BY i',
      ),
    );
    assert.deepEqual(
      out.map((r) => r.v),
      ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "''x", "'＝1", 'registered_at: -5', 'x=1'],
    );
  });
});

describe('hashFile: the SHA-256 of a file read in reused 8 MiB blocks', () => {
  it('equals the digest of the whole content, across blocks and at their edges', async () => {
    for (const size of [0, 1, (8 << 20) - 1, 8 << 20, (8 << 20) + 1, (17 << 20) + 12345]) {
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 2654435761) >>> 24;
      const file = path.join(root, `h${n++}.bin`);
      fs.writeFileSync(file, bytes);
      assert.equal(await hashFile(file), createHash('sha256').update(bytes).digest('hex'), `${size} bytes`);
    }
  });
});

describe('spaceAfterFirstLine: whether any value of a CSV file may need trimming', () => {
  it('looks past the header line only, across chunks, whatever the line end', async () => {
    const at = (text: string | Buffer) => {
      const file = path.join(root, `s${n++}.csv`);
      fs.writeFileSync(file, text);
      return spaceAfterFirstLine(file);
    };
    assert.equal(await at('Declaration Id,Office\nD1,A\nD2,B\n'), false, 'spaces in the header only');
    assert.equal(await at('a,b\nD1,A\nD2, B\n'), true);
    assert.equal(await at('a,b\r\n D1,A\r\n'), true, 'right after a CRLF header');
    assert.equal(await at('a b,c\rD1,A \r'), true, 'CR line ends');
    assert.equal(await at('a b,c'), false, 'a header alone');
    const long = 'x'.repeat(5 << 20); // two values: past the 8 MiB block
    assert.equal(await at(`a,b\n${long},${long}\n`), false);
    assert.equal(await at(`a,b\n${long},${long} \n`), true, 'a space in a later chunk');
    assert.equal(await at(`${'h '.repeat(2 << 20)}\nD1,A\n`), false, 'a header longer than a chunk');
  });
});
