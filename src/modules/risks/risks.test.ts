import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Client, type Harness } from '../../platform/testing/harness.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import { RisksApi } from './index.ts';
import { addDays, isoDay } from '../../platform/dates.ts';

describe('risks', () => {
  let h: Harness;
  let officer: Client; // integrity officer: read + manage
  let exec: Client; // executive: read + approve
  let analyst: Client; // read only
  let processes: { id: string; code: string; name: string; version: number }[];
  const proc = (code: string) => processes.find((p) => p.code === code)!.id;
  const count = async (tenantId: string) =>
    Number(
      (
        await h.kernel.db.query<{ n: number }>('select count(*)::int as n from risks where tenant_id = $1', [
          tenantId,
        ])
      )[0]!.n,
    );

  const risk = (over: Record<string, unknown> = {}) => ({
    processId: proc('valuation'),
    title: 'Officers accept undervalued invoices in exchange for payments',
    scheme: 'bribery',
    actors: ['valuation officer', 'broker'],
    factors: [6, 8],
    inherentLikelihood: 4,
    inherentImpact: 4,
    residualLikelihood: 3,
    residualImpact: 4,
    controls: [
      {
        description: 'Valuation database check',
        kind: 'detective',
        automated: true,
        effectiveness: 'effective',
      },
    ],
    ...over,
  });

  before(async () => {
    h = await createHarness();
    officer = await h.as(h.a.users.integrity_officer.email);
    exec = await h.as(h.a.users.executive.email);
    analyst = await h.as(h.a.users.analyst.email);
  });
  after(() => h.close());

  it('the process catalogue is pre-loaded, translated, with stable ids, and stored on first use', async () => {
    const en = await analyst.get('/api/risks/processes');
    assert.equal(en.statusCode, 200, en.body);
    processes = en.json().items;
    assert.equal(processes.length, 15);
    assert.equal(processes.find((p) => p.code === 'seized_goods')!.name, 'Seized and abandoned goods');
    const fr = await analyst.request({
      method: 'GET',
      url: '/api/risks/processes',
      headers: { 'accept-language': 'fr' },
    });
    assert.equal(
      fr.json().items.find((p: { code: string }) => p.code === 'post_clearance_audit').name,
      'Contrôle a posteriori',
    );
    const stored = await h.kernel.db.query('select id from risk_processes where tenant_id = $1', [h.a.id]);
    assert.equal(stored.length, 0, 'a read stores nothing');
    const added = await officer.post('/api/risks/processes', {
      code: 'warehouses',
      name: 'Bonded warehouses',
    });
    assert.equal(added.statusCode, 201, added.body);
    const after = (await analyst.get('/api/risks/processes')).json().items;
    assert.equal(after.length, 16);
    assert.equal(
      after.find((p: { code: string }) => p.code === 'valuation').id,
      proc('valuation'),
      'same id once stored',
    );
    processes = after;
    // idempotent: a second mutation does not duplicate the catalogue
    const again = await officer.post('/api/risks/processes', { code: 'warehouses', name: 'x' });
    assert.equal(again.statusCode, 409);
    const renamed = await officer.patch(`/api/risks/processes/${proc('transit')}`, {
      name: 'Transit and TIR',
      version: 1,
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().name, 'Transit and TIR');
    const stale = await officer.patch(`/api/risks/processes/${proc('transit')}`, {
      archived: true,
      version: 1,
    });
    assert.equal(stale.statusCode, 409);
    assert.equal((await analyst.post('/api/risks/processes', { code: 'x_y', name: 'x' })).statusCode, 403);
  });

  it('a risk gets its levels from the 5×5 matrix (4×4 = 16 high, 3×4 = 12 high, 2×2 = 4 low)', async () => {
    const res = await officer.post('/api/risks', risk());
    assert.equal(res.statusCode, 201, res.body);
    const r = res.json();
    assert.equal(r.ref, 'R-001');
    assert.deepEqual(
      [r.inherent.score, r.inherent.level.id, r.inherent.level.color],
      [16, 'high', '#e8590c'],
    );
    assert.deepEqual([r.residual.score, r.residual.level.id], [12, 'high']);
    assert.deepEqual(r.flags, []);
    assert.equal(r.process, 'Valuation');
    const low = await officer.post(
      '/api/risks',
      risk({ residualLikelihood: 2, residualImpact: 2, ref: 'VAL-2' }),
    );
    assert.equal(low.json().residual.level.id, 'low');
    assert.equal(low.json().ref, 'VAL-2');
    const crit = await officer.post(
      '/api/risks',
      risk({
        inherentLikelihood: 5,
        inherentImpact: 4,
        residualLikelihood: 5,
        residualImpact: 4,
        controls: [],
      }),
    );
    assert.deepEqual(
      [crit.json().ref, crit.json().inherent.level.id, crit.json().inherent.level.label],
      ['R-002', 'critical', 'Critical'],
    );
    const dup = await officer.post('/api/risks', risk({ ref: 'VAL-2' }));
    assert.equal(dup.statusCode, 409);
  });

  it('bad input is a clear 4xx and stores nothing', async () => {
    const n = await count(h.a.id);
    const cases: [string, Record<string, unknown>, number, RegExp][] = [
      [
        'likelihood outside the matrix',
        { inherentLikelihood: 6 },
        422,
        /inherentLikelihood: outside the matrix: likelihood is 1–5/,
      ],
      ['impact outside the matrix', { residualImpact: 0 }, 400, /residualImpact/],
      ['factor 11', { factors: [1, 11] }, 400, /factors/],
      ['factor 0', { factors: [0] }, 400, /factors/],
      ['duplicate factor', { factors: [3, 3] }, 400, /factors/],
      [
        'unknown process',
        { processId: '01900000-0000-7000-8000-000000000000' },
        422,
        /processId: unknown process/,
      ],
      [
        'next review in the past',
        { nextReviewOn: '2020-01-01' },
        422,
        /nextReviewOn: the next review \(2020-01-01\) is before today/,
      ],
      ['not a date', { nextReviewOn: '2026-02-30' }, 422, /not a calendar date/],
      [
        'control tested in the future',
        {
          controls: [
            {
              description: 'x',
              kind: 'preventive',
              automated: false,
              effectiveness: 'effective',
              lastTestedOn: '2999-01-01',
            },
          ],
        },
        422,
        /future/,
      ],
      ['unknown scheme', { scheme: 'theft' }, 400, /scheme/],
      ['unknown field', { colour: 'red' }, 400, /colour|Unrecognized/i],
    ];
    for (const [name, over, status, msg] of cases) {
      const res = await officer.post('/api/risks', risk(over));
      assert.equal(res.statusCode, status, `${name}: ${res.body}`);
      assert.match(res.body, msg, name);
      assert.match(String(res.headers['content-type']), /problem\+json/);
    }
    assert.equal(await count(h.a.id), n, 'nothing stored');
  });

  it('consistency flags: residual above inherent, reduction without controls, only ineffective controls', async () => {
    const above = (
      await officer.post('/api/risks', risk({ residualImpact: 5, residualLikelihood: 2, controls: [] }))
    ).json();
    // inherent 4×4, residual 2×5: impact rose → above inherent; likelihood fell with no control
    assert.deepEqual(above.flags, ['residual_above_inherent', 'reduction_without_controls']);
    const weak = await officer.patch(`/api/risks/${above.id}`, {
      residualImpact: 4,
      controls: [
        {
          description: 'Supervisor sign-off',
          kind: 'preventive',
          automated: false,
          effectiveness: 'ineffective',
        },
      ],
      version: above.version,
    });
    assert.equal(weak.statusCode, 200, weak.body);
    assert.deepEqual(weak.json().flags, ['reduction_with_only_ineffective_controls']);
    assert.equal(weak.json().controls.length, 1);
    const list = (await analyst.get('/api/risks?flag=reduction_with_only_ineffective_controls')).json().items;
    assert.deepEqual(
      list.map((r: { id: string }) => r.id),
      [above.id],
    );
    // Overdue: a past next review date (set in the database: the API refuses a past date).
    await h.kernel.db.query(`update risks set next_review_on = '2021-03-01' where id = $1`, [above.id]);
    const overdue = (await analyst.get(`/api/risks/${above.id}`)).json();
    assert.equal(overdue.overdue, true);
    assert.ok(overdue.flags.includes('overdue_review'));
    const stale = await officer.patch(`/api/risks/${above.id}`, { title: 'x', version: above.version });
    assert.equal(stale.statusCode, 409);
  });

  it('acceptance: accept → pending; only risks.approve decides; re-rating resets it; audited', async () => {
    const r = (
      await officer.post('/api/risks', risk({ treatment: 'accept', processId: proc('passengers') }))
    ).json();
    assert.equal(r.acceptance, 'pending');
    assert.ok(r.flags.includes('acceptance_pending'));
    assert.equal(
      (await officer.post(`/api/risks/${r.id}/acceptance`, { decision: 'approve', version: r.version }))
        .statusCode,
      403,
    );
    const ok = await exec.post(`/api/risks/${r.id}/acceptance`, {
      decision: 'approve',
      note: 'Within appetite',
      version: r.version,
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const a = ok.json();
    assert.equal(a.acceptance, 'approved');
    assert.equal(a.acceptanceDecidedBy, 'executive A');
    assert.equal(a.acceptanceNote, 'Within appetite');
    assert.ok(!a.flags.includes('acceptance_pending'));
    assert.equal(
      (await exec.post(`/api/risks/${r.id}/acceptance`, { decision: 'reject', version: a.version }))
        .statusCode,
      409,
      'decided already',
    );
    const unrated = await officer.patch(`/api/risks/${r.id}`, {
      title: 'Passengers: unrecorded cash seizures',
      version: a.version,
    });
    assert.equal(
      unrated.json().acceptance,
      'approved',
      'a change that leaves the residual rating keeps the decision',
    );
    const rerated = await officer.patch(`/api/risks/${r.id}`, {
      residualLikelihood: 2,
      version: unrated.json().version,
    });
    assert.equal(rerated.json().acceptance, 'pending');
    assert.equal(rerated.json().acceptanceDecidedBy, null);
    const rejected = await exec.post(`/api/risks/${r.id}/acceptance`, {
      decision: 'reject',
      version: rerated.json().version,
    });
    assert.deepEqual(rejected.json().flags, ['acceptance_rejected']);
    const reduced = await officer.patch(`/api/risks/${r.id}`, {
      treatment: 'reduce',
      version: rejected.json().version,
    });
    assert.equal(reduced.json().acceptance, 'none');
    const notAccept = (await officer.post('/api/risks', risk())).json();
    assert.equal(
      (await exec.post(`/api/risks/${notAccept.id}/acceptance`, { decision: 'approve', version: 1 }))
        .statusCode,
      409,
    );
    const audit = await h.kernel.db.query<{ action: string }>(
      `select action from audit_events where entity_id = $1 order by seq`,
      [r.id],
    );
    assert.deepEqual(
      audit.map((x) => x.action),
      [
        'risks.risk.created',
        'risks.risk.acceptance_approved',
        'risks.risk.updated',
        'risks.risk.updated',
        'risks.risk.acceptance_rejected',
        'risks.risk.updated',
      ],
    );
  });

  it('review: next review = today + the interval of the residual level (high 90 days, critical 30)', async () => {
    const high = (await officer.post('/api/risks', risk())).json();
    const res = await officer.post(`/api/risks/${high.id}/review`, { version: high.version });
    assert.equal(res.statusCode, 200, res.body);
    const today = isoDay(new Date());
    assert.equal(res.json().nextReviewOn, addDays(today, 90));
    assert.equal(res.json().lastReviewedAt.slice(0, 10), today);
    const crit = (
      await officer.post(
        '/api/risks',
        risk({ inherentLikelihood: 5, inherentImpact: 5, residualLikelihood: 5, residualImpact: 5 }),
      )
    ).json();
    assert.equal(
      (await officer.post(`/api/risks/${crit.id}/review`, { version: 1 })).json().nextReviewOn,
      addDays(today, 30),
    );
    assert.equal((await analyst.post(`/api/risks/${crit.id}/review`, { version: 2 })).statusCode, 403);
  });

  it('heat map: counts per cell for inherent and residual, filters, the risks behind a cell', async () => {
    const all = (await analyst.get('/api/risks?status=open')).json().items as {
      id: string;
      processId: string;
      factors: number[];
      inherent: { likelihood: number; impact: number };
      residual: { likelihood: number; impact: number };
    }[];
    const hm = await analyst.get('/api/risks/heatmap');
    assert.equal(hm.statusCode, 200, hm.body);
    const m = hm.json();
    assert.equal(m.cells.length, 25);
    assert.equal(m.total, all.length);
    const cell = (l: number, i: number) =>
      m.cells.find((c: { likelihood: number; impact: number }) => c.likelihood === l && c.impact === i);
    const expected = all.filter((r) => r.inherent.likelihood === 4 && r.inherent.impact === 4);
    assert.ok(expected.length >= 3);
    assert.equal(cell(4, 4).inherentCount, expected.length);
    assert.deepEqual([...cell(4, 4).inherentRiskIds].sort(), expected.map((r) => r.id).sort());
    assert.equal(cell(4, 4).levelId, 'high');
    assert.equal(cell(5, 5).color, '#c92a2a');
    assert.equal(
      m.cells.reduce((s: number, c: { residualCount: number }) => s + c.residualCount, 0),
      all.length,
    );
    const byProcess = (await analyst.get(`/api/risks/heatmap?processId=${proc('passengers')}`)).json();
    assert.equal(byProcess.total, all.filter((r) => r.processId === proc('passengers')).length);
    const byFactor = (await analyst.get('/api/risks/heatmap?factor=6')).json();
    assert.equal(byFactor.total, all.filter((r) => r.factors.includes(6)).length);
    assert.equal((await analyst.get('/api/risks/heatmap?factor=11')).statusCode, 400);
    const api = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
      new RisksApi(h.kernel).heatmap(tx, 'en'),
    );
    assert.deepEqual(api.cells, m.cells);
  });

  it('snapshots freeze the register; the trend shows moved, new and closed risks', async () => {
    const s1 = await officer.post('/api/risks/snapshots', { label: 'Review Q1' });
    assert.equal(s1.statusCode, 201, s1.body);
    const open = (await analyst.get('/api/risks?status=open')).json().items;
    assert.equal(s1.json().riskCount, open.length);
    const target = open.find((r: { residual: { level: { id: string } } }) => r.residual.level.id === 'high');
    const lowered = await officer.patch(`/api/risks/${target.id}`, {
      residualLikelihood: 1,
      residualImpact: 2,
      version: target.version,
    });
    assert.equal(lowered.json().residual.level.id, 'low');
    const closedOne = open.find((r: { id: string }) => r.id !== target.id);
    await officer.patch(`/api/risks/${closedOne.id}`, { status: 'closed', version: closedOne.version });
    const added = (
      await officer.post(
        '/api/risks',
        risk({ processId: proc('recruitment'), scheme: 'nepotism', title: 'Nepotism in entry exams' }),
      )
    ).json();
    const s2 = (await officer.post('/api/risks/snapshots', { label: 'Review Q2' })).json();
    const trend = await analyst.get(`/api/risks/trend?from=${s1.json().id}&to=${s2.id}`);
    assert.equal(trend.statusCode, 200, trend.body);
    const tr = trend.json();
    assert.deepEqual(tr.moved, [
      {
        id: target.id,
        ref: target.ref,
        title: target.title,
        fromLevel: 'high',
        toLevel: 'low',
        direction: 'down',
      },
    ]);
    assert.deepEqual(
      tr.added.map((r: { id: string }) => r.id),
      [added.id],
    );
    assert.deepEqual(
      tr.closed.map((r: { id: string }) => r.id),
      [closedOne.id],
    );
    assert.equal(
      tr.to.residual.low,
      tr.from.residual.low + 1 + (closedOne.residual.level.id === 'low' ? -1 : 0),
    );
    const reversed = await analyst.get(`/api/risks/trend?from=${s2.id}&to=${s1.json().id}`);
    assert.equal(reversed.statusCode, 422);
    assert.match(reversed.body, /dates out of order/);
    const list = (await analyst.get('/api/risks/snapshots')).json().items;
    assert.deepEqual(
      list.map((s: { label: string }) => s.label),
      ['Review Q2', 'Review Q1'],
    );
    const detail = (await analyst.get(`/api/risks/snapshots/${s2.id}`)).json();
    assert.equal(detail.risks.find((r: { id: string }) => r.id === target.id).residual.levelId, 'low');
    const frozen = (await analyst.get(`/api/risks/heatmap?snapshotId=${s1.json().id}`)).json();
    assert.equal(frozen.total, s1.json().riskCount);
    assert.equal(frozen.snapshot.label, 'Review Q1');
  });

  it('matrix settings: bands validated, version-checked, a custom 4×4 re-levels every risk', async () => {
    const s = (await analyst.get('/api/risks/settings')).json();
    assert.equal(s.matrix.likelihood.length, 5);
    assert.deepEqual(
      s.view.levels.map((l: { id: string; min: number; max: number }) => [l.id, l.min, l.max]),
      [
        ['low', 1, 4],
        ['medium', 5, 9],
        ['high', 10, 19],
        ['critical', 20, 25],
      ],
    );
    assert.deepEqual(s.reviewDays, { critical: 30, high: 90, medium: 180, low: 365 });
    const gap = structuredClone(s.matrix);
    gap.levels[1].min = 6;
    const bad = await officer.request({
      method: 'PUT',
      url: '/api/risks/settings',
      payload: { matrix: gap, reviewDays: s.reviewDays, version: s.version },
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /scores 5–5 belong to no level \(gap\)/);
    const relabel = structuredClone(s.matrix);
    relabel.levels[3].label.en = 'Very high';
    relabel.levels[3].color = '#800000';
    const ok = await officer.request({
      method: 'PUT',
      url: '/api/risks/settings',
      payload: { matrix: relabel, reviewDays: s.reviewDays, version: s.version },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const stale = await officer.request({
      method: 'PUT',
      url: '/api/risks/settings',
      payload: { matrix: relabel, reviewDays: s.reviewDays, version: s.version },
    });
    assert.equal(stale.statusCode, 409);
    assert.equal(
      (
        await analyst.request({
          method: 'PUT',
          url: '/api/risks/settings',
          payload: { matrix: relabel, reviewDays: s.reviewDays, version: 2 },
        })
      ).statusCode,
      403,
    );
    // Shrinking below the ratings in use is refused.
    const m4 = {
      likelihood: s.matrix.likelihood.slice(0, 4),
      impact: s.matrix.impact.slice(0, 4),
      levels: [
        { id: 'low', label: { en: 'Low' }, color: '#2f9e44', min: 1, max: 3 },
        { id: 'moderate', label: { en: 'Moderate' }, color: '#f08c00', min: 4, max: 8 },
        { id: 'severe', label: { en: 'Severe' }, color: '#c92a2a', min: 9, max: 16 },
      ],
    };
    const days = { low: 365, moderate: 120, severe: 45 };
    const shrink = await officer.request({
      method: 'PUT',
      url: '/api/risks/settings',
      payload: { matrix: m4, reviewDays: days, version: 2 },
    });
    assert.equal(shrink.statusCode, 409);
    assert.match(shrink.body, /Re-rate/);
    await h.kernel.db.query(
      'update risks set inherent_likelihood = least(inherent_likelihood, 4), inherent_impact = least(inherent_impact, 4), residual_likelihood = least(residual_likelihood, 4), residual_impact = least(residual_impact, 4) where tenant_id = $1',
      [h.a.id],
    );
    const four = await officer.request({
      method: 'PUT',
      url: '/api/risks/settings',
      payload: { matrix: m4, reviewDays: days, version: 2 },
    });
    assert.equal(four.statusCode, 200, four.body);
    const r = (await analyst.get('/api/risks'))
      .json()
      .items.find(
        (x: { inherent: { likelihood: number; impact: number } }) =>
          x.inherent.likelihood === 4 && x.inherent.impact === 4,
      );
    assert.deepEqual([r.inherent.score, r.inherent.level.id], [16, 'severe']);
    const two = (await analyst.get('/api/risks'))
      .json()
      .items.find((x: { residual: { score: number } }) => x.residual.score === 2);
    if (two) assert.equal(two.residual.level.id, 'low');
    const hm = (await analyst.get('/api/risks/heatmap')).json();
    assert.equal(hm.cells.length, 16);
    const out = await officer.post('/api/risks', risk({ inherentLikelihood: 5 }));
    assert.equal(out.statusCode, 422, 'likelihood 5 is now outside the matrix');
  });

  it("every risks route with an id answers 404 for tenant B's objects and changes nothing", async () => {
    const { isolationFixtures } = await import('./risks.isolation.ts');
    const fixtures = await isolationFixtures(h);
    const admin = await h.as(h.a.users.platform_admin.email);
    for (const [route, f] of Object.entries(fixtures)) {
      const [method, url] = route.split(' ') as ['GET' | 'POST' | 'PATCH', string];
      const res = await admin.request({
        method,
        url: url.replace(':id', f.id!),
        ...(f.payload ? { payload: f.payload as object } : {}),
      });
      assert.equal(res.statusCode, 404, `${route}: ${res.statusCode} ${res.body}`);
    }
    for (const f of Object.values(fixtures)) await f.unchanged?.();
  });

  it("tenant B sees none of A's risks, and the public interface works inside a tenant", async () => {
    const b = await h.as(h.b.users.integrity_officer.email);
    assert.deepEqual(
      (await b.get('/api/risks')).json().items.map((r: { title: string }) => r.title),
      ['B risk'],
    );
    assert.equal((await b.get('/api/risks/heatmap')).json().total, 1);
    assert.deepEqual(
      (await b.get('/api/risks/snapshots')).json().items.map((s: { label: string }) => s.label),
      ['B snapshot'],
    );
    const aRisk = (await analyst.get('/api/risks')).json().items[0];
    assert.equal((await b.get(`/api/risks/${aRisk.id}`)).statusCode, 404);
    const api = new RisksApi(h.kernel);
    const top = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
      api.topResidual(tx, 3, 'fr'),
    );
    assert.equal(top.length, 3);
    assert.ok(
      top[0]!.residualScore >= top[1]!.residualScore && top[1]!.residualScore >= top[2]!.residualScore,
    );
    assert.ok(typeof top[0]!.residualLevel.color === 'string');
    const ids = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: null }, (tx) =>
      api.exists(tx, [aRisk.id, 'not-a-uuid']),
    );
    assert.deepEqual(ids, [], "A's risk does not exist for B");
    assert.ok(
      !(await b.get(`/api/risks/processes`))
        .json()
        .items.some((p: { code: string }) => p.code === 'warehouses'),
    );
    const mine = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
      api.exists(tx, [aRisk.id]),
    );
    assert.deepEqual(mine, [aRisk.id]);
  });
});
