import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AnalyticsEngine } from './analytics.engine.ts';
import { importDeclarations } from './analytics.import.ts';
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

async function load(lines: string[], mode: 'reject-file' | 'import-valid' = 'import-valid') {
  const file = path.join(root, `f${n++}.csv`);
  fs.writeFileSync(file, `${CANONICAL_COLUMNS.join(',')}\n${lines.join('\n')}\n`);
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
