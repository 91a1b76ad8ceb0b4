import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { multipart } from '../../platform/testing/files.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { AppError } from '../../platform/errors.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import { AnalyticsService, engineOf } from './analytics.service.ts';

const FIXTURE = fs.readFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'indicators.csv'),
  'utf8',
);
const HEADER = FIXTURE.split('\n')[0] as string;

describe('analytics HTTP: datasets, imports, runs, alerts', () => {
  let h: Harness;
  let analyst: Client;
  let executive: Client;
  let staff: Client;
  let datasetId: string;

  const drain = async () => {
    while ((await h.kernel.jobs.tick()) > 0) {
      /* imports and runs are jobs */
    }
  };
  const upload = (
    c: Client,
    name: string,
    data: string | Buffer,
    mode = 'reject-file',
    extra: Record<string, string> = {},
  ) =>
    c.request({
      method: 'POST',
      url: '/api/analytics/imports',
      ...multipart({ fields: { datasetId, mode, ...extra }, file: { filename: name, data } }),
    });
  const imported = async (c: Client, name: string, data: string | Buffer, mode = 'reject-file') => {
    const res = await upload(c, name, data, mode);
    assert.equal(res.statusCode, 202, res.body);
    assert.equal(res.json().status, 'pending');
    await drain();
    return (await c.get(`/api/analytics/versions/${res.json().id}`)).json();
  };

  before(async () => {
    h = await createHarness();
    analyst = await h.as(h.a.users.analyst.email);
    executive = await h.as(h.a.users.executive.email);
    staff = await h.as(h.a.users.staff.email);
    const d = await analyst.post('/api/analytics/datasets', { name: 'Port I', description: 'test' });
    assert.equal(d.statusCode, 201, d.body);
    datasetId = d.json().id;
  });
  after(async () => {
    await engineOf(h.kernel).close();
    await h.close();
  });

  it('permissions: staff cannot read, an executive reads but cannot import or triage', async () => {
    assert.equal((await staff.get('/api/analytics/datasets')).statusCode, 403);
    assert.equal((await executive.get('/api/analytics/datasets')).statusCode, 200);
    assert.equal((await executive.post('/api/analytics/datasets', { name: 'x' })).statusCode, 403);
    assert.equal((await upload(executive, 'a.csv', FIXTURE)).statusCode, 403);
    assert.equal((await analyst.post('/api/analytics/datasets', { name: 'Port I' })).statusCode, 409);
    assert.equal((await analyst.post('/api/analytics/datasets', { name: '' })).statusCode, 400);
  });

  it('imports a CSV as a job, recognises the same file again, and computes the catalogue with alerts', async () => {
    const v = await imported(analyst, 'extract.csv', FIXTURE);
    assert.equal(v.status, 'imported', JSON.stringify(v.report));
    assert.equal(v.rowCount, 103);
    assert.equal(v.number, 1);
    assert.ok(fs.existsSync(engineOf(h.kernel).parquetPath(h.a.id, v.id)));
    const again = await upload(analyst, 'copy.csv', FIXTURE);
    assert.equal(again.statusCode, 409);
    assert.match(again.json().detail ?? again.body, /version 1/);

    const run = await analyst.post('/api/analytics/runs', { datasetVersionId: v.id });
    assert.equal(run.statusCode, 202, run.body);
    await drain();
    const done = (await analyst.get(`/api/analytics/runs/${run.json().id}`)).json();
    assert.equal(done.status, 'done', done.error);
    assert.equal(done.catalogue.I10, 1);
    const funnel = (await executive.get(`/api/analytics/runs/${done.id}/results?indicator=I1`)).json().items;
    assert.deepEqual(
      funnel.map((r: { subjectId: string }) => r.subjectId),
      ['O1', 'O2', 'O3', 'X', 'Y', 'Z'],
    );
    const o1 = funnel.find((r: { subjectId: string }) => r.subjectId === 'O1');
    assert.equal(o1.observed, 0.4);
    assert.ok(o1.lower998 <= o1.lower95 && o1.lower95 < o1.observed && o1.upper95 <= o1.upper998);
    assert.equal(o1.lower998, 0, 'share limits are clipped to [0, 1]');
    assert.equal(
      (await analyst.get(`/api/analytics/runs/${done.id}/results?indicator=DROP`)).statusCode,
      400,
    );

    const alerts = (await executive.get('/api/analytics/alerts?status=new')).json().items;
    const pair = alerts.find((a: { indicatorId: string }) => a.indicatorId === 'I10');
    assert.ok(pair, JSON.stringify(alerts));
    assert.equal(pair.officerId, 'X');
    assert.equal(pair.declarantId, 'P');
    assert.match(pair.explanation, /Officer X handled 28 declarations of declarant P/);
    const fr = await executive.request({
      method: 'GET',
      url: `/api/analytics/alerts/${pair.id}`,
      headers: { 'accept-language': 'fr' },
    });
    assert.match(fr.json().explanation, /L'agent X a traité 28 déclarations/);
    const rows = (await executive.get(`/api/analytics/alerts/${pair.id}/declarations`)).json();
    assert.equal(rows.total, 28);
    assert.equal(rows.rows.length, 28);
    assert.equal(rows.rows[0][rows.columns.indexOf('hs6')], '030303', 'HS codes keep their leading zero');

    // A second run of the same version adds results but no duplicate alerts.
    const run2 = await analyst.post('/api/analytics/runs', { datasetVersionId: v.id });
    await drain();
    assert.equal((await analyst.get(`/api/analytics/runs/${run2.json().id}`)).json().alertCount, 0);

    // Triage.
    assert.equal(
      (await executive.patch(`/api/analytics/alerts/${pair.id}`, { status: 'under_review', version: 1 }))
        .statusCode,
      403,
    );
    const noReason = await analyst.patch(`/api/analytics/alerts/${pair.id}`, {
      status: 'dismissed',
      version: 1,
    });
    assert.equal(noReason.statusCode, 400);
    const review = await analyst.patch(`/api/analytics/alerts/${pair.id}`, {
      status: 'under_review',
      version: 1,
    });
    assert.equal(review.statusCode, 200, review.body);
    const stale = await analyst.patch(`/api/analytics/alerts/${pair.id}`, {
      status: 'escalated',
      version: 1,
    });
    assert.equal(stale.statusCode, 409);
    const esc = await analyst.patch(`/api/analytics/alerts/${pair.id}`, {
      status: 'escalated',
      reference: 'CASE-2025-001',
      version: 2,
    });
    assert.equal(esc.statusCode, 200, esc.body);
    // A case is opened in the cases module for the alert; the alert keeps its reference and the
    // one typed (here an external file number).
    const opened = await h.kernel.db.query<{
      id: string;
      reference: string;
      title: string;
      source_kind: string;
    }>('select id, reference, title, source_kind from cases where tenant_id = $1 and source_ref = $2', [
      h.a.id,
      pair.id,
    ]);
    assert.equal(opened.length, 1);
    assert.equal(opened[0]!.source_kind, 'analytics_alert');
    // The title names the pattern (indicator, alert), never the officer or declarant: titles are
    // what lists and links quote. Who the alert concerns is in the case's restricted subjects.
    assert.equal(
      opened[0]!.title,
      `Analytics alert I10 (Assignment deviation), alert ${pair.id.slice(0, 8)}`,
    );
    const head = await h.as(h.a.users.integrity_officer.email);
    const kase = (await head.post(`/api/cases/${opened[0]!.id}/open`, {})).json();
    assert.equal(kase.title, opened[0]!.title);
    assert.deepEqual(
      kase.subjects.map((s: { kind: string; identifier: string; role: string }) => [
        s.kind,
        s.identifier,
        s.role,
      ]),
      [
        ['staff', 'X', 'officer concerned by the analytics alert'],
        ['broker', 'P', 'declarant concerned by the analytics alert'],
      ],
    );
    // The subjects are read only by opening the case (audited), which is need-to-know: a handler
    // it is not assigned to does not see it, in the list or opened.
    const handler = await h.as(h.a.users.case_handler.email);
    assert.equal((await handler.post(`/api/cases/${opened[0]!.id}/open`, {})).statusCode, 404);
    assert.ok(
      !(await handler.get('/api/cases')).json().items.some((c: { id: string }) => c.id === opened[0]!.id),
    );
    assert.equal(esc.json().reference, `${opened[0]!.reference} · CASE-2025-001`);
    const back = await analyst.patch(`/api/analytics/alerts/${pair.id}`, {
      status: 'dismissed',
      reason: 'x',
      version: 3,
    });
    assert.equal(back.statusCode, 409, 'an escalation is final');
    assert.equal(esc.json().caseId, opened[0]!.id, 'the alert links the exact case');
    // Escalated is a triage decision, not a substantiation: the case is still open — one case,
    // so what became of it is withheld (small-cell suppression, analytics.substantiation.test.ts).
    const sub = (await executive.get('/api/analytics/alerts/substantiation')).json().items;
    assert.deepEqual(
      sub.find((s: { indicatorId: string }) => s.indicatorId === 'I10'),
      {
        indicatorId: 'I10',
        raised: 1,
        underReview: 0,
        dismissed: 0,
        escalated: 1,
        riskMap: 0,
        triaged: 1,
        casesClosed: null,
        substantiated: null,
        notSubstantiated: 0,
        caseOpen: null,
        suppressed: true,
        share: null,
        shareLow: null,
        shareHigh: null,
        riskMapOpen: 0,
      },
    );
    const audit = await h.kernel.db.query<{ action: string }>(
      "select action from audit_events where tenant_id = $1 and action like 'analytics.%'",
      [h.a.id],
    );
    assert.ok(audit.some((a) => a.action === 'analytics.alert.escalated'));
    assert.ok(audit.some((a) => a.action === 'analytics.import.finished'));
  });

  it('bad files: a validation report with row numbers and reasons; refused whole or imported with rejects saved', async () => {
    const bad = [
      HEADER,
      '1,A,2025-01-06T08:00:00Z,,,B1,M1,O1,random,green,green,,010101,CN,100,1,10,10,,',
      '2,A,2025-13-45,,,B1,M1,O1,random,green,green,,010101,CN,100,1,10,10,,',
      '3,A,2025-01-06,,,B1,M1,O1,random,purple,green,,010101,CN,-4,1,10,10,,',
      '1,A,2025-01-06,,,B1,M1,,random,green,green,,010101,CN,100,1,10,10,2,',
    ].join('\n');
    const refused = await imported(analyst, 'bad.csv', bad, 'reject-file');
    assert.equal(refused.status, 'rejected');
    assert.equal(refused.rowCount, 4);
    assert.equal(refused.rejectedRows, 3);
    assert.deepEqual(refused.report.byReason, {
      bad_date: 1,
      unknown_channel: 1,
      negative_value: 1,
      missing_required: 1,
      bad_offence: 1,
      duplicate_id: 1,
    });
    assert.deepEqual(
      refused.report.issues.map(
        (i: { row: number; column: string; reason: string }) => `${i.row}:${i.column}:${i.reason}`,
      ),
      [
        '3:registered_at:bad_date',
        '4:channel_system:unknown_channel',
        '4:customs_value:negative_value',
        '5:declaration_id:duplicate_id',
        '5:offence:bad_offence',
        '5:officer_id:missing_required',
      ],
    );
    assert.equal(
      fs.existsSync(engineOf(h.kernel).parquetPath(h.a.id, refused.id)),
      false,
      'nothing imported',
    );
    assert.equal(
      (await analyst.post('/api/analytics/runs', { datasetVersionId: refused.id })).statusCode,
      409,
    );

    // The same rows with a semicolon delimiter, valid rows imported and the rejects saved.
    const partial = await imported(analyst, 'bad2.csv', bad.replaceAll(',', ';'), 'import-valid');
    assert.equal(partial.status, 'imported');
    assert.equal(partial.validRows, 1);
    const rejects = await analyst.get(`/api/analytics/versions/${partial.id}/rejects`);
    assert.equal(rejects.statusCode, 200);
    assert.match(rejects.headers['content-disposition'] as string, /attachment/);
    const lines = rejects.body.trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[1] as string, /^3,registered_at: bad_date,2,/);

    // An empty upload is refused at the edge; a header alone or missing columns by the report.
    assert.equal((await upload(analyst, 'empty.csv', '')).statusCode, 400);
    for (const [name, data, reason] of [
      ['header.csv', `${HEADER}\n`, 'empty'],
      ['cols.csv', 'declaration_id,office_code\n1,A\n', 'missing_column'],
    ] as const) {
      const v = await imported(analyst, name, data, 'import-valid');
      assert.equal(v.status, 'rejected', `${name}: ${JSON.stringify(v)}`);
      assert.equal(v.report.fileErrors[0].reason, reason, name);
    }
    // Binary garbage is refused by the upload's content check; the server keeps answering.
    const garbage = Buffer.alloc(1 << 20);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 2654435761) >>> 24;
    const g = await upload(analyst, 'garbage.csv', garbage);
    assert.ok(g.statusCode === 415 || g.statusCode === 400, `${g.statusCode}`);
    assert.equal((await analyst.get('/api/analytics/datasets')).statusCode, 200);
  });

  it('an impossible day or an empty period is a 400 problem, never a 500 or a run that fails or covers nothing', async () => {
    const d = await analyst.post('/api/analytics/datasets', { name: 'Port D', description: '' });
    assert.equal(d.statusCode, 201, d.body);
    const up = await upload(analyst, 'd.csv', FIXTURE, 'reject-file', { datasetId: d.json().id });
    assert.equal(up.statusCode, 202, up.body);
    await drain();
    const version = up.json().id as string;
    const runs = async () => (await analyst.get('/api/analytics/runs')).json().items.length as number;
    const before = await runs();
    for (const body of [
      { from: '2025-02-30' },
      { to: '2025-13-01' },
      { from: '2026-01-01', to: '2025-01-01' },
      { from: '2025-03-01', to: '2025-03-01' },
    ]) {
      const r = await analyst.post('/api/analytics/runs', { datasetVersionId: version, ...body });
      assert.equal(r.statusCode, 400, `${JSON.stringify(body)}: ${r.body}`);
      assert.match(String(r.headers['content-type']), /application\/problem\+json/);
    }
    assert.equal(await runs(), before, 'no run recorded');
    for (const q of ['from=2025-02-30', 'to=2025-04-31', 'period=2025-13', 'period=2025-00']) {
      const r = await analyst.get(`/api/analytics/versions/${version}/declarations?${q}`);
      assert.equal(r.statusCode, 400, `${q}: ${r.body}`);
      assert.match(String(r.headers['content-type']), /application\/problem\+json/);
    }
    // The service checks the settings too: the CLI builds them from its options, no route between.
    const svc = new AnalyticsService(h.kernel);
    for (const [settings, where] of [
      [{ mirror: { country: '388', factor: Number.NaN } }, /mirror\.factor/],
      [{ mirror: { country: '388', factor: 0.5 } }, /mirror\.factor/],
      [{ mirror: { country: '388', threshold: -1 } }, /mirror\.threshold/],
      [{ mirror: { country: '388', minGap: Number.NaN } }, /mirror\.minGap/],
      [{ from: '2025-02-30' }, /from/],
    ] as const)
      await assert.rejects(
        withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
          svc.createRun(tx, h.a.id, null, { datasetVersionId: version, ...settings } as never, false),
        ),
        (e: unknown) => e instanceof AppError && e.status === 400 && where.test(e.message),
      );
    assert.equal(await runs(), before, 'no run recorded');
    // Real days and months still work.
    const ok = await analyst.get(
      `/api/analytics/versions/${version}/declarations?from=2024-02-29&period=2025-12`,
    );
    assert.equal(ok.statusCode, 200, ok.body);
  });

  it('column mappings: saved per source system, applied at import, 409 on a stale version', async () => {
    const m = await analyst.post('/api/analytics/mappings', {
      name: 'ASYCUDA World',
      sourceSystem: 'ASYCUDA',
      columns: { officer_id: 'INSPECTOR', channel_system: 'SEL_COLOUR', declarant_id: 'DECLARANT' },
      codes: { channel: { R: 'red', V: 'green', J: 'yellow' } },
    });
    assert.equal(m.statusCode, 201, m.body);
    const renamed = FIXTURE.replace('declarant_id', 'DECLARANT')
      .replace('officer_id', 'INSPECTOR')
      .replace('channel_system', 'SEL_COLOUR')
      .replace(/,green,green,/g, ',V,green,')
      .replace(/,red,red,/g, ',R,red,');
    const res = await upload(analyst, 'asycuda.csv', renamed, 'reject-file', { mappingId: m.json().id });
    assert.equal(res.statusCode, 202, res.body);
    await drain();
    const v = (await analyst.get(`/api/analytics/versions/${res.json().id}`)).json();
    assert.equal(v.status, 'imported', JSON.stringify(v.report?.issues?.slice(0, 3)));
    assert.equal(v.rowCount, 103);
    const ok = await analyst.patch(`/api/analytics/mappings/${m.json().id}`, {
      name: 'ASYCUDA World',
      columns: {},
      codes: {},
      version: 1,
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const stale = await analyst.patch(`/api/analytics/mappings/${m.json().id}`, {
      name: 'x',
      columns: {},
      codes: {},
      version: 1,
    });
    assert.equal(stale.statusCode, 409);
    // A code must translate into a canonical value: every row would be rejected at import otherwise.
    for (const codes of [
      { channel: { R: 'purple' } },
      { assignment: { A: 'Random' } },
      { offence: { Y: 'yes' } },
    ]) {
      const bad = await analyst.post('/api/analytics/mappings', { name: 'Bad codes', columns: {}, codes });
      assert.equal(bad.statusCode, 400, JSON.stringify(codes));
      assert.match(String(bad.headers['content-type']), /^application\/problem\+json/);
    }
    const names = (await analyst.get('/api/analytics/mappings'))
      .json()
      .items.map((m: { name: string }) => m.name);
    assert.ok(!names.includes('Bad codes'), 'nothing stored');
  });

  it('tenant B sees none of it: lists are empty and ids are not found', async () => {
    const b = await h.as(h.b.users.analyst.email);
    assert.deepEqual((await b.get('/api/analytics/datasets')).json().items, []);
    assert.deepEqual((await b.get('/api/analytics/alerts')).json().items, []);
    assert.equal((await b.get(`/api/analytics/datasets/${datasetId}`)).statusCode, 404);
    const res = await upload(b, 'x.csv', FIXTURE);
    assert.equal(res.statusCode, 404, 'an import into another tenant’s dataset');
    const bRows = await h.kernel.db.query<{ n: number }>(
      'select count(*)::int as n from analytics_dataset_versions where tenant_id = $1',
      [h.b.id],
    );
    assert.equal(bRows[0]?.n, 0);
  });
});
