import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { ALERTS_JOB } from './index.ts';
import { addMonths, monthsBetween, tenureStatus } from './postings.service.ts';

describe('postings: tenure arithmetic', () => {
  it('adds months, clamping to the end of shorter months', () => {
    assert.equal(addMonths('2027-01-31', 1), '2027-02-28');
    assert.equal(addMonths('2028-01-31', 1), '2028-02-29');
    assert.equal(addMonths('2024-03-15', 36), '2027-03-15');
    assert.equal(addMonths('2026-11-30', 3), '2027-02-28');
  });
  it('counts whole months served', () => {
    assert.equal(monthsBetween('2024-03-15', '2027-03-14'), 35);
    assert.equal(monthsBetween('2024-03-15', '2027-03-15'), 36);
    assert.equal(monthsBetween('2027-01-31', '2027-02-28'), 1);
    assert.equal(monthsBetween('2027-01-01', '2027-01-01'), 0);
  });
  it('is due soon within the alert days, overdue once passed', () => {
    assert.equal(tenureStatus('2027-06-30', '2027-03-01', 90), 'ok');
    assert.equal(tenureStatus('2027-06-30', '2027-04-01', 90), 'due_soon');
    assert.equal(tenureStatus('2027-06-30', '2027-06-30', 90), 'due_soon');
    assert.equal(tenureStatus('2027-06-30', '2027-07-01', 90), 'overdue');
  });
});

describe('postings: positions, history, cooling-off, rotation plan, alerts', () => {
  let h: Harness;
  let officer: Client;
  let lm: Client;
  let port: string;
  let quay: string;
  let sensitive: string;
  let office: string;
  const count = async (sql: string, params: unknown[] = []) =>
    (await h.kernel.db.query<{ n: number }>(sql, params))[0]!.n;

  before(async () => {
    h = await createHarness();
    officer = await h.as(h.a.users.integrity_officer.email);
    lm = await h.as(h.a.users.line_manager.email);
    const unit = async (name: string, parent: string | null) =>
      (
        await h.kernel.db.query<{ id: string }>(
          `insert into org_units (id, tenant_id, type, name, parent_id) values (gen_random_uuid(), $1, 'office', $2, $3) returning id`,
          [h.a.id, name, parent],
        )
      )[0]!.id;
    port = await unit('Port office', null);
    quay = await unit('Quay 3', port);
    await h.kernel.db.query('update memberships set org_unit_id = $1 where user_id = $2', [
      port,
      h.a.users.line_manager.id,
    ]);
  });
  after(() => h.close());

  it('creates positions; refuses bad input with nothing stored; line managers read, not write', async () => {
    const bads = [
      { title: 'x', vulnerability: 'extreme' },
      { title: 'x', vulnerability: 'high', maxTenureMonths: -3 },
      { title: 'x', vulnerability: 'high', maxTenureMonths: 100000 },
      { title: 'x', vulnerability: 'high', orgUnitId: h.b.id },
      { title: 'x', vulnerability: 'high', riskIds: [h.a.id] },
      { title: '', vulnerability: 'high' },
    ];
    for (const b of bads)
      assert.equal((await officer.post('/api/postings/positions', b)).statusCode, 400, JSON.stringify(b));
    assert.equal(await count('select count(*)::int as n from positions'), 0);
    assert.equal(
      (await lm.post('/api/postings/positions', { title: 'x', vulnerability: 'low' })).statusCode,
      403,
    );
    const a = await officer.post('/api/postings/positions', {
      title: 'Cargo examiner, quay 3',
      function: 'Physical examination of containers',
      vulnerability: 'high',
      orgUnitId: quay,
      maxTenureMonths: 36,
      coolingOffMonths: 24,
    });
    assert.equal(a.statusCode, 201, a.body);
    sensitive = a.json().id;
    office = (
      await officer.post('/api/postings/positions', {
        title: 'Back office',
        vulnerability: 'low',
        orgUnitId: port,
      })
    ).json().id;
    const list = (await lm.get('/api/postings/positions')).json().items;
    assert.equal(list.length, 2);
    assert.equal(list.find((p: { id: string }) => p.id === sensitive).unit, 'Quay 3');
  });

  it('records postings, closes the open one, computes tenure, and enforces cooling-off (or records the override)', async () => {
    const staff = h.a.users.staff.id;
    const first = await officer.post('/api/postings/history', {
      userId: staff,
      positionId: sensitive,
      startDate: '2022-01-10',
      reason: 'rotation',
    });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().tenureEnd, '2025-01-10');
    const bads = [
      { userId: h.b.users.staff.id, positionId: sensitive, startDate: '2024-01-01', reason: 'rotation' },
      { userId: staff, positionId: h.a.id, startDate: '2024-01-01', reason: 'rotation' },
      {
        userId: staff,
        positionId: office,
        startDate: '2024-01-01',
        endDate: '2023-01-01',
        reason: 'rotation',
      },
      { userId: staff, positionId: office, startDate: '2024-01-01', reason: 'holiday' },
    ];
    for (const b of bads)
      assert.equal((await officer.post('/api/postings/history', b)).statusCode, 400, JSON.stringify(b));
    assert.equal(await count('select count(*)::int as n from postings'), 1, 'nothing stored');
    const moved = await officer.post('/api/postings/history', {
      userId: staff,
      positionId: office,
      startDate: '2025-02-01',
      reason: 'rotation',
    });
    assert.equal(moved.statusCode, 201, moved.body);
    const hist = (await officer.get(`/api/postings/history?userId=${staff}`)).json().items;
    assert.equal(hist[0].endDate, '2025-01-31', 'the open posting ends the day before');
    assert.equal(hist[0].months, 36);
    // Back to the sensitive position within 24 months of leaving it: refused.
    const back = { userId: staff, positionId: sensitive, startDate: '2026-06-01', reason: 'request' };
    const refused = await officer.post('/api/postings/history', back);
    assert.equal(refused.statusCode, 409, refused.body);
    assert.match(refused.json().detail, /2027-01-31/);
    assert.equal(await count('select count(*)::int as n from postings'), 2);
    const overridden = await officer.post('/api/postings/history', {
      ...back,
      overrideReason: 'Only qualified examiner left',
    });
    assert.equal(overridden.statusCode, 201, overridden.body);
    assert.equal(overridden.json().overrideReason, 'Only qualified examiner left');
    assert.equal(
      await count("select count(*)::int as n from audit_events where action = 'postings.posting.created'"),
      3,
    );
    // After the cooling-off period, no reason needed.
    const analyst = h.a.users.analyst.id;
    await officer.post('/api/postings/history', {
      userId: analyst,
      positionId: sensitive,
      startDate: '2020-01-01',
      endDate: '2022-12-31',
      reason: 'rotation',
    });
    const later = await officer.post('/api/postings/history', {
      userId: analyst,
      positionId: sensitive,
      startDate: '2025-01-01',
      reason: 'rotation',
    });
    assert.equal(later.statusCode, 201, later.body);
    assert.equal(later.json().overrideReason, null);
  });

  const run = async (now: string) => {
    await h.kernel.jobs.enqueue(h.kernel.db.owner, ALERTS_JOB, { now }, { tenantId: null });
    while ((await h.kernel.jobs.tick()) > 0) {
      /* drain the per-tenant jobs */
    }
  };
  const notes = () =>
    h.kernel.db.query<{ dedupe_key: string; user_id: string; tenant_id: string }>(
      "select dedupe_key, user_id, tenant_id from notifications where dedupe_key like 'posting:%' order by dedupe_key, user_id",
    );

  it('the rotation plan lists open postings by tenure end; alerts go once, to the line manager up the units', async () => {
    const plan = (await lm.get('/api/postings/plan')).json();
    assert.equal(plan.enabled, true);
    // staff (back on 2026-06-01 → 2029-06-01) and analyst (2025-01-01 → 2028-01-01); the back office has no maximum.
    assert.deepEqual(
      plan.items.map((i: { tenureEnd: string }) => i.tenureEnd),
      ['2028-01-01', '2029-06-01'],
    );
    assert.ok(plan.byMonth.length >= 24);
    await run('2027-09-01T06:00:00Z');
    assert.equal((await notes()).length, 0, 'more than 90 days before');
    await run('2027-10-15T06:00:00Z');
    let n = await notes();
    assert.equal(n.length, 1);
    assert.equal(
      n[0]!.user_id,
      h.a.users.line_manager.id,
      'the quay has no line manager: the port office one',
    );
    assert.match(n[0]!.dedupe_key, /:tenure_due:2028-01-01$/);
    await run('2027-10-16T06:00:00Z');
    await run('2027-12-01T06:00:00Z');
    assert.equal((await notes()).length, 1, 'once');
    await run('2028-01-02T06:00:00Z');
    n = await notes();
    assert.equal(n.length, 2);
    assert.ok(n.some((x) => x.dedupe_key.endsWith(':tenure_exceeded:2028-01-01')));
    await run('2028-01-03T06:00:00Z');
    assert.equal((await notes()).length, 2);
    assert.ok(n.every((x) => x.tenant_id === h.a.id));
  });

  it('switched off: no alerts and no cooling-off check; the plan says so', async () => {
    assert.equal(
      (
        await lm.request({
          method: 'PUT',
          url: '/api/postings/rules',
          payload: { enabled: false, alertDays: 90, version: 0 },
        })
      ).statusCode,
      403,
    );
    const stale = await officer.request({
      method: 'PUT',
      url: '/api/postings/rules',
      payload: { enabled: false, alertDays: 90, version: 3 },
    });
    assert.equal(stale.statusCode, 409);
    const off = await officer.request({
      method: 'PUT',
      url: '/api/postings/rules',
      payload: { enabled: false, alertDays: 90, version: 0 },
    });
    assert.equal(off.statusCode, 200, off.body);
    assert.equal(off.json().enabled, false);
    assert.equal((await lm.get('/api/postings/plan')).json().enabled, false);
    const before = (await notes()).length;
    await run('2029-07-01T06:00:00Z');
    assert.equal((await notes()).length, before, 'no alert when switched off');
    // Posting the analyst back within the cooling-off period: accepted without a reason.
    await officer.post('/api/postings/history', {
      userId: h.a.users.analyst.id,
      positionId: office,
      startDate: '2028-02-01',
      reason: 'rotation',
    });
    const back = await officer.post('/api/postings/history', {
      userId: h.a.users.analyst.id,
      positionId: sensitive,
      startDate: '2028-06-01',
      reason: 'request',
    });
    assert.equal(back.statusCode, 201, back.body);
    assert.equal(back.json().overrideReason, null);
    const on = await officer.request({
      method: 'PUT',
      url: '/api/postings/rules',
      payload: { enabled: true, alertDays: 60, version: off.json().version },
    });
    assert.equal(on.statusCode, 200, on.body);
    assert.deepEqual([on.json().enabled, on.json().alertDays], [true, 60]);
  });

  it('tenant B sees none of it', async () => {
    const b = await h.as(h.b.users.integrity_officer.email);
    assert.equal((await b.get('/api/postings/positions')).json().items.length, 0);
    assert.equal((await b.get('/api/postings/history')).json().items.length, 0);
    assert.equal((await b.get('/api/postings/plan')).json().items.length, 0);
    assert.equal((await b.get('/api/postings/rules')).json().enabled, true, 'A switched its rules, not B');
    assert.equal(
      (
        await b.post('/api/postings/history', {
          userId: h.b.users.staff.id,
          positionId: sensitive,
          startDate: '2027-01-01',
          reason: 'rotation',
        })
      ).statusCode,
      400,
    );
    const staff = await h.as(h.a.users.staff.email);
    assert.equal((await staff.get('/api/postings/plan')).statusCode, 403);
  });
});
