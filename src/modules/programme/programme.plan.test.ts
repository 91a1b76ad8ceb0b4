import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { addDonor, type Json, ok, partnershipOf, programmeWorld } from './programme.fixture.ts';

describe("programme multi-annual plan: phases, benchmarks, country KPIs, the partner's shared Integrity Action Plan", () => {
  let h: Harness;
  let sec: Client;
  let officerA: Client;
  let adminB: Client;
  let donor1: Client;
  let donor2: Client;
  const ids = {} as Record<'pA' | 'pB' | 'iap' | 'other' | 'a1' | 'a2' | 'a3' | 'oldAction', string>;

  const put = (c: Client, url: string, payload: Record<string, unknown>) =>
    c.request({ method: 'PUT', url, payload });
  const planUrl = (id: string) => `/api/programme/partnerships/${id}/plan`;
  const phase = (label: string, startsOn: string, endsOn: string, benchmarks: Json[] = []) => ({
    label,
    startsOn,
    endsOn,
    benchmarks,
  });
  const kpi = {
    name: 'Complaints handled within 30 days',
    unit: '%',
    baseline: '40',
    target: '80.50',
    actuals: [
      { periodLabel: '2026', periodStart: '2026-05-01', periodEnd: '2026-12-31', value: '48.0' },
      { periodLabel: '2027', periodStart: '2027-01-01', periodEnd: '2027-12-31', value: '61' },
    ],
  };
  const storedPlans = async () =>
    (await h.kernel.db.query<{ n: number }>('select count(*)::int as n from programme_plans'))[0]!.n;

  before(async () => {
    h = await createHarness();
    officerA = await h.as(h.a.users.integrity_officer.email);
    adminB = await h.as(h.b.users.org_admin.email);
    const world = await programmeWorld(h);
    ({ sec, donor1, donor2 } = world);
    const d1 = await addDonor(sec, 'Donor One', world.donorOrg1);
    const d2 = await addDonor(sec, 'Donor Two', world.donorOrg2);
    ids.pA = await partnershipOf(sec, officerA, [d1]);
    ids.pB = await partnershipOf(sec, adminB, [d2]);
    // Administration A's own Integrity Action Plan, with three actions; and a second plan.
    ids.iap = (
      await ok(
        await officerA.post('/api/action-plans', {
          title: 'Integrity Action Plan 2026–2028',
          horizonStart: '2026-01-01',
          horizonEnd: '2028-12-31',
        }),
        201,
      )
    ).id;
    ids.other = (
      await ok(
        await officerA.post('/api/action-plans', {
          title: 'Old plan',
          horizonStart: '2023-01-01',
          horizonEnd: '2025-12-31',
        }),
        201,
      )
    ).id;
    const action = async (plan: string, objective: string, status: string) =>
      (
        await ok(
          await officerA.post(`/api/action-plans/${plan}/actions`, { objective, status, factor: 6 }),
          201,
        )
      ).id as string;
    ids.a1 = await action(ids.iap, 'Set up an internal affairs unit', 'done');
    ids.a2 = await action(ids.iap, 'Publish the code of conduct', 'in_progress');
    ids.a3 = await action(ids.iap, 'Rotate staff in risky posts', 'cancelled');
    ids.oldAction = await action(ids.other, 'An old action', 'done');
  });
  after(() => h.close());

  it('only the Secretariat writes the plan; the partner and its funding donor read it; others see nothing (404)', async () => {
    const empty = await ok(await sec.get(planUrl(ids.pA)));
    assert.deepEqual([empty.version, empty.phases, empty.kpis], [1, [], []]);
    const body = {
      version: 1,
      phases: [
        phase('Year 1', '2026-05-01', '2026-12-31', [
          { title: 'Internal affairs unit operating', factor: 6, due: '2026-12-31', status: 'in_progress' },
        ]),
        phase('Year 2', '2027-01-01', '2027-12-31'),
      ],
      kpis: [kpi],
    };
    // Writers other than the Secretariat: 403 by permission (a partner, a donor).
    assert.equal((await put(officerA, planUrl(ids.pA), body)).statusCode, 403);
    assert.equal((await put(donor1, planUrl(ids.pA), body)).statusCode, 403);
    assert.equal(await storedPlans(), 0);
    assert.deepEqual(await ok(await put(sec, planUrl(ids.pA), body)), { version: 2 });
    const mine = await ok(await officerA.get(`/api/programme/mine/partnerships/${ids.pA}/plan`));
    assert.equal(mine.version, 2);
    assert.deepEqual(
      mine.phases.map((p: Json) => [p.label, p.benchmarks.map((b: Json) => [b.title, b.factor, b.status])]),
      [
        ['Year 1', [['Internal affairs unit operating', 6, 'in_progress']]],
        ['Year 2', []],
      ],
    );
    assert.deepEqual(
      mine.kpis[0].actuals.map((a: Json) => a.value),
      ['48', '61'],
    );
    assert.equal(mine.kpis[0].target, '80.5');
    // The administration sees the plans it could share; nobody else does.
    assert.deepEqual(mine.shareable.map((p: Json) => p.title).sort(), [
      'Integrity Action Plan 2026–2028',
      'Old plan',
    ]);
    assert.equal((await ok(await sec.get(planUrl(ids.pA)))).shareable, null);
    const donorView = await ok(await donor1.get(`/api/programme/donor/partnerships/${ids.pA}/plan`));
    assert.equal(donorView.phases.length, 2);
    assert.equal(donorView.shareable, null);
    // Another tenant's partnership: not found, whoever asks through their own route.
    assert.equal((await donor2.get(`/api/programme/donor/partnerships/${ids.pA}/plan`)).statusCode, 404);
    assert.equal((await adminB.get(`/api/programme/mine/partnerships/${ids.pA}/plan`)).statusCode, 404);
    // A route of another role: 403 before anything is read.
    assert.equal((await officerA.get(planUrl(ids.pA))).statusCode, 403);
    assert.equal((await donor1.get(`/api/programme/mine/partnerships/${ids.pA}/plan`)).statusCode, 403);
    assert.equal((await sec.get(planUrl('00000000-0000-4000-8000-000000000000'))).statusCode, 404);
    // Audited in the Secretariat's chain.
    const audit = await h.kernel.db.query<{ action: string }>(
      "select action from audit_events where action = 'programme.plan.saved' and entity_id = $1",
      [ids.pA],
    );
    assert.equal(audit.length, 1);
  });

  it('each phase counts its benchmarks done, due and late today; each KPI gives its latest actual', async () => {
    const pC = await partnershipOf(sec, adminB, []);
    const b = (title: string, status: string, due: string | null) => ({ title, status, due });
    // Target dates long past or far ahead, so that "today" decides the same way in any year.
    const body = {
      version: 1,
      phases: [
        phase('Year 1', '2026-05-01', '2026-12-31', [
          b('Achieved late', 'achieved', '2020-01-01'),
          b('Open, past its date', 'in_progress', '2020-06-30'),
          b('Marked not achieved', 'not_achieved', '2099-12-31'),
          b('Open, ahead', 'planned', '2099-12-31'),
          b('Open, no date', 'planned', null),
        ]),
        phase('Year 2', '2027-01-01', '2027-12-31'),
      ],
      kpis: [kpi, { ...kpi, name: 'No figure yet', actuals: [] }],
    };
    await ok(await put(sec, planUrl(pC), body));
    const plan = await ok(await adminB.get(`/api/programme/mine/partnerships/${pC}/plan`));
    assert.deepEqual(
      plan.phases.map((p: Json) => p.tally),
      [
        { done: 1, due: 2, late: 2 },
        { done: 0, due: 0, late: 0 },
      ],
    );
    assert.deepEqual(
      plan.kpis.map((k: Json) => [k.baseline, k.target, k.latest]),
      [
        ['40', '80.5', { periodLabel: '2027', value: '61' }],
        ['40', '80.5', null],
      ],
    );
  });

  it('edits are version-checked (409), and bad input is refused with nothing stored', async () => {
    const cur = await ok(await sec.get(planUrl(ids.pB)));
    const good = { version: cur.version, phases: [phase('Year 1', '2026-05-01', '2026-12-31')], kpis: [] };
    const before = await storedPlans();
    const bad: [Json, number, string][] = [
      [
        {
          ...good,
          phases: [phase('Y2', '2027-01-01', '2027-12-31'), phase('Y1', '2026-05-01', '2026-12-31')],
        },
        400,
        'phases out of order',
      ],
      [
        {
          ...good,
          phases: [phase('Y1', '2026-05-01', '2026-12-31'), phase('Y1b', '2026-12-01', '2027-06-30')],
        },
        400,
        'overlapping phases',
      ],
      [
        { ...good, phases: [phase('Y1', '2026-12-31', '2026-05-01')] },
        400,
        'a phase ending before it starts',
      ],
      [{ ...good, phases: [phase('Y0', '2025-01-01', '2025-12-31')] }, 422, 'outside the partnership'],
      [
        {
          ...good,
          kpis: [{ ...kpi, actuals: [kpi.actuals[1], kpi.actuals[0]] }],
        },
        400,
        'KPI periods out of order',
      ],
      [{ ...good, kpis: [{ ...kpi, baseline: 'forty' }] }, 400, 'a figure that is no number'],
      [
        {
          ...good,
          phases: [
            phase('Y1', '2026-05-01', '2026-12-31', [
              { title: 'x', status: 'planned', actionIds: ['00000000-0000-4000-8000-000000000001'] },
            ]),
          ],
        },
        422,
        'an action while no plan is shared',
      ],
      [
        { ...good, phases: [phase('Y1', '2026-05-01', '2026-12-31', [{ title: 'x', status: 'done' }])] },
        400,
        'status',
      ],
      [{ ...good, extra: true }, 400, 'unknown field'],
    ];
    for (const [body, status, why] of bad)
      assert.equal((await put(sec, planUrl(ids.pB), body)).statusCode, status, why);
    assert.equal(await storedPlans(), before, 'nothing stored');
    const saved = await ok(await put(sec, planUrl(ids.pB), good));
    // A second save at the version first read: somebody else saved in between.
    assert.equal((await put(sec, planUrl(ids.pB), good)).statusCode, 409);
    assert.equal((await put(sec, planUrl(ids.pB), { ...good, version: saved.version })).statusCode, 200);
    assert.equal((await ok(await sec.get(planUrl(ids.pB)))).version, saved.version + 1);
  });

  it('the administration shares its Integrity Action Plan: progress and linked actions show, withdrawn they stop', async () => {
    const consent = (payload: Json) => put(officerA, '/api/programme/consent', payload);
    // Unknown plans, another tenant's plan, and a plan id with another scope are refused.
    assert.equal((await consent({ share: true, scope: 'action_plan' })).statusCode, 422);
    assert.equal(
      (await consent({ share: true, scope: 'action_plan', planId: '00000000-0000-4000-8000-000000000002' }))
        .statusCode,
      422,
    );
    assert.equal((await consent({ share: true, scope: 'kpis', planId: ids.iap })).statusCode, 422);
    assert.equal(
      (await put(adminB, '/api/programme/consent', { share: true, scope: 'action_plan', planId: ids.iap }))
        .statusCode,
      422,
    );
    let c = await ok(await consent({ share: true, scope: 'action_plan', planId: ids.iap }));
    assert.deepEqual([c.active, c.planId], [true, ids.iap]);
    const view = async (cl: Client, url: string) => ok(await cl.get(url));
    const urls: [Client, string][] = [
      [sec, planUrl(ids.pA)],
      [officerA, `/api/programme/mine/partnerships/${ids.pA}/plan`],
      [donor1, `/api/programme/donor/partnerships/${ids.pA}/plan`],
    ];
    for (const [cl, url] of urls) {
      const p = await view(cl, url);
      assert.equal(p.actionPlan.status, 'ok');
      assert.equal(p.actionPlan.progress.title, 'Integrity Action Plan 2026–2028');
      assert.equal(p.actionPlan.progress.total, 3);
      assert.equal(p.actionPlan.progress.byStatus.done, 1);
      // One done of two that count (the cancelled one is left out).
      assert.equal(p.actionPlan.progress.percentDone, 50);
      assert.deepEqual(Object.keys(p.actionPlan.progress.actions[0]).sort(), [
        'id',
        'objective',
        'ref',
        'status',
      ]);
    }
    // Benchmarks point to actions of the shared plan only.
    const cur = await view(sec, planUrl(ids.pA));
    const withActions = (actionIds: string[]) => ({
      version: cur.version,
      phases: [
        phase('Year 1', '2026-05-01', '2026-12-31', [
          { title: 'Internal affairs unit operating', factor: 6, status: 'in_progress', actionIds },
        ]),
      ],
      kpis: [kpi],
    });
    const refused = await put(sec, planUrl(ids.pA), withActions([ids.a1, ids.oldAction]));
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, new RegExp(ids.oldAction));
    assert.equal((await view(sec, planUrl(ids.pA))).version, cur.version, 'nothing stored');
    await ok(await put(sec, planUrl(ids.pA), withActions([ids.a1, ids.a2])));
    let b = (await view(donor1, `/api/programme/donor/partnerships/${ids.pA}/plan`)).phases[0].benchmarks[0];
    assert.deepEqual(
      b.actions.map((a: Json) => [a.objective, a.status]),
      [
        ['Set up an internal affairs unit', 'done'],
        ['Publish the code of conduct', 'in_progress'],
      ],
    );
    // Progress follows the administration's own updates at the next read.
    const a2 = await ok(await officerA.get(`/api/action-plans/${ids.iap}`));
    const row = a2.actions.find((x: Json) => x.id === ids.a2);
    await ok(
      await officerA.request({
        method: 'PATCH',
        url: `/api/action-plans/actions/${ids.a2}`,
        payload: { version: row.version, status: 'done' },
      }),
    );
    assert.equal((await view(sec, planUrl(ids.pA))).actionPlan.progress.percentDone, 100);
    // Withdrawn: no progress and no linked action for anyone; the plan itself stays and still saves.
    c = await ok(await consent({ share: false, scope: 'action_plan' }));
    assert.equal(c.active, false);
    for (const [cl, url] of urls) {
      const p = await view(cl, url);
      assert.deepEqual(p.actionPlan, { status: 'consent_withdrawn', progress: null });
      assert.deepEqual(p.phases[0].benchmarks[0].actions, []);
    }
    const now = await view(sec, planUrl(ids.pA));
    await ok(await put(sec, planUrl(ids.pA), { ...withActions([ids.a1, ids.a2]), version: now.version }));
    // Shared again, another plan replaces the first: its actions, not the first one's, show.
    c = await ok(await consent({ share: true, scope: 'action_plan', planId: ids.other }));
    assert.deepEqual([c.active, c.planId], [true, ids.other]);
    c = await ok(await consent({ share: true, scope: 'action_plan', planId: ids.iap }));
    assert.deepEqual([c.active, c.planId], [true, ids.iap]);
    b = (await view(sec, planUrl(ids.pA))).phases[0].benchmarks[0];
    assert.equal(b.actions.length, 2);
    const audit = await h.kernel.db.query<{ action: string }>(
      "select action from audit_events where tenant_id = $1 and action like 'programme.consent.%' and data->>'scope' = 'action_plan' order by seq",
      [h.a.id],
    );
    assert.deepEqual(
      audit.map((a) => a.action),
      [
        'programme.consent.granted',
        'programme.consent.revoked',
        'programme.consent.granted',
        'programme.consent.revoked',
        'programme.consent.granted',
      ],
    );
  });

  it("the migration moves each partnership's own benchmarks into its plan, then drops the column", async () => {
    const sql = (text: string, params: unknown[] = []) => h.kernel.db.query<Json>(text, params);
    const period = (startsOn: string, endsOn: string) => ({ startsOn, endsOn });
    // As the migration finds them: a plan with phases (withPhases), a plan with a KPI and no phase
    // (noPhase), no plan (noPlan), and a partnership with neither benchmarks nor plan (untouched).
    const withPhases = await partnershipOf(sec, officerA, []);
    const noPhase = await partnershipOf(sec, adminB, [], period('2027-02-01', '2027-11-30'));
    const noPlan = await partnershipOf(sec, adminB, []);
    const untouched = await partnershipOf(sec, adminB, []);
    const own = { title: 'Own', factor: 6, due: null, status: 'planned', actionIds: [] };
    await ok(
      await put(sec, planUrl(withPhases), {
        version: 1,
        phases: [
          phase('Year 1', '2026-05-01', '2026-12-31', [own]),
          phase('Year 2', '2027-01-01', '2027-12-31'),
        ],
        kpis: [],
      }),
    );
    await ok(await put(sec, planUrl(noPhase), { version: 1, phases: [], kpis: [kpi] }));
    const pBBefore = (await ok(await sec.get(planUrl(ids.pB)))).version;

    // The column as it was, with each partnership's list; then the two migrations as they are.
    await sql(`alter table programme_partnerships add column benchmarks jsonb not null default '[]'`);
    const set = (id: string, list: Json[]) =>
      sql('update programme_partnerships set benchmarks = $2::jsonb where id = $1', [
        id,
        JSON.stringify(list),
      ]);
    await set(withPhases, [
      { title: 'Before every phase', due: '2020-01-01', status: 'achieved' },
      { title: 'In year 2', due: '2027-03-01', status: 'in_progress' },
      { title: 'No date', due: null, status: 'planned' },
    ]);
    await set(noPhase, [{ title: 'Only one', due: null, status: 'not_achieved' }]);
    await set(noPlan, [
      { title: 'Strategy adopted', due: '2026-12-31', status: 'achieved' },
      { title: 'Unit staffed', due: null, status: 'in_progress' },
    ]);
    const dir = path.resolve('db/migrations');
    for (const suffix of [
      '_programme_benchmarks_into_plan.sql',
      '_programme_partnership_benchmarks_drop.sql',
    ]) {
      const file = fs.readdirSync(dir).find((f) => f.endsWith(suffix))!;
      for (const statement of fs.readFileSync(path.join(dir, file), 'utf8').split('--> statement-breakpoint'))
        if (statement.trim()) await sql(statement);
    }
    const [col] = await sql(
      "select count(*)::int as n from information_schema.columns where table_name = 'programme_partnerships' and column_name = 'benchmarks'",
    );
    assert.equal(col!.n, 0, 'the column is dropped');

    const titles = (p: Json) =>
      p.phases.map((ph: Json) => [ph.label, ph.benchmarks.map((b: Json) => b.title)]);
    // Into the phase that has started by the target date (no date: the partnership's end), else the first.
    const a = await ok(await sec.get(planUrl(withPhases)));
    assert.equal(a.version, 3);
    assert.deepEqual(titles(a), [
      ['Year 1', ['Own', 'Before every phase']],
      ['Year 2', ['In year 2', 'No date']],
    ]);
    assert.deepEqual(a.phases[1].benchmarks[0], {
      title: 'In year 2',
      factor: null,
      due: '2027-03-01',
      status: 'in_progress',
      actionIds: [],
      actions: [],
    });
    // No phase: one covering the partnership's period, named by its years; the KPIs stay.
    const b = await ok(await sec.get(planUrl(noPhase)));
    assert.equal(b.version, 3);
    assert.deepEqual(
      b.phases.map((ph: Json) => [ph.label, ph.startsOn, ph.endsOn, ph.tally]),
      [['2027', '2027-02-01', '2027-11-30', { done: 0, due: 0, late: 1 }]],
    );
    assert.equal(b.kpis[0].name, kpi.name);
    // No plan: one is created in the Secretariat's tenant at version 2, read by the partner.
    const c = await ok(await adminB.get(`/api/programme/mine/partnerships/${noPlan}/plan`));
    assert.equal(c.version, 2);
    assert.deepEqual(
      c.phases.map((ph: Json) => [
        ph.label,
        ph.startsOn,
        ph.endsOn,
        ph.benchmarks.map((x: Json) => [x.title, x.due, x.status]),
      ]),
      [
        [
          '2026–2028',
          '2026-05-01',
          '2028-12-31',
          [
            ['Strategy adopted', '2026-12-31', 'achieved'],
            ['Unit staffed', null, 'in_progress'],
          ],
        ],
      ],
    );
    const [row] = await sql(
      'select p.tenant_id = s.tenant_id as same from programme_plans p join programme_partnerships s on s.id = p.partnership_id where s.id = $1',
      [noPlan],
    );
    assert.equal(row!.same, true);
    // Nothing else changed: no plan for a partnership without benchmarks, other plans' versions kept.
    const [none] = await sql('select count(*)::int as n from programme_plans where partnership_id = $1', [
      untouched,
    ]);
    assert.equal(none!.n, 0);
    assert.equal((await ok(await sec.get(planUrl(ids.pB)))).version, pBBefore);
    // A migrated plan is a valid plan: saved back as read, at its version.
    const asInput = (p: Json) => ({
      version: p.version,
      phases: p.phases.map((ph: Json) => ({
        label: ph.label,
        startsOn: ph.startsOn,
        endsOn: ph.endsOn,
        benchmarks: ph.benchmarks.map(({ actions: _a, ...x }: Json) => x),
      })),
      kpis: p.kpis.map(({ latest: _l, ...k }: Json) => k),
    });
    for (const p of [a, b, c])
      assert.equal((await put(sec, planUrl(p.partnershipId), asInput(p))).statusCode, 200);
  });
});
