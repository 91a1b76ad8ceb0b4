import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { multipart, sampleFile } from '../../platform/testing/files.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import { REMINDERS_JOB } from './conduct.api.ts';
import { ConductApi } from './index.ts';

const CODE = {
  audience: 'staff',
  title: 'Code of conduct of the Customs administration',
  body: '# Integrity\n\nNo gifts over the threshold.\n\n<script>alert(1)</script>\n\n[WCO](https://www.wcoomd.org)',
  effectiveDate: '2027-01-01',
  sanctions: [
    { level: 2, misconduct: 'Accepting a gift over the threshold', sanction: 'Written reprimand' },
    { level: 1, misconduct: 'Late declaration', sanction: 'Warning' },
  ],
};

describe('conduct: code versions, acknowledgement campaigns, reminders, rates, private sector', () => {
  let h: Harness;
  let officer: Client;
  let staff: Client;
  let analyst: Client;
  let v1: string;
  let north: string;
  let port: string;
  let hq: string;
  const count = async (sql: string, params: unknown[] = []) =>
    (await h.kernel.db.query<{ n: number }>(sql, params))[0]!.n;

  before(async () => {
    h = await createHarness();
    officer = await h.as(h.a.users.integrity_officer.email);
    staff = await h.as(h.a.users.staff.email);
    analyst = await h.as(h.a.users.analyst.email);
    const unit = async (name: string, parent: string | null) =>
      (
        await h.kernel.db.query<{ id: string }>(
          `insert into org_units (id, tenant_id, type, name, parent_id) values (gen_random_uuid(), $1, 'office', $2, $3) returning id`,
          [h.a.id, name, parent],
        )
      )[0]!.id;
    north = await unit('Directorate North', null);
    port = await unit('Port office', north);
    hq = await unit('Headquarters', null);
    const place = (role: keyof Harness['a']['users'], u: string) =>
      h.kernel.db.query('update memberships set org_unit_id = $1 where user_id = $2 and tenant_id = $3', [
        u,
        h.a.users[role].id,
        h.a.id,
      ]);
    await place('staff', port);
    await place('analyst', north);
    await place('line_manager', north);
    await place('executive', hq);
  });
  after(() => h.close());

  it('creates a draft (sanitised HTML, sanctions by level), publishes it, and then refuses any change', async () => {
    const bad = await officer.post('/api/conduct/versions', {
      ...CODE,
      sanctions: [CODE.sanctions[0], { ...CODE.sanctions[1], level: 2 }],
    });
    assert.equal(bad.statusCode, 400, 'a level twice');
    assert.equal(
      (await officer.post('/api/conduct/versions', { ...CODE, effectiveDate: '2027-02-30' })).statusCode,
      400,
    );
    assert.equal(await count('select count(*)::int as n from conduct_versions'), 0, 'nothing stored');
    assert.equal((await analyst.post('/api/conduct/versions', CODE)).statusCode, 403);
    const created = await officer.post('/api/conduct/versions', CODE);
    assert.equal(created.statusCode, 201, created.body);
    const d = created.json();
    v1 = d.id;
    assert.equal(d.number, 1);
    assert.equal(d.status, 'draft');
    assert.doesNotMatch(d.html, /<script/);
    assert.match(d.html, /<h3>Integrity<\/h3>/, 'headings below the page and code titles');
    assert.match(d.html, /rel="noopener noreferrer"/);
    assert.deepEqual(
      d.sanctions.map((s: { level: number }) => s.level),
      [1, 2],
    );
    // Staff do not see drafts.
    assert.equal((await staff.get(`/api/conduct/versions/${v1}`)).statusCode, 404);
    assert.equal((await staff.get('/api/conduct/me')).json().code, null);
    const edited = await officer.patch(`/api/conduct/versions/${v1}`, {
      title: 'Code of conduct 2027',
      version: d.version,
    });
    assert.equal(edited.statusCode, 200, edited.body);
    const stale = await officer.patch(`/api/conduct/versions/${v1}`, { title: 'stale', version: d.version });
    assert.equal(stale.statusCode, 409);
    const pdf = multipart({
      fields: { versionId: v1 },
      file: { filename: 'code.pdf', data: sampleFile('pdf') },
    });
    const up = await officer.request({ method: 'POST', url: '/api/conduct/pdf', ...pdf });
    assert.equal(up.statusCode, 200, up.body);
    assert.equal(up.json().hasPdf, true);
    const pub = await officer.post(`/api/conduct/versions/${v1}/publish`);
    assert.equal(pub.statusCode, 200, pub.body);
    assert.equal(pub.json().status, 'published');
    // Immutable: the API refuses, and so does the database.
    const after = await officer.patch(`/api/conduct/versions/${v1}`, {
      title: 'changed',
      version: pub.json().version,
    });
    assert.equal(after.statusCode, 409);
    assert.equal((await officer.post(`/api/conduct/versions/${v1}/publish`)).statusCode, 409);
    const again = await officer.request({ method: 'POST', url: '/api/conduct/pdf', ...pdf });
    assert.equal(again.statusCode, 409);
    await assert.rejects(
      h.kernel.db.query(`update conduct_versions set title = 'tampered' where id = $1`, [v1]),
      /immutable/,
    );
    await assert.rejects(h.kernel.db.query('delete from conduct_versions where id = $1', [v1]), /immutable/);
    const [row] = await h.kernel.db.query<{ title: string }>(
      'select title from conduct_versions where id = $1',
      [v1],
    );
    assert.equal(row!.title, 'Code of conduct 2027');
    const file = await staff.get(`/api/conduct/versions/${v1}/pdf`);
    assert.equal(file.statusCode, 200);
    assert.equal(file.rawPayload.subarray(0, 4).toString(), '%PDF');
  });

  let campaignId: string;
  it('refuses bad campaigns with nothing stored, then assigns all staff', async () => {
    const base = { versionId: v1, title: 'Annual acknowledgement', targetKind: 'all', dueDate: '2027-03-31' };
    const bads = [
      { ...base, dueDate: '2020-01-01' },
      { ...base, targetKind: 'units' },
      { ...base, targetKind: 'units', units: [h.b.id] },
      { ...base, targetKind: 'new_entrants' },
      { ...base, versionId: h.a.id },
      { ...base, extra: 1 },
    ];
    for (const b of bads) {
      const r = await officer.post('/api/conduct/campaigns', b);
      assert.equal(r.statusCode, 400, `${JSON.stringify(b)} → ${r.statusCode} ${r.body}`);
      assert.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
    assert.equal(await count('select count(*)::int as n from conduct_campaigns'), 0);
    assert.equal(await count('select count(*)::int as n from conduct_assignments'), 0);
    const r = await officer.post('/api/conduct/campaigns', base);
    assert.equal(r.statusCode, 201, r.body);
    campaignId = r.json().id;
    const members = await count(
      'select count(*)::int as n from memberships m join users u on u.id = m.user_id where m.tenant_id = $1 and u.disabled_at is null',
      [h.a.id],
    );
    assert.equal(r.json().assigned, members);
    assert.ok(r.json().people.some((p: { userId: string }) => p.userId === h.a.users.staff.id));
    assert.ok(!r.json().people.some((p: { userId: string }) => p.userId === h.b.users.staff.id));
  });

  it('a staff member reads the code and acknowledges it explicitly (version, day and time; audited)', async () => {
    const me = (await staff.get('/api/conduct/me')).json();
    assert.equal(me.code.id, v1);
    assert.equal(me.acknowledgedAt, null);
    assert.equal(me.dueDate, '2027-03-31');
    const noConfirm = await staff.post(`/api/conduct/versions/${v1}/acknowledge`, { confirm: false });
    assert.equal(noConfirm.statusCode, 400);
    assert.equal(await count('select count(*)::int as n from conduct_acknowledgements'), 0);
    const ok = await analyst.post(`/api/conduct/versions/${v1}/acknowledge`, { confirm: true });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().versionId, v1);
    const twice = await analyst.post(`/api/conduct/versions/${v1}/acknowledge`, { confirm: true });
    assert.equal(twice.json().acknowledgedAt, ok.json().acknowledgedAt, 'idempotent');
    assert.equal(
      await count(
        "select count(*)::int as n from audit_events where action = 'conduct.acknowledged' and actor_id = $1",
        [h.a.users.analyst.id],
      ),
      1,
    );
    const [ack] = await h.kernel.db.query<{ org_unit_id: string }>(
      'select org_unit_id from conduct_acknowledgements where user_id = $1',
      [h.a.users.analyst.id],
    );
    assert.equal(ack!.org_unit_id, north);
  });

  it('rates by org unit: own members and with sub-units; XLSX and CSV exports; the KPI function', async () => {
    const lm = await h.as(h.a.users.line_manager.email);
    assert.equal((await staff.get('/api/conduct/reports')).statusCode, 403);
    const r = await lm.get('/api/conduct/reports');
    assert.equal(r.statusCode, 200, r.body);
    const rep = r.json();
    const unit = (id: string) => rep.byUnit.find((u: { id: string }) => u.id === id);
    assert.deepEqual(unit(port).own, { assigned: 1, acknowledged: 0, rate: 0 });
    assert.deepEqual(unit(north).own, { assigned: 2, acknowledged: 1, rate: 0.5 });
    assert.deepEqual(unit(north).withSubUnits, { assigned: 3, acknowledged: 1, rate: 1 / 3 });
    assert.deepEqual(unit(hq).own, { assigned: 1, acknowledged: 0, rate: 0 });
    assert.equal(unit(port).depth, 1);
    assert.equal(rep.totals.acknowledged, 1);
    const none = rep.byUnit.find((u: { id: string | null }) => u.id === null);
    assert.equal(none.own.assigned, rep.totals.assigned - 4);
    // A period that ends before the campaign's due date counts nobody.
    const early = (await lm.get('/api/conduct/reports?to=2027-01-01')).json();
    assert.equal(early.totals.assigned, 0);
    const csv = await lm.get('/api/conduct/reports/export?format=csv');
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-disposition'] as string, /code-acknowledgements-.*\.csv/);
    assert.match(csv.body, /analyst A.*acknowledged/);
    const xlsx = await lm.get('/api/conduct/reports/export?format=xlsx');
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
    const kpi = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
      new ConductApi(h.kernel).acknowledgementRate(tx, {
        from: '2027-01-01',
        to: '2027-12-31',
        unitId: north,
      }),
    );
    assert.deepEqual(
      { assigned: kpi.assigned, acknowledged: kpi.acknowledged },
      { assigned: 3, acknowledged: 1 },
    );
  });

  const run = async (now: string) => {
    await h.kernel.jobs.enqueue(h.kernel.db.owner, REMINDERS_JOB, { now }, { tenantId: null });
    while ((await h.kernel.jobs.tick()) > 0) {
      /* drain the per-tenant jobs */
    }
  };
  const notes = () =>
    h.kernel.db.query<{ dedupe_key: string; user_id: string; tenant_id: string; link: string }>(
      "select dedupe_key, user_id, tenant_id, link from notifications where dedupe_key like 'conduct:%' order by dedupe_key, user_id",
    );

  it('reminds once per due date, escalates overdue acknowledgements to the line manager (up the units)', async () => {
    const open = (await officer.get(`/api/conduct/campaigns/${campaignId}`))
      .json()
      .people.filter((p: { acknowledgedAt: string | null }) => !p.acknowledgedAt).length;
    await run('2027-03-20T06:00:00Z');
    assert.equal((await notes()).length, 0, 'not yet within 7 days');
    await run('2027-03-26T06:00:00Z');
    const first = await notes();
    assert.equal(first.length, open);
    assert.ok(first.every((n) => n.dedupe_key.endsWith(':due_soon:2027-03-31')));
    assert.ok(!first.some((n) => n.user_id === h.a.users.analyst.id), 'acknowledged: no reminder');
    await run('2027-03-26T06:00:00Z');
    await run('2027-03-27T06:00:00Z');
    assert.equal((await notes()).length, open, 'never twice');
    await run('2027-04-01T06:00:00Z');
    const all = await notes();
    const esc = all.filter((n) => n.dedupe_key.includes(':escalation:'));
    const [staffAssignment] = await h.kernel.db.query<{ id: string }>(
      'select id from conduct_assignments where user_id = $1',
      [h.a.users.staff.id],
    );
    // An escalation opens the rates page, which a line manager may see (conduct.reports).
    assert.ok(esc.length && esc.every((n) => n.link === '/conduct/reports'));
    assert.ok(h.kernel.permissions.permissionsOf(['line_manager']).has('conduct.reports'));
    // The port office has no line manager: its parent's (North) gets the staff member's escalation.
    assert.ok(
      esc.some(
        (n) =>
          n.dedupe_key.startsWith(`conduct:${staffAssignment!.id}:`) &&
          n.user_id === h.a.users.line_manager.id,
      ),
    );
    // The executive's unit (HQ) has no line manager up the tree: the campaign's creator.
    const [execAssignment] = await h.kernel.db.query<{ id: string }>(
      'select id from conduct_assignments where user_id = $1',
      [h.a.users.executive.id],
    );
    assert.ok(
      esc.some(
        (n) =>
          n.dedupe_key.startsWith(`conduct:${execAssignment!.id}:`) &&
          n.user_id === h.a.users.integrity_officer.id,
      ),
    );
    assert.ok(
      !esc.some(
        (n) => n.dedupe_key.startsWith(`conduct:${staffAssignment!.id}:`) && n.user_id === h.a.users.staff.id,
      ),
    );
    assert.equal(all.filter((n) => n.dedupe_key.includes(':overdue:2027-03-31')).length, open);
    await run('2027-04-02T06:00:00Z');
    assert.equal((await notes()).length, all.length, 'overdue and escalation once per due date');
    assert.ok(
      all.every((n) => n.tenant_id === h.a.id),
      'tenant B got nothing',
    );
  });

  it('a new version must be acknowledged again; new entrants are members who joined from a day', async () => {
    const d = (await officer.post('/api/conduct/versions', { ...CODE, effectiveDate: '2027-06-01' })).json();
    assert.equal(d.number, 2);
    await officer.post(`/api/conduct/versions/${d.id}/publish`);
    const me = (await analyst.get('/api/conduct/me')).json();
    assert.equal(me.code.id, d.id);
    assert.equal(me.acknowledgedAt, null, 'v1 acknowledged, v2 not');
    assert.equal(me.history.length, 1);
    // Everyone but staff and analyst joined long ago.
    await h.kernel.db.query(
      `update memberships set created_at = '2020-01-01' where tenant_id = $1 and user_id not in ($2, $3)`,
      [h.a.id, h.a.users.staff.id, h.a.users.analyst.id],
    );
    const r = await officer.post('/api/conduct/campaigns', {
      versionId: d.id,
      title: 'New entrants',
      targetKind: 'new_entrants',
      joinedFrom: '2026-01-01',
      dueDate: '2027-06-30',
    });
    assert.equal(r.statusCode, 201, r.body);
    assert.deepEqual(
      r
        .json()
        .people.map((p: { userId: string }) => p.userId)
        .sort(),
      [h.a.users.staff.id, h.a.users.analyst.id].sort(),
    );
    const u = await officer.post('/api/conduct/campaigns', {
      versionId: d.id,
      title: 'North',
      targetKind: 'units',
      units: [north],
      dueDate: '2027-06-30',
    });
    assert.deepEqual(
      u
        .json()
        .people.map((p: { userId: string }) => p.userId)
        .sort(),
      [h.a.users.staff.id, h.a.users.analyst.id, h.a.users.line_manager.id].sort(),
      'north with its port office',
    );
    // The report of the current version counts each person once.
    const rep = (await officer.get('/api/conduct/reports')).json();
    assert.equal(rep.versionId, d.id);
    assert.equal(rep.totals.assigned, 3);
    // v1 reminders stop once v2 is in force.
    const before = (await notes()).length;
    await run('2027-04-20T06:00:00Z');
    assert.equal((await notes()).length, before);
  });

  it('private-sector code: register, paper acknowledgement, one-time public link, licensed brokers rate', async () => {
    const early = await officer.post('/api/conduct/parties', {
      type: 'broker',
      name: 'Early',
      licensed: true,
    });
    assert.equal(
      (await officer.post(`/api/conduct/parties/${early.json().id}/links`)).statusCode,
      409,
      'no private-sector code yet',
    );
    const pv = (
      await officer.post('/api/conduct/versions', {
        ...CODE,
        audience: 'private_sector',
        title: 'Private-sector code',
      })
    ).json();
    await officer.post(`/api/conduct/versions/${pv.id}/publish`);
    assert.equal((await staff.get(`/api/conduct/versions/${pv.id}`)).statusCode, 404, 'not a staff code');
    assert.equal((await staff.get('/api/conduct/me')).json().code.audience, 'staff');
    const b2 = (
      await officer.post('/api/conduct/parties', {
        type: 'broker',
        name: 'Broker Two',
        identifier: 'LIC-2',
        licensed: true,
      })
    ).json();
    await officer.post('/api/conduct/parties', { type: 'importer', name: 'Importer' });
    assert.equal(
      (await officer.post('/api/conduct/parties', { type: 'smuggler', name: 'x' })).statusCode,
      400,
    );
    const future = await officer.post(`/api/conduct/parties/${early.json().id}/acknowledgements`, {
      signatory: 'A. Broker',
      signedOn: '2999-01-01',
    });
    assert.equal(future.statusCode, 400);
    assert.equal(await count('select count(*)::int as n from conduct_party_acks'), 0);
    const paper = await officer.post(`/api/conduct/parties/${early.json().id}/acknowledgements`, {
      signatory: 'A. Broker',
      signedOn: '2026-11-01',
    });
    assert.equal(paper.statusCode, 201, paper.body);
    assert.equal(paper.json().acknowledged.method, 'paper');
    let list = (await officer.get('/api/conduct/parties')).json();
    assert.deepEqual(list.brokers, { assigned: 2, acknowledged: 1, rate: 0.5 });
    const link = await officer.post(`/api/conduct/parties/${b2.id}/links`);
    assert.equal(link.statusCode, 201);
    const { token, url } = link.json();
    assert.ok(url.endsWith(`/code/${token}`));
    const [stored] = await h.kernel.db.query<{ token_hash: string }>(
      'select token_hash from conduct_party_links',
    );
    assert.notEqual(stored!.token_hash, token, 'only the hash is stored');
    const anon = h.anonymous();
    const page = await anon.get(`/api/conduct/public/${token}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.equal(page.json().party, 'Broker Two');
    assert.equal(page.json().acknowledgedAt, null);
    assert.equal((await anon.get(`/api/conduct/public/${'x'.repeat(43)}`)).statusCode, 404);
    assert.equal((await anon.get('/api/conduct/public/short')).statusCode, 400);
    const noConfirm = await anon.post(`/api/conduct/public/${token}/acknowledge`, { signatory: 'B. Two' });
    assert.equal(noConfirm.statusCode, 400);
    const ack = await anon.post(`/api/conduct/public/${token}/acknowledge`, {
      signatory: 'B. Two',
      confirm: true,
    });
    assert.equal(ack.statusCode, 204, ack.body);
    assert.equal(
      (await anon.post(`/api/conduct/public/${token}/acknowledge`, { signatory: 'B. Two', confirm: true }))
        .statusCode,
      410,
    );
    assert.ok((await anon.get(`/api/conduct/public/${token}`)).json().acknowledgedAt);
    list = (await officer.get('/api/conduct/parties')).json();
    assert.deepEqual(list.brokers, { assigned: 2, acknowledged: 2, rate: 1 });
    assert.equal(
      await count(
        "select count(*)::int as n from audit_events where action = 'conduct.party.acknowledged' and actor_id is null",
      ),
      1,
    );
  });

  it('tenant B sees none of it', async () => {
    const bStaff = await h.as(h.b.users.staff.email);
    assert.equal((await bStaff.get('/api/conduct/me')).json().code, null);
    assert.equal((await bStaff.get(`/api/conduct/versions/${v1}`)).statusCode, 404);
    const bOfficer = await h.as(h.b.users.integrity_officer.email);
    assert.equal((await bOfficer.get('/api/conduct/campaigns')).json().items.length, 0);
    assert.equal((await bOfficer.get('/api/conduct/parties')).json().items.length, 0);
    assert.equal((await bOfficer.get('/api/conduct/reports')).json().totals.assigned, 0);
    assert.equal(
      (await bStaff.post(`/api/conduct/versions/${v1}/acknowledge`, { confirm: true })).statusCode,
      404,
    );
  });
});
