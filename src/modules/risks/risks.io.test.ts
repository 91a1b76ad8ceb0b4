import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Client, type Harness } from '../../platform/testing/harness.ts';
import { multipart } from '../../platform/testing/files.ts';
import { readTable, writeTable, type TableRow } from '../../platform/tables/tables.ts';
import { COLUMNS } from './risks.io.ts';

// Export → import into an empty register → export again gives identical rows (XLSX and CSV);
// a bad row stores nothing and every bad row is reported with its row number.
describe('risk register import and export', () => {
  let h: Harness;
  let officer: Client;
  let exec: Client;
  let analyst: Client;
  let bAdmin: Client;
  const proc: Record<string, string> = {};

  const upload = (c: Client, data: Buffer, filename: string, dryRun = false) => {
    const { payload, headers } = multipart({ file: { filename, data } });
    return c.request({ method: 'POST', url: `/api/risks/import?dryRun=${dryRun}`, payload, headers });
  };
  const exportOf = async (c: Client, format: 'xlsx' | 'csv') => {
    const res = await c.get(`/api/risks/export?format=${format}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(
      String(res.headers['content-disposition']),
      new RegExp(`risk-register-\\d{4}-\\d{2}-\\d{2}\\.${format}`),
    );
    return res.rawPayload;
  };
  const rowsOf = async (data: Buffer, format: 'xlsx' | 'csv') => (await readTable(data, format)).rows;
  const count = async (tenantId: string) =>
    Number(
      (
        await h.kernel.db.query<{ n: number }>('select count(*)::int as n from risks where tenant_id = $1', [
          tenantId,
        ])
      )[0]!.n,
    );
  const empty = async (tenantId: string) => {
    await h.kernel.db.query('delete from risk_controls where tenant_id = $1', [tenantId]);
    await h.kernel.db.query('delete from risks where tenant_id = $1', [tenantId]);
  };

  before(async () => {
    h = await createHarness();
    officer = await h.as(h.a.users.integrity_officer.email);
    exec = await h.as(h.a.users.executive.email);
    analyst = await h.as(h.a.users.analyst.email);
    bAdmin = await h.as(h.b.users.platform_admin.email);
    const orgAdmin = await h.as(h.a.users.org_admin.email);
    const unit = await orgAdmin.post('/api/organisation/units', {
      type: 'office',
      name: 'Port of Nordhaven',
      code: 'PNH',
      parentId: null,
    });
    assert.equal(unit.statusCode, 201, unit.body);
    for (const p of (await officer.get('/api/risks/processes')).json().items) proc[p.code] = p.id;
    const base = {
      scheme: 'bribery',
      inherentLikelihood: 4,
      inherentImpact: 4,
      residualLikelihood: 3,
      residualImpact: 4,
    };
    const made = [
      await officer.post('/api/risks', {
        ...base,
        processId: proc.valuation,
        title: 'Valuation: officers accept undervalued invoices in exchange for payments',
        description: 'Line one\nLine two, with "quotes", commas; and =SUM(A1) that must stay text',
        actors: ['valuation officer', 'broker', 'importer'],
        drivers: 'Discretion over value; weak price references',
        factors: [8, 4, 6],
        orgUnitId: unit.json().id,
        ownerUserId: h.a.users.integrity_officer.id,
        controls: [
          {
            description: 'Valuation database alerts',
            kind: 'detective',
            automated: true,
            effectiveness: 'effective',
            lastTestedOn: '2026-01-15',
          },
          {
            description: 'Four-eyes sign-off above 10,000',
            kind: 'preventive',
            automated: false,
            effectiveness: 'partially_effective',
          },
        ],
      }),
      await officer.post('/api/risks', {
        ...base,
        processId: proc.examination,
        scheme: 'manipulated_assignment',
        title: 'فحص: تجاوز الانتقائية إلى المسار الأخضر',
        residualLikelihood: 2,
        residualImpact: 5,
        treatment: 'accept',
        treatmentNote: 'Accepted pending the new risk engine',
      }),
      await officer.post('/api/risks', {
        ...base,
        processId: proc.seized_goods,
        scheme: 'embezzlement',
        title: 'Seized goods: pilferage in warehouses',
        ref: '007',
        status: 'closed',
      }),
      await officer.post('/api/risks', {
        ...base,
        processId: proc.recruitment,
        scheme: 'nepotism',
        title: '+1 recruitment: nepotism in entry exams',
        residualLikelihood: 4,
        residualImpact: 4,
      }),
    ];
    for (const m of made) assert.equal(m.statusCode, 201, m.body);
    const accept = made[1]!.json();
    const approved = await exec.post(`/api/risks/${accept.id}/acceptance`, {
      decision: 'approve',
      note: 'Board minute 12',
      version: accept.version,
    });
    assert.equal(approved.statusCode, 200, approved.body);
    const reviewed = await officer.post(`/api/risks/${made[3]!.json().id}/review`, { version: 1 });
    assert.equal(reviewed.statusCode, 200, reviewed.body);
  });
  after(() => h.close());

  for (const format of ['xlsx', 'csv'] as const) {
    it(`${format}: export → import into an emptied register → export again gives identical rows`, async () => {
      const first = await exportOf(analyst, format);
      const rows1 = await rowsOf(first, format);
      assert.equal(rows1.length, 4);
      assert.deepEqual(
        Object.keys(rows1[0]!),
        COLUMNS.map((c) => c.header),
      );
      const val = rows1.find((r) => String(r.title).startsWith('Valuation'))!;
      assert.equal(val.factors, '4, 6, 8');
      assert.equal(val.actors, 'valuation officer; broker; importer');
      assert.equal(val.org_unit, 'PNH');
      assert.equal(val.owner, h.a.users.integrity_officer.email);
      assert.equal(
        val.description,
        'Line one\nLine two, with "quotes", commas; and =SUM(A1) that must stay text',
      );
      assert.deepEqual(
        JSON.parse(String(val.controls)).map((c: { description: string }) => c.description),
        ['Valuation database alerts', 'Four-eyes sign-off above 10,000'],
      );
      assert.equal(rows1.find((r) => r.ref === '007')!.status, 'closed');
      assert.equal(rows1.find((r) => String(r.title).startsWith('فحص'))!.acceptance, 'approved');

      await empty(h.a.id);
      assert.equal(await count(h.a.id), 0);
      const admin = await h.as(h.a.users.platform_admin.email);
      const dry = await upload(admin, first, `register.${format}`, true);
      assert.equal(dry.statusCode, 200, dry.body);
      assert.deepEqual(dry.json().errors, []);
      assert.equal(dry.json().created.length, 4);
      assert.equal(await count(h.a.id), 0, 'a dry run stores nothing');
      // The register was emptied, so the approved acceptance in the file is a new decision:
      // the officer (no risks.approve) may not import it; a platform administrator may.
      const asOfficer = await upload(officer, first, `register.${format}`);
      assert.equal(asOfficer.statusCode, 422, 'an approved acceptance needs risks.approve');
      assert.match(asOfficer.body, /row \d+\.acceptance/);
      assert.equal(await count(h.a.id), 0);
      const done = await upload(admin, first, `register.${format}`);
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().created.length, 4);
      const second = await exportOf(analyst, format);
      assert.deepEqual(await rowsOf(second, format), rows1);
      if (format === 'csv') assert.equal(second.toString('utf8'), first.toString('utf8'), 'byte for byte');

      // Importing the same file again changes nothing.
      const again = await upload(officer, second, `register.${format}`);
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.json().unchanged.length, 4);
      assert.deepEqual(await rowsOf(await exportOf(analyst, format), format), rows1);
    });
  }

  it('into another administration: same rows once owners are removed; its own unit codes match', async () => {
    const rows = await rowsOf(await exportOf(analyst, 'xlsx'), 'xlsx');
    const withoutOwner = rows.map((r) => ({ ...r, owner: null }));
    const file = await writeTable({
      sheetName: 'x',
      columns: COLUMNS,
      rows: withoutOwner as TableRow[],
      format: 'xlsx',
    });
    const unknownUnit = await upload(bAdmin, file, 'r.xlsx');
    assert.equal(unknownUnit.statusCode, 422);
    assert.match(unknownUnit.body, /unknown organisation unit \\"PNH\\"|unknown organisation unit "PNH"/);
    await h.kernel.db.query(
      `insert into org_units (id, tenant_id, type, name, code) values (gen_random_uuid(), $1, 'office', 'B port', 'PNH')`,
      [h.b.id],
    );
    const ok = await upload(bAdmin, file, 'r.xlsx');
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(await rowsOf(await exportOf(bAdmin, 'xlsx'), 'xlsx'), withoutOwner);
    const aRows = await rowsOf(await exportOf(analyst, 'xlsx'), 'xlsx');
    assert.deepEqual(aRows, rows, "A's register is untouched");
  });

  it('one bad row stores nothing; every bad row is reported with its row number and reason', async () => {
    const rows = await rowsOf(await exportOf(analyst, 'csv'), 'csv');
    const before = await count(h.a.id);
    const bad = [
      { ...rows[0]!, ref: 'NEW-1', title: 'A new, valid risk' },
      { ...rows[1]!, ref: 'NEW-2', inherent_likelihood: 6 },
      { ...rows[2]!, ref: 'NEW-3', factors: '2, 11', process: 'smuggling' },
      { ...rows[3]!, ref: 'NEW-4', last_reviewed_on: '2026-03-01', next_review_on: '2026-02-01' },
      { ...rows[0]!, ref: 'NEW-5', controls: '[{"description":"x"', scheme: 'theft' },
      { ...rows[0]!, ref: 'NEW-1' },
    ];
    const file = await writeTable({
      sheetName: 'x',
      columns: COLUMNS,
      rows: bad as TableRow[],
      format: 'csv',
    });
    const res = await upload(officer, file, 'bad.csv');
    assert.equal(res.statusCode, 422, res.body);
    const errs = res.json().errors as { path: string; message: string }[];
    const has = (path: string, msg: RegExp) =>
      assert.ok(
        errs.some((e) => e.path === path && msg.test(e.message)),
        `${path} ${msg}: ${JSON.stringify(errs)}`,
      );
    has('row 3.inherent_likelihood', /6 is outside the matrix \(likelihood 1–5\)/);
    has('row 4.factors', /"11" is not a RAD factor \(1–10\)/);
    has('row 4.process', /unknown process "smuggling"/);
    has('row 5.next_review_on', /before the last review/);
    has('row 6.controls', /not a JSON list/);
    has('row 6.scheme', /unknown scheme "theft"/);
    has('row 7.ref', /also on row 2/);
    assert.ok(!errs.some((e) => e.path.startsWith('row 2.')), 'the good row has no error');
    assert.equal(await count(h.a.id), before, 'nothing stored');
    assert.ok(!(await analyst.get('/api/risks?q=NEW-1')).json().items.length);
    const dry = await upload(officer, file, 'bad.csv', true);
    assert.equal(dry.statusCode, 200);
    assert.deepEqual([...new Set(dry.json().errors.map((e: { row: number }) => e.row))], [3, 4, 5, 6, 7]);
  });

  it('malformed files are a clear 4xx and store nothing', async () => {
    const before = await count(h.a.id);
    const cases: [string, Buffer, RegExp][] = [
      ['garbage.xlsx', Buffer.from('this is not a spreadsheet at all'), /./],
      ['empty.csv', Buffer.from(''), /./],
      ['headers.csv', Buffer.from('ref,title,colour\nR-9,x,red\n'), /unknown column "colour"|missing column/],
      ['noRows.csv', Buffer.from(`${COLUMNS.map((c) => c.header).join(',')}\n`), /no data rows/],
    ];
    for (const [name, data, msg] of cases) {
      const res = await upload(officer, data, name);
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${name}: ${res.statusCode} ${res.body}`);
      assert.match(res.body, msg, name);
    }
    const json = await officer.post('/api/risks/import', { rows: [] });
    assert.ok(json.statusCode >= 400 && json.statusCode < 500);
    assert.equal(await count(h.a.id), before);
  });

  it('permissions: analysts export but cannot import; executives cannot import', async () => {
    const file = await exportOf(analyst, 'csv');
    assert.equal((await upload(analyst, file, 'r.csv')).statusCode, 403);
    assert.equal((await upload(exec, file, 'r.csv')).statusCode, 403);
    assert.equal((await h.anonymous().get('/api/risks/export?format=csv')).statusCode, 401);
    assert.equal((await analyst.get('/api/risks/export?format=pdf')).statusCode, 400);
  });
});
