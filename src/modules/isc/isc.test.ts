import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { sql } from 'drizzle-orm';
import { BUILT_IN_ROLES } from '../../platform/access/permissions.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { multipart, sampleFile } from '../../platform/testing/files.ts';
import { IdentityService } from '../identity/index.ts';
import { READER_ROLES } from './isc.permissions.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON response bodies, read by the assertions
type Body = Record<string, any>;

const SESSION = {
  number: 23,
  theme: 'PMM and AI for integrity',
  startDate: '2024-02-20',
  endDate: '2024-02-22',
  place: 'Brussels',
  participants: [
    { kind: 'member', name: 'Tenant A Customs', country: 'XA', delegatesCount: 2 },
    {
      kind: 'observer',
      name: 'Transparency International',
      category: 'Civil society',
      delegates: ['J. Doe'],
    },
  ],
};

describe('isc: sessions, agenda, documents, work programme, recommendations', () => {
  let h: Harness;
  let secretariat: Client;
  let secretariatStaff: Client;
  let delegateA: Client;
  let officerB: Client;
  let staffA: Client;
  let pmA: Client;
  let donor: Client;
  let secretariatId: string;

  before(async () => {
    // Files in the database (as with several app instances): there, row-level security decides who
    // reads a document across organisations (the isc files_read migration); local storage has no
    // such layer and is covered by the browser journey and storage.test.ts.
    h = await createHarness({ env: { STORAGE: 'database' } });
    const ids = new IdentityService(h.kernel);
    const [{ hash } = { hash: '' }] = await h.kernel.db.query<{ hash: string }>(
      'select password_hash as hash from users where email = $1',
      [h.a.users.staff.email],
    );
    const member = async (orgId: string, email: string, roles: string[]) => {
      const u = await ids.ensureUser({ email, name: email.split('@')[0]!, passwordHash: hash });
      await ids.addMembership(orgId, u.id, roles);
      return h.as(email);
    };
    const wco = await ids.createOrganisation(null, { type: 'secretariat', name: 'WCO Secretariat' });
    secretariatId = wco.id;
    secretariat = await member(wco.id, 'pm@wco.test', ['programme_manager']);
    secretariatStaff = await member(wco.id, 'staff@wco.test', ['staff']);
    const donorOrg = await ids.createOrganisation(null, { type: 'donor', name: 'Donor Agency' });
    donor = await member(donorOrg.id, 'admin@donor.test', ['org_admin']);
    delegateA = await h.as(h.a.users.isc_delegate.email);
    officerB = await h.as(h.b.users.integrity_officer.email);
    staffA = await h.as(h.a.users.staff.email);
    pmA = await h.as(h.a.users.programme_manager.email);
  });
  after(() => h.close());

  const ok = async (p: Promise<{ statusCode: number; body: string; json(): unknown }>, status = 200) => {
    const res = await p;
    assert.equal(res.statusCode, status, res.body);
    return res.json() as Body;
  };
  const count = async (table: string) =>
    (await h.kernel.db.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;
  const audits = async (action: string) =>
    (
      await h.kernel.db.query<{ n: number }>(
        'select count(*)::int as n from audit_events where tenant_id = $1 and action = $2',
        [secretariatId, action],
      )
    )[0]!.n;

  let session: Body;
  let work: Body;

  it('the Secretariat creates a session, builds and reorders the agenda, attaches documents and adopts the minutes', async () => {
    session = await ok(secretariat.post('/api/isc/sessions', SESSION), 201);
    assert.equal(session.status, 'planned');
    assert.equal(session.participants.length, 2);
    assert.equal(session.participants[0].delegatesCount, 2);
    assert.equal(session.canManage, true);
    work = await ok(
      secretariat.post('/api/isc/work-items', {
        programme: '2022-2025',
        ref: 'WP-1',
        title: 'Measuring integrity',
        coreFunction: 'sp2',
        leadKind: 'secretariat',
        dueDate: '2025-12-31',
      }),
      201,
    );
    assert.equal(work.programme, '2022–2025', 'the period is written with an en dash');

    const upload = multipart({
      file: { filename: 'agenda.pdf', data: sampleFile('pdf') },
      fields: { sessionId: session.id, title: 'Draft agenda' },
    });
    const doc = await ok(secretariat.request({ method: 'POST', url: '/api/isc/documents', ...upload }), 201);
    assert.equal(doc.filename, 'agenda.pdf');

    const add = (body: object) => ok(secretariat.post(`/api/isc/sessions/${session.id}/agenda`, body), 201);
    await add({
      number: '1',
      titleEn: 'Adoption of the agenda',
      titleFr: 'Adoption de l’ordre du jour',
      documentIds: [doc.id],
    });
    await add({ number: '2', titleEn: 'Measuring integrity', presenter: 'Secretariat', workItemId: work.id });
    let s = await add({ number: '3', titleEn: 'Any other business' });
    assert.deepEqual(
      s.agenda.map((a: { number: string; position: number }) => `${a.position}:${a.number}`),
      ['1:1', '2:2', '3:3'],
    );
    assert.deepEqual(s.agenda[0].documentIds, [doc.id]);
    assert.equal(s.agenda[1].workItemId, work.id);

    const third = s.agenda[2];
    s = await ok(
      secretariat.post(`/api/isc/sessions/${session.id}/agenda/${third.id}/move`, {
        version: third.version,
        direction: 'up',
      }),
    );
    assert.deepEqual(
      s.agenda.map((a: { number: string }) => a.number),
      ['1', '3', '2'],
    );
    const moved = s.agenda[1];
    s = await ok(
      secretariat.post(`/api/isc/sessions/${session.id}/agenda/${moved.id}/move`, {
        version: moved.version,
        direction: 'up',
      }),
    );
    assert.deepEqual(
      s.agenda.map((a: { number: string }) => a.number),
      ['3', '1', '2'],
    );
    const first = s.agenda[0];
    const top = await secretariat.post(`/api/isc/sessions/${session.id}/agenda/${first.id}/move`, {
      version: first.version,
      direction: 'up',
    });
    assert.equal(top.statusCode, 409, 'the first item cannot move up');

    s = await ok(
      secretariat.patch(`/api/isc/sessions/${session.id}/agenda/${first.id}`, {
        version: first.version,
        outcome: 'Nothing raised.',
      }),
    );
    assert.equal(s.agenda[0].outcome, 'Nothing raised.');
    s = await ok(
      secretariat.request({
        method: 'DELETE',
        url: `/api/isc/sessions/${session.id}/agenda/${s.agenda[0].id}`,
        payload: { version: s.agenda[0].version },
      }),
    );
    assert.deepEqual(
      s.agenda.map((a: { number: string; position: number }) => `${a.position}:${a.number}`),
      ['1:1', '2:2'],
      'positions stay dense after a removal',
    );

    const file = await secretariat.get(`/api/isc/sessions/${session.id}/documents/${doc.id}`);
    assert.equal(file.statusCode, 200);
    assert.deepEqual(file.rawPayload, sampleFile('pdf'));

    const noMinutes = await secretariat.patch(`/api/isc/sessions/${session.id}`, {
      version: s.version,
      status: 'minutes_adopted',
    });
    assert.equal(noMinutes.statusCode, 400, 'adopted minutes need a text and a date');
    s = await ok(
      secretariat.patch(`/api/isc/sessions/${session.id}`, {
        version: s.version,
        status: 'minutes_adopted',
        minutes: 'The Sub-Committee discussed measurement.',
        minutesAdoptedOn: '2024-04-01',
      }),
    );
    assert.equal(s.status, 'minutes_adopted');
    assert.equal(s.minutesAdoptedOn, '2024-04-01');
    session = s;

    const removed = await secretariat.request({
      method: 'DELETE',
      url: `/api/isc/sessions/${session.id}/documents/${doc.id}`,
    });
    assert.equal(removed.statusCode, 204);
    const after = await ok(secretariat.get(`/api/isc/sessions/${session.id}`));
    assert.equal(after.documents.length, 0);
    assert.deepEqual(after.agenda[0].documentIds, [], 'the removed document is unlinked from the agenda');
    session = after;

    for (const action of [
      'isc.session.created',
      'isc.session.updated',
      'isc.agenda.added',
      'isc.agenda.moved',
      'isc.agenda.updated',
      'isc.agenda.removed',
      'isc.document.added',
      'isc.document.removed',
      'isc.work.created',
    ])
      assert.ok((await audits(action)) > 0, `audited: ${action}`);
    assert.equal(await audits('isc.agenda.added'), 3);
  });

  it('work programme: overdue flag and status; recommendations with a dated follow-up history', async () => {
    const overdue = await ok(
      secretariat.post('/api/isc/work-items', {
        programme: '2022–2025',
        ref: 'WP-2',
        title: 'Staff rotation guidance',
        coreFunction: 'sp1',
        leadKind: 'member',
        leadName: 'Tenant B Customs',
        status: 'in_progress',
        deliverables: ['Guidance note'],
        dueDate: '2022-03-31',
      }),
      201,
    );
    assert.equal(overdue.overdue, true);
    const done = await ok(
      secretariat.patch(`/api/isc/work-items/${overdue.id}`, { version: overdue.version, status: 'done' }),
    );
    assert.equal(done.overdue, false, 'a finished item is not overdue');
    const list = await ok(secretariat.get('/api/isc/work-items?programme=2022–2025'));
    assert.deepEqual(
      list.items.map((w: { ref: string }) => w.ref),
      ['WP-1', 'WP-2'],
    );

    const rec = await ok(
      secretariat.post('/api/isc/recommendations', {
        ref: 'R23-1',
        text: 'Members report on the effect of their integrity measures.',
        sessionId: session.id,
        proposedOn: '2024-02-22',
      }),
      201,
    );
    assert.equal(rec.status, 'proposed');
    assert.equal(rec.sessionNumber, 23);
    const jump = await secretariat.post(`/api/isc/recommendations/${rec.id}/status`, {
      version: rec.version,
      status: 'implemented',
      on: '2024-03-01',
    });
    assert.equal(jump.statusCode, 409, 'a proposed recommendation is not implemented yet');
    const early = await secretariat.post(`/api/isc/recommendations/${rec.id}/status`, {
      version: rec.version,
      status: 'submitted',
      on: '2024-01-01',
    });
    assert.equal(early.statusCode, 400, 'a follow-up is not dated before the previous step');
    const submitted = await ok(
      secretariat.post(`/api/isc/recommendations/${rec.id}/status`, {
        version: rec.version,
        status: 'submitted',
        on: '2024-06-10',
        note: 'Policy Commission',
      }),
    );
    const endorsed = await ok(
      secretariat.post(`/api/isc/recommendations/${rec.id}/status`, {
        version: submitted.version,
        status: 'endorsed',
        on: '2024-06-12',
      }),
    );
    assert.equal(endorsed.status, 'endorsed');
    assert.deepEqual(
      endorsed.history.map((c: { status: string; on: string; by: string }) => `${c.status}@${c.on}`),
      ['proposed@2024-02-22', 'submitted@2024-06-10', 'endorsed@2024-06-12'],
    );
    assert.equal(endorsed.history[1].note, 'Policy Commission');
    assert.equal(endorsed.history[1].by, 'pm');
    assert.equal(await audits('isc.recommendation.status'), 2);
  });

  it("a recommendation's text is corrected with the version read: a stale save is 409, bad input and a delegate change nothing", async () => {
    const [rec] = (await ok(secretariat.get('/api/isc/recommendations'))).items as Body[];
    const text = 'Members report each year on the effect of their integrity measures.';
    const edited = await ok(
      secretariat.patch(`/api/isc/recommendations/${rec!.id}`, { version: rec!.version, text }),
    );
    assert.equal(edited.text, text);
    assert.equal(edited.status, rec!.status, 'the follow-up is untouched');
    assert.deepEqual(edited.history, rec!.history);
    assert.equal(edited.version, rec!.version + 1);

    // The same edit from a page read before it: refused, and the text stays as saved.
    const stale = await secretariat.patch(`/api/isc/recommendations/${rec!.id}`, {
      version: rec!.version,
      text: 'An older reading',
    });
    assert.equal(stale.statusCode, 409);
    assert.equal((stale.json() as Body).code, 'VERSION_CONFLICT');
    // A stale follow-up step is refused the same way.
    const staleStep = await secretariat.post(`/api/isc/recommendations/${rec!.id}/status`, {
      version: rec!.version,
      status: 'implemented',
      on: '2024-07-01',
    });
    assert.equal(staleStep.statusCode, 409);

    for (const [what, res, status] of [
      [
        'empty text',
        await secretariat.patch(`/api/isc/recommendations/${rec!.id}`, {
          version: edited.version,
          text: '  ',
        }),
        400,
      ],
      [
        'unknown field',
        await secretariat.patch(`/api/isc/recommendations/${rec!.id}`, {
          version: edited.version,
          status: 'implemented',
        }),
        400,
      ],
      [
        'a delegate',
        await delegateA.patch(`/api/isc/recommendations/${rec!.id}`, { version: edited.version, text: 'x' }),
        403,
      ],
      [
        "a delegate's step",
        await delegateA.post(`/api/isc/recommendations/${rec!.id}/status`, {
          version: edited.version,
          status: 'implemented',
          on: '2024-07-01',
        }),
        403,
      ],
    ] as const)
      assert.equal(res.statusCode, status, `${what}: ${res.body}`);
    const after = (await ok(secretariat.get('/api/isc/recommendations'))).items[0] as Body;
    assert.equal(after.text, text, 'nothing stored');
    assert.equal(after.version, edited.version);
    assert.equal(await audits('isc.recommendation.updated'), 1);
  });

  it("a delegate of a Member administration reads everything but cannot write (403), and the database refuses an administration's writes", async () => {
    const sessions = await ok(delegateA.get('/api/isc/sessions'));
    assert.deepEqual(
      sessions.items.map((s: { number: number }) => s.number),
      [23],
    );
    const detail = await ok(delegateA.get(`/api/isc/sessions/${session.id}`));
    assert.equal(detail.agenda.length, 2);
    assert.equal(detail.minutes, 'The Sub-Committee discussed measurement.');
    assert.equal(detail.canManage, false);
    assert.equal((await ok(officerB.get('/api/isc/work-items'))).items.length, 2);
    assert.equal((await ok(officerB.get('/api/isc/recommendations'))).items.length, 1);
    assert.deepEqual(await ok(delegateA.get('/api/isc/capabilities')), { canManage: false });

    const before = await count('isc_sessions');
    for (const res of [
      await delegateA.post('/api/isc/sessions', { ...SESSION, number: 40 }),
      await delegateA.patch(`/api/isc/sessions/${session.id}`, { version: session.version, theme: 'x' }),
      await delegateA.post(`/api/isc/sessions/${session.id}/agenda`, { number: '9', titleEn: 'x' }),
      await officerB.post('/api/isc/work-items', {
        programme: '2022–2025',
        ref: 'X',
        title: 'x',
        coreFunction: 'sp1',
        leadKind: 'secretariat',
      }),
    ])
      assert.equal(res.statusCode, 403, res.body);
    // An administration's programme manager holds isc.manage, but is not the Secretariat.
    const pm = await pmA.post('/api/isc/sessions', { ...SESSION, number: 41 });
    assert.equal(pm.statusCode, 403, pm.body);
    const pmEdit = await pmA.patch(`/api/isc/sessions/${session.id}`, {
      version: session.version,
      theme: 'x',
    });
    assert.equal(pmEdit.statusCode, 403, pmEdit.body);
    assert.equal(await count('isc_sessions'), before);

    // The database itself: tenant A can neither insert ISC rows nor change the Secretariat's.
    await assert.rejects(
      withTenant(h.kernel.db, { tenantId: h.a.id, userId: h.a.users.isc_delegate.id }, (tx) =>
        tx.execute(
          sql`insert into isc_sessions (id, tenant_id, number, start_date, end_date) values (gen_random_uuid(), ${h.a.id}, 77, '2026-01-01', '2026-01-02')`,
        ),
      ),
      (e: Error & { cause?: Error }) => /row-level security/.test(`${e.message} ${e.cause?.message}`),
    );
    const changed = await withTenant(
      h.kernel.db,
      { tenantId: h.a.id, userId: h.a.users.isc_delegate.id },
      async (tx) =>
        (await tx.execute(
          sql`update isc_sessions set theme = 'hacked' where id = ${session.id} returning id`,
        )) as unknown as {
          rows: unknown[];
        },
    );
    assert.equal(changed.rows.length, 0);
    assert.equal((await ok(secretariat.get(`/api/isc/sessions/${session.id}`))).theme, SESSION.theme);
  });

  it('an organisation that is neither the Secretariat nor a Member with the role sees nothing', async () => {
    // A donor's organisation administrator holds isc.read, but a donor is not a Member.
    assert.deepEqual((await ok(donor.get('/api/isc/sessions'))).items, []);
    assert.deepEqual((await ok(donor.get('/api/isc/work-items'))).items, []);
    assert.deepEqual((await ok(donor.get('/api/isc/recommendations'))).items, []);
    assert.equal((await donor.get(`/api/isc/sessions/${session.id}`)).statusCode, 404);
    // An administration's staff member has no isc.read; the database agrees (not a delegate role).
    assert.equal((await staffA.get('/api/isc/sessions')).statusCode, 403);
    const raw = await withTenant(
      h.kernel.db,
      { tenantId: h.a.id, userId: h.a.users.staff.id },
      async (tx) =>
        ((await tx.execute(sql`select id from isc_sessions`)) as unknown as { rows: unknown[] }).rows,
    );
    assert.equal(raw.length, 0);
    // Inside the Secretariat too, reading takes a role holding isc.read.
    assert.equal((await secretariatStaff.get('/api/isc/sessions')).statusCode, 403);
  });

  it('bad input is refused with a 4xx and nothing is stored', async () => {
    const sessions = await count('isc_sessions');
    const agenda = await count('isc_agenda_items');
    const recs = await count('isc_recommendations');
    const works = await count('isc_work_items');
    const cases: [string, Promise<{ statusCode: number; body: string }>, number][] = [
      [
        'dates out of order',
        secretariat.post('/api/isc/sessions', {
          ...SESSION,
          number: 30,
          startDate: '2024-03-02',
          endDate: '2024-03-01',
        }),
        400,
      ],
      ['duplicate session number', secretariat.post('/api/isc/sessions', { ...SESSION }), 409],
      [
        'unknown field',
        secretariat.post('/api/isc/sessions', { ...SESSION, number: 31, colour: 'red' }),
        400,
      ],
      [
        'participant kind',
        secretariat.post('/api/isc/sessions', {
          ...SESSION,
          number: 32,
          participants: [{ kind: 'guest', name: 'x' }],
        }),
        400,
      ],
      [
        'edit making dates out of order',
        secretariat.patch(`/api/isc/sessions/${session.id}`, {
          version: session.version,
          endDate: '2024-01-01',
        }),
        400,
      ],
      [
        'unknown work item',
        secretariat.post(`/api/isc/sessions/${session.id}/agenda`, {
          number: '5',
          titleEn: 'x',
          workItemId: '01900000-0000-7000-8000-000000000009',
        }),
        400,
      ],
      [
        "another session's document",
        secretariat.post(`/api/isc/sessions/${session.id}/agenda`, {
          number: '5',
          titleEn: 'x',
          documentIds: ['01900000-0000-7000-8000-000000000009'],
        }),
        400,
      ],
      [
        'recommendation of an unknown session',
        secretariat.post('/api/isc/recommendations', {
          ref: 'R-X',
          text: 'x',
          sessionId: '01900000-0000-7000-8000-000000000009',
          proposedOn: '2024-01-01',
        }),
        400,
      ],
      [
        'member lead without a name',
        secretariat.post('/api/isc/work-items', {
          programme: '2022–2025',
          ref: 'WP-9',
          title: 'x',
          coreFunction: 'sp3',
          leadKind: 'member',
        }),
        400,
      ],
      [
        'duplicate work item reference',
        secretariat.post('/api/isc/work-items', {
          programme: '2022–2025',
          ref: 'WP-1',
          title: 'x',
          coreFunction: 'sp3',
          leadKind: 'secretariat',
        }),
        409,
      ],
      [
        'core function',
        secretariat.post('/api/isc/work-items', {
          programme: '2022–2025',
          ref: 'WP-8',
          title: 'x',
          coreFunction: 'sp4',
          leadKind: 'secretariat',
        }),
        400,
      ],
      [
        'period',
        secretariat.post('/api/isc/work-items', {
          programme: 'soon',
          ref: 'WP-7',
          title: 'x',
          coreFunction: 'sp1',
          leadKind: 'secretariat',
        }),
        400,
      ],
    ];
    for (const [name, p, status] of cases) {
      const res = await p;
      assert.equal(res.statusCode, status, `${name}: ${res.body}`);
      assert.match(res.body, /"status":4\d\d/, name);
    }
    assert.equal(await count('isc_sessions'), sessions);
    assert.equal(await count('isc_agenda_items'), agenda);
    assert.equal(await count('isc_recommendations'), recs);
    assert.equal(await count('isc_work_items'), works);
  });

  it('dates that cannot be: work items outside their programme, minutes before the session ends, a recommendation before its session — 400, nothing stored', async () => {
    const item = { programme: '2022–2025', title: 'x', coreFunction: 'sp1', leadKind: 'secretariat' };
    const works = await count('isc_work_items');
    for (const [name, body] of [
      ['period out of order', { ...item, ref: 'WP-D1', programme: '2025–2022' }],
      ['due before the period', { ...item, ref: 'WP-D2', dueDate: '2021-12-31' }],
      ['due after the period', { ...item, ref: 'WP-D3', dueDate: '2026-01-01' }],
    ] as const) {
      const res = await secretariat.post('/api/isc/work-items', body);
      assert.equal(res.statusCode, 400, `${name}: ${res.body}`);
      assert.match(res.body, /"path":"body\.(programme|dueDate)"/, name);
    }
    assert.equal(await count('isc_work_items'), works);
    const last = await ok(
      secretariat.post('/api/isc/work-items', { ...item, ref: 'WP-D4', dueDate: '2025-12-31' }),
      201,
    );
    for (const change of [
      { dueDate: '2026-06-30' },
      { programme: '2026–2029' },
      { programme: '2026-2029' },
    ]) {
      const res = await secretariat.patch(`/api/isc/work-items/${last.id}`, {
        version: last.version,
        ...change,
      });
      assert.equal(res.statusCode, 400, `${JSON.stringify(change)}: ${res.body}`);
    }
    // A filter written with a hyphen finds the items saved with the en dash.
    const hyphen = await ok(secretariat.get('/api/isc/work-items?programme=2022-2025'));
    assert.ok(hyphen.items.some((w: Body) => w.id === last.id));
    assert.equal(
      (await ok(secretariat.get('/api/isc/work-items?programme=2022-2025'))).items.length,
      (await ok(secretariat.get('/api/isc/work-items?programme=2022–2025'))).items.length,
    );

    const s = await ok(
      secretariat.post('/api/isc/sessions', { number: 60, startDate: '2026-03-10', endDate: '2026-03-12' }),
      201,
    );
    const early = await secretariat.patch(`/api/isc/sessions/${s.id}`, {
      version: s.version,
      minutes: 'Minutes',
      minutesAdoptedOn: '2026-03-11',
      status: 'minutes_adopted',
    });
    assert.equal(early.statusCode, 400, early.body);
    assert.match(early.body, /minutesAdoptedOn/);
    const unchanged = await ok(secretariat.get(`/api/isc/sessions/${s.id}`));
    assert.deepEqual([unchanged.version, unchanged.status, unchanged.minutes], [s.version, 'planned', '']);
    await ok(
      secretariat.patch(`/api/isc/sessions/${s.id}`, {
        version: s.version,
        minutes: 'Minutes',
        minutesAdoptedOn: '2026-03-12',
        status: 'minutes_adopted',
      }),
    );

    const recs = await count('isc_recommendations');
    const before = await secretariat.post('/api/isc/recommendations', {
      ref: 'R60-0',
      text: 'x',
      sessionId: s.id,
      proposedOn: '2026-03-09',
    });
    assert.equal(before.statusCode, 400, before.body);
    assert.match(before.body, /proposedOn/);
    assert.equal(await count('isc_recommendations'), recs);
  });

  it('agenda changes at the same moment keep the places 1..n, so the agenda can still be reordered (PostgreSQL gave every concurrent item place 1)', async () => {
    const s = await ok(
      secretariat.post('/api/isc/sessions', { number: 61, startDate: '2026-05-04', endDate: '2026-05-05' }),
      201,
    );
    const url = `/api/isc/sessions/${s.id}/agenda`;
    const added = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => secretariat.post(url, { number: String(n), titleEn: `Item ${n}` })),
    );
    assert.deepEqual(
      added.map((r) => r.statusCode),
      [201, 201, 201, 201, 201],
    );
    const places = async () =>
      (await ok(secretariat.get(`/api/isc/sessions/${s.id}`))).agenda as {
        id: string;
        position: number;
        version: number;
      }[];
    let agenda = await places();
    assert.deepEqual(
      agenda.map((a) => a.position),
      [1, 2, 3, 4, 5],
    );
    // Every item but the first moves up at once: each succeeds or meets a 409, and the places stay 1..5.
    const moved = await Promise.all(
      agenda
        .slice(1)
        .map((a) => secretariat.post(`${url}/${a.id}/move`, { version: a.version, direction: 'up' })),
    );
    assert.ok(
      moved.every((r) => r.statusCode === 200 || r.statusCode === 409),
      moved.map((r) => r.body).join(),
    );
    assert.ok(moved.some((r) => r.statusCode === 200));
    agenda = await places();
    assert.deepEqual(
      agenda.map((a) => a.position),
      [1, 2, 3, 4, 5],
    );
    const [first, second] = agenda;
    await ok(secretariat.post(`${url}/${second!.id}/move`, { version: second!.version, direction: 'up' }));
    assert.equal((await places())[0]!.id, second!.id, 'the second item moves to the top');
    assert.equal((await places())[1]!.id, first!.id);
  });

  it('concurrent agenda edits: the second writer gets 409 and the first edit stands', async () => {
    const s = await ok(secretariat.get(`/api/isc/sessions/${session.id}`));
    const [a, b] = s.agenda;
    const url = `/api/isc/sessions/${session.id}/agenda/${a.id}`;
    await ok(secretariat.patch(url, { version: a.version, titleEn: 'First writer' }));
    const second = await secretariat.patch(url, { version: a.version, titleEn: 'Second writer' });
    assert.equal(second.statusCode, 409, second.body);
    // A move bumps both items: a stale copy of the neighbour is refused too.
    const moved = await ok(
      secretariat.post(`/api/isc/sessions/${session.id}/agenda/${b.id}/move`, {
        version: b.version,
        direction: 'up',
      }),
    );
    const staleNeighbour = await secretariat.patch(url, { version: a.version + 1, titleEn: 'Stale' });
    assert.equal(staleNeighbour.statusCode, 409);
    const staleDelete = await secretariat.request({ method: 'DELETE', url, payload: { version: a.version } });
    assert.equal(staleDelete.statusCode, 409);
    const now = await ok(secretariat.get(`/api/isc/sessions/${session.id}`));
    assert.deepEqual(
      now.agenda.map((x: { titleEn: string }) => x.titleEn),
      [moved.agenda[0].titleEn, 'First writer'],
    );
  });

  it("documents: only the Secretariat uploads (403 elsewhere, 415 for a disguised file, nothing stored); the work programme exports in the caller's language", async () => {
    const docs = await count('isc_documents');
    const body = (data: Buffer, filename = 'note.pdf') =>
      multipart({ file: { filename, data }, fields: { sessionId: session.id, title: 'Note' } });
    for (const c of [delegateA, pmA]) {
      const res = await c.request({ method: 'POST', url: '/api/isc/documents', ...body(sampleFile('pdf')) });
      assert.equal(res.statusCode, 403, res.body);
    }
    const disguised = await secretariat.request({
      method: 'POST',
      url: '/api/isc/documents',
      ...body(Buffer.from('MZ not a pdf at all'), 'note.pdf'),
    });
    assert.equal(disguised.statusCode, 415, disguised.body);
    assert.equal(await count('isc_documents'), docs);

    const fr = await delegateA.request({
      method: 'GET',
      url: '/api/isc/work-items/export?format=csv',
      headers: { 'accept-language': 'fr' },
    });
    assert.equal(fr.statusCode, 200, fr.body);
    assert.match(fr.headers['content-type'] as string, /text\/csv/);
    assert.match(fr.body, /Fonction essentielle/);
    assert.match(fr.body, /WP-2.*PS1 Instruments et normes.*Tenant B Customs.*Terminée/);
    const xlsx = await secretariat.get('/api/isc/work-items/export?format=xlsx');
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
    assert.equal((await donor.get('/api/isc/work-items/export?format=csv')).body.includes('WP-1'), false);
  });

  it('permission matrix: every ISC route answers 403 to exactly the roles without its permission', async () => {
    const routes = h.app.registeredRoutes.filter((r) => r.url.startsWith('/api/isc/'));
    assert.ok(routes.length >= 20, `${routes.length} routes`);
    const mismatches: string[] = [];
    for (const role of BUILT_IN_ROLES) {
      const c = await h.as(h.a.users[role].email);
      const perms = h.kernel.permissions.permissionsOf([role]);
      for (const r of routes) {
        const res = await c.request({
          method: r.method as InjectOptions['method'],
          url: r.url.replace(/:\w+/g, '01900000-0000-7000-8000-000000000000'),
          ...(r.method === 'GET' ? {} : { payload: {} }),
        });
        if ((res.statusCode === 403) === perms.has(r.access))
          mismatches.push(`${role} ${r.method} ${r.url}: ${res.statusCode}`);
        if (res.statusCode >= 500) mismatches.push(`${role} ${r.method} ${r.url}: ${res.statusCode}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });
});

describe('isc observers: invited organisations read their sessions and the public work items, nothing else', () => {
  let h: Harness;
  let secretariat: Client;
  let observer: Client;
  let observerStaff: Client;
  let business: Client;
  let uninvited: Client;
  let delegateA: Client;
  let pmA: Client;
  let intlId: string;
  let bizId: string;
  let otherId: string;
  let donorId: string;
  let observerUserId: string;
  let observerStaffUserId: string;

  before(async () => {
    // Files in the database (as with several app instances): there, row-level security decides who
    // reads a document across organisations (the isc files_read migration); local storage has no
    // such layer and is covered by the browser journey and storage.test.ts.
    h = await createHarness({ env: { STORAGE: 'database' } });
    const ids = new IdentityService(h.kernel);
    const [{ hash } = { hash: '' }] = await h.kernel.db.query<{ hash: string }>(
      'select password_hash as hash from users where email = $1',
      [h.a.users.staff.email],
    );
    const member = async (orgId: string, email: string, roles: string[]) => {
      const u = await ids.ensureUser({ email, name: email.split('@')[0]!, passwordHash: hash });
      await ids.addMembership(orgId, u.id, roles);
      return { client: await h.as(email), userId: u.id };
    };
    const org = async (type: 'secretariat' | 'international' | 'private_sector' | 'donor', name: string) =>
      (await ids.createOrganisation(null, { type, name })).id;
    const wco = await org('secretariat', 'WCO Secretariat');
    intlId = await org('international', 'Transparency Watch');
    bizId = await org('private_sector', 'Chamber of Commerce');
    otherId = await org('international', 'Not Invited Org');
    donorId = await org('donor', 'Donor Agency');
    secretariat = (await member(wco, 'pm@wco.obs', ['programme_manager'])).client;
    ({ client: observer, userId: observerUserId } = await member(intlId, 'delegate@tw.obs', [
      'isc_delegate',
    ]));
    ({ client: observerStaff, userId: observerStaffUserId } = await member(intlId, 'staff@tw.obs', [
      'staff',
    ]));
    business = (await member(bizId, 'admin@cc.obs', ['org_admin'])).client;
    uninvited = (await member(otherId, 'delegate@other.obs', ['isc_delegate'])).client;
    delegateA = await h.as(h.a.users.isc_delegate.email);
    pmA = await h.as(h.a.users.programme_manager.email);
  });
  after(() => h.close());

  const ok = async (p: Promise<{ statusCode: number; body: string; json(): unknown }>, status = 200) => {
    const res = await p;
    assert.equal(res.statusCode, status, res.body);
    return res.json() as Body;
  };
  const participants = (kind: string, organisationId: string | null) => [
    { kind: 'member', name: 'Tenant A Customs', country: 'XA' },
    { kind, name: 'Invited body', organisationId },
  ];

  let invited: Body;
  let other: Body;
  let internal: Body;
  let open: Body;
  let doc: Body;

  it('the Secretariat picks observers among international, private-sector and donor organisations only', async () => {
    const orgs = (await ok(secretariat.get('/api/isc/observer-organisations'))).items as Body[];
    assert.deepEqual(
      orgs.map((o) => o.id).sort(),
      [intlId, bizId, otherId, donorId].sort(),
      'no administration, no Secretariat',
    );
    assert.equal(orgs.find((o) => o.id === bizId)!.type, 'private_sector');
    // Outside the Secretariat the list is empty, even with isc.manage.
    assert.deepEqual((await ok(pmA.get('/api/isc/observer-organisations'))).items, []);
    assert.equal((await delegateA.get('/api/isc/observer-organisations')).statusCode, 403);
  });

  it('sessions invite observers by organisation; unknown organisations and invited Members are refused, nothing stored', async () => {
    const before = (await h.kernel.db.query<{ n: number }>('select count(*)::int as n from isc_sessions'))[0]!
      .n;
    const base = { startDate: '2026-03-01', endDate: '2026-03-02', theme: 'Observers' };
    assert.equal(
      (
        await secretariat.post('/api/isc/sessions', {
          ...base,
          number: 40,
          participants: participants('observer', h.a.id),
        })
      ).statusCode,
      422,
      'an administration is not an observer organisation',
    );
    assert.equal(
      (
        await secretariat.post('/api/isc/sessions', {
          ...base,
          number: 40,
          participants: participants('member', intlId),
        })
      ).statusCode,
      400,
      'a Member is not invited by organisation',
    );
    const after = (await h.kernel.db.query<{ n: number }>('select count(*)::int as n from isc_sessions'))[0]!
      .n;
    assert.equal(after, before);

    invited = await ok(
      secretariat.post('/api/isc/sessions', {
        ...base,
        number: 41,
        participants: [
          ...participants('observer', intlId),
          { kind: 'private_sector', name: 'Chamber', organisationId: bizId },
        ],
      }),
      201,
    );
    assert.equal(invited.participants[1].organisationId, intlId);
    assert.equal(invited.participants[0].organisationId, null);
    other = await ok(
      secretariat.post('/api/isc/sessions', {
        ...base,
        number: 42,
        participants: participants('observer', null),
      }),
      201,
    );
    const work = (ref: string, pub: boolean) =>
      ok(
        secretariat.post('/api/isc/work-items', {
          programme: '2022–2025',
          ref,
          title: `Item ${ref}`,
          coreFunction: 'sp2',
          leadKind: 'secretariat',
          ...(pub ? { public: true } : {}),
        }),
        201,
      );
    internal = await work('WP-INT', false);
    open = await work('WP-PUB', true);
    assert.equal(internal.public, false);
    assert.equal(open.public, true);
    for (const [n, w] of [
      ['1', internal],
      ['2', open],
    ] as const)
      await ok(
        secretariat.post(`/api/isc/sessions/${invited.id}/agenda`, {
          number: n,
          titleEn: `Item ${n}`,
          workItemId: w.id,
        }),
        201,
      );
    await ok(
      secretariat.post(`/api/isc/sessions/${other.id}/agenda`, { number: '1', titleEn: 'Other' }),
      201,
    );
    const upload = multipart({
      file: { filename: 'note.pdf', data: sampleFile('pdf') },
      fields: { sessionId: invited.id, title: 'Background note' },
    });
    doc = await ok(secretariat.request({ method: 'POST', url: '/api/isc/documents', ...upload }), 201);
    await ok(
      secretariat.post('/api/isc/recommendations', {
        ref: 'R41-1',
        text: 'Internal recommendation',
        sessionId: invited.id,
        proposedOn: '2026-03-02',
      }),
      201,
    );
  });

  it('an invited observer reads its session (agenda, documents), the public work items, and nothing else', async () => {
    const list = (await ok(observer.get('/api/isc/sessions'))).items as Body[];
    assert.deepEqual(
      list.map((s) => s.number),
      [41],
    );
    const s = await ok(observer.get(`/api/isc/sessions/${invited.id}`));
    assert.equal(s.canManage, false);
    assert.deepEqual(
      s.agenda.map((a: Body) => [a.number, a.workItemId]),
      [
        ['1', null],
        ['2', open.id],
      ],
      'the link to an internal work item is not shown',
    );
    assert.deepEqual(
      s.documents.map((d: Body) => d.title),
      ['Background note'],
    );
    const file = await observer.get(`/api/isc/sessions/${invited.id}/documents/${doc.id}`);
    assert.equal(file.statusCode, 200);
    assert.equal(file.rawPayload.subarray(0, 5).toString(), '%PDF-');
    assert.equal((await observer.get(`/api/isc/sessions/${other.id}`)).statusCode, 404);
    assert.deepEqual(
      ((await ok(observer.get('/api/isc/work-items'))).items as Body[]).map((w) => w.ref),
      ['WP-PUB'],
    );
    assert.deepEqual((await ok(observer.get('/api/isc/recommendations'))).items, []);
    const csv = (await observer.get('/api/isc/work-items/export?format=csv')).body;
    assert.ok(csv.includes('WP-PUB') && !csv.includes('WP-INT'));
    // A private-sector body invited as such reads it too.
    assert.deepEqual(
      ((await ok(business.get('/api/isc/sessions'))).items as Body[]).map((x) => x.number),
      [41],
    );
    // Members' delegates still read everything.
    assert.equal(((await ok(delegateA.get('/api/isc/work-items'))).items as Body[]).length, 2);
    assert.equal(((await ok(delegateA.get('/api/isc/sessions'))).items as Body[]).length, 2);
  });

  it('an uninvited organisation, or an invited one without the role, reads nothing; observers never write', async () => {
    assert.deepEqual((await ok(uninvited.get('/api/isc/sessions'))).items, []);
    assert.deepEqual(
      ((await ok(uninvited.get('/api/isc/work-items'))).items as Body[]).map((w) => w.ref),
      ['WP-PUB'],
      'public items are public to every observer reader',
    );
    assert.equal((await uninvited.get(`/api/isc/sessions/${invited.id}`)).statusCode, 404);
    assert.equal((await observerStaff.get('/api/isc/sessions')).statusCode, 403);
    // The database agrees for the staff member (no role holding isc.read)…
    const rows = (tenantId: string, userId: string) =>
      withTenant(h.kernel.db, { tenantId, userId }, async (tx) => ({
        sessions: ((await tx.execute(sql`select id from isc_sessions`)) as unknown as { rows: unknown[] })
          .rows.length,
        agenda: ((await tx.execute(sql`select id from isc_agenda_items`)) as unknown as { rows: unknown[] })
          .rows.length,
      }));
    assert.deepEqual(await rows(intlId, observerStaffUserId), { sessions: 0, agenda: 0 });
    assert.deepEqual(await rows(intlId, observerUserId), { sessions: 1, agenda: 2 });
    // …and refuses an observer's write even through raw SQL.
    await assert.rejects(
      withTenant(h.kernel.db, { tenantId: intlId, userId: observerUserId }, (tx) =>
        tx.execute(sql`update isc_sessions set theme = 'changed' where id = ${invited.id}`).then((r) => {
          if ((r as unknown as { rowCount: number }).rowCount === 0) throw new Error('no row updated');
        }),
      ),
    );
    // The API refuses before anything is read.
    assert.equal(
      (await observer.post(`/api/isc/sessions/${invited.id}/agenda`, { number: '9', titleEn: 'Mine' }))
        .statusCode,
      403,
    );
    const theme = await ok(secretariat.get(`/api/isc/sessions/${invited.id}`));
    assert.equal(theme.theme, 'Observers');
    assert.equal(theme.agenda.length, 2);
  });

  it('the row-level checks of delegates and observers name the reader roles of isc.permissions.ts', async () => {
    for (const fn of ['isc_is_delegate', 'isc_is_observer']) {
      const [row] = await h.kernel.db.query<{ def: string }>(
        'select pg_get_functiondef($1::regproc) as def',
        [fn],
      );
      const roles = [.../ARRAY\[([^\]]*)\]/.exec(row!.def)![1]!.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
      assert.deepEqual(roles.sort(), [...READER_ROLES].sort(), fn);
    }
  });
});
