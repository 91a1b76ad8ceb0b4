import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import { multipart, sampleFile } from '../../platform/testing/files.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { CasesApi, OVERDUE_JOB } from './index.ts';
import { P } from './cases.permissions.ts';
import { CasesService } from './cases.service.ts';

function problem(res: LightMyRequestResponse, status: number) {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /application\/problem\+json/);
}
function ok(res: LightMyRequestResponse, status = 200) {
  assert.equal(res.statusCode, status, res.body);
  return res.json();
}

describe('cases', () => {
  let h: Harness;
  let head: Client; // integrity_officer: cases.manage + cases.escalated
  let handler: Client; // case_handler: cases.read
  let investigator: Client; // cases.read + cases.escalated
  let executive: Client; // cases.stats
  let port: string;
  let portGate: string;
  before(async () => {
    h = await createHarness();
    const unit = async (name: string, parent: string | null = null) =>
      (
        await h.kernel.db.query<{ id: string }>(
          `insert into org_units (id, tenant_id, type, name, parent_id) values (gen_random_uuid(), $1, 'office', $2, $3) returning id`,
          [h.a.id, name, parent],
        )
      )[0]!.id;
    port = await unit('Port office');
    portGate = await unit('Port gate', port);
    // The ordinary handler works at the port's gate (below the port office).
    await h.kernel.db.query('update memberships set org_unit_id = $1 where user_id = $2 and tenant_id = $3', [
      portGate,
      h.a.users.case_handler.id,
      h.a.id,
    ]);
    head = await h.as(h.a.users.integrity_officer.email);
    handler = await h.as(h.a.users.case_handler.email);
    investigator = await h.as(h.a.users.investigator.email);
    executive = await h.as(h.a.users.executive.email);
  });
  after(() => h.close());

  const openCase = async (over: Record<string, unknown> = {}) =>
    ok(
      await head.post('/api/cases', {
        title: 'Bribe at the port',
        sourceKind: 'report',
        sourceRef: 'R-1',
        ...over,
      }),
      201,
    );
  const step = (c: Client, id: string, body: Record<string, unknown>) =>
    c.post(`/api/cases/${id}/transition`, body);
  const reads = async (entityId: string, action = 'cases.case.read') =>
    h.kernel.db.query<{ actor_id: string }>(
      'select actor_id from audit_events where action = $1 and entity_id = $2 order by seq',
      [action, entityId],
    );

  it('opens a case with a yearly reference and a decision due date from the taxonomy', async () => {
    const a = await openCase();
    const b = await openCase({ sourceKind: 'audit', sourceRef: 'AUD-7' });
    const year = new Date().getUTCFullYear();
    assert.match(a.reference, new RegExp(`^CASE-${year}-\\d{4}$`));
    assert.equal(Number(b.reference.slice(-4)), Number(a.reference.slice(-4)) + 1);
    assert.equal(a.status, 'new');
    const due =
      new Date(`${a.decisionDueOn}T00:00:00Z`).getTime() - new Date(a.openedAt.slice(0, 10)).getTime();
    assert.equal(due / 86_400_000, 90);
    // Only the head of Internal Affairs opens cases by hand.
    problem(await handler.post('/api/cases', { title: 'x', sourceKind: 'other' }), 403);
  });

  it('follows the taxonomy: invalid steps 409, missing decision, outcome or sanction 422, stale version 409', async () => {
    const c = await openCase();
    problem(await step(head, c.id, { to: 'triage', version: 1 }), 409);
    let d = ok(await step(head, c.id, { to: 'acknowledged', version: 1 }));
    assert.deepEqual(d.next, ['triage']);
    problem(await step(head, c.id, { to: 'triage', version: 1 }), 409); // stale version
    d = ok(await step(head, c.id, { to: 'triage', version: d.version }));
    assert.deepEqual(d.next, ['investigation', 'closed']);
    problem(await step(head, c.id, { to: 'closed', version: d.version }), 422);
    d = ok(await step(head, c.id, { to: 'investigation', version: d.version }));
    problem(await step(head, c.id, { to: 'decision', decision: 'substantiated', version: d.version }), 409);
    d = ok(await step(head, c.id, { to: 'investigation_report', version: d.version }));
    problem(await step(head, c.id, { to: 'decision', version: d.version }), 422);
    d = ok(await step(head, c.id, { to: 'decision', decision: 'substantiated', version: d.version }));
    // A handler the case is not assigned to cannot record an appeal either: 404.
    problem(
      await handler.post(`/api/cases/${c.id}/appeal`, { filedOn: '2026-01-01', note: 'x', version: 1 }),
      404,
    );
    problem(
      await step(head, c.id, { to: 'outcome', outcome: 'disciplinary_sanction', version: d.version }),
      422,
    );
    problem(
      await step(head, c.id, {
        to: 'outcome',
        outcome: 'disciplinary_sanction',
        sanction: 'nonsense',
        version: d.version,
      }),
      422,
    );
    d = ok(
      await step(head, c.id, {
        to: 'outcome',
        outcome: 'disciplinary_sanction',
        sanction: 'suspension',
        version: d.version,
      }),
    );
    assert.equal(d.sanction, 'suspension');
    assert.equal(d.overdue, false);
    d = ok(await step(head, c.id, { to: 'closed', version: d.version }));
    assert.equal(d.status, 'closed');
    assert.ok(d.closedAt);
    assert.deepEqual(d.next, []);
    problem(await step(head, c.id, { to: 'triage', version: d.version }), 409);
    // The appeal is recorded once, after the decision.
    d = ok(
      await head.post(`/api/cases/${c.id}/appeal`, {
        filedOn: '2026-01-02',
        note: 'Appeal to the board',
        version: d.version,
      }),
    );
    assert.equal(d.appealFiledOn, '2026-01-02');
    problem(
      await head.post(`/api/cases/${c.id}/appeal`, {
        filedOn: '2026-01-02',
        note: 'again',
        version: d.version,
      }),
      409,
    );
    // The timeline tells the whole story, in order.
    const kinds = d.events.map((e: { kind: string }) => e.kind);
    assert.deepEqual(kinds.slice(0, 1), ['opened']);
    assert.equal(kinds.filter((k: string) => k === 'transition').length, 7);
    assert.equal(kinds.at(-1), 'appeal');
    // Closing from triage needs a reason of the administration's list.
    const t = await openCase();
    let e = ok(await step(head, t.id, { to: 'acknowledged', version: 1 }));
    e = ok(await step(head, t.id, { to: 'triage', version: e.version }));
    e = ok(await step(head, t.id, { to: 'closed', closureReason: 'no_jurisdiction', version: e.version }));
    assert.equal(e.closureReason, 'no_jurisdiction');
    // The appeal route refuses a case without a decision.
    problem(
      await head.post(`/api/cases/${t.id}/appeal`, { filedOn: '2026-01-01', note: 'x', version: e.version }),
      409,
    );
  });

  it('need-to-know: a handler sees only assigned cases (others 404), the head sees all; reassignment keeps history', async () => {
    const c = await openCase({ title: 'Valuation fraud' });
    const other = await openCase({ title: 'Not yours' });
    problem(await handler.post(`/api/cases/${c.id}/open`), 404);
    problem(await handler.post(`/api/cases/${c.id}/notes`, { body: 'sneak' }), 404);
    ok(await head.post(`/api/cases/${c.id}/assign`, { userId: h.a.users.case_handler.id }));
    const mine = ok(await handler.get('/api/cases')).items.map((x: { id: string }) => x.id);
    assert.ok(mine.includes(c.id));
    assert.ok(!mine.includes(other.id));
    const all = ok(await head.get('/api/cases')).items.map((x: { id: string }) => x.id);
    assert.ok(all.includes(c.id) && all.includes(other.id));
    assert.deepEqual(ok(await head.get('/api/cases?scope=mine')).items, []);
    // The unassigned handler (investigator) gets 404 on every case route.
    problem(await investigator.post(`/api/cases/${c.id}/open`), 404);
    problem(await step(investigator, c.id, { to: 'acknowledged', version: 1 }), 404);
    ok(await handler.post(`/api/cases/${c.id}/notes`, { body: 'Interviewed the broker.' }), 201);
    // Reassign to the investigator: the first handler loses access, history is kept.
    const d = ok(
      await head.post(`/api/cases/${c.id}/assign`, {
        userId: h.a.users.investigator.id,
        replace: true,
        reason: 'workload',
      }),
    );
    assert.equal(d.assignments.length, 2);
    assert.ok(d.assignments[0].endedAt);
    assert.equal(d.assignments[1].endedAt, null);
    assert.deepEqual(
      d.assignees.map((a: { userId: string }) => a.userId),
      [h.a.users.investigator.id],
    );
    problem(await handler.post(`/api/cases/${c.id}/open`), 404);
    const seen = ok(await investigator.post(`/api/cases/${c.id}/open`));
    assert.equal(seen.notes[0].body, 'Interviewed the broker.');
    // The assignee was notified.
    const [n] = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from notifications where user_id = $1 and kind = 'cases.assigned' and link = $2",
      [h.a.users.investigator.id, `/cases/${c.id}`],
    );
    assert.equal(n!.n, 1);
  });

  it('audits every reading of a case and every file download, never a refused one', async () => {
    const c = await openCase({ title: 'Audited' });
    ok(await head.post(`/api/cases/${c.id}/assign`, { userId: h.a.users.investigator.id }));
    assert.equal((await reads(c.id)).length, 0);
    ok(await investigator.post(`/api/cases/${c.id}/open`));
    ok(await head.post(`/api/cases/${c.id}/open`));
    problem(await handler.post(`/api/cases/${c.id}/open`), 404);
    assert.deepEqual(
      (await reads(c.id)).map((r) => r.actor_id),
      [h.a.users.investigator.id, h.a.users.integrity_officer.id],
    );
    const body = multipart({
      fields: { caseId: c.id },
      file: { filename: 'statement.pdf', data: sampleFile('pdf') },
    });
    const f = ok(await investigator.request({ method: 'POST', url: '/api/cases/files', ...body }), 201);
    const other = multipart({
      fields: { caseId: c.id },
      file: { filename: 'x.pdf', data: sampleFile('pdf') },
    });
    problem(await handler.request({ method: 'POST', url: '/api/cases/files', ...other }), 404);
    const dl = await investigator.post(`/api/cases/${c.id}/files/${f.id}`);
    assert.equal(dl.statusCode, 200);
    assert.deepEqual(dl.rawPayload, sampleFile('pdf'));
    assert.match(String(dl.headers['content-disposition']), /attachment/);
    problem(await handler.post(`/api/cases/${c.id}/files/${f.id}`), 404);
    assert.deepEqual(
      (await reads(f.id, 'cases.file.read')).map((r) => r.actor_id),
      [h.a.users.investigator.id],
    );
    // The list and the statistics carry no subject, note or file.
    ok(
      await investigator.post(`/api/cases/${c.id}/subjects`, {
        kind: 'broker',
        name: 'Zebulon Clearing Ltd',
        identifier: 'TIN-9',
      }),
      201,
    );
    assert.ok(!(await head.get('/api/cases')).body.includes('Zebulon'));
    assert.ok(!(await executive.get('/api/cases/statistics')).body.includes('Zebulon'));
    // The audit records say a subject was added, not who.
    const [a] = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from audit_events where data::text like '%Zebulon%'",
    );
    assert.equal(a!.n, 0);
  });

  it('warns when the handler belongs to the unit concerned (or below): 409 until confirmed, recorded', async () => {
    const c = await openCase({ title: 'At the port', orgUnitId: port });
    const candidates = ok(await head.get(`/api/cases/${c.id}/candidates`)).items as {
      userId: string;
      conflict: boolean;
    }[];
    const byId = new Map(candidates.map((m) => [m.userId, m.conflict]));
    assert.equal(byId.get(h.a.users.case_handler.id), true);
    assert.equal(byId.get(h.a.users.investigator.id), false);
    assert.ok(!byId.has(h.a.users.staff.id), 'only holders of cases.read are candidates');
    problem(await head.post(`/api/cases/${c.id}/assign`, { userId: h.a.users.case_handler.id }), 409);
    problem(await head.post(`/api/cases/${c.id}/assign`, { userId: h.a.users.staff.id }), 422);
    const d = ok(
      await head.post(`/api/cases/${c.id}/assign`, {
        userId: h.a.users.case_handler.id,
        acknowledgeConflict: true,
      }),
    );
    assert.equal(d.assignments[0].conflict, true);
    const [a] = await h.kernel.db.query<{ data: { conflict: boolean } }>(
      "select data from audit_events where action = 'cases.case.assigned' and entity_id = $1",
      [c.id],
    );
    assert.equal(a!.data.conflict, true);
  });

  it('escalates a case naming a senior manager to the second tier only', async () => {
    const c = await openCase({ title: 'Director involved' });
    ok(
      await head.post(`/api/cases/${c.id}/assign`, {
        userId: h.a.users.case_handler.id,
        acknowledgeConflict: true,
      }),
    );
    const s = ok(await head.patch(`/api/cases/${c.id}`, { escalated: true, version: c.version }));
    assert.equal(s.escalated, true);
    assert.deepEqual(s.assignees, []);
    problem(await handler.post(`/api/cases/${c.id}/open`), 404);
    problem(
      await head.post(`/api/cases/${c.id}/assign`, {
        userId: h.a.users.case_handler.id,
        acknowledgeConflict: true,
      }),
      422,
    );
    ok(await head.post(`/api/cases/${c.id}/assign`, { userId: h.a.users.investigator.id }));
    ok(await investigator.post(`/api/cases/${c.id}/open`));
    const told = await h.kernel.db.query<{ user_id: string }>(
      'select user_id from notifications where dedupe_key = $1 order by user_id',
      [`case:${c.id}:escalated`],
    );
    assert.deepEqual(
      told.map((n) => n.user_id).sort(),
      [h.a.users.integrity_officer.id, h.a.users.investigator.id].sort(),
    );
    // Opened escalated from the start: never listed for the ordinary handler.
    const e = await openCase({ title: 'Escalated at once', escalated: true });
    assert.ok(!ok(await handler.get('/api/cases')).items.some((x: { id: string }) => x.id === e.id));
  });

  it('flags overdue decisions once a day and tells the assignee (once)', async () => {
    const c = await openCase({ title: 'Slow', decisionDueOn: '2026-01-10' });
    ok(await head.post(`/api/cases/${c.id}/assign`, { userId: h.a.users.investigator.id }));
    const run = async (now: string) => {
      await h.kernel.jobs.enqueue(h.kernel.db.owner, OVERDUE_JOB, { now }, { tenantId: null });
      while ((await h.kernel.jobs.tick()) > 0) {
        /* drain the per-tenant jobs */
      }
    };
    const notes = () =>
      h.kernel.db.query<{ user_id: string }>('select user_id from notifications where dedupe_key = $1', [
        `case:${c.id}:overdue:2026-01-10`,
      ]);
    await run('2026-01-10T12:00:00Z');
    assert.equal((await notes()).length, 0, 'not overdue on the due day');
    await run('2026-01-11T12:00:00Z');
    await run('2026-01-12T12:00:00Z');
    assert.deepEqual(
      (await notes()).map((n) => n.user_id),
      [h.a.users.investigator.id],
    );
    const d = ok(await investigator.post(`/api/cases/${c.id}/open`));
    assert.equal(d.overdue, true);
    assert.equal(d.events.filter((e: { kind: string }) => e.kind === 'overdue').length, 1);
  });

  it('counts by source, status, outcome and unit with counts under 5 suppressed (complementary too); exports', async () => {
    // A fresh tenant view: count what this test adds on top of the earlier tests' cases.
    const before = ok(await executive.get('/api/cases/statistics'));
    assert.equal(before.minCell, 5);
    for (let i = 0; i < 6; i++) await openCase({ sourceKind: 'analytics_alert', sourceRef: `AL-${i}` });
    for (let i = 0; i < 5; i++) await openCase({ sourceKind: 'other', sourceRef: `O-${i}` });
    for (let i = 0; i < 2; i++) await openCase({ sourceKind: 'declaration_flag', sourceRef: `F-${i}` });
    const s = ok(await executive.get('/api/cases/statistics'));
    const n = (key: string) => s.bySource.find((g: { key: string }) => g.key === key).n;
    assert.equal(n('analytics_alert'), 6);
    assert.equal(n('declaration_flag'), null, 'two cases: suppressed');
    assert.ok(s.total >= 13);
    const csv = await executive.get('/api/cases/statistics/export?format=csv');
    assert.equal(csv.statusCode, 200);
    assert.match(csv.body, /Analytics alert,6/);
    assert.doesNotMatch(csv.body, /Declaration flag,2/);
    const xlsx = await executive.get('/api/cases/statistics/export?format=xlsx');
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
    problem(await handler.get('/api/cases/statistics'), 403);
    problem(await executive.get('/api/cases'), 403);
    // The median time to close appears only with 5 closed cases or more.
    assert.equal(s.closed === null, s.medianDaysToClose === null);
  });

  it('hides the next smallest count when only one count is suppressed (complementary suppression)', async () => {
    // Tenant B, empty until now: 6 alerts, 5 others, 2 flags.
    const svc = new CasesService(h.kernel);
    const actor = {
      userId: h.b.users.integrity_officer.id,
      permissions: new Set(Object.values(P)),
    } as unknown as Actor;
    const s = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: actor.userId }, async (tx) => {
      const add = (sourceKind: 'analytics_alert' | 'other' | 'declaration_flag', k: number) =>
        svc.create(tx, h.b.id, actor, { title: `B ${sourceKind} ${k}`, sourceKind });
      for (let i = 0; i < 6; i++) await add('analytics_alert', i);
      for (let i = 0; i < 5; i++) await add('other', i);
      for (let i = 0; i < 2; i++) await add('declaration_flag', i);
      return svc.statistics(tx, 'fr');
    });
    const n = (key: string) => s.bySource.find((g) => g.key === key)!.n;
    assert.equal(s.total, 13);
    assert.equal(n('analytics_alert'), 6);
    assert.equal(n('declaration_flag'), null);
    // With the total published, 13 − 6 − 5 would give the 2 away: the 5 is hidden too.
    assert.equal(n('other'), null);
    assert.equal(s.bySource.find((g) => g.key === 'analytics_alert')!.label, "Alerte d'analyse");
    assert.deepEqual(
      s.byStatus.map((g) => [g.key, g.n]).filter(([, v]) => v !== 0),
      [['new', 13]],
    );
    assert.equal(s.medianDaysToClose, null);
  });

  it('lets an administration change its taxonomy within the workflow rules', async () => {
    const cur = ok(await head.get('/api/cases/settings'));
    assert.equal(cur.isDefault, true);
    const taxonomy = structuredClone(cur.taxonomy);
    taxonomy.transitions.new = ['triage'];
    taxonomy.transitions.acknowledged = [];
    taxonomy.sanctions = [
      ...taxonomy.sanctions.map((e: { active: boolean }) => ({ ...e, active: false })),
      { code: 'fine', labels: { en: 'Salary deduction' }, active: true },
    ];
    const bad = structuredClone(taxonomy);
    bad.transitions.closed = ['triage'];
    problem(
      await head.request({
        method: 'PUT',
        url: '/api/cases/settings',
        payload: { taxonomy: bad, version: 0 },
      }),
      400,
    );
    const dead = structuredClone(taxonomy);
    dead.transitions.investigation = [];
    problem(
      await head.request({
        method: 'PUT',
        url: '/api/cases/settings',
        payload: { taxonomy: dead, version: 0 },
      }),
      400,
    );
    problem(
      await handler.request({ method: 'PUT', url: '/api/cases/settings', payload: { taxonomy, version: 0 } }),
      403,
    );
    const saved = ok(
      await head.request({ method: 'PUT', url: '/api/cases/settings', payload: { taxonomy, version: 0 } }),
    );
    assert.equal(saved.version, 1);
    problem(
      await head.request({ method: 'PUT', url: '/api/cases/settings', payload: { taxonomy, version: 0 } }),
      409,
    );
    const c = await openCase();
    ok(await step(head, c.id, { to: 'triage', version: 1 }));
    // Put the default back for the other tests.
    ok(
      await head.request({
        method: 'PUT',
        url: '/api/cases/settings',
        payload: { taxonomy: cur.taxonomy, version: 1 },
      }),
    );
  });

  it('refuses bad input with 4xx problem+json and stores nothing', async () => {
    const [before] = await h.kernel.db.query<{ n: number }>('select count(*)::int as n from cases');
    problem(await head.post('/api/cases', { title: 'x', sourceKind: 'rumour' }), 400);
    problem(await head.post('/api/cases', { title: 'x', sourceKind: 'other', extra: 1 }), 400);
    problem(await head.post('/api/cases', { title: '', sourceKind: 'other' }), 400);
    problem(await head.post('/api/cases', { title: 'x', sourceKind: 'other', orgUnitId: h.b.id }), 400);
    problem(await head.post('/api/cases', { title: 'x'.repeat(301), sourceKind: 'other' }), 400);
    problem(await head.post('/api/cases/not-a-uuid/open'), 400);
    const c = await openCase();
    problem(await step(head, c.id, { to: 'nowhere', version: 1 }), 400);
    problem(await head.post(`/api/cases/${c.id}/notes`, { body: '' }), 400);
    problem(await head.post(`/api/cases/${c.id}/subjects`, { kind: 'cousin', name: 'x' }), 400);
    problem(await head.post(`/api/cases/${c.id}/notes`, { body: 'x'.repeat(20_001) }), 400);
    const json = await head.request({
      method: 'POST',
      url: '/api/cases/files',
      payload: { caseId: c.id },
    });
    problem(json, 415);
    const [after] = await h.kernel.db.query<{ n: number }>('select count(*)::int as n from cases');
    assert.equal(after!.n, before!.n + 1);
  });

  it('opens a case once per source for other modules (index.ts)', async () => {
    const api = new CasesApi(h.kernel);
    const actor = {
      userId: h.a.users.integrity_officer.id,
      permissions: new Set(Object.values(P)),
    } as unknown as Actor;
    const flag = {
      id: '01900000-0000-7000-8000-00000000f1a9',
      rule: 'gift_over_threshold',
      userId: h.a.users.staff.id,
      name: 'Staff Member',
      unitId: port,
    };
    const first = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: actor.userId }, (tx) =>
      api.openFromDeclarationFlag(tx, h.a.id, actor, flag),
    );
    const again = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: actor.userId }, (tx) =>
      api.openFromDeclarationFlag(tx, h.a.id, actor, flag),
    );
    assert.equal(first.created, true);
    assert.equal(again.created, false);
    assert.equal(again.id, first.id);
    const d = ok(await head.post(`/api/cases/${first.id}/open`));
    assert.equal(d.sourceKind, 'declaration_flag');
    assert.equal(d.subjects[0].userId, h.a.users.staff.id);
    assert.equal(d.orgUnitId, port);
    assert.equal(d.title, 'Declaration red flag: gift_over_threshold');
  });
});

describe('cases: demo data', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('seeds three Norland cases once, in their statuses, assigned', async () => {
    await h.kernel.db.query("update organisations set short_name = 'Norland' where id = $1", [h.a.id]);
    const { casesModule } = await import('./index.ts');
    await casesModule.seedDemo!(h.kernel);
    await casesModule.seedDemo!(h.kernel);
    const rows = await h.kernel.db.query<{ tenant_id: string; status: string; source_kind: string }>(
      'select tenant_id, status, source_kind from cases order by reference',
    );
    assert.deepEqual(
      rows.map((r) => [r.tenant_id, r.source_kind, r.status]),
      [
        [h.a.id, 'report', 'investigation'],
        [h.a.id, 'analytics_alert', 'acknowledged'],
        [h.a.id, 'audit', 'closed'],
      ],
    );
    const [n] = await h.kernel.db.query<{ n: number }>(
      'select count(*)::int as n from case_assignments where ended_at is null',
    );
    assert.equal(n!.n, 2);
  });
});
