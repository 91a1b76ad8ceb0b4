import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { withTenant } from '../../platform/db/tenant.ts';
import { createHarness, type Client, type Harness, TEST_PASSWORD } from '../../platform/testing/harness.ts';
import { multipart, sampleFile } from '../../platform/testing/files.ts';
import { hashPassword } from '../identity/identity.crypto.ts';
import { IdentityService } from '../identity/index.ts';
import { AssessmentsApi } from './index.ts';

// The self-assessment through the real HTTP app: campaigns, team, responses, workflow,
// read-only validated assessments, optimistic concurrency, scores, comparison, trend,
// the peer benchmark (suppression under 5), bad input and permissions.

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies of many shapes, read by the assertions
type Json = Record<string, any>;
const RAD = 'urn:arusha:library:rad-idg';

let h: Harness;
let officer: Client; // integrity_officer: manage + respond; facilitator on the team
let analyst: Client; // analyst: respond; assessor on the team
let executive: Client; // executive: validate; executive sponsor
let orgAdmin: Client; // org_admin: manage, not on the team
let frameworkId: string;

const put = (c: Client, url: string, payload: unknown) =>
  c.request({ method: 'PUT', url, payload: payload as object });

function problem(res: LightMyRequestResponse, status: number, code?: string) {
  assert.equal(res.statusCode, status, `expected ${status}, got ${res.statusCode} ${res.body.slice(0, 400)}`);
  assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  if (code) assert.equal(res.json().code, code);
  return res.json() as Json;
}
function ok(res: LightMyRequestResponse, status = 200) {
  assert.equal(res.statusCode, status, res.body.slice(0, 600));
  return res.json() as Json;
}

async function create(title: string, extra: Json = {}) {
  return ok(
    await officer.post('/api/assessments', {
      title,
      type: 'self',
      frameworkLibraryId: frameworkId,
      team: [
        { userId: h.a.users.integrity_officer.id, role: 'facilitator' },
        { userId: h.a.users.analyst.id, role: 'assessor' },
        { userId: h.a.users.executive.id, role: 'executive_sponsor' },
        { userId: h.a.users.org_admin.id, role: 'observer' },
      ],
      ...extra,
    }),
    201,
  );
}

async function items(id: string) {
  return ok(await officer.get(`/api/assessments/${id}/items`)).factors as {
    factor: number;
    items: { id: string; refId: string; response: Json }[];
  }[];
}

async function move(id: string, to: string, c: Client = officer) {
  const a = ok(await officer.get(`/api/assessments/${id}`));
  return ok(await c.post(`/api/assessments/${id}/transition`, { to, version: a.version }));
}

async function validate(id: string, note = 'Signed off') {
  const a = ok(await officer.get(`/api/assessments/${id}`));
  return ok(await executive.post(`/api/assessments/${id}/validate`, { version: a.version, note }));
}

/** Rates every item with rate(refId) (null → N/A) and returns the list. */
async function rateAll(id: string, rate: (refId: string, factor: number) => number | null) {
  for (const f of await items(id))
    for (const i of f.items) {
      const r = rate(i.refId, f.factor);
      ok(
        await put(analyst, `/api/assessments/${id}/items/${i.id}/response`, {
          version: i.response.version,
          rating: r,
          notApplicable: r === null,
          naReason: r === null ? 'No such activity' : null,
        }),
      );
    }
}

async function validatedAssessment(title: string, rate: (refId: string, factor: number) => number | null) {
  const a = await create(title);
  await move(a.id, 'in_progress');
  await rateAll(a.id, rate);
  await move(a.id, 'in_review');
  return validate(a.id);
}

function upload(c: Client, assessmentId: string, itemId: string, filename: string, data: Buffer) {
  const body = multipart({ fields: { assessmentId, itemId }, file: { filename, data } });
  return c.request({ method: 'POST', url: '/api/assessments/evidence', ...body });
}

const count = async (sql: string, params: unknown[] = []) =>
  (await h.kernel.db.query<{ n: number }>(sql, params))[0]!.n;

describe('assessments', () => {
  before(async () => {
    h = await createHarness();
    officer = await h.as(h.a.users.integrity_officer.email);
    analyst = await h.as(h.a.users.analyst.email);
    executive = await h.as(h.a.users.executive.email);
    orgAdmin = await h.as(h.a.users.org_admin.email);
    const opts = ok(await officer.get('/api/assessments/options'));
    frameworkId = opts.frameworks.find((f: Json) => f.urn === RAD).libraryId;
    assert.ok(opts.scales.some((s: Json) => s.urn === 'urn:arusha:scale:0-4' && s.max === 4 && s.min === 0));
    assert.ok(opts.members.some((m: Json) => m.id === h.a.users.analyst.id));
    assert.ok(!opts.members.some((m: Json) => m.id === h.b.users.analyst.id), 'only own members');
  });
  after(() => h.close());

  it('creates a campaign pinned to the framework and scale, with one response per assessable item', async () => {
    const a = await create('Integrity self-assessment 2026', {
      startDate: '2026-01-10',
      endDate: '2026-03-31',
    });
    assert.equal(a.status, 'planned');
    assert.equal(a.framework.urn, RAD);
    assert.equal(a.scaleUrn, 'urn:arusha:scale:0-4');
    assert.deepEqual(
      a.scale.levels.map((l: Json) => l.value),
      [0, 1, 2, 3, 4],
    );
    assert.equal(a.team.length, 4);
    assert.deepEqual(a.progress, { done: 0, total: 67, percent: 0 });
    assert.equal(a.overall, null);
    const f = await items(a.id);
    assert.equal(f.length, 10);
    assert.equal(
      f.reduce((s, x) => s + x.items.length, 0),
      67,
    );
    assert.equal(f[0]!.items[0]!.refId, '1.1');
    // French texts come from the library
    const fr = await officer.request({
      method: 'GET',
      url: `/api/assessments/${a.id}/items`,
      headers: { 'accept-language': 'fr' },
    });
    assert.equal(fr.json().factors[0].name, 'Leadership et engagement');
    const list = ok(await officer.get('/api/assessments')).items;
    assert.ok(list.some((x: Json) => x.id === a.id));
    // tenant B sees nothing of it
    const b = await h.as(h.b.users.integrity_officer.email);
    assert.ok(!ok(await b.get('/api/assessments')).items.some((x: Json) => x.id === a.id));
    problem(await b.get(`/api/assessments/${a.id}`), 404, 'NOT_FOUND');
  });

  it('bad input is refused with a clear 4xx and nothing is stored', async () => {
    const before = await count('select count(*)::int as n from assessments');
    const base = { title: 'x', type: 'self', frameworkLibraryId: frameworkId };
    const dates = problem(
      await officer.post('/api/assessments', { ...base, startDate: '2026-05-01', endDate: '2026-04-01' }),
      422,
    );
    assert.equal(dates.errors[0].path, 'endDate');
    problem(await officer.post('/api/assessments', { ...base, startDate: '2026-02-30' }), 400);
    problem(await officer.post('/api/assessments', { ...base, type: 'audit' }), 400);
    const fw = problem(
      await officer.post('/api/assessments', {
        ...base,
        frameworkLibraryId: '01900000-0000-7000-8000-000000000000',
      }),
      422,
    );
    assert.equal(fw.errors[0].path, 'frameworkLibraryId');
    problem(await officer.post('/api/assessments', { ...base, scaleUrn: 'urn:nowhere:scale:x' }), 422);
    const team = problem(
      await officer.post('/api/assessments', {
        ...base,
        team: [{ userId: h.b.users.analyst.id, role: 'assessor' }],
      }),
      422,
    );
    assert.equal(team.errors[0].path, 'team');
    problem(
      await officer.post('/api/assessments', {
        ...base,
        scopeUnitIds: ['01900000-0000-7000-8000-000000000000'],
      }),
      422,
    );
    problem(await officer.post('/api/assessments', { ...base, title: '' }), 400);
    assert.equal(await count('select count(*)::int as n from assessments'), before);

    const a = await create('Bad input checks');
    await move(a.id, 'in_progress');
    const [f1] = await items(a.id);
    const i = f1!.items[0]!;
    const url = `/api/assessments/${a.id}/items/${i.id}/response`;
    for (const rating of [5, -1, 100]) {
      const p = problem(await put(analyst, url, { version: 1, rating }), 422, 'UNPROCESSABLE');
      assert.equal(p.errors[0].path, 'rating');
    }
    problem(await put(analyst, url, { version: 1, rating: 2.5 }), 400);
    problem(await put(analyst, url, { version: 1, rating: null, notApplicable: true }), 422);
    problem(await put(analyst, url, { version: 1, rating: 2, notApplicable: true, naReason: 'x' }), 422);
    problem(await put(analyst, url, { version: 1, rating: 2, sources: ['gossip'] }), 400);
    problem(
      await put(analyst, `/api/assessments/${a.id}/items/01900000-0000-7000-8000-000000000000/response`, {
        version: 1,
        rating: 2,
      }),
      404,
    );
    problem(
      await put(analyst, `/api/assessments/${a.id}/items/1.1/response`, { version: 1, rating: 2 }),
      400,
    );
    problem(
      await analyst.post(`/api/assessments/${a.id}/items/${i.id}/comments`, {
        body: 'hi',
        mentions: [h.b.users.analyst.id],
      }),
      422,
    );
    const patch = problem(
      await officer.patch(`/api/assessments/${a.id}`, {
        version: a.version + 1,
        endDate: '2020-01-01',
        startDate: '2021-01-01',
      }),
      422,
    );
    assert.equal(patch.errors[0].path, 'endDate');
    assert.equal(
      await count(
        'select count(*)::int as n from assessment_responses where assessment_id = $1 and (rating is not null or not_applicable or version > 1)',
        [a.id],
      ),
      0,
    );
    assert.equal(
      await count('select count(*)::int as n from assessment_comments where assessment_id = $1', [a.id]),
      0,
    );
    // dates out of order on an edit, against the stored start date
    const withStart = ok(await officer.get(`/api/assessments/${a.id}`));
    ok(
      await officer.patch(`/api/assessments/${a.id}`, {
        version: withStart.version,
        startDate: '2026-06-01',
      }),
    );
    const now = ok(await officer.get(`/api/assessments/${a.id}`));
    problem(
      await officer.patch(`/api/assessments/${a.id}`, { version: now.version, endDate: '2026-05-01' }),
      422,
    );
    assert.equal(ok(await officer.get(`/api/assessments/${a.id}`)).endDate, null);
  });

  it('only assessors and facilitators on the team rate; observers read; a named sponsor alone validates', async () => {
    const a = await create('Permission checks');
    await move(a.id, 'in_progress');
    const [f1] = await items(a.id);
    const url = `/api/assessments/${a.id}/items/${f1!.items[0]!.id}/response`;
    // the executive holds assessments.respond but sits on the team as sponsor, not assessor
    problem(await put(executive, url, { version: 1, rating: 3 }), 403, 'FORBIDDEN');
    // org_admin is an observer and lacks assessments.respond
    problem(await put(orgAdmin, url, { version: 1, rating: 3 }), 403);
    assert.equal(ok(await orgAdmin.get(`/api/assessments/${a.id}`)).can.respond, false);
    // staff cannot even read
    const staff = await h.as(h.a.users.staff.email);
    problem(await staff.get(`/api/assessments/${a.id}`), 403);
    problem(await staff.get('/api/assessments'), 403);
    // the analyst (assessor) can
    const saved = ok(await put(analyst, url, { version: 1, rating: 3, narrative: 'Policy signed in 2025.' }));
    assert.equal(saved.version, 2);
    // analysts cannot move the workflow, executives cannot start it
    problem(await analyst.post(`/api/assessments/${a.id}/transition`, { to: 'in_review', version: 1 }), 403);
    problem(
      await executive.post(`/api/assessments/${a.id}/transition`, { to: 'in_review', version: 1 }),
      403,
    );
    // only the sponsor validates: another executive in the tenant is refused
    await move(a.id, 'in_review');
    const ids = new IdentityService(h.kernel);
    const other = await ids.ensureUser({
      email: 'exec2@a.test',
      name: 'Second Executive',
      passwordHash: await hashPassword(TEST_PASSWORD),
      isPlatformAdmin: false,
    });
    await ids.addMembership(h.a.id, other.id, ['executive']);
    const exec2 = await h.as('exec2@a.test');
    const cur = ok(await officer.get(`/api/assessments/${a.id}`));
    problem(
      await exec2.post(`/api/assessments/${a.id}/validate`, { version: cur.version }),
      403,
      'FORBIDDEN',
    );
    assert.equal(ok(await exec2.get(`/api/assessments/${a.id}`)).can.validate, false);
    assert.equal(ok(await executive.get(`/api/assessments/${a.id}`)).can.validate, true);
    // and the sponsor cannot validate while items are open
    const open = problem(
      await executive.post(`/api/assessments/${a.id}/validate`, { version: cur.version }),
      422,
    );
    assert.match(open.detail, /66 item/);
  });

  it('two users saving the same item: the second gets 409 with the current version, nothing is lost', async () => {
    const a = await create('Concurrent edits');
    await move(a.id, 'in_progress');
    const [f1] = await items(a.id);
    const item = f1!.items[1]!;
    const url = `/api/assessments/${a.id}/items/${item.id}/response`;
    assert.equal(item.response.version, 1);
    // both loaded version 1
    const first = ok(await put(officer, url, { version: 1, rating: 3, narrative: 'From the facilitator' }));
    assert.equal(first.version, 2);
    const second = problem(
      await put(analyst, url, { version: 1, rating: 1, narrative: 'From the assessor' }),
      409,
      'VERSION_CONFLICT',
    );
    assert.deepEqual(
      second.errors.find((e: Json) => e.path === 'version'),
      { path: 'version', message: '2' },
    );
    assert.match(second.detail, /current 2/);
    const [row] = await h.kernel.db.query<Json>(
      'select rating, narrative, version from assessment_responses where assessment_id = $1 and item_urn = $2',
      [a.id, 'urn:arusha:rad:f1:i2'],
    );
    assert.deepEqual(row, { rating: 3, narrative: 'From the facilitator', version: 2 });
    // after reloading, the assessor's save goes through
    const again = ok(await put(analyst, url, { version: 2, rating: 1, narrative: 'From the assessor' }));
    assert.equal(again.version, 3);
    // the same for the campaign header
    ok(await officer.patch(`/api/assessments/${a.id}`, { version: a.version + 1, title: 'Renamed' }));
    problem(
      await orgAdmin.patch(`/api/assessments/${a.id}`, { version: a.version + 1, title: 'Lost?' }),
      409,
      'VERSION_CONFLICT',
    );
    assert.equal(ok(await officer.get(`/api/assessments/${a.id}`)).title, 'Renamed');
  });

  it('workflow to validated; a validated (and closed) assessment cannot be changed through any route', async () => {
    const a = await create('Validated read-only');
    problem(
      await officer.post(`/api/assessments/${a.id}/transition`, { to: 'in_review', version: a.version }),
      409,
    );
    problem(
      await officer.post(`/api/assessments/${a.id}/transition`, { to: 'closed', version: a.version }),
      409,
    );
    await move(a.id, 'in_progress');
    await rateAll(a.id, (ref) => (ref === '2.3' ? null : Number(ref.split('.')[1]) % 5));
    const [first] = await items(a.id);
    const evidenceId = ok(
      await upload(analyst, a.id, first!.items[0]!.id, 'policy.pdf', sampleFile('pdf')),
      201,
    ).id;
    await move(a.id, 'in_review');
    const back = await move(a.id, 'in_progress');
    assert.equal(back.status, 'in_progress');
    await move(a.id, 'in_review');
    const v = await validate(a.id, 'Approved by the Director General');
    assert.equal(v.status, 'validated');
    assert.equal(v.validatedBy.id, h.a.users.executive.id);
    assert.equal(v.validationNote, 'Approved by the Director General');
    assert.ok(v.validatedAt);
    assert.deepEqual(v.progress, { done: 67, total: 67, percent: 100 });
    assert.equal(v.can.respond, false);
    assert.equal(v.can.edit, false);
    const [frozen] = await h.kernel.db.query<{ scores: Json }>(
      'select scores from assessments where id = $1',
      [a.id],
    );
    assert.ok(frozen!.scores.overall !== null);
    const audit = await count(
      "select count(*)::int as n from audit_events where action = 'assessments.assessment.validated' and entity_id = $1",
      [a.id],
    );
    assert.equal(audit, 1);

    const [f1] = await items(a.id);
    const item = f1!.items[0]!;
    const snapshot = async () =>
      JSON.stringify(
        await h.kernel.db.query(
          `select (select row_to_json(x) from (select title, type, status, start_date, end_date, scope_unit_ids, version, scores from assessments where id = $1) x) a,
                  (select json_agg(row_to_json(r) order by r.item_urn) from (select item_urn, rating, not_applicable, narrative, version from assessment_responses where assessment_id = $1) r) r,
                  (select json_agg(row_to_json(t) order by t.user_id, t.role) from (select user_id, role from assessment_team where assessment_id = $1) t) t,
                  (select count(*) from assessment_comments where assessment_id = $1) c,
                  (select count(*) from assessment_evidence where assessment_id = $1) e`,
          [a.id],
        ),
      );
    const tryEverything = async (version: number, expected: string) => {
      const before = await snapshot();
      const attempts: [string, LightMyRequestResponse][] = [
        ['PATCH', await officer.patch(`/api/assessments/${a.id}`, { version, title: 'Changed' })],
        [
          'PATCH dates',
          await officer.patch(`/api/assessments/${a.id}`, { version, startDate: '2020-01-01' }),
        ],
        ['PUT team', await put(officer, `/api/assessments/${a.id}/team`, { version, members: [] })],
        [
          'PUT response',
          await put(analyst, `/api/assessments/${a.id}/items/${item.id}/response`, {
            version: item.response.version,
            rating: 0,
          }),
        ],
        [
          'POST comment',
          await analyst.post(`/api/assessments/${a.id}/items/${item.id}/comments`, { body: 'late' }),
        ],
        [
          'transition in_progress',
          await officer.post(`/api/assessments/${a.id}/transition`, { to: 'in_progress', version }),
        ],
        [
          'transition in_review',
          await officer.post(`/api/assessments/${a.id}/transition`, { to: 'in_review', version }),
        ],
        ['validate', await executive.post(`/api/assessments/${a.id}/validate`, { version })],
        ['upload evidence', await upload(analyst, a.id, item.id, 'minutes.txt', sampleFile('txt'))],
        [
          'delete evidence',
          await analyst.request({ method: 'DELETE', url: `/api/assessments/${a.id}/evidence/${evidenceId}` }),
        ],
      ];
      for (const [what, res] of attempts)
        assert.equal(res.statusCode, 409, `${expected} ${what}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      assert.equal(await snapshot(), before, `${expected}: nothing changed`);
    };
    await tryEverything(v.version, 'validated');
    const closed = await move(a.id, 'closed');
    assert.equal(closed.status, 'closed');
    assert.ok(closed.closedAt);
    await tryEverything(closed.version, 'closed');
    problem(
      await officer.post(`/api/assessments/${a.id}/transition`, { to: 'closed', version: closed.version }),
      409,
    );

    // corrections make a new revision; the old one stays as it was
    const before = await snapshot();
    const r = ok(await officer.post(`/api/assessments/${a.id}/revise`), 201);
    assert.equal(r.revision, 2);
    assert.equal(r.revisionOf, a.id);
    assert.equal(r.status, 'in_progress');
    assert.deepEqual(r.progress, { done: 67, total: 67, percent: 100 });
    problem(await officer.post(`/api/assessments/${a.id}/revise`), 409);
    const [rf1] = await items(r.id);
    ok(
      await put(analyst, `/api/assessments/${r.id}/items/${rf1!.items[0]!.id}/response`, {
        version: rf1!.items[0]!.response.version,
        rating: 4,
      }),
    );
    assert.equal(await snapshot(), before, 'the validated original is untouched');
    assert.equal(ok(await officer.get(`/api/assessments/${a.id}`)).supersededBy, r.id);
    problem(await officer.post(`/api/assessments/${r.id}/revise`), 409);
  });

  it('scores per factor and overall match hand-computed values; progress is apart from the score', async () => {
    const a = await create('Scores by hand');
    await move(a.id, 'in_progress');
    const fs = await items(a.id);
    const f1 = fs[0]!.items;
    const f2 = fs[1]!.items;
    const rate = async (i: { id: string; response: Json }, rating: number | null, na = false) =>
      ok(
        await put(analyst, `/api/assessments/${a.id}/items/${i.id}/response`, {
          version: i.response.version,
          rating,
          notApplicable: na,
          naReason: na ? 'not relevant' : null,
        }),
      );
    // factor 1: 4, 3, 2, N/A, the other three unrated → (4+3+2)/(3·4) = 75 %
    await rate(f1[0]!, 4);
    await rate(f1[1]!, 3);
    await rate(f1[2]!, 2);
    await rate(f1[3]!, null, true);
    // factor 2: 1, 0 → 1/8 = 12.5 %
    await rate(f2[0]!, 1);
    await rate(f2[1]!, 0);
    const s = ok(await officer.get(`/api/assessments/${a.id}/scores`));
    assert.equal(s.factors[0].score, 75);
    assert.deepEqual([s.factors[0].scored, s.factors[0].notApplicable, s.factors[0].items], [3, 1, 7]);
    assert.equal(s.factors[1].score, 12.5);
    assert.equal(s.factors[2].score, null);
    // overall = (75 + 12.5)/2 = 43.75 → 43.8; progress = 6 done of 67 → 9 %
    assert.equal(s.overall, 43.8);
    assert.deepEqual(s.progress, { done: 6, total: 67, percent: 9 });
    assert.equal(s.frozen, false);
  });

  it('compares with the previous iteration (delta per factor) and shows the trend in time order', async () => {
    // Iteration 1: every item 2 → every factor 50 %. Iteration 2: factor 1 all 4 (100 %),
    // factor 2 all 1 (25 %), the rest 3 (75 %) → overall (100 + 25 + 8·75)/10 = 72.5.
    const api = new AssessmentsApi(h.kernel);
    const existing = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) => api.trend(tx));
    const one = await validatedAssessment('RAD 2024', () => 2);
    const two = await validatedAssessment('RAD 2025', (_r, f) => (f === 1 ? 4 : f === 2 ? 1 : 3));
    const s = ok(await officer.get(`/api/assessments/${two.id}/scores`));
    assert.equal(s.frozen, true);
    assert.equal(s.previous.id, one.id);
    assert.equal(s.factors[0].score, 100);
    assert.equal(s.factors[0].previous, 50);
    assert.equal(s.factors[0].delta, 50);
    assert.equal(s.factors[1].delta, -25);
    assert.equal(s.factors[2].delta, 25);
    assert.equal(s.overall, 72.5);
    assert.equal(s.previousOverall, 50);
    assert.equal(s.overallDelta, 22.5);
    // a campaign in progress compares with the latest validated one
    const three = await create('RAD 2026');
    assert.equal(ok(await officer.get(`/api/assessments/${three.id}/scores`)).previous.id, two.id);
    const t = ok(await officer.get('/api/assessments/trend'));
    const mine = t.items.slice(existing.length);
    assert.deepEqual(
      mine.map((x: Json) => [x.title, x.overall]),
      [
        ['RAD 2024', 50],
        ['RAD 2025', 72.5],
      ],
    );
    assert.equal(t.factorNames.length, 10);
    // the public interface for the dashboard and the report
    await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, async (tx) => {
      const latest = await api.latestValidated(tx);
      assert.equal(latest!.id, two.id);
      assert.equal(latest!.overall, 72.5);
      assert.ok(latest!.validatedAt instanceof Date);
      const low = await api.lowestRatedItems(tx, two.id, 3, 'en');
      assert.deepEqual(
        low.map((x) => [x.refId, x.rating, x.scaleMax]),
        [
          ['2.1', 1, 4],
          ['2.2', 1, 4],
          ['2.3', 1, 4],
        ],
      );
      const rep = await api.report(tx, two.id, 'fr');
      assert.equal(rep.factors[0]!.name, 'Leadership et engagement');
      assert.equal(rep.factors[0]!.delta, 50);
      assert.equal(rep.previous!.id, one.id);
      assert.equal(rep.overallDelta, 22.5);
      assert.equal(rep.responses.length, 67);
      assert.equal(rep.responses[0]!.ratingLabel, 'Mis en œuvre et suivi');
      assert.equal(rep.validation!.note, 'Signed off');
      assert.equal(rep.team.length, 4);
      await assert.rejects(api.report(tx, '01900000-0000-7000-8000-000000000000', 'en'), /not found/);
    });
  });

  it('evidence: hashed and stored, downloadable; too large or a forbidden type is refused and nothing is stored', async () => {
    const a = await create('Evidence');
    const [f1] = await items(a.id);
    const itemId = f1!.items[0]!.id;
    const pdf = sampleFile('pdf');
    // not yet in progress
    problem(await upload(analyst, a.id, itemId, 'policy.pdf', pdf), 409);
    await move(a.id, 'in_progress');
    const e = ok(await upload(analyst, a.id, itemId, 'Integrity policy 2025.pdf', pdf), 201);
    assert.equal(e.sha256, createHash('sha256').update(pdf).digest('hex'));
    assert.equal(e.size, pdf.length);
    assert.equal(e.mediaType, 'application/pdf');
    const listed = (await items(a.id))[0]!.items[0] as Json;
    assert.deepEqual(
      listed.evidence.map((x: Json) => x.filename),
      ['Integrity policy 2025.pdf'],
    );
    const dl = await analyst.get(`/api/assessments/${a.id}/evidence/${e.id}`);
    assert.equal(dl.statusCode, 200);
    assert.deepEqual(dl.rawPayload, pdf);
    assert.match(String(dl.headers['content-disposition']), /attachment/);

    const stored = () =>
      count('select count(*)::int as n from assessment_evidence where assessment_id = $1', [a.id]);
    const files = () =>
      count('select count(*)::int as n from audit_events where action = $1', ['assessments.evidence.added']);
    const [n0, a0] = [await stored(), await files()];
    problem(
      await upload(analyst, a.id, itemId, 'big.pdf', Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024)])),
      413,
    );
    problem(await upload(analyst, a.id, itemId, 'archive.zip', sampleFile('zip')), 415);
    problem(
      await upload(analyst, a.id, itemId, 'page.html', Buffer.from('<html><script>alert(1)</script></html>')),
      415,
    );
    problem(await upload(analyst, a.id, itemId, 'policy.pdf', sampleFile('png')), 415);
    problem(await upload(analyst, a.id, '01900000-0000-7000-8000-000000000000', 'policy.pdf', pdf), 404);
    // an observer (no assessments.respond) and a sponsor (not an assessor) may not upload
    problem(await upload(orgAdmin, a.id, itemId, 'policy.pdf', pdf), 403);
    problem(await upload(executive, a.id, itemId, 'policy.pdf', pdf), 403);
    // another tenant's assessment is not found
    const b = await h.as(h.b.users.integrity_officer.email);
    problem(await upload(b, a.id, itemId, 'policy.pdf', pdf), 404);
    problem(await b.get(`/api/assessments/${a.id}/evidence/${e.id}`), 404);
    assert.equal(await stored(), n0);
    assert.equal(await files(), a0);

    assert.equal(
      (await analyst.request({ method: 'DELETE', url: `/api/assessments/${a.id}/evidence/${e.id}` }))
        .statusCode,
      204,
    );
    assert.equal(await stored(), n0 - 1);
    problem(await analyst.get(`/api/assessments/${a.id}/evidence/${e.id}`), 404);
  });

  it('comments store mentions of members', async () => {
    const a = await create('Comments');
    await move(a.id, 'in_progress');
    const [f1] = await items(a.id);
    const c = ok(
      await analyst.post(`/api/assessments/${a.id}/items/${f1!.items[0]!.id}/comments`, {
        body: '@Executive please confirm the budget line',
        mentions: [h.a.users.executive.id],
      }),
      201,
    );
    assert.deepEqual(
      c.mentions.map((m: Json) => m.id),
      [h.a.users.executive.id],
    );
    // the mentioned colleague is notified (once), in-app
    assert.equal(
      await count(
        "select count(*)::int as n from notifications where user_id = $1 and kind = 'assessments.mention' and link like $2",
        [h.a.users.executive.id, `/assessments/${a.id}%`],
      ),
      1,
    );
    const again = await items(a.id);
    assert.equal((again[0]!.items[0] as Json).comments[0].body, '@Executive please confirm the budget line');
    // an observer (on the team) may comment too; staff may not even read
    ok(
      await orgAdmin.post(`/api/assessments/${a.id}/items/${f1!.items[0]!.id}/comments`, { body: 'Noted' }),
      201,
    );
  });

  it('peer benchmark: nothing for non-sharers, counts only under 5 administrations, figures from 5; the Secretariat sees the same', async () => {
    const ids = new IdentityService(h.kernel);
    const v = await validatedAssessment('Benchmark source', (_r, f) => (f <= 5 ? 4 : 2));
    // A shares: factors 1–5 = 100, 6–10 = 50, overall 75
    const shared = ok(await officer.post(`/api/assessments/${v.id}/share`));
    assert.equal(shared.wcoRegion, 'ESA');
    assert.equal(shared.factors['1'], 100);
    assert.equal(shared.overall, 75);
    // an assessment that is not validated cannot be shared
    const draft = await create('Not validated');
    problem(await officer.post(`/api/assessments/${draft.id}/share`), 409);

    // Other administrations share through their own tenant handle (their own rows only).
    const others: string[] = [];
    const addSharer = async (name: string, region: string, f1: number, overall: number) => {
      const org = await ids.createOrganisation(null, {
        type: 'administration',
        name,
        country: 'XZ',
        wcoRegion: region as 'ESA',
      });
      others.push(org.id);
      await withTenant(h.kernel.db, { tenantId: org.id, userId: null }, (tx) =>
        tx.execute(
          `insert into benchmark_shares (id, tenant_id, assessment_id, framework_urn, wco_region, factor_scores, overall, shared_by)
           values (gen_random_uuid(), '${org.id}', gen_random_uuid(), '${RAD}', '${region}', '{"1": ${f1}, "2": 10}', ${overall}, gen_random_uuid())` as never,
        ),
      );
    };
    // A (ESA) + three more = 4 administrations: counts only
    await addSharer('Peer One Customs', 'ESA', 20, 40);
    await addSharer('Peer Two Customs', 'ESA', 40, 50);
    await addSharer('Peer Three Customs', 'WCA', 60, 60);
    const four = ok(await officer.get('/api/assessments/benchmark'));
    assert.equal(four.sharing, true);
    const all1 = four.groups.find((g: Json) => g.region === 'ALL' && g.factor === 1);
    assert.equal(all1.n, 4);
    assert.equal(all1.mean, null);
    assert.equal(all1.median, null);
    assert.ok(
      four.groups.every((g: Json) => g.mean === null && g.min === null && g.q1 === null && g.max === null),
    );

    // the fifth administration: figures for ALL, still none for ESA (4) or WCA (1)
    await addSharer('Peer Four Customs', 'ESA', 80, 70);
    const five = ok(await officer.get('/api/assessments/benchmark'));
    const g1 = five.groups.find((g: Json) => g.region === 'ALL' && g.factor === 1);
    // factor 1 scores: 100, 20, 40, 60, 80 → n 5, mean 60, min 20, q1 40, median 60, q3 80, max 100
    assert.deepEqual(
      { n: g1.n, mean: g1.mean, min: g1.min, q1: g1.q1, median: g1.median, q3: g1.q3, max: g1.max },
      { n: 5, mean: 60, min: 20, q1: 40, median: 60, q3: 80, max: 100 },
    );
    // overall (factor 0): 75, 40, 50, 60, 70 → mean 59, median 60
    const g0 = five.groups.find((g: Json) => g.region === 'ALL' && g.factor === 0);
    assert.equal(g0.mean, 59);
    assert.equal(g0.median, 60);
    const esa = five.groups.find((g: Json) => g.region === 'ESA' && g.factor === 1);
    assert.equal(esa.n, 4);
    assert.equal(esa.mean, null);
    const wca = five.groups.find((g: Json) => g.region === 'WCA' && g.factor === 1);
    assert.deepEqual([wca.n, wca.mean, wca.min], [1, null, null]);
    // factor 3: only A shares it → n 1, no figure
    assert.equal(five.groups.find((g: Json) => g.region === 'ALL' && g.factor === 3).mean, null);

    // no tenant id ever comes back
    for (const id of [h.a.id, ...others]) assert.ok(!JSON.stringify(five).includes(id), 'no tenant id');

    // an administration that does not share sees nothing
    const b = await h.as(h.b.users.integrity_officer.email);
    const none = ok(await b.get('/api/assessments/benchmark'));
    assert.equal(none.sharing, false);
    assert.deepEqual(none.groups, []);
    // and cannot read other tenants' share rows directly either
    const direct = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: null }, (tx) =>
      tx.execute('select count(*)::int as n from benchmark_shares' as never),
    );
    assert.equal((direct as unknown as { rows: { n: number }[] }).rows[0]!.n, 0);

    // the Secretariat sees the same aggregates (and shares nothing)
    const wco = await ids.createOrganisation(null, {
      type: 'secretariat',
      name: 'WCO Secretariat (test)',
      country: 'BE',
      wcoRegion: 'EUR',
    });
    const pm = await ids.ensureUser({
      email: 'programme@wco.test',
      name: 'Programme Manager',
      passwordHash: await hashPassword(TEST_PASSWORD),
      isPlatformAdmin: false,
    });
    await ids.addMembership(wco.id, pm.id, ['programme_manager']);
    const secretariat = await h.as('programme@wco.test');
    const seen = ok(await secretariat.get('/api/assessments/benchmark'));
    assert.equal(seen.secretariat, true);
    assert.equal(seen.own, null);
    assert.deepEqual(seen.groups, five.groups);
    problem(await secretariat.get('/api/assessments'), 403);

    // withdrawing: A no longer shares, so A sees nothing
    assert.equal(
      (await officer.request({ method: 'DELETE', url: `/api/assessments/${v.id}/share` })).statusCode,
      204,
    );
    assert.deepEqual(ok(await officer.get('/api/assessments/benchmark')).groups, []);
  });
});
