import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withTenant } from '../../platform/db/tenant.ts';
import { multipart } from '../../platform/testing/files.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { generateDeclarations } from './analytics.generator.ts';
import { AnalyticsService, engineOf } from './analytics.service.ts';

// Where triage takes an alert: a draft risk in the register (risks module), a case (cases
// module) whose closing decision later tells whether the alert was substantiated; and the same
// alerts found again by a later run, per period.

interface Alert {
  id: string;
  indicatorId: string;
  subjectType: string;
  subjectId: string;
  officerId: string | null;
  declarantId: string | null;
  officeCode: string | null;
  status: string;
  reference: string | null;
  caseId: string | null;
  riskId: string | null;
  explanation: string;
  version: number;
}

describe('analytics alerts: risk map, substantiation, runs that find alerts again', () => {
  let h: Harness;
  let analyst: Client; // analytics.alerts, risks.read only
  let head: Client; // integrity officer: analytics.alerts, risks.manage, cases.manage
  let versionId: string;
  let alerts: Alert[];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-alerts-'));

  const drain = async () => {
    while ((await h.kernel.jobs.tick()) > 0) {
      /* imports and runs are jobs */
    }
  };
  const row = async <T>(sql: string, ...params: unknown[]) =>
    (await h.kernel.db.query<T & Record<string, unknown>>(sql, params))[0] as T;
  const alert = async (id: string) => (await analyst.get(`/api/analytics/alerts/${id}`)).json() as Alert;

  before(async () => {
    const file = path.join(dir, 'gen.csv');
    await generateDeclarations({ rows: 6000, seed: 5, plant: true, out: file });
    h = await createHarness();
    analyst = await h.as(h.a.users.analyst.email);
    head = await h.as(h.a.users.integrity_officer.email);
    const d = await analyst.post('/api/analytics/datasets', { name: 'Generated', description: '' });
    assert.equal(d.statusCode, 201, d.body);
    const up = await analyst.request({
      method: 'POST',
      url: '/api/analytics/imports',
      ...multipart({
        fields: { datasetId: d.json().id, mode: 'reject-file' },
        file: { filename: 'gen.csv', data: fs.readFileSync(file) },
      }),
    });
    assert.equal(up.statusCode, 202, up.body);
    versionId = up.json().id;
    await drain();
    const run = await analyst.post('/api/analytics/runs', { datasetVersionId: versionId });
    assert.equal(run.statusCode, 202, run.body);
    await drain();
    alerts = (await analyst.get('/api/analytics/alerts')).json().items;
    assert.ok(alerts.length >= 8, `${alerts.length} alerts`);
  });
  after(async () => {
    await engineOf(h.kernel).close();
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the risk map: a draft risk in the register with the alert as its source, linked both ways; risks.manage required', async () => {
    const pair = alerts.find((a) => a.indicatorId === 'I10');
    assert.ok(pair, 'a planted pair is flagged');
    // The office the pair works in is a unit of the organisation with that code.
    const unit = await row<{ id: string }>(
      `insert into org_units (id, tenant_id, type, name, code) values (gen_random_uuid(), $1, 'office', 'Office', $2) returning id`,
      h.a.id,
      pair.officeCode,
    );

    const refused = await analyst.patch(`/api/analytics/alerts/${pair.id}`, {
      status: 'risk_map',
      version: 1,
    });
    assert.equal(refused.statusCode, 403, 'an analyst may triage but not add to the register');
    assert.equal((await alert(pair.id)).status, 'new');
    assert.equal((await row<{ n: number }>('select count(*)::int as n from risks')).n, 0, 'no risk written');

    const res = await head.patch(`/api/analytics/alerts/${pair.id}`, {
      status: 'risk_map',
      reference: 'IA-7',
      version: 1,
    });
    assert.equal(res.statusCode, 200, res.body);
    const a = res.json() as Alert;
    assert.equal(a.status, 'risk_map');
    assert.ok(a.riskId);
    assert.equal(a.caseId, null);

    const risk = (await head.get(`/api/risks/${a.riskId}`)).json();
    assert.equal(a.reference, `${risk.ref} · IA-7`);
    assert.equal(risk.status, 'draft');
    assert.deepEqual(risk.source, { module: 'analytics', ref: pair.id });
    assert.deepEqual(risk.factors, [10], 'I10 informs RAD key factor 10');
    assert.equal(risk.processCode, 'clearance');
    assert.equal(risk.scheme, 'manipulated_assignment');
    assert.equal(risk.orgUnitId, unit.id);
    assert.equal(risk.inherent, null, 'likelihood and impact are left to the risk owner');
    assert.equal(risk.ownerUserId, null);
    // The pattern and where it was seen, not who: the alert (its source) says who.
    assert.equal(risk.title, `Assignment deviation (I10): office ${pair.officeCode}`);
    assert.match(risk.description, /^One officer handled the declarations of one declarant far more often/);
    assert.match(risk.description, new RegExp(`Office: ${pair.officeCode}\\. Period: the whole extract\\.`));
    assert.match(risk.description, new RegExp(`analytics alert ${pair.id}: indicator I10, version 1`));
    // In the register's draft list, and on no heat map.
    assert.deepEqual(
      (await head.get('/api/risks?status=draft')).json().items.map((r: { id: string }) => r.id),
      [a.riskId],
    );
    assert.equal((await head.get('/api/risks/heatmap')).json().total, 0);

    const audit = await h.kernel.db.query<{
      action: string;
      entity_id: string;
      data: Record<string, unknown>;
    }>(
      `select action, entity_id, data from audit_events where tenant_id = $1 and action in ('analytics.alert.risk_map', 'risks.risk.identified') order by seq`,
      [h.a.id],
    );
    assert.deepEqual(
      audit.map((x) => [x.action, x.entity_id]),
      [
        ['risks.risk.identified', a.riskId],
        ['analytics.alert.risk_map', pair.id],
      ],
    );
    assert.equal(audit[0]!.data.sourceRef, pair.id);
    assert.equal(audit[1]!.data.riskId, a.riskId);
    assert.equal((await alert(pair.id)).riskId, a.riskId);

    // Another administration: the alert and the risk are not found, nothing changes.
    const other = await h.as(h.b.users.integrity_officer.email);
    const next = alerts.find((x) => x.status === 'new' && x.id !== pair.id)!;
    assert.equal(
      (await other.patch(`/api/analytics/alerts/${next.id}`, { status: 'risk_map', version: 1 })).statusCode,
      404,
    );
    assert.equal((await other.get(`/api/risks/${a.riskId}`)).statusCode, 404);
    assert.equal((await alert(next.id)).status, 'new');
    assert.equal((await row<{ n: number }>('select count(*)::int as n from risks')).n, 1);
  });

  it('substantiated = escalated alerts whose case closed as substantiated; the share over closed cases, with its interval', async () => {
    // Seed 5 flags two subjects on each of I1, I2, I4, I5 (and I10, one on the map already).
    const of = (i: string) => alerts.filter((a) => a.indicatorId === i);
    for (const i of ['I1', 'I2', 'I4', 'I5']) assert.ok(of(i).length >= 2, `${i}: ${of(i).length} alerts`);
    const [s1, s2] = of('I1') as [Alert, Alert];
    const [s3, s4] = of('I2') as [Alert, Alert];
    const dismissed = of('I4')[0]!;
    const mapped = of('I5')[0]!;
    const cases: Record<string, string> = {};
    for (const a of [s1, s2, s3, s4]) {
      const res = await analyst.patch(`/api/analytics/alerts/${a.id}`, { status: 'escalated', version: 1 });
      assert.equal(res.statusCode, 200, res.body);
      assert.ok(res.json().caseId, 'the alert keeps the id of its case');
      cases[a.id] = res.json().caseId;
    }
    assert.equal(
      (
        await analyst.patch(`/api/analytics/alerts/${dismissed.id}`, {
          status: 'dismissed',
          reason: 'explained by the office mix',
          version: 1,
        })
      ).statusCode,
      200,
    );
    const onMap = await head.patch(`/api/analytics/alerts/${mapped.id}`, { status: 'risk_map', version: 1 });
    assert.equal(onMap.statusCode, 200, onMap.body);

    type Row = Record<string, number | boolean | null>;
    const all = async (c: Client = analyst) => {
      const res = (await c.get('/api/analytics/alerts/substantiation')).json();
      assert.equal(res.minCell, 5, "the cases module's threshold");
      return new Map<string, Row>(res.items.map((r: Row & { indicatorId: string }) => [r.indicatorId, r]));
    };
    const pick = (r: Row | undefined, keys: string[]) => keys.map((k) => r?.[k]);
    const COUNTS = ['raised', 'escalated', 'dismissed', 'riskMap', 'triaged'];
    const OUTCOME = ['casesClosed', 'substantiated', 'notSubstantiated', 'caseOpen', 'share', 'suppressed'];
    let s = await all();
    // The route takes no query parameter: one is refused by name, not silently ignored.
    const stray = await analyst.get('/api/analytics/alerts/substantiation?foo=1');
    assert.equal(stray.statusCode, 400, stray.body);
    assert.match(String(stray.headers['content-type']), /application\/problem\+json/);
    assert.equal(stray.json().code, 'VALIDATION_FAILED');
    assert.match(stray.json().detail, /"foo"/);
    assert.deepEqual(
      stray.json().errors.map((e: { path: string }) => e.path),
      ['querystring'],
    );
    // Two escalated alerts whose cases are open: "2 open" would be worked out from the published
    // total and two zeros, so a zero is withheld with it; closed then cannot be told either.
    assert.deepEqual(pick(s.get('I1'), COUNTS), [2, 2, 0, 0, 2], 'escalating is not substantiating');
    assert.deepEqual(pick(s.get('I1'), OUTCOME), [null, null, 0, null, null, true]);
    assert.deepEqual(pick(s.get('I4'), [...COUNTS, ...OUTCOME]), [
      of('I4').length,
      0,
      1,
      0,
      1,
      0,
      0,
      0,
      0,
      null,
      false,
    ]);
    assert.deepEqual(pick(s.get('I5'), [...COUNTS, 'riskMapOpen']), [of('I5').length, 0, 0, 1, 1, 1]);
    assert.deepEqual(
      pick(s.get('I13'), ['raised', 'casesClosed', 'suppressed']),
      [0, 0, false],
      'an indicator without alerts is listed with zeros',
    );

    // The cases' outcomes, set by hand: I1 substantiated and not substantiated; I2 closed at
    // triage (no decision) and substantiated but not yet closed.
    const set = (id: string, sql: string) => h.kernel.db.query(`update cases set ${sql} where id = $1`, [id]);
    await set(
      cases[s1.id]!,
      `status = 'closed', decision = 'substantiated', outcome = 'management_action', closed_at = now()`,
    );
    await set(
      cases[s2.id]!,
      `status = 'closed', decision = 'not_substantiated', outcome = 'no_action', closed_at = now()`,
    );
    await set(cases[s3.id]!, `status = 'closed', closure_reason = 'unfounded', closed_at = now()`);
    await set(cases[s4.id]!, `status = 'decision', decision = 'substantiated'`);
    s = await all();
    // I1: both cases closed — known from the open count (0) —, one substantiated: which one is not
    // published, nor the share (it would say the same).
    assert.deepEqual(pick(s.get('I1'), OUTCOME), [2, null, null, 0, null, true]);
    assert.deepEqual(pick(s.get('I1'), ['shareLow', 'shareHigh']), [null, null]);
    // I2: one closed without substantiation, one decided but not closed: both withheld.
    assert.deepEqual(pick(s.get('I2'), ['escalated', ...OUTCOME]), [2, null, 0, null, null, null, true]);

    // The risk closed by its owner: no longer counted as on the map.
    const rid = onMap.json().riskId as string;
    await h.kernel.db.query(
      `update risks set status = 'closed', process_id = (select id from risk_processes where tenant_id = $1 limit 1), inherent_likelihood = 2, inherent_impact = 2, residual_likelihood = 1, residual_impact = 1 where id = $2`,
      [h.a.id, rid],
    );
    assert.deepEqual(pick((await all()).get('I5'), ['riskMap', 'riskMapOpen']), [1, 0]);

    // Tenant B has its own counts: none of A's.
    const b = await all(await h.as(h.b.users.analyst.email));
    assert.deepEqual(pick(b.get('I1'), ['raised', 'escalated', 'casesClosed']), [0, 0, 0]);
  });

  it('a later run finds the alerts again with their status; a run over another period raises its own', async () => {
    const svc = new AnalyticsService(h.kernel);
    const run = async (from?: string, to?: string) => {
      const r = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
        svc.createRun(tx, h.a.id, null, { datasetVersionId: versionId, from, to }, false),
      );
      return (await svc.executeRun(h.a.id, r.id)).alerts;
    };
    const again = await run();
    assert.deepEqual(
      again.map((a) => a.id).sort(),
      alerts.map((a) => a.id).sort(),
      'every alert the results support, no new one',
    );
    assert.ok(again.every((a) => !a.isNew));
    const triaged = again.filter((a) => a.status !== 'new');
    assert.equal(triaged.length, 7, 'the statuses triage gave them');
    assert.ok(triaged.some((a) => a.status === 'risk_map') && triaged.some((a) => a.status === 'escalated'));

    const half = await run('2025-01-01', '2025-07-01');
    assert.ok(half.length > 0, 'the first half of the year flags some subjects');
    assert.ok(half.every((a) => a.isNew && a.periodFrom === '2025-01-01' && a.periodTo === '2025-07-01'));
    assert.ok(half.every((a) => a.status === 'new'));
    const halfAgain = await run('2025-01-01', '2025-07-01');
    assert.deepEqual(halfAgain.map((a) => [a.id, a.isNew]).sort(), half.map((a) => [a.id, false]).sort());
    const listed = (await analyst.get('/api/analytics/alerts')).json().items as Alert[];
    assert.equal(listed.length, alerts.length + half.length);
  });

  it('a draft risk names no officer or declarant: a register reader without analytics reads the pattern, an analytics reader follows its source to who', async () => {
    // An administration that opens its register to line managers, who read no analytics.
    h.kernel.permissions.register({
      module: 'risks',
      permissions: [],
      grants: { line_manager: ['risks.read'] },
    });
    const reader = await h.as(h.a.users.line_manager.email);
    type Full = Alert & {
      observed: number;
      expected: number;
      periodFrom: string | null;
      periodTo: string | null;
    };
    const open = (await analyst.get('/api/analytics/alerts?status=new')).json().items as Full[];
    const pair = open.find((a) => a.indicatorId === 'I10');
    const officer = open.find((a) => a.subjectType === 'officer' && a.indicatorId === 'I2');
    assert.ok(pair && officer, 'a new pair alert and a new officer alert');
    // The alerts themselves say who: what the risk must not repeat.
    const who = [pair.officerId!, pair.declarantId!, officer.subjectId];
    assert.ok(pair.explanation.includes(pair.officerId!) && pair.explanation.includes(pair.declarantId!));
    assert.ok(officer.explanation.includes(officer.subjectId));
    const en = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
    const pf = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
    const period = (a: Full) =>
      a.periodFrom || a.periodTo ? `Period: ${a.periodFrom} – ${a.periodTo}.` : 'Period: the whole extract.';
    const cases = [
      { a: pair, size: [en.format(pair.observed), en.format(pair.expected)] },
      { a: officer, size: [pf.format(officer.observed), pf.format(officer.expected)] },
    ];
    const mapped: string[] = [];
    for (const { a, size } of cases) {
      const res = await head.patch(`/api/analytics/alerts/${a.id}`, {
        status: 'risk_map',
        version: a.version,
      });
      assert.equal(res.statusCode, 200, res.body);
      const riskId = res.json().riskId as string;
      mapped.push(riskId);
      const read = await reader.get(`/api/risks/${riskId}`);
      assert.equal(read.statusCode, 200, read.body);
      for (const id of who) assert.ok(!read.body.includes(id), `${id} in ${read.body}`);
      const risk = read.json();
      // Where: the office (a pair's), else the period (an officer's funnel is over all their offices).
      const where = a.officeCode ? `office ${a.officeCode}` : `period ${period(a).slice(8, -1)}`;
      assert.ok(risk.title.endsWith(`): ${where}`), risk.title);
      for (const figure of size)
        assert.ok(risk.description.includes(figure), `${figure} in ${risk.description}`);
      const scope = a.officeCode ? `Office: ${a.officeCode}. ${period(a)}` : period(a);
      assert.ok(risk.description.includes(`\n\n${scope}\n\n`), risk.description);
      assert.match(risk.description, /who is concerned is recorded in the alert only/);
      // The reader cannot open the alert; an analytics reader follows the risk's source to it.
      assert.equal((await reader.get(`/api/analytics/alerts/${risk.source.ref}`)).statusCode, 403);
      assert.deepEqual(risk.source, { module: 'analytics', ref: a.id });
      const back = (await analyst.get(`/api/analytics/alerts/${risk.source.ref}`)).json() as Alert;
      assert.equal(back.riskId, riskId);
      assert.equal(back.explanation, a.explanation, 'the alert keeps who');
    }
    // Nor in the register's list or its export.
    const list = await reader.get('/api/risks?status=draft');
    assert.equal(list.statusCode, 200);
    const listed = list.json().items.map((r: { id: string }) => r.id);
    assert.ok(
      mapped.every((id) => listed.includes(id)),
      'both drafts listed',
    );
    const csv = await reader.get('/api/risks/export?format=csv');
    assert.equal(csv.statusCode, 200);
    for (const body of [list.body, csv.body]) for (const id of who) assert.ok(!body.includes(id), id);
  });

  it("an escalated alert's case concerns the unit that is its office: a handler of that unit is warned of the conflict", async () => {
    // Pair alerts carry their office. Tenant A's are triaged by now: the same extract in B.
    const bAnalyst = await h.as(h.b.users.analyst.email);
    const bHead = await h.as(h.b.users.integrity_officer.email);
    const d = await bAnalyst.post('/api/analytics/datasets', { name: 'Generated', description: '' });
    const up = await bAnalyst.request({
      method: 'POST',
      url: '/api/analytics/imports',
      ...multipart({
        fields: { datasetId: d.json().id, mode: 'reject-file' },
        file: { filename: 'gen.csv', data: fs.readFileSync(path.join(dir, 'gen.csv')) },
      }),
    });
    assert.equal(up.statusCode, 202, up.body);
    await drain();
    assert.equal(
      (await bAnalyst.post('/api/analytics/runs', { datasetVersionId: up.json().id })).statusCode,
      202,
    );
    await drain();
    const open = ((await bAnalyst.get('/api/analytics/alerts?status=new')).json().items as Alert[]).filter(
      (a) => a.officeCode,
    );
    const [inMatched, inUnmatched] = open as [Alert, Alert];
    assert.ok(inUnmatched && inMatched.officeCode !== inUnmatched.officeCode, 'new alerts in two offices');
    const matched = inMatched.officeCode!;
    const unmatched = inUnmatched.officeCode!;
    const unit = async (type: string, code: string) =>
      (
        await row<{ id: string }>(
          `insert into org_units (id, tenant_id, type, name, code) values (gen_random_uuid(), $1, $2, $3, $4) returning id`,
          h.b.id,
          type,
          `Unit ${code}`,
          code,
        )
      ).id;
    // The office is a unit of type office; the other code is carried only by a border post (and
    // by an office of another administration).
    const office = await unit('office', matched);
    await unit('border_post', unmatched);
    await row(
      `insert into org_units (id, tenant_id, type, name, code) values (gen_random_uuid(), $1, 'office', 'A', $2)`,
      h.a.id,
      unmatched,
    );
    const caseOf = async (id: string) =>
      (
        (await bHead.get('/api/cases')).json().items as {
          id: string;
          orgUnitId: string | null;
          orgUnit: string | null;
          title: string;
        }[]
      ).find((x) => x.id === id)!;
    const audited = async (id: string) =>
      (
        await row<{ data: Record<string, unknown> }>(
          `select data from audit_events where tenant_id = $1 and action = 'analytics.alert.escalated' and entity_id = $2`,
          h.b.id,
          id,
        )
      ).data;

    const esc = await bAnalyst.patch(`/api/analytics/alerts/${inMatched.id}`, {
      status: 'escalated',
      version: inMatched.version,
    });
    assert.equal(esc.statusCode, 200, esc.body);
    const caseId = esc.json().caseId as string;
    const c = await caseOf(caseId);
    assert.equal(c.orgUnitId, office);
    assert.equal(c.orgUnit, `Unit ${matched}`);
    // The title names the pattern, never the officer or declarant (ADR 0025).
    for (const id of [inMatched.officerId, inMatched.declarantId, inMatched.subjectId])
      if (id && id !== matched) assert.ok(!c.title.includes(id), `${id} in ${c.title}`);
    assert.equal((await audited(inMatched.id)).caseUnitId, office);

    // The head of integrity works in that office: warned, and refused without acknowledging it.
    const membership = `update memberships set org_unit_id = $1 where tenant_id = $2 and user_id = (select id from users where email = $3)`;
    await h.kernel.db.query(membership, [office, h.b.id, h.b.users.integrity_officer.email]);
    const cands = (await bHead.get(`/api/cases/${caseId}/candidates`)).json().items as {
      userId: string;
      conflict: boolean;
    }[];
    const me = cands.find((m) => m.userId === h.b.users.integrity_officer.id)!;
    assert.equal(me.conflict, true);
    assert.ok(
      cands.some((m) => !m.conflict),
      'members of other units are not warned',
    );
    const refused = await bHead.post(`/api/cases/${caseId}/assign`, { userId: me.userId });
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(
      (await bHead.post(`/api/cases/${caseId}/assign`, { userId: me.userId, acknowledgeConflict: true }))
        .statusCode,
      200,
    );

    // No office of that code (a border post carries it): the case concerns no unit, nobody is warned.
    const esc2 = await bAnalyst.patch(`/api/analytics/alerts/${inUnmatched.id}`, {
      status: 'escalated',
      version: inUnmatched.version,
    });
    assert.equal(esc2.statusCode, 200, esc2.body);
    const c2 = await caseOf(esc2.json().caseId);
    assert.equal(c2.orgUnitId, null);
    assert.equal((await audited(inUnmatched.id)).caseUnitId, null);
    const cands2 = (await bHead.get(`/api/cases/${esc2.json().caseId}/candidates`)).json().items as {
      conflict: boolean;
    }[];
    assert.ok(cands2.length > 0 && cands2.every((m) => !m.conflict));
    await h.kernel.db.query(membership, [null, h.b.id, h.b.users.integrity_officer.email]);
  });
});
