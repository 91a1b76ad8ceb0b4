import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withTenant } from '../../platform/db/tenant.ts';
import { createHarness, type Client, type Harness } from '../../platform/testing/harness.ts';
import { ActionPlansApi, REMINDERS_JOB } from './index.ts';

const ITEM = 'urn:arusha:rad:f1:i1';
const ITEM2 = 'urn:arusha:rad:f8:i1';

describe('action plans', () => {
  let h: Harness;
  let officer: Client;
  let exec: Client;
  let staff: Client;
  let analyst: Client;
  let planId: string;
  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    (
      await h.kernel.db.query<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`, params)
    )[0]!.n;

  before(async () => {
    h = await createHarness();
    officer = await h.as(h.a.users.integrity_officer.email);
    exec = await h.as(h.a.users.executive.email);
    staff = await h.as(h.a.users.staff.email);
    analyst = await h.as(h.a.users.analyst.email);
    const res = await officer.post('/api/action-plans', {
      title: 'IAP 2026–2028',
      horizonStart: '2026-01-01',
      horizonEnd: '2028-12-31',
      fundingSource: 'National budget',
    });
    assert.equal(res.statusCode, 201, res.body);
    planId = res.json().id;
  });
  after(() => h.close());

  const newAction = (body: Record<string, unknown>) =>
    officer.post(`/api/action-plans/${planId}/actions`, {
      objective: 'Publish the code of conduct',
      startDate: '2026-02-01',
      dueDate: '2026-09-30',
      ...body,
    });

  it('creates a plan and actions with references, links and milestones', async () => {
    const res = await newAction({
      factor: 1,
      gapItemUrns: [ITEM, ITEM2],
      budget: 12000,
      currency: 'EUR',
      milestones: [{ title: 'Draft ready', dueDate: '2026-04-30' }],
    });
    assert.equal(res.statusCode, 201, res.body);
    const a = res.json();
    assert.equal(a.ref, 'A-01');
    assert.deepEqual(a.gapItemUrns, [ITEM, ITEM2]);
    assert.equal(a.milestones.length, 1);
    assert.equal(a.origin, 'manual');
    const plan = (await analyst.get(`/api/action-plans/${planId}`)).json();
    assert.equal(plan.actions.length, 1);
    assert.equal(plan.status, 'draft');
    const second = (await newAction({ objective: 'Second' })).json();
    assert.equal(second.ref, 'A-02');
  });

  it('dates out of order are refused with 4xx and nothing is stored', async () => {
    const plans = await count('action_plans');
    const bad = await officer.post('/api/action-plans', {
      title: 'Backwards',
      horizonStart: '2027-01-01',
      horizonEnd: '2026-12-31',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'VALIDATION_FAILED');
    assert.equal(await count('action_plans'), plans);

    const actions = await count('plan_actions');
    const startAfterDue = await newAction({ startDate: '2026-05-01', dueDate: '2026-04-01' });
    assert.equal(startAfterDue.statusCode, 400);
    assert.ok(startAfterDue.json().errors.some((e: { path: string }) => e.path === 'body.dueDate'));
    const outside = await newAction({ dueDate: '2029-03-01' });
    assert.equal(outside.statusCode, 400);
    const msOutside = await newAction({ milestones: [{ title: 'late', dueDate: '2029-01-15' }] });
    assert.equal(msOutside.statusCode, 400);
    assert.equal(await count('plan_actions'), actions);

    const a = (await newAction({ objective: 'Dates' })).json();
    const ms = await officer.post(`/api/action-plans/actions/${a.id}/milestones`, {
      title: 'Before horizon',
      dueDate: '2025-12-01',
    });
    assert.equal(ms.statusCode, 400);
    assert.equal(await count('action_milestones', 'action_id = $1', [a.id]), 0);
    const patch = await officer.patch(`/api/action-plans/actions/${a.id}`, {
      version: a.version,
      startDate: '2026-10-01',
    });
    assert.equal(patch.statusCode, 400, 'start after the existing due date');

    // A horizon that would strand existing actions is refused; the plan is unchanged.
    const plan = (await officer.get(`/api/action-plans/${planId}`)).json();
    const shrink = await officer.patch(`/api/action-plans/${planId}`, {
      version: plan.version,
      horizonEnd: '2026-06-30',
    });
    assert.equal(shrink.statusCode, 400);
    const endBeforeStart = await officer.patch(`/api/action-plans/${planId}`, {
      version: plan.version,
      horizonEnd: '2025-06-30',
    });
    assert.equal(endBeforeStart.statusCode, 400);
    const after = (await officer.get(`/api/action-plans/${planId}`)).json();
    assert.equal(after.horizonEnd, '2028-12-31');
    assert.equal(after.version, plan.version);
    const del = await officer.request({
      method: 'DELETE',
      url: `/api/action-plans/actions/${a.id}?version=${a.version}`,
    });
    assert.equal(del.statusCode, 204, del.body);
    assert.equal(await count('plan_actions', 'id = $1', [a.id]), 0);
    assert.equal(await count('action_milestones', 'action_id = $1', [a.id]), 0);
    const again = await officer.request({
      method: 'DELETE',
      url: `/api/action-plans/actions/${a.id}?version=${a.version}`,
    });
    assert.equal(again.statusCode, 404);
  });

  it('unknown factors, risks and checklist items are refused with 4xx', async () => {
    const before = await count('plan_actions');
    for (const factor of [0, 11, 2.5])
      assert.equal((await newAction({ factor })).statusCode, 400, `factor ${factor}`);
    const risk = await newAction({ riskIds: ['01900000-0000-7000-8000-0000000000aa'] });
    assert.equal(risk.statusCode, 400);
    assert.match(risk.body, /unknown risk/);
    const urn = await newAction({ gapItemUrns: ['urn:arusha:rad:f1:i999'] });
    assert.equal(urn.statusCode, 400);
    assert.match(urn.body, /unknown checklist item/);
    const notUrn = await newAction({ gapItemUrns: ['not a urn'] });
    assert.equal(notUrn.statusCode, 400);
    const factorNode = await newAction({ gapItemUrns: ['urn:arusha:rad:f1'] });
    assert.equal(factorNode.statusCode, 400, 'a factor is not a checklist item');
    const owner = await newAction({ ownerUserId: h.b.users.staff.id });
    assert.equal(owner.statusCode, 400, "another organisation's user is not an owner");
    assert.equal(await count('plan_actions'), before);
    // The same checks on accept: one bad proposal and none is stored.
    const acc = await officer.post(`/api/action-plans/${planId}/actions/accept`, {
      actions: [
        { objective: 'ok', gapItemUrns: [ITEM] },
        { objective: 'bad', gapItemUrns: ['urn:arusha:rad:f2:i404'] },
      ],
    });
    assert.equal(acc.statusCode, 400);
    assert.ok(acc.json().errors.some((e: { path: string }) => e.path === 'body.actions.1.gapItemUrns'));
    assert.equal(await count('plan_actions'), before);
  });

  it('accepted proposals become actions with origin proposed', async () => {
    const res = await officer.post(`/api/action-plans/${planId}/actions/accept`, {
      actions: [
        { objective: 'Raise 1.1 (rated 1/4)', factor: 1, gapItemUrns: [ITEM], dueDate: '2026-12-31' },
        { objective: 'Raise 8.1', factor: 8, gapItemUrns: [ITEM2] },
      ],
    });
    assert.equal(res.statusCode, 201, res.body);
    const items = res.json().items;
    assert.deepEqual(
      items.map((a: { origin: string; factor: number }) => [a.origin, a.factor]),
      [
        ['proposed', 1],
        ['proposed', 8],
      ],
    );
    assert.notEqual(items[0].ref, items[1].ref);
  });

  it('the draft proposes nothing it cannot consult and says why', async () => {
    const res = await officer.post(`/api/action-plans/${planId}/draft`, { itemLimit: 3, riskLimit: 3 });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(Array.isArray(res.json().proposals));
    assert.equal(
      await count('plan_actions', "origin = 'proposed' and plan_id = $1", [planId]),
      2,
      'nothing stored',
    );
  });

  it('concurrent edits: the second save with a stale version gets 409 VERSION_CONFLICT', async () => {
    const a = (await newAction({ objective: 'Concurrent' })).json();
    const [x, y] = await Promise.all([
      officer.patch(`/api/action-plans/actions/${a.id}`, { version: a.version, objective: 'first' }),
      officer.patch(`/api/action-plans/actions/${a.id}`, { version: a.version, objective: 'second' }),
    ]);
    assert.deepEqual([x.statusCode, y.statusCode].sort(), [200, 409]);
    assert.equal((x.statusCode === 409 ? x : y).json().code, 'VERSION_CONFLICT');
    const plan = (await officer.get(`/api/action-plans/${planId}`)).json();
    const stale = await officer.patch(`/api/action-plans/${planId}`, {
      version: plan.version - 1 || 99,
      title: 'x',
    });
    assert.equal(stale.statusCode, 409);
    const progress = await officer.post(`/api/action-plans/actions/${a.id}/progress`, {
      version: 1,
      progress: 10,
    });
    assert.equal(progress.json().code, 'VERSION_CONFLICT');
    const del = await officer.request({
      method: 'DELETE',
      url: `/api/action-plans/actions/${a.id}?version=1`,
    });
    assert.equal(del.statusCode, 409);
    assert.equal(await count('plan_actions', 'id = $1', [a.id]), 1);
  });

  it('approval records who and when; an approved horizon changes only by withdrawing the approval', async () => {
    let plan = (await officer.get(`/api/action-plans/${planId}`)).json();
    assert.equal(
      (await officer.post(`/api/action-plans/${planId}/approve`, { version: plan.version })).statusCode,
      403,
    );
    const early = await officer.patch(`/api/action-plans/${planId}`, {
      version: plan.version,
      status: 'in_progress',
    });
    assert.equal(early.statusCode, 409, 'a draft cannot be in progress');
    const ok = await exec.post(`/api/action-plans/${planId}/approve`, {
      version: plan.version,
      note: 'Approved by the executive board',
    });
    assert.equal(ok.statusCode, 200, ok.body);
    plan = ok.json();
    assert.equal(plan.status, 'approved');
    assert.equal(plan.approvedBy, h.a.users.executive.id);
    assert.equal(plan.approvedByName, 'executive A');
    assert.ok(plan.approvedAt);
    assert.equal(
      (await exec.post(`/api/action-plans/${planId}/approve`, { version: plan.version })).statusCode,
      409,
    );

    const silent = await officer.patch(`/api/action-plans/${planId}`, {
      version: plan.version,
      horizonEnd: '2029-12-31',
    });
    assert.equal(silent.statusCode, 409);
    assert.equal((await officer.get(`/api/action-plans/${planId}`)).json().horizonEnd, '2028-12-31');
    const titleOnly = await officer.patch(`/api/action-plans/${planId}`, {
      version: plan.version,
      title: 'IAP 2026–2028 (rev.)',
    });
    assert.equal(titleOnly.json().status, 'approved', 'other edits keep the approval');
    const withdrawn = await officer.patch(`/api/action-plans/${planId}`, {
      version: titleOnly.json().version,
      horizonEnd: '2029-12-31',
      withdrawApproval: true,
    });
    assert.equal(withdrawn.statusCode, 200, withdrawn.body);
    assert.equal(withdrawn.json().status, 'draft');
    assert.equal(withdrawn.json().approvedAt, null);
    const audit = await h.kernel.db.query<{ action: string }>(
      "select action from audit_events where entity_id = $1 and action like 'action-plans.plan.%' order by seq",
      [planId],
    );
    assert.ok(audit.some((x) => x.action === 'action-plans.plan.approval_withdrawn'));
    const again = await exec.post(`/api/action-plans/${planId}/approve`, {
      version: withdrawn.json().version,
    });
    assert.equal(again.statusCode, 200);
  });

  it('owners report progress (person or unit); others with the report permission may not; done sets 100 %', async () => {
    const a = (await newAction({ objective: 'Owned', ownerUserId: h.a.users.staff.id })).json();
    const other = (await newAction({ objective: 'Not mine' })).json();
    const notMine = await staff.post(`/api/action-plans/actions/${other.id}/progress`, {
      version: 1,
      progress: 50,
    });
    assert.equal(notMine.statusCode, 403);
    assert.equal(
      (await exec.post(`/api/action-plans/actions/${a.id}/progress`, { version: 1, progress: 5 })).statusCode,
      403,
    );
    assert.equal(
      (await staff.patch(`/api/action-plans/actions/${a.id}`, { version: 1, objective: 'x' })).statusCode,
      403,
      'reporting is not editing',
    );
    const p = await staff.post(`/api/action-plans/actions/${a.id}/progress`, {
      version: 1,
      status: 'in_progress',
      progress: 40,
    });
    assert.equal(p.statusCode, 200, p.body);
    const done = await staff.post(`/api/action-plans/actions/${a.id}/progress`, {
      version: 2,
      status: 'done',
      evidence: 'Published on the intranet',
    });
    assert.equal(done.json().progress, 100);
    assert.ok(done.json().completedAt);
    assert.equal(done.json().evidence, 'Published on the intranet');

    // Membership of the owner unit makes the analyst an owner too.
    const [unit] = await h.kernel.db.query<{ id: string }>(
      `insert into org_units (id, tenant_id, type, name) values (gen_random_uuid(), $1, 'directorate', 'Integrity Unit') returning id`,
      [h.a.id],
    );
    await h.kernel.db.query('update memberships set org_unit_id = $1 where tenant_id = $2 and user_id = $3', [
      unit!.id,
      h.a.id,
      h.a.users.analyst.id,
    ]);
    const unitAction = (await newAction({ objective: 'Unit owned', ownerUnitId: unit!.id })).json();
    const byUnit = await analyst.post(`/api/action-plans/actions/${unitAction.id}/progress`, {
      version: 1,
      progress: 30,
    });
    assert.equal(byUnit.statusCode, 200, byUnit.body);
    assert.equal(
      (await staff.post(`/api/action-plans/actions/${unitAction.id}/progress`, { version: 2, progress: 35 }))
        .statusCode,
      403,
    );
  });

  it('KPIs: direction-aware progress, values over time, wrong-side targets refused', async () => {
    const wrong = await officer.post('/api/action-plans/kpis', {
      code: 'CLR',
      name: 'Average clearance time',
      unit: 'h',
      direction: 'decrease',
      baseline: 24,
      target: 72,
    });
    assert.equal(wrong.statusCode, 400);
    const k = await officer.post('/api/action-plans/kpis', {
      planId,
      code: 'CLR',
      name: 'Average clearance time',
      unit: 'h',
      direction: 'decrease',
      baseline: 72,
      target: 24,
      factor: 5,
    });
    assert.equal(k.statusCode, 201, k.body);
    const id = k.json().id;
    assert.equal(
      (
        await officer.post('/api/action-plans/kpis', {
          code: 'CLR',
          name: 'dup',
          unit: 'h',
          direction: 'increase',
        })
      ).statusCode,
      409,
    );
    await staff.post(`/api/action-plans/kpis/${id}/values`, { periodEnd: '2026-03-31', value: 60 });
    const v = await staff.post(`/api/action-plans/kpis/${id}/values`, { periodEnd: '2026-06-30', value: 48 });
    assert.equal(v.statusCode, 201, v.body);
    assert.equal(v.json().latest.value, 48);
    assert.equal(v.json().progress, 0.5); // (48−72)/(24−72)
    assert.equal(v.json().values.length, 2);
    const corrected = await staff.post(`/api/action-plans/kpis/${id}/values`, {
      periodEnd: '2026-06-30',
      value: 36,
    });
    assert.equal(corrected.json().values.length, 2, 'one value per period and source');
    assert.equal(corrected.json().progress, 0.75);
    const stale = await officer.patch(`/api/action-plans/kpis/${id}`, { version: 1, name: 'a' });
    assert.equal(stale.statusCode, 200);
    assert.equal(
      (await officer.patch(`/api/action-plans/kpis/${id}`, { version: 1, name: 'b' })).statusCode,
      409,
    );
    assert.equal(
      (await exec.post(`/api/action-plans/kpis/${id}/values`, { periodEnd: '2026-09-30', value: 1 }))
        .statusCode,
      403,
    );
    const api = new ActionPlansApi(h.kernel);
    const rows = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
      api.kpiProgress(tx),
    );
    assert.deepEqual(
      rows.map((r) => [r.code, r.progress, r.latest?.value]),
      [['CLR', 0.75, 36]],
    );
  });

  it('summary and overdue actions: counted by status and factor, overdue computed from the due date', async () => {
    const res = await officer.post('/api/action-plans', {
      title: 'Summary plan',
      horizonStart: '2026-01-01',
      horizonEnd: '2026-12-31',
    });
    const pid = res.json().id;
    const add = (b: Record<string, unknown>) =>
      officer.post(`/api/action-plans/${pid}/actions`, { objective: 'S', ...b }).then((r) => r.json());
    await add({ factor: 3, dueDate: '2026-03-31' }); // overdue on 2026-06-01
    await add({ factor: 3, dueDate: '2026-09-30' }); // open
    const d = await add({ factor: 4, dueDate: '2026-02-28' });
    await officer.patch(`/api/action-plans/actions/${d.id}`, { version: 1, status: 'done' }); // done: not overdue
    await add({ factor: 4, dueDate: '2026-04-30', status: 'delayed' }); // overdue, status delayed
    await add({ factor: 4, dueDate: '2026-01-31', status: 'cancelled' }); // closed
    // Count only this plan: remove the other plan's actions from view by a fresh tenant read.
    const api = new ActionPlansApi(h.kernel);
    const today = new Date('2026-06-01T12:00:00Z');
    const { s, overdue } = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, async (tx) => ({
      s: await api.summary(tx, today),
      overdue: await api.overdueActions(tx, 50, today),
    }));
    const f3 = s.byFactor.find((f) => f.factor === 3)!;
    const f4 = s.byFactor.find((f) => f.factor === 4)!;
    assert.deepEqual(f3, { factor: 3, open: 2, overdue: 1 });
    assert.deepEqual(f4, { factor: 4, open: 1, overdue: 1 });
    assert.equal(s.byFactor.length, 10);
    assert.ok(s.byStatus.cancelled >= 1 && s.byStatus.delayed >= 1 && s.byStatus.done >= 2);
    const mine = overdue.filter((o) => o.planId === pid);
    assert.deepEqual(
      mine.map((o) => o.dueDate),
      ['2026-03-31', '2026-04-30'],
    );
    const summary = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
      api.planSummary(tx, pid, today),
    );
    assert.equal(summary!.totals.actions, 5);
    assert.equal(summary!.totals.overdue, 2);
    const exported = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
      api.rows(tx, 'actions', today),
    );
    assert.ok(exported.length >= 5 && 'objective' in exported[0]!);
  });

  it('tenant isolation: B sees none of A’s plans or KPIs, and A’s ids are 404 for B', async () => {
    const bOfficer = await h.as(h.b.users.integrity_officer.email);
    const list = (await bOfficer.get('/api/action-plans')).json().items;
    assert.ok(!list.some((p: { id: string }) => p.id === planId));
    assert.equal((await bOfficer.get(`/api/action-plans/${planId}`)).statusCode, 404);
    assert.equal((await bOfficer.get('/api/action-plans/kpis')).json().items.length, 0);
  });

  it('permission matrix: readers read, only managers manage, only approvers approve', async () => {
    const donor = await h.as(h.a.users.donor_viewer.email);
    assert.equal((await donor.get('/api/action-plans')).statusCode, 403);
    assert.equal((await analyst.get('/api/action-plans')).statusCode, 200);
    assert.equal(
      (
        await exec.post('/api/action-plans', {
          title: 'x',
          horizonStart: '2026-01-01',
          horizonEnd: '2026-12-31',
        })
      ).statusCode,
      403,
    );
    assert.equal((await staff.post(`/api/action-plans/${planId}/draft`, {})).statusCode, 403);
    assert.equal((await h.anonymous().get('/api/action-plans')).statusCode, 401);
  });
});

describe('action plan reminders', () => {
  let h: Harness;
  let officer: Client;
  before(async () => {
    h = await createHarness();
    officer = await h.as(h.a.users.integrity_officer.email);
  });
  after(() => h.close());

  const run = async (now: string, tenantId: string | null = null) => {
    await h.kernel.jobs.enqueue(h.kernel.db.owner, REMINDERS_JOB, { now }, { tenantId });
    while ((await h.kernel.jobs.tick()) > 0) {
      /* the fan-out job enqueues one job per tenant: drain them */
    }
  };
  const notes = async (like: string) =>
    h.kernel.db.query<{ dedupe_key: string; user_id: string }>(
      'select dedupe_key, user_id from notifications where dedupe_key like $1 order by dedupe_key',
      [like],
    );
  const mails = async (to: string, like: string) =>
    (
      await h.kernel.db.query<{ n: number }>(
        'select count(*)::int as n from mail_outbox where "to" = $1 and subject like $2',
        [to, like],
      )
    )[0]!.n;

  it('fire once per due event; a moved clock and a moved due date are new events, each sent once', async () => {
    const plan = (
      await officer.post('/api/action-plans', {
        title: 'R',
        horizonStart: '2026-01-01',
        horizonEnd: '2027-12-31',
      })
    ).json();
    const staffId = h.a.users.staff.id;
    const a = (
      await officer.post(`/api/action-plans/${plan.id}/actions`, {
        objective: 'Rotate officers',
        ownerUserId: staffId,
        dueDate: '2026-06-05',
        milestones: [{ title: 'Rota drafted', dueDate: '2026-06-03' }],
      })
    ).json();
    const unowned = (
      await officer.post(`/api/action-plans/${plan.id}/actions`, {
        objective: 'Unowned',
        dueDate: '2026-06-04',
      })
    ).json();
    const later = (
      await officer.post(`/api/action-plans/${plan.id}/actions`, {
        objective: 'Later',
        dueDate: '2026-09-01',
      })
    ).json();
    // Tenant B has an action due too: the schedule's fan-out reaches every organisation.
    const bOfficer = await h.as(h.b.users.integrity_officer.email);
    const bPlan = (
      await bOfficer.post('/api/action-plans', {
        title: 'B',
        horizonStart: '2026-01-01',
        horizonEnd: '2027-12-31',
      })
    ).json();
    await bOfficer.post(`/api/action-plans/${bPlan.id}/actions`, {
      objective: 'B due',
      dueDate: '2026-06-02',
    });

    await run('2026-06-01T06:00:00Z');
    await run('2026-06-01T18:00:00Z'); // the same day again: nothing new
    assert.deepEqual(
      (await notes(`action:${a.id}:%`)).map((n) => [n.dedupe_key, n.user_id]),
      [[`action:${a.id}:due_soon:2026-06-05`, staffId]],
    );
    assert.equal((await notes(`milestone:${a.milestones[0].id}:%`)).length, 1);
    assert.deepEqual(
      (await notes(`action:${unowned.id}:%`)).map((n) => n.user_id),
      [h.a.users.integrity_officer.id],
      'no owner: the plan creator is reminded',
    );
    assert.equal((await notes(`action:${later.id}:%`)).length, 0, 'not due within 7 days');
    assert.equal(await mails(h.a.users.staff.email, `%Action ${a.ref} '%is due on 2026-06-05%`), 1);
    const bNotes = await h.kernel.db.query<{ n: number }>(
      'select count(*)::int as n from notifications where tenant_id = $1',
      [h.b.id],
    );
    assert.equal(bNotes[0]!.n, 1, "tenant B's reminder came through its own job");

    // The clock moves past the due date: an overdue event, once.
    await run('2026-06-06T06:00:00Z');
    await run('2026-06-07T06:00:00Z');
    assert.deepEqual(
      (await notes(`action:${a.id}:%`)).map((n) => n.dedupe_key),
      [`action:${a.id}:due_soon:2026-06-05`, `action:${a.id}:overdue:2026-06-05`],
    );
    assert.equal(await mails(h.a.users.staff.email, `%Action ${a.ref} '%was due on 2026-06-05%`), 1);

    // The due date moves: a new due-soon event fires once.
    const cur = (await officer.get(`/api/action-plans/${plan.id}`))
      .json()
      .actions.find((x: { id: string }) => x.id === a.id);
    const moved = await officer.patch(`/api/action-plans/actions/${a.id}`, {
      version: cur.version,
      dueDate: '2026-06-10',
    });
    assert.equal(moved.statusCode, 200, moved.body);
    await run('2026-06-07T06:00:00Z');
    await run('2026-06-08T06:00:00Z');
    assert.deepEqual(
      (await notes(`action:${a.id}:%`)).map((n) => n.dedupe_key),
      [
        `action:${a.id}:due_soon:2026-06-05`,
        `action:${a.id}:due_soon:2026-06-10`,
        `action:${a.id}:overdue:2026-06-05`,
      ],
    );
    assert.equal(await mails(h.a.users.staff.email, `%Action ${a.ref} '%is due on 2026-06-10%`), 1);

    // Done: no more reminders.
    const cur2 = (await officer.get(`/api/action-plans/${plan.id}`))
      .json()
      .actions.find((x: { id: string }) => x.id === a.id);
    await officer.patch(`/api/action-plans/actions/${a.id}`, { version: cur2.version, status: 'done' });
    await run('2026-06-12T06:00:00Z');
    assert.equal((await notes(`action:${a.id}:%`)).length, 3);
  });
});

describe('action plans demo data', () => {
  it('seeds Norland’s approved 2026–2028 plan once: twelve actions, some overdue, five KPIs with values', async () => {
    const h = await createHarness();
    try {
      // The harness's tenant A plays Norland (identity's demo seed runs only on an empty database).
      await h.kernel.db.query("update organisations set short_name = 'Norland' where id = $1", [h.a.id]);
      const { actionPlansModule } = await import('./index.ts');
      await actionPlansModule.seedDemo!(h.kernel);
      await actionPlansModule.seedDemo!(h.kernel);
      const org = { id: h.a.id };
      const plans = await h.kernel.db.query<{ id: string; status: string; approved_by: string | null }>(
        'select id, status, approved_by from action_plans where tenant_id = $1',
        [org.id],
      );
      assert.equal(plans.length, 1, 'idempotent');
      assert.equal(plans[0]!.status, 'in_progress');
      assert.ok(plans[0]!.approved_by);
      const api = new ActionPlansApi(h.kernel);
      const s = await withTenant(h.kernel.db, { tenantId: org.id, userId: null }, (tx) => api.summary(tx));
      const total = Object.values(s.byStatus).reduce((a, b) => a + b, 0);
      assert.equal(total, 12);
      assert.ok(s.overdue >= 3, `overdue ${s.overdue}`);
      assert.ok(s.byFactor.filter((f) => f.open > 0).length >= 6);
      const kpis = await withTenant(h.kernel.db, { tenantId: org.id, userId: null }, (tx) =>
        api.kpiProgress(tx),
      );
      assert.equal(kpis.length, 5);
      assert.ok(kpis.every((k) => k.latest && k.progress !== null));
      assert.equal(kpis.find((k) => k.code === 'CLR-TIME')!.progress, (57 - 72) / (24 - 72));
    } finally {
      await h.close();
    }
  });
});

describe('draft from evidence (assessments and risks)', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('proposes the lowest-rated items of the latest validated assessment and the highest residual risks; accepted ones become linked actions', async () => {
    const officer = await h.as(h.a.users.integrity_officer.email);
    const analyst = await h.as(h.a.users.analyst.email);
    const executive = await h.as(h.a.users.executive.email);
    // biome-ignore lint/suspicious/noExplicitAny: JSON bodies of many shapes, read by the assertions
    const ok = (res: { statusCode: number; body: string; json(): any }, status = 200) => {
      assert.equal(res.statusCode, status, res.body.slice(0, 400));
      return res.json();
    };
    // A validated RAD assessment: item 8.4 rated 0 with a weakness, 1.1 rated 1, all others 3.
    const opts = ok(await officer.get('/api/assessments/options'));
    const frameworkId = opts.frameworks.find(
      (f: { urn: string }) => f.urn === 'urn:arusha:library:rad-idg',
    ).libraryId;
    const a = ok(
      await officer.post('/api/assessments', {
        title: 'RAD 2026',
        type: 'self',
        frameworkLibraryId: frameworkId,
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
    const factors = ok(await officer.get(`/api/assessments/${a.id}/items`)).factors;
    for (const f of factors)
      for (const i of f.items)
        ok(
          await analyst.request({
            method: 'PUT',
            url: `/api/assessments/${a.id}/items/${i.id}/response`,
            payload: {
              version: i.response.version,
              rating: i.refId === '8.4' ? 0 : i.refId === '1.1' ? 1 : 3,
              notApplicable: false,
              ...(i.refId === '8.4'
                ? { weaknesses: 'No list of vulnerable posts; some officers in post for 9 years' }
                : {}),
            },
          }),
        );
    await move('in_review');
    const cur = ok(await officer.get(`/api/assessments/${a.id}`));
    ok(await executive.post(`/api/assessments/${a.id}/validate`, { version: cur.version, note: 'ok' }));

    // A risk in the register.
    const processes = ok(await officer.get('/api/risks/processes')).items;
    const risk = ok(
      await officer.post('/api/risks', {
        processId: processes[0].id,
        title: 'Examining officers chosen by the broker',
        scheme: 'manipulated_assignment',
        factors: [4],
        inherentLikelihood: 4,
        inherentImpact: 4,
        residualLikelihood: 4,
        residualImpact: 3,
      }),
      201,
    );

    const plan = ok(
      await officer.post('/api/action-plans', {
        title: 'IAP',
        horizonStart: '2026-01-01',
        horizonEnd: '2028-12-31',
      }),
      201,
    );
    const before = await h.kernel.db.query('select id from plan_actions where plan_id = $1', [plan.id]);
    const draft = ok(
      await officer.post(`/api/action-plans/${plan.id}/draft`, { itemLimit: 2, riskLimit: 1 }),
    );
    assert.equal(draft.assessmentId, a.id);
    assert.deepEqual(
      draft.proposals.map((p: { source: string; sourceRef: string; factor: number }) => [
        p.source,
        p.sourceRef,
        p.factor,
      ]),
      [
        ['item', '8.4', 8],
        ['item', '1.1', 1],
        ['risk', risk.ref, 4],
      ],
    );
    const first = draft.proposals[0];
    assert.match(first.objective, /^Raise 8\.4 '.+' \(rated 0\/4\)$/);
    assert.match(first.description, /vulnerable posts/);
    assert.deepEqual(first.gapItemUrns, ['urn:arusha:rad:f8:i4']);
    assert.deepEqual(draft.proposals[2].riskIds, [risk.id]);
    assert.equal(
      (await h.kernel.db.query('select id from plan_actions where plan_id = $1', [plan.id])).length,
      before.length,
      'a draft stores nothing',
    );
    const fr = await officer.request({
      method: 'POST',
      url: `/api/action-plans/${plan.id}/draft`,
      payload: { itemLimit: 1, riskLimit: 0 },
      headers: { 'accept-language': 'fr' },
    });
    assert.match(fr.json().proposals[0].objective, /^Améliorer 8\.4 « .+ » \(noté 0\/4\)$/);
    // Unknown assessment: 404.
    const unknown = await officer.post(`/api/action-plans/${plan.id}/draft`, {
      assessmentId: '01900000-0000-7000-8000-0000000000ab',
      itemLimit: 1,
      riskLimit: 0,
    });
    assert.equal(unknown.statusCode, 404);

    // Accept the first item (edited) and the risk.
    const accepted = ok(
      await officer.post(`/api/action-plans/${plan.id}/actions/accept`, {
        actions: [draft.proposals[0], draft.proposals[2]].map((p, i) => ({
          objective: i === 0 ? 'Publish a rotation policy for vulnerable posts' : p.objective,
          description: p.description,
          factor: p.factor,
          gapItemUrns: p.gapItemUrns,
          riskIds: p.riskIds,
          startDate: p.startDate,
          dueDate: p.dueDate,
        })),
      }),
      201,
    ).items;
    assert.deepEqual(
      accepted.map((x: { origin: string; factor: number; objective: string }) => [x.origin, x.factor]),
      [
        ['proposed', 8],
        ['proposed', 4],
      ],
    );
    assert.deepEqual(accepted[1].riskIds, [risk.id]);
    // Covered items and risks are not proposed again.
    const again = ok(
      await officer.post(`/api/action-plans/${plan.id}/draft`, { itemLimit: 1, riskLimit: 1 }),
    );
    assert.deepEqual(
      again.proposals.map((p: { sourceRef: string }) => p.sourceRef),
      ['1.1'],
    );
    // A known risk id is accepted on a manual action; another tenant's is not.
    const manual = await officer.post(`/api/action-plans/${plan.id}/actions`, {
      objective: 'm',
      riskIds: [risk.id],
    });
    assert.equal(manual.statusCode, 201, manual.body);
    const lookups = ok(await officer.get('/api/action-plans/lookups'));
    assert.ok(lookups.risks.some((r: { id: string }) => r.id === risk.id));
    assert.ok(lookups.items.length >= 60);
    const bOfficer = await h.as(h.b.users.integrity_officer.email);
    const bPlan = ok(
      await bOfficer.post('/api/action-plans', {
        title: 'B',
        horizonStart: '2026-01-01',
        horizonEnd: '2026-12-31',
      }),
      201,
    );
    const cross = await bOfficer.post(`/api/action-plans/${bPlan.id}/actions`, {
      objective: 'x',
      riskIds: [risk.id],
    });
    assert.equal(cross.statusCode, 400, "another tenant's risk is unknown");
  });
});
