import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Client, type Harness } from '../../platform/testing/harness.ts';
import { fixtureCourse } from '../learning/learning.fixture.ts';
import { KPI_FEEDS_JOB } from './index.ts';

type Kpi = { id: string; feed: unknown; values: { periodEnd: string; value: number; source: string }[] };

describe('KPI feeds: values read from learning, conduct and surveys', () => {
  let h: Harness;
  let officer: Client;
  let analyst: Client;
  let staff: Client;
  let courseId: string;
  let learningKpi: Kpi;
  let conductKpi: Kpi;
  const today = new Date().toISOString().slice(0, 10);
  const valuesOf = (kpiId: string) =>
    h.kernel.db.query<{ value: number; source: string; period_end: string }>(
      "select value, source, to_char(period_end, 'YYYY-MM-DD') as period_end from kpi_values where kpi_id = $1 order by created_at",
      [kpiId],
    );
  const audits = async (kpiId: string) =>
    (
      await h.kernel.db.query<{ n: number }>(
        "select count(*)::int as n from audit_events where action = 'action-plans.kpi.value_recorded' and entity_id = $1",
        [kpiId],
      )
    )[0]!.n;

  before(async () => {
    h = await createHarness();
    officer = await h.as(h.a.users.integrity_officer.email);
    analyst = await h.as(h.a.users.analyst.email);
    staff = await h.as(h.a.users.staff.email);
    const up = await officer.post('/api/learning/courses', { content: fixtureCourse() });
    assert.equal(up.statusCode, 201, up.body);
    courseId = up.json().courseId;
    const pub = await officer.post(
      `/api/learning/courses/${courseId}/versions/${up.json().versionId}/publish`,
    );
    assert.equal(pub.statusCode, 200, pub.body);
  });
  after(() => h.close());

  it('a KPI fed by a course records its completion rate (in %) after a learner completes it', async () => {
    const created = await officer.post('/api/action-plans/kpis', {
      code: 'F7-LEARN',
      name: 'Staff trained on the code',
      unit: '%',
      direction: 'increase',
      factor: 7,
      feed: { source: 'learning', courseId },
    });
    assert.equal(created.statusCode, 201, created.body);
    learningKpi = created.json();
    assert.deepEqual(learningKpi.feed, { source: 'learning', courseId });

    // Nobody enrolled yet: nothing recorded, and the answer says why.
    const empty = await officer.post(`/api/action-plans/kpis/${learningKpi.id}/refresh`);
    assert.equal(empty.statusCode, 200, empty.body);
    assert.equal(empty.json().recorded, false);
    assert.match(empty.json().reason, /enrolled/);
    assert.equal((await valuesOf(learningKpi.id)).length, 0);

    for (const learner of [staff, analyst]) {
      const e = await learner.post(`/api/learning/courses/${courseId}/enrol`);
      assert.equal(e.statusCode, 200, e.body);
    }
    const before = await officer.post(`/api/action-plans/kpis/${learningKpi.id}/refresh`);
    assert.equal(before.json().recorded, true, before.body);
    assert.equal(before.json().value, 0);

    // The staff member completes the course (as the learning tests do, by the enrolment's state).
    const e = (await staff.get('/api/learning/enrolments/me')).json().items[0];
    await staff.post(`/api/learning/enrolments/${e.id}/start`);
    await h.kernel.db.query(
      `update enrolments set status = 'completed', completed_at = now(), score = 0.9 where id = $1`,
      [e.id],
    );
    const res = await officer.post(`/api/action-plans/kpis/${learningKpi.id}/refresh`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().value, 50);
    const latest = res.json().kpi.latest;
    assert.deepEqual(latest, { periodEnd: today, value: 50 });
    // One value per day and source: the refresh replaced this morning's 0; each recording is audited.
    assert.deepEqual(await valuesOf(learningKpi.id), [{ value: 50, source: 'learning', period_end: today }]);
    assert.equal(await audits(learningKpi.id), 2);
  });

  it('a KPI fed by the code of conduct records the acknowledgement rate', async () => {
    const v = await officer.post('/api/conduct/versions', {
      audience: 'staff',
      title: 'Code of conduct',
      body: '# Integrity\n\nNo gifts.',
      effectiveDate: '2027-01-01',
      sanctions: [{ level: 1, misconduct: 'Late declaration', sanction: 'Warning' }],
    });
    assert.equal(v.statusCode, 201, v.body);
    assert.equal((await officer.post(`/api/conduct/versions/${v.json().id}/publish`)).statusCode, 200);
    const c = await officer.post('/api/conduct/campaigns', {
      versionId: v.json().id,
      title: 'Annual acknowledgement',
      targetKind: 'all',
      dueDate: '2099-03-31',
    });
    assert.equal(c.statusCode, 201, c.body);
    const assigned = c.json().assigned as number;
    assert.ok(assigned >= 2);
    const ack = await analyst.post(`/api/conduct/versions/${v.json().id}/acknowledge`, { confirm: true });
    assert.equal(ack.statusCode, 200, ack.body);

    const created = await officer.post('/api/action-plans/kpis', {
      code: 'F7-ACK',
      name: 'Code acknowledged',
      unit: 'ratio',
      direction: 'increase',
      feed: { source: 'conduct' },
    });
    assert.equal(created.statusCode, 201, created.body);
    conductKpi = created.json();
    const res = await officer.post(`/api/action-plans/kpis/${conductKpi.id}/refresh`);
    assert.equal(res.statusCode, 200, res.body);
    // Unit "ratio", not "%": the rate is kept as 0–1.
    assert.ok(Math.abs(res.json().value - 1 / assigned) < 1e-4, res.body);
    const [row] = await valuesOf(conductKpi.id);
    assert.equal(row!.source, 'conduct');
  });

  it('a KPI fed by a survey factor records nothing while the result is suppressed, and says so', async () => {
    const s = await officer.post('/api/surveys', { templateSlug: 'officials', name: 'Staff CIPS' });
    assert.equal(s.statusCode, 201, s.body);
    const created = await officer.post('/api/action-plans/kpis', {
      code: 'F9-CULTURE',
      name: 'Integrity culture score',
      unit: 'score',
      direction: 'increase',
      factor: 9,
      feed: { source: 'surveys', surveyId: s.json().id, factor: 9 },
    });
    assert.equal(created.statusCode, 201, created.body);
    const res = await officer.post(`/api/action-plans/kpis/${created.json().id}/refresh`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().recorded, false);
    assert.match(res.json().reason, /too few responses/);
    assert.equal((await valuesOf(created.json().id)).length, 0);
    // The reason is in the reader's language.
    const fr = await officer.request({
      method: 'POST',
      url: `/api/action-plans/kpis/${created.json().id}/refresh`,
      headers: { 'accept-language': 'fr' },
    });
    assert.equal(fr.statusCode, 200, fr.body);
    assert.match(fr.json().reason, /trop peu de réponses/);
  });

  it('the feed is set and removed by the versioned KPI update; a bad feed is refused', async () => {
    const bad = await officer.post('/api/action-plans/kpis', {
      code: 'F9-BAD',
      name: 'Bad',
      unit: '%',
      direction: 'increase',
      feed: { source: 'surveys', surveyId: courseId, factor: 11 },
    });
    assert.equal(bad.statusCode, 400, bad.body);
    const manual = (
      await officer.post('/api/action-plans/kpis', {
        code: 'F9-MANUAL',
        name: 'Manual',
        unit: '%',
        direction: 'increase',
      })
    ).json();
    assert.equal(manual.feed, null);
    const set = await officer.patch(`/api/action-plans/kpis/${manual.id}`, {
      version: manual.version,
      feed: { source: 'conduct' },
    });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(set.json().feed, { source: 'conduct' });
    const unset = await officer.patch(`/api/action-plans/kpis/${manual.id}`, {
      version: set.json().version,
      feed: null,
    });
    assert.equal(unset.json().feed, null);
  });

  it('refresh on a manual KPI is refused (409 problem+json); non-managers get 403; unknown ids 404', async () => {
    const manual = (
      await officer.post('/api/action-plans/kpis', {
        code: 'MANUAL-1',
        name: 'By hand',
        unit: '%',
        direction: 'increase',
      })
    ).json();
    const r = await officer.post(`/api/action-plans/kpis/${manual.id}/refresh`);
    assert.equal(r.statusCode, 409, r.body);
    assert.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal((await valuesOf(manual.id)).length, 0);
    const forbidden = await analyst.post(`/api/action-plans/kpis/${learningKpi.id}/refresh`);
    assert.equal(forbidden.statusCode, 403);
    const unknown = await officer.post(`/api/action-plans/kpis/${h.a.id}/refresh`);
    assert.equal(unknown.statusCode, 404);
  });

  it('the daily job refreshes every fed KPI, for the job’s day', async () => {
    const now = '2099-01-15T04:41:00Z';
    await h.kernel.jobs.enqueue(h.kernel.db.owner, KPI_FEEDS_JOB, { now }, { tenantId: null });
    while ((await h.kernel.jobs.tick()) > 0) {
      /* the fan-out job enqueues one job per tenant: drain them */
    }
    const learning = await valuesOf(learningKpi.id);
    assert.deepEqual(learning.at(-1), { value: 50, source: 'learning', period_end: '2099-01-15' });
    const conduct = await valuesOf(conductKpi.id);
    assert.equal(conduct.at(-1)!.period_end, '2099-01-15');
    assert.equal(conduct.length, 2);
  });
});
