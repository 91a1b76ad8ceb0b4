import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import { AppError } from '../../platform/errors.ts';
import { type Client, createHarness, type Harness } from '../../platform/testing/harness.ts';
import { RisksApi } from './index.ts';

// A risk identified by another module (RisksApi.createFromSource): a draft its owner completes.

describe('risks: drafts identified from another module', () => {
  let h: Harness;
  let officer: Client; // integrity officer: risks.read + risks.manage
  let api: RisksApi;
  const actor = (tenantId: string, userId: string, roles: string[]) =>
    ({
      userId,
      tenantId,
      permissions: new Set(h.kernel.permissions.permissionsOf(roles)),
    }) as unknown as Actor;
  const identify = (tenantId: string, a: Actor, sourceRef: string, over: Record<string, unknown> = {}) =>
    withTenant(h.kernel.db, { tenantId, userId: a.userId }, (tx) =>
      api.createFromSource(tx, tenantId, a, {
        sourceModule: 'analytics',
        sourceRef,
        title: 'I10: officer X × declarant P',
        description: 'Officer X handled 28 declarations of declarant P where 9.3 were expected.',
        scheme: 'manipulated_assignment',
        factors: [10, 4, 10],
        processCode: 'clearance',
        orgUnitCode: 'PORT-1',
        ...over,
      }),
    );
  let officerA: Actor;
  let unitId: string;

  before(async () => {
    h = await createHarness();
    api = new RisksApi(h.kernel);
    officer = await h.as(h.a.users.integrity_officer.email);
    officerA = actor(h.a.id, h.a.users.integrity_officer.id, ['integrity_officer']);
    const [u] = await h.kernel.db.query<{ id: string }>(
      `insert into org_units (id, tenant_id, type, name, code) values (gen_random_uuid(), $1, 'office', 'Port office', 'PORT-1') returning id`,
      [h.a.id],
    );
    unitId = u!.id;
  });
  after(() => h.close());

  it('needs the register’s create permission, whatever the caller’s own', async () => {
    const analyst = actor(h.a.id, h.a.users.analyst.id, ['analyst']);
    await assert.rejects(
      identify(h.a.id, analyst, '0190f0c0-0000-7000-8000-000000000001'),
      (e: unknown) => e instanceof AppError && e.code === 'FORBIDDEN',
    );
    const n = await h.kernel.db.query('select id from risks where tenant_id = $1', [h.a.id]);
    assert.equal(n.length, 0);
  });

  it('creates a draft with its source, process, unit and factor, unrated; the same source again is the same risk', async () => {
    const ref = '0190f0c0-0000-7000-8000-000000000002';
    const first = await identify(h.a.id, officerA, ref);
    assert.equal(first.created, true);
    assert.match(first.ref, /^R-\d{3}$/);
    const again = await identify(h.a.id, officerA, ref, { title: 'another title' });
    assert.deepEqual(again, { id: first.id, ref: first.ref, created: false });

    const r = (await officer.get(`/api/risks/${first.id}`)).json();
    assert.equal(r.status, 'draft');
    assert.equal(r.title, 'I10: officer X × declarant P');
    assert.match(r.description, /28 declarations of declarant P/);
    assert.equal(r.scheme, 'manipulated_assignment');
    assert.deepEqual(r.factors, [4, 10], 'factors sorted, once each');
    assert.equal(r.processCode, 'clearance');
    assert.equal(r.orgUnitId, unitId, 'the office code found its unit');
    assert.equal(r.ownerUserId, null);
    assert.equal(r.inherent, null);
    assert.equal(r.residual, null);
    assert.deepEqual(r.flags, []);
    assert.deepEqual(r.source, { module: 'analytics', ref });

    const audit = await h.kernel.db.query<{ action: string; data: Record<string, unknown> }>(
      'select action, data from audit_events where tenant_id = $1 and entity_id = $2',
      [h.a.id, first.id],
    );
    assert.deepEqual(
      audit.map((a) => a.action),
      ['risks.risk.identified'],
    );
    assert.equal(audit[0]!.data.sourceRef, ref);
    assert.equal(audit[0]!.data.sourceModule, 'analytics');
  });

  it('an unknown process or office leaves them empty on the draft', async () => {
    const made = await identify(h.a.id, officerA, '0190f0c0-0000-7000-8000-000000000003', {
      processCode: 'no_such_process',
      orgUnitCode: 'NOWHERE',
    });
    const r = (await officer.get(`/api/risks/${made.id}`)).json();
    assert.equal(r.processId, null);
    assert.equal(r.orgUnitId, null);
  });

  it('a draft is on no heat map, snapshot or top list, but in the register, its export and import', async () => {
    const list = (await officer.get('/api/risks?status=draft')).json().items;
    assert.equal(list.length, 2);
    assert.equal((await officer.get('/api/risks/heatmap')).json().total, 0);
    const snap = await officer.post('/api/risks/snapshots', { label: 'with drafts' });
    assert.equal(snap.statusCode, 201, snap.body);
    assert.equal(snap.json().riskCount, 0);
    const top = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
      api.topResidual(tx, 5, 'en'),
    );
    assert.deepEqual(top, []);
    const csv = await officer.get('/api/risks/export?format=csv');
    assert.equal(csv.statusCode, 200, csv.body);
    const line = csv.body.split('\n').find((l) => l.includes('declarant P'));
    assert.ok(line && /,draft,/.test(line), line);
    // The export goes back in unchanged: a draft's empty ratings and process are allowed.
    const dry = await officer.request({
      method: 'POST',
      url: '/api/risks/import?dryRun=true',
      ...(await import('../../platform/testing/files.ts')).multipart({
        fields: {},
        file: { filename: 'register.csv', data: csv.body },
      }),
    });
    assert.equal(dry.statusCode, 200, dry.body);
    assert.deepEqual(dry.json().errors, []);
    assert.equal(dry.json().unchanged.length, 2);
  });

  it('the owner opens a draft once it has a process and four ratings; a risk never goes back to draft', async () => {
    const [draft] = (await officer.get('/api/risks?status=draft'))
      .json()
      .items.filter((r: { processId: string | null }) => r.processId === null);
    assert.equal((await officer.post(`/api/risks/${draft.id}/review`, { version: 1 })).statusCode, 409);
    const early = await officer.patch(`/api/risks/${draft.id}`, {
      status: 'open',
      inherentLikelihood: 4,
      version: draft.version,
    });
    assert.equal(early.statusCode, 422, early.body);
    assert.deepEqual(
      early
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
      ['body.inherentImpact', 'body.processId', 'body.residualImpact', 'body.residualLikelihood'],
    );
    // Ratings may be entered while it stays a draft.
    const partial = await officer.patch(`/api/risks/${draft.id}`, { inherentLikelihood: 4, version: 1 });
    assert.equal(partial.statusCode, 200, partial.body);
    assert.equal(partial.json().inherent, null, 'a rating needs both axes');
    const processes = (await officer.get('/api/risks/processes')).json().items;
    const opened = await officer.patch(`/api/risks/${draft.id}`, {
      status: 'open',
      processId: processes.find((p: { code: string }) => p.code === 'clearance').id,
      inherentImpact: 4,
      residualLikelihood: 3,
      residualImpact: 3,
      version: 2,
    });
    assert.equal(opened.statusCode, 200, opened.body);
    assert.equal(opened.json().status, 'open');
    assert.equal(opened.json().inherent.score, 16);
    assert.equal((await officer.get('/api/risks/heatmap')).json().total, 1, 'now on the heat map');
    const back = await officer.patch(`/api/risks/${draft.id}`, { status: 'draft', version: 3 });
    assert.equal(back.statusCode, 422, back.body);
    // The database refuses an open risk without ratings, whoever writes it.
    await assert.rejects(
      h.kernel.db.query(`update risks set status = 'open' where status = 'draft' and tenant_id = $1`, [
        h.a.id,
      ]),
      /risks_rated_unless_draft/,
    );
  });

  it('another administration neither sees nor reads the status of these risks', async () => {
    const [mine] = (await officer.get('/api/risks?status=draft')).json().items;
    const b = await h.as(h.b.users.integrity_officer.email);
    assert.equal((await b.get(`/api/risks/${mine.id}`)).statusCode, 404);
    const seen = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: null }, (tx) =>
      api.statuses(tx, [mine.id]),
    );
    assert.deepEqual(seen, []);
    const own = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
      api.statuses(tx, [mine.id]),
    );
    assert.deepEqual(own, [{ id: mine.id, ref: mine.ref, status: 'draft' }]);
    // The same source id in B is B's own draft.
    const officerB = actor(h.b.id, h.b.users.integrity_officer.id, ['integrity_officer']);
    const made = await identify(h.b.id, officerB, mine.source.ref);
    assert.equal(made.created, true);
    assert.notEqual(made.id, mine.id);
  });
});
