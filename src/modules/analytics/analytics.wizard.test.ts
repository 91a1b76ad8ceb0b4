import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { withTenant } from '../../platform/db/tenant.ts';
import { t } from '../../platform/i18n/i18n.ts';
import { multipart } from '../../platform/testing/files.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { lit } from './analytics.engine.ts';
import { AnalyticsService, engineOf } from './analytics.service.ts';
import { ImportWizard, mappingProblems, STAGED_TTL_MS, suggestColumns } from './analytics.wizard.ts';

const FIXTURE_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'indicators.csv');
const FIXTURE = fs.readFileSync(FIXTURE_PATH, 'utf8');
const HEADER = FIXTURE.split('\n')[0] as string;

/**
 * The fixture as another system exports it: semicolons, its own names for three columns
 * (INSPECTOR, SEL_COLOUR, Declarant ID), other case for one (Declaration_ID), channel codes.
 */
const CODES: Record<string, string> = { green: 'V', red: 'R', yellow: 'J' };
const ASYCUDA = FIXTURE.replace('declaration_id', 'Declaration_ID')
  .replace('declarant_id', 'Declarant ID')
  .replace('officer_id', 'INSPECTOR')
  .replace('channel_system', 'SEL_COLOUR')
  .split('\n')
  .map((line) =>
    line
      .split(',')
      .map((x, i) => (i === 9 ? (CODES[x] ?? x) : x))
      .join(';'),
  )
  .join('\n');

describe('analytics import wizard: upload, preview and mapping, validation, then the choice', () => {
  let h: Harness;
  let analyst: Client;
  let executive: Client;
  let datasetId: string;
  let wizard: ImportWizard;

  const drain = async () => {
    while ((await h.kernel.jobs.tick()) > 0) {
      /* validations and imports are jobs */
    }
  };
  const upload = (c: Client, name: string, data: string | Buffer, ds = datasetId) =>
    c.request({
      method: 'POST',
      url: '/api/analytics/uploads',
      ...multipart({ fields: { datasetId: ds }, file: { filename: name, data } }),
    });
  const staged = async (name: string, data: string | Buffer, ds = datasetId) => {
    const res = await upload(analyst, name, data, ds);
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; status: string; stage: string | null; number: number };
  };
  const version = async (id: string) => (await analyst.get(`/api/analytics/versions/${id}`)).json();
  const stagedFile = (id: string) => new AnalyticsService(h.kernel).uploadPath(h.a.id, id);
  const parquetOf = (id: string) => engineOf(h.kernel).parquetPath(h.a.id, id);
  const validated = async (id: string, body: object) => {
    const res = await analyst.post(`/api/analytics/versions/${id}/validate`, body);
    assert.equal(res.statusCode, 202, res.body);
    assert.equal(res.json().status, 'validating');
    await drain();
    return version(id);
  };
  /** Files are removed once the choice is committed: a moment after the answer. */
  const gone = async (file: string) => {
    for (let i = 0; i < 100 && fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 20));
    return !fs.existsSync(file);
  };
  const choose = (id: string, choice: string) =>
    analyst.post(`/api/analytics/versions/${id}/choice`, { choice });

  before(async () => {
    h = await createHarness();
    analyst = await h.as(h.a.users.analyst.email);
    executive = await h.as(h.a.users.executive.email);
    wizard = new ImportWizard(h.kernel, new AnalyticsService(h.kernel));
    const d = await analyst.post('/api/analytics/datasets', { name: 'Wizard port', description: '' });
    assert.equal(d.statusCode, 201, d.body);
    datasetId = d.json().id;
  });
  after(async () => {
    await engineOf(h.kernel).close();
    await h.close();
  });

  it('suggests file columns by name (exact, any case, loosely) and from a saved mapping', () => {
    const header = ['Declaration_ID', 'office_code', 'Officer ID', 'INSPECTOR', 'x', 'HS-6'];
    assert.deepEqual(suggestColumns(['declaration_id', 'office_code', 'officer_id', 'hs6'], header), {
      declaration_id: 'Declaration_ID',
      office_code: 'office_code',
      officer_id: 'Officer ID',
      hs6: 'HS-6',
    });
    // A saved mapping wins; its header in another case still matches; a header it names that
    // the file lacks is not suggested, and a header it took is not suggested again.
    assert.deepEqual(
      suggestColumns(['declaration_id', 'officer_id', 'declarant_id', 'origin'], header, {
        officer_id: 'inspector',
        declarant_id: 'BROKER',
        origin: 'Officer ID',
      }),
      { declaration_id: 'Declaration_ID', officer_id: 'INSPECTOR', origin: 'Officer ID' },
    );
    // Two headers equal once loosened: neither is guessed.
    assert.deepEqual(suggestColumns(['officer_id'], ['Officer ID', 'officer-id']), {});
    assert.deepEqual(
      mappingProblems('declarations', ['a', 'office_code'], {
        columns: { declaration_id: 'a', officer_id: 'nope', year: 'a' },
        codes: {},
      }).map((p) => p.path),
      [
        'columns.officer_id',
        'columns.year',
        'columns.registered_at',
        'columns.declarant_id',
        'columns.channel_system',
      ],
    );
  });

  it('stages an upload once, previews its first rows with a suggested mapping, and uses a saved mapping', async () => {
    assert.equal((await upload(executive, 'a.csv', ASYCUDA)).statusCode, 403);
    const v = await staged('asycuda.csv', ASYCUDA);
    assert.equal(v.status, 'uploaded');
    assert.equal(v.stage, null);
    assert.ok(fs.existsSync(stagedFile(v.id)), 'the file is staged beside the data');
    // The same content again: the same staged version, not a second upload.
    assert.equal((await staged('again.csv', ASYCUDA)).id, v.id);

    assert.equal((await executive.get(`/api/analytics/versions/${v.id}/preview`)).statusCode, 403);
    const p = (await analyst.get(`/api/analytics/versions/${v.id}/preview`)).json();
    assert.equal(p.kind, 'declarations');
    assert.equal(p.columns.length, 20);
    assert.equal(p.columns[0], 'Declaration_ID');
    assert.equal(p.rows.length, 10, 'the first 10 rows only');
    assert.deepEqual(p.rows[0].slice(0, 3), ['1', 'A', '2025-01-06T08:00:00Z']);
    assert.equal(p.rows[0][12], '010101', 'codes read as text keep their zero');
    assert.equal(p.rows[0][9], 'V', 'codes as the file has them');
    assert.equal(p.rows[0][19], null, 'an empty cell');
    assert.deepEqual(
      p.targets.filter((t: { required: boolean }) => t.required).map((t: { column: string }) => t.column),
      ['declaration_id', 'office_code', 'registered_at', 'declarant_id', 'officer_id', 'channel_system'],
    );
    assert.equal(p.suggested.columns.declaration_id, 'Declaration_ID');
    assert.equal(p.suggested.columns.declarant_id, 'Declarant ID');
    assert.equal(p.suggested.columns.officer_id, undefined, 'INSPECTOR is nobody’s name');
    assert.equal(p.suggestedFrom, null);
    assert.deepEqual(p.values.SEL_COLOUR, ['J', 'R', 'V'], 'the codes seen, for code maps');
    assert.equal(p.values.Declaration_ID, undefined, 'ids are not codes');

    const m = await analyst.post('/api/analytics/mappings', {
      name: 'ASYCUDA export',
      sourceSystem: 'ASYCUDA',
      columns: { officer_id: 'INSPECTOR', channel_system: 'SEL_COLOUR' },
      codes: { channel: { R: 'red', V: 'green', J: 'yellow' } },
    });
    assert.equal(m.statusCode, 201, m.body);
    const withSaved = (
      await analyst.get(`/api/analytics/versions/${v.id}/preview?mappingId=${m.json().id}`)
    ).json();
    assert.deepEqual(withSaved.suggestedFrom, { mappingId: m.json().id, name: 'ASYCUDA export' });
    assert.equal(withSaved.suggested.columns.officer_id, 'INSPECTOR');
    assert.equal(withSaved.suggested.columns.channel_system, 'SEL_COLOUR');
    assert.equal(withSaved.suggested.columns.declaration_id, 'Declaration_ID', 'names still matched');
    assert.deepEqual(withSaved.suggested.codes.channel, { R: 'red', V: 'green', J: 'yellow' });
    assert.equal(
      (await analyst.get(`/api/analytics/versions/${v.id}/preview?mappingId=${crypto.randomUUID()}`))
        .statusCode,
      404,
    );

    // A bad mapping is refused before anything runs: 422 naming the column, or 400 at the edge.
    for (const [body, status, where] of [
      [{ columns: { ...withSaved.suggested.columns, officer_id: 'NOPE' } }, 422, 'columns.officer_id'],
      [{ columns: { declaration_id: 'Declaration_ID' } }, 422, 'columns.officer_id'],
      [{ columns: { ...withSaved.suggested.columns, colour: 'SEL_COLOUR' } }, 400, ''],
      [{ columns: withSaved.suggested.columns, codes: { channel: { R: 'purple' } } }, 400, ''],
    ] as const) {
      const res = await analyst.post(`/api/analytics/versions/${v.id}/validate`, body);
      assert.equal(res.statusCode, status, res.body);
      assert.match(String(res.headers['content-type']), /problem\+json/);
      if (where)
        assert.ok(
          res.json().errors.some((e: { path: string }) => e.path === where),
          JSON.stringify(res.json().errors),
        );
    }
    assert.equal((await version(v.id)).status, 'uploaded', 'nothing changed');
    assert.equal((await choose(v.id, 'import-valid')).statusCode, 409, 'validate first');

    // The analyst keeps the suggestion from the saved mapping: validated, then imported.
    const done = await validated(v.id, { ...withSaved.suggested, mappingId: m.json().id });
    assert.equal(done.status, 'validated', JSON.stringify(done.report?.issues?.slice(0, 3)));
    assert.equal(done.stage, 'done');
    assert.equal(done.rowCount, 103);
    assert.equal(done.rejectedRows, 0);
    assert.equal(done.mappingId, m.json().id);
    assert.equal(done.columnMapping.columns.officer_id, 'INSPECTOR');
    assert.equal(
      (await analyst.post('/api/analytics/runs', { datasetVersionId: v.id })).statusCode,
      409,
      'not imported until the analyst says so',
    );
    const imported = await choose(v.id, 'import-valid');
    assert.equal(imported.statusCode, 200, imported.body);
    assert.equal(imported.json().status, 'imported');
    assert.equal(imported.json().validRows, 103);
    assert.ok(fs.existsSync(parquetOf(v.id)));
    assert.ok(await gone(stagedFile(v.id)), 'the staged file is removed after the import');
    // The officers come from INSPECTOR and the channels through the code map.
    const channels = await engineOf(h.kernel).with((c) =>
      engineOf(h.kernel).rows<{ channel_system: string; n: number }>(
        c,
        `SELECT channel_system, count(*) AS n FROM read_parquet(${lit(parquetOf(v.id))}) GROUP BY 1 ORDER BY 1`,
      ),
    );
    assert.deepEqual(channels, [
      { channel_system: 'green', n: 90 },
      { channel_system: 'red', n: 10 },
      { channel_system: 'yellow', n: 3 },
    ]);
    // Re-importing the same content is recognised.
    const again = await upload(analyst, 'asycuda-copy.csv', ASYCUDA);
    assert.equal(again.statusCode, 409, again.body);
    assert.match(again.json().detail, /already imported as version 1/);
    const audit = await h.kernel.db.query<{ action: string }>(
      'select action from audit_events where tenant_id = $1 and entity_id = $2 order by seq',
      [h.a.id, v.id],
    );
    assert.deepEqual(
      audit.map((a) => a.action),
      [
        'analytics.import.uploaded',
        'analytics.import.validating',
        'analytics.import.validated',
        'analytics.import.finished',
      ],
    );
  });

  const BAD = [
    HEADER,
    '1,A,2025-01-06T08:00:00Z,,,B1,M1,O1,random,green,green,,010101,CN,100,1,10,10,,',
    '2,A,2025-13-45,,,B1,M1,O1,random,green,green,,010101,CN,100,1,10,10,,',
    '3,A,2025-01-06,,,B1,M1,O1,random,purple,green,,010101,CN,-4,1,10,10,,',
    '1,A,2025-01-06,,,B1,M1,,random,green,green,,010101,CN,100,1,10,10,2,',
  ].join('\n');

  it('a file with bad rows: the report first (counts per reason, rows), then the analyst refuses it', async () => {
    const v = await staged('bad.csv', BAD);
    const p = (await analyst.get(`/api/analytics/versions/${v.id}/preview`)).json();
    const r = await validated(v.id, p.suggested);
    assert.equal(r.status, 'validated');
    assert.equal(r.rowCount, 4);
    assert.equal(r.validRows, 1);
    assert.equal(r.rejectedRows, 3);
    assert.deepEqual(r.report.byReason, {
      bad_date: 1,
      unknown_channel: 1,
      negative_value: 1,
      missing_required: 1,
      bad_offence: 1,
      duplicate_id: 1,
    });
    assert.equal(r.report.issues.length, 6);
    assert.equal(fs.existsSync(parquetOf(v.id)), false, 'nothing written while the analyst decides');
    const refused = await choose(v.id, 'reject-file');
    assert.equal(refused.statusCode, 200, refused.body);
    assert.equal(refused.json().status, 'rejected');
    assert.equal(refused.json().validRows, 0);
    assert.ok(await gone(stagedFile(v.id)), 'the staged file is removed');
    assert.equal(fs.existsSync(parquetOf(v.id)), false);
    assert.equal((await choose(v.id, 'import-valid')).statusCode, 409, 'a refusal is final');
    assert.equal((await analyst.get(`/api/analytics/versions/${v.id}/rejects`)).statusCode, 404);
  });

  it('a file with bad rows: the analyst imports the valid rows, with the rejects saved for download', async () => {
    const v = await staged('bad-semicolons.csv', BAD.replaceAll(',', ';'));
    const p = (await analyst.get(`/api/analytics/versions/${v.id}/preview`)).json();
    assert.equal(p.columns.length, 20, 'the delimiter is detected');
    const r = await validated(v.id, p.suggested);
    assert.equal(r.rejectedRows, 3);
    const accepted = await choose(v.id, 'import-valid');
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(
      accepted.json().status,
      'pending',
      'rows were rejected: the import job writes the valid ones',
    );
    assert.equal(accepted.json().mode, 'import-valid');
    await drain();
    const done = await version(v.id);
    assert.equal(done.status, 'imported', JSON.stringify(done));
    assert.equal(done.stage, 'done');
    assert.equal(done.validRows, 1);
    assert.equal(done.rejectedRows, 3);
    const rejects = await analyst.get(`/api/analytics/versions/${v.id}/rejects`);
    assert.equal(rejects.statusCode, 200);
    const lines = rejects.body.trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[1] as string, /^3,registered_at: bad_date,2,/);
    // The reasons in words, last, in the language of the analyst who chose (English here).
    assert.match(lines[0] as string, /^row,reasons,declaration_id,.*,explanation$/);
    assert.ok(lines[1]?.endsWith(`,"registered_at: ${t('en', 'analytics.reason.bad_date')}"`), lines[1]);
    assert.equal(fs.existsSync(stagedFile(v.id)), false);
  });

  it('the rejected rows are explained in the language of the analyst who chose to import them', async () => {
    const v = await staged('bad-tabs.csv', BAD.replaceAll(',', '\t'));
    const p = (await analyst.get(`/api/analytics/versions/${v.id}/preview`)).json();
    assert.equal((await validated(v.id, p.suggested)).rejectedRows, 3);
    const accepted = await analyst.request({
      method: 'POST',
      url: `/api/analytics/versions/${v.id}/choice`,
      payload: { choice: 'import-valid' },
      headers: { 'accept-language': 'fr-FR,fr;q=0.9' },
    });
    assert.equal(accepted.statusCode, 200, accepted.body);
    await drain();
    assert.equal((await version(v.id)).status, 'imported');
    const lines = (await analyst.get(`/api/analytics/versions/${v.id}/rejects`)).body.trim().split('\n');
    assert.match(lines[1] as string, /^3,registered_at: bad_date,2,/, 'the codes as they were');
    assert.ok(
      lines[1]?.endsWith(
        ',"registered_at: pas une date ISO 8601 (2025-03-01 ou 2025-03-01T10:00:00+02:00) entre le 1900-01-01 et le 2100-12-31, avec un décalage horaire réel (±14:00 au plus)"',
      ),
      lines[1],
    );
    assert.ok(
      lines[2]?.endsWith(',channel_system: circuit inconnu; customs_value: valeur négative'),
      lines[2],
    );
  });

  it('absurd amounts and dates (NaN, infinities, overflow, year 10000, offset +25:00) are refused with their rows through validation and import', async () => {
    const row = (id: number, at: string, value: string) =>
      `${id},A,${at},,,B1,M1,O1,random,green,green,,010101,CN,${value},1,10,10,,`;
    const absurd = [
      HEADER,
      row(1, '2025-01-06T08:00:00Z', '100'),
      row(2, '2025-01-06', 'NaN'),
      row(3, '2025-01-06', 'inf'),
      row(4, '2025-01-06', '-inf'),
      row(5, '2025-01-06', '1e400'),
      row(6, 'infinity', '100'),
      row(7, '-infinity', '100'),
      row(8, '10000-01-01T00:00:00', '100'),
      row(9, '0001-01-01', '100'),
      row(10, '2025-01-06T08:00:00+25:00', '100'),
      row(11, '2100-12-31T23:00:00', '1.5e300'),
    ].join('\n');
    const v = await staged('absurd.csv', absurd);
    const p = (await analyst.get(`/api/analytics/versions/${v.id}/preview`)).json();
    const r = await validated(v.id, p.suggested);
    assert.equal(r.status, 'validated');
    assert.equal(r.rowCount, 11);
    assert.equal(r.validRows, 2);
    assert.deepEqual(r.report.byReason, { bad_number: 4, bad_date: 5 });
    assert.deepEqual(
      r.report.issues.map(
        (i: { row: number; column: string; reason: string }) => `${i.row}:${i.column}:${i.reason}`,
      ),
      [
        '3:customs_value:bad_number',
        '4:customs_value:bad_number',
        '5:customs_value:bad_number',
        '6:customs_value:bad_number',
        '7:registered_at:bad_date',
        '8:registered_at:bad_date',
        '9:registered_at:bad_date',
        '10:registered_at:bad_date',
        '11:registered_at:bad_date',
      ],
    );
    assert.equal((await choose(v.id, 'import-valid')).json().status, 'pending');
    await drain();
    const done = await version(v.id);
    assert.equal(done.status, 'imported', JSON.stringify(done));
    assert.deepEqual(
      [done.validRows, done.rejectedRows, done.report.byReason],
      [2, 9, { bad_number: 4, bad_date: 5 }],
      'the import job decides as the validation did',
    );
    const kept = await engineOf(h.kernel).with((c) =>
      engineOf(h.kernel).rows<{ id: string; v: number }>(
        c,
        `SELECT declaration_id AS id, customs_value AS v FROM read_parquet(${lit(parquetOf(v.id))}) ORDER BY 1`,
      ),
    );
    assert.deepEqual(kept, [
      { id: '1', v: 100 },
      { id: '11', v: 1.5e300 },
    ]);
  });

  it('a Parquet extract goes through the same steps', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-wizard-'));
    const file = path.join(dir, 'extract.parquet');
    const engine = engineOf(h.kernel);
    await engine.with((c) =>
      c.run(
        `COPY (SELECT * FROM read_csv(${lit(FIXTURE_PATH)}, header = true, all_varchar = true)) TO ${lit(file)} (FORMAT parquet)`,
      ),
    );
    const d = await analyst.post('/api/analytics/datasets', { name: 'Wizard parquet', description: '' });
    const v = await staged('extract.parquet', fs.readFileSync(file), d.json().id);
    const p = (await analyst.get(`/api/analytics/versions/${v.id}/preview`)).json();
    assert.deepEqual(p.columns, HEADER.split(','));
    assert.equal(p.rows[0][12], '010101');
    assert.equal(Object.keys(p.suggested.columns).length, 19, 'every canonical column by its name');
    const r = await validated(v.id, p.suggested);
    assert.equal(r.status, 'validated');
    assert.equal(r.rowCount, 103);
    assert.equal((await choose(v.id, 'import-valid')).json().status, 'imported');
    // Bytes named .parquet that are not Parquet are refused at the edge.
    const fake = await upload(analyst, 'fake.parquet', FIXTURE, d.json().id);
    assert.equal(fake.statusCode, 415, fake.body);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a UN Comtrade export staged for trade statistics is previewed with its built-in mapping', async () => {
    const d = await analyst.post('/api/analytics/datasets', { name: 'Wizard trade', kind: 'trade' });
    assert.equal(d.statusCode, 201, d.body);
    const slice = fs.readFileSync(path.join(path.dirname(FIXTURE_PATH), 'comtrade-slice.csv'));
    const v = await staged('comtrade.csv', slice, d.json().id);
    const p = (await analyst.get(`/api/analytics/versions/${v.id}/preview`)).json();
    assert.equal(p.kind, 'trade');
    assert.deepEqual(p.suggestedFrom, { mappingId: null, name: 'comtrade-r' });
    assert.equal(p.suggested.columns.reporter, 'reportercode');
    assert.equal(p.suggested.columns.value, 'tradevalue');
  });

  it('bad files are refused at upload with nothing staged; a validated file may be mapped again', async () => {
    const count = async () =>
      (
        await h.kernel.db.query<{ n: number }>(
          'select count(*)::int as n from analytics_dataset_versions where tenant_id = $1',
          [h.a.id],
        )
      )[0]?.n;
    const before = await count();
    assert.equal((await upload(analyst, 'empty.csv', '')).statusCode, 400);
    const headerOnly = await upload(analyst, 'header.csv', `${HEADER}\n`);
    assert.equal(headerOnly.statusCode, 422, headerOnly.body);
    assert.match(headerOnly.json().detail, /header but no rows/);
    const pdf = await upload(analyst, 'x.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'));
    assert.equal(pdf.statusCode, 415);
    const unknown = await upload(analyst, 'a.csv', FIXTURE, crypto.randomUUID());
    assert.equal(unknown.statusCode, 404, unknown.body);
    assert.equal(await count(), before, 'no version for a refused file');

    // Validated with channel codes left untranslated: every row rejected; mapped again, clean.
    const v = await staged('codes.csv', ASYCUDA.replace('2025-01-06T08:00:00Z', '2025-01-06T08:00:01Z'));
    const cols = {
      ...(await analyst.get(`/api/analytics/versions/${v.id}/preview`)).json().suggested.columns,
      officer_id: 'INSPECTOR',
      channel_system: 'SEL_COLOUR',
    };
    const first = await validated(v.id, { columns: cols });
    assert.equal(first.validRows, 0);
    assert.equal(first.report.byReason.unknown_channel, 103);
    assert.equal((await choose(v.id, 'import-valid')).statusCode, 409, 'no valid rows to import');
    const second = await validated(v.id, {
      columns: cols,
      codes: { channel: { R: 'red', V: 'green', J: 'yellow' } },
    });
    assert.equal(second.status, 'validated');
    assert.equal(second.rejectedRows, 0);
    assert.equal(second.validRows, 103);
    assert.equal((await choose(v.id, 'import-valid')).json().status, 'imported');
  });

  it('the stage a validation or an import is at is written on the version as it goes', async () => {
    const svc = new AnalyticsService(h.kernel);
    const v = await staged('stages.csv', FIXTURE.replace('2025-01-06T08:00:00Z', '2025-01-06T08:00:04Z'));
    const seen: string[] = [];
    const report = await svc.checkAndWrite('declarations', {
      tenantId: h.a.id,
      versionId: v.id,
      file: stagedFile(v.id),
      mode: 'reject-file',
      mapping: undefined,
      onStage: (s) => seen.push(s),
    });
    assert.equal(report.validRows, 103);
    assert.deepEqual(seen, ['reading', 'validating', 'writing', 'done']);
    // Only the stages written as they went (checkAndWrite sets no status): the last one is there.
    assert.equal((await version(v.id)).stage, 'done');
    assert.equal((await choose(v.id, 'reject-file')).json().status, 'discarded', 'never validated');
    assert.ok(await gone(parquetOf(v.id)));
  });

  it('staged files left for a day are discarded with their versions', async () => {
    const v = await staged('left.csv', FIXTURE.replace('2025-01-06T08:00:00Z', '2025-01-06T08:00:02Z'));
    const w = await staged(
      'left-validated.csv',
      FIXTURE.replace('2025-01-06T08:00:00Z', '2025-01-06T08:00:03Z'),
    );
    await validated(w.id, (await analyst.get(`/api/analytics/versions/${w.id}/preview`)).json().suggested);
    assert.ok(fs.existsSync(parquetOf(w.id)), 'a clean file is written by its validation');
    const stagedNow = (
      await h.kernel.db.query<{ n: number }>(
        "select count(*)::int as n from analytics_dataset_versions where tenant_id = $1 and status in ('uploaded', 'validating', 'validated')",
        [h.a.id],
      )
    )[0]?.n;
    const now = new Date();
    const soon = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
      wizard.expire(tx, h.a.id, now),
    );
    assert.equal(soon.discarded, 0, 'not before a day');
    const later = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
      wizard.expire(tx, h.a.id, new Date(now.getTime() + STAGED_TTL_MS + 60_000)),
    );
    assert.equal(later.discarded, stagedNow);
    for (const id of [v.id, w.id]) {
      assert.equal((await version(id)).status, 'discarded');
      assert.equal(fs.existsSync(stagedFile(id)), false);
      assert.equal(fs.existsSync(parquetOf(id)), false);
      assert.equal((await analyst.get(`/api/analytics/versions/${id}/preview`)).statusCode, 410);
    }
    assert.equal((await choose(v.id, 'reject-file')).statusCode, 409);
  });
});
