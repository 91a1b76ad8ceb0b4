import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { createHarness, type Client, type Harness } from '../../platform/testing/harness.ts';
import { readTable } from '../../platform/tables/tables.ts';

// The dashboard composes the three integrity-cycle modules; this test drives them through
// their own routes, then checks what the dashboard, the PDF report and the exports show.

// biome-ignore lint/suspicious/noExplicitAny: JSON test payloads
type Json = Record<string, any>;
const RAD = 'urn:arusha:library:rad-idg';

function ok(res: LightMyRequestResponse, status = 200): Json {
  assert.equal(res.statusCode, status, res.body.slice(0, 600));
  return res.json() as Json;
}

function pdfText(pdf: Buffer): string | null {
  const file = path.join(os.tmpdir(), `dash-${process.pid}-${Date.now()}.pdf`);
  fs.writeFileSync(file, pdf);
  try {
    return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } catch {
    return null; // poppler-utils missing: the %PDF check still applies
  } finally {
    fs.rmSync(file, { force: true });
  }
}

describe('dashboard', () => {
  let h: Harness;
  let officer: Client;
  let analyst: Client;
  let executive: Client;
  let assessmentId: string;

  async function validatedAssessment(title: string, rating: (refId: string) => number): Promise<string> {
    const opts = ok(await officer.get('/api/assessments/options'));
    const frameworkLibraryId = opts.frameworks.find((f: Json) => f.urn === RAD).libraryId;
    const a = ok(
      await officer.post('/api/assessments', {
        title,
        type: 'self',
        frameworkLibraryId,
        team: [
          { userId: h.a.users.integrity_officer.id, role: 'facilitator' },
          { userId: h.a.users.analyst.id, role: 'assessor' },
          { userId: h.a.users.executive.id, role: 'executive_sponsor' },
        ],
      }),
      201,
    );
    const move = async (to: string) => {
      const cur = ok(await officer.get(`/api/assessments/${a.id}`));
      ok(await officer.post(`/api/assessments/${a.id}/transition`, { to, version: cur.version }));
    };
    await move('in_progress');
    const factors = ok(await officer.get(`/api/assessments/${a.id}/items`)).factors as Json[];
    for (const f of factors)
      for (const i of f.items)
        ok(
          await analyst.request({
            method: 'PUT',
            url: `/api/assessments/${a.id}/items/${i.id}/response`,
            payload: {
              version: i.response.version,
              rating: rating(i.refId),
              strengths: i.refId === '1.1' ? 'Leadership <b>signs</b> the integrity pledge' : null,
              weaknesses: i.refId === '8.1' ? 'Rotation rules not applied at the port' : null,
            },
          }),
        );
    await move('in_review');
    const cur = ok(await officer.get(`/api/assessments/${a.id}`));
    ok(await executive.post(`/api/assessments/${a.id}/validate`, { version: cur.version, note: 'Signed' }));
    return a.id;
  }

  before(async () => {
    h = await createHarness();
    officer = await h.as(h.a.users.integrity_officer.email);
    analyst = await h.as(h.a.users.analyst.email);
    executive = await h.as(h.a.users.executive.email);
  });
  after(() => h.close());

  it('an administration with nothing yet gets an empty dashboard, not an error', async () => {
    const d = ok(await executive.get('/api/dashboard'));
    assert.equal(d.assessment, null);
    assert.deepEqual(d.trend, []);
    assert.equal(d.actions.open, 0);
    assert.deepEqual(d.risks, []);
    assert.deepEqual(d.kpis, []);
  });

  it('shows the latest scores with deltas, overdue actions, top residual risks and KPI progress', async () => {
    await validatedAssessment('RAD 2025', () => 1);
    assessmentId = await validatedAssessment('RAD 2026', (ref) => (ref.startsWith('8.') ? 2 : 3));

    const processes = ok(await officer.get('/api/risks/processes')).items as Json[];
    const proc = (code: string) => processes.find((p) => p.code === code)!.id;
    for (const [title, l, i] of [
      ['Selectivity override to green by supervisors', 5, 5],
      ['Pilferage of seized goods in warehouses', 2, 2],
    ] as const)
      ok(
        await officer.post('/api/risks', {
          processId: proc(title.startsWith('Selectivity') ? 'examination' : 'seized_goods'),
          title,
          scheme: 'collusion',
          factors: [6],
          inherentLikelihood: l,
          inherentImpact: i,
          residualLikelihood: l,
          residualImpact: i,
        }),
        201,
      );

    const plan = ok(
      await officer.post('/api/action-plans', {
        title: 'IAP 2025–2027',
        horizonStart: '2025-01-01',
        horizonEnd: '2027-12-31',
      }),
      201,
    );
    ok(
      await officer.post(`/api/action-plans/${plan.id}/actions`, {
        objective: 'Rotate staff in vulnerable posts',
        factor: 8,
        startDate: '2025-02-01',
        dueDate: '2025-06-30',
      }),
      201,
    );
    ok(
      await officer.post(`/api/action-plans/${plan.id}/actions`, {
        objective: 'Publish the code of conduct',
        factor: 7,
        startDate: '2025-02-01',
        dueDate: '2027-06-30',
      }),
      201,
    );

    const d = ok(await executive.get('/api/dashboard'));
    assert.equal(d.assessment.title, 'RAD 2026');
    assert.equal(d.trend.length, 2);
    // Hand-computed: every item 3/4 = 75 % except factor 8 (2/4 = 50 %); previous all 1/4 = 25 %.
    const f1 = d.assessment.factors.find((f: Json) => f.factor === 1);
    const f8 = d.assessment.factors.find((f: Json) => f.factor === 8);
    assert.deepEqual([f1.score, f1.previous, f1.delta], [75, 25, 50]);
    assert.deepEqual([f8.score, f8.previous, f8.delta], [50, 25, 25]);
    assert.equal(d.actions.open, 2);
    assert.equal(d.actions.overdue, 1);
    assert.equal(d.actions.overdueList[0].objective, 'Rotate staff in vulnerable posts');
    assert.equal(d.risks[0].title, 'Selectivity override to green by supervisors');
    assert.equal(d.risks[0].residualScore, 25);
    assert.ok(d.risks[0].residualScore >= d.risks[1].residualScore);
  });

  // Chromium is a system package (README): without it this test says so as skipped.
  const chromium = fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
  it('the assessment report downloads as a PDF in the reader’s language', {
    skip: !chromium && 'Chromium is not installed (CHROMIUM_PATH)',
  }, async () => {
    const res = await officer.get(`/api/dashboard/reports/assessments/${assessmentId}`);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.match(String(res.headers['content-disposition']), /attachment; filename="RAD-2026\.pdf"/);
    const pdf = res.rawPayload;
    if (process.env.KEEP_REPORT) fs.writeFileSync(process.env.KEEP_REPORT, pdf);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const text = pdfText(pdf);
    if (text !== null) {
      assert.match(text, /Integrity self-assessment report/i);
      assert.match(text, /RAD 2026/);
      assert.match(text, /Rotation rules not applied at the port/);
      assert.match(text, /Selectivity override to green/);
      assert.match(text, /Rotate staff in vulnerable posts/);
      assert.match(text, /Leadership <b>signs<\/b>/, 'user text is escaped, shown as typed');
    }
    const fr = await officer.get(`/api/dashboard/reports/assessments/${assessmentId}?locale=fr`);
    assert.equal(fr.statusCode, 200);
    if (process.env.KEEP_REPORT)
      fs.writeFileSync(
        process.env.KEEP_REPORT.replace('.pdf', '-ar.pdf'),
        (await officer.get(`/api/dashboard/reports/assessments/${assessmentId}?locale=ar`)).rawPayload,
      );
    const frText = pdfText(fr.rawPayload);
    if (frText !== null) assert.match(frText, /Rapport d’autoévaluation de l’intégrité/i);
  });

  it('exports responses, risks, actions and KPIs as XLSX and CSV that read back', async () => {
    for (const dataset of ['responses', 'risks', 'actions', 'kpis'])
      for (const format of ['xlsx', 'csv'] as const) {
        const res = await officer.get(
          `/api/dashboard/exports/${dataset}?format=${format}${dataset === 'responses' ? `&assessmentId=${assessmentId}` : ''}`,
        );
        assert.equal(res.statusCode, 200, `${dataset} ${format}: ${res.body.slice(0, 200)}`);
        const t = await readTable(res.rawPayload, format);
        if (dataset === 'responses') {
          assert.equal(t.rows.length, 67, 'one row per RAD checklist item');
          assert.equal(t.rows.find((r) => r.ref_id === '8.1')!.rating, 2);
        }
        if (dataset === 'risks') assert.equal(t.rows.length, 2);
        if (dataset === 'actions') assert.equal(t.rows.length, 2);
      }
  });

  it('other tenants’ assessments are not found; bad input is a 4xx; staff may not read', async () => {
    const other = await h.as(h.b.users.integrity_officer.email);
    assert.equal((await other.get(`/api/dashboard/reports/assessments/${assessmentId}`)).statusCode, 404);
    assert.equal((await officer.get('/api/dashboard/exports/secrets')).statusCode, 400);
    assert.equal((await officer.get('/api/dashboard/exports/risks?format=pdf')).statusCode, 400);
    assert.equal((await officer.get('/api/dashboard/reports/assessments/not-a-uuid')).statusCode, 400);
    const staff = await h.as(h.a.users.staff.email);
    assert.equal((await staff.get('/api/dashboard')).statusCode, 403);
  });
});
