import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BUILT_IN_ROLES } from '../../platform/access/permissions.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { readTable } from '../../platform/tables/tables.ts';
import { surveysModule } from './index.ts';
import { SHUFFLE_JOB, SurveysService } from './surveys.service.ts';
import { templates } from './surveys.templates.ts';

// The anonymity suite (docs/adr/0019-survey-anonymity.md): after a survey with known participants,
// nothing — ids, times, order, exports, API, logs, audit — links a response to a participant.

const logs: string[] = [];
const FIGURES = ['Respondents', 'Score (0–100)', 'Favourable (%)'];

describe('surveys: templates, lifecycle, anonymity, suppression', () => {
  let h: Harness;
  let officer: Client;
  let analyst: Client;
  let staff: Client;
  let surveyId: string;
  let version: number;
  /** Participant user id → token, in the order they answer. */
  const participants: { userId: string; token: string }[] = [];
  const svc = () => new SurveysService(h.kernel);

  before(async () => {
    h = await createHarness({ logSink: (line: string) => void logs.push(line) });
    officer = await h.as(h.a.users.integrity_officer.email);
    analyst = await h.as(h.a.users.analyst.email);
    staff = await h.as(h.a.users.staff.email);
  });
  after(() => h.close());

  /** The answering routes, with no sign-in. */
  const pub = { post: (url: string, body: unknown) => h.anonymous().post(url, body) };

  it('ships officials and private-sector templates, complete in English, French and Arabic', async () => {
    const list = templates();
    assert.deepEqual(list.map((t) => t.audience).sort(), ['officials', 'private_sector']);
    for (const t of list)
      for (const q of t.questions) {
        assert.ok(q.text.en && q.text.fr && q.text.ar, `${t.slug}/${q.id}`);
        assert.match(q.text.ar!, /[\u0600-\u06FF]/, 'Arabic script');
        for (const o of q.options ?? []) assert.ok(o.text.en && o.text.fr && o.text.ar);
      }
    const res = await officer.get('/api/surveys/templates');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().items.length, 2);
    assert.equal((await analyst.get('/api/surveys/templates')).statusCode, 403);
  });

  it('creates a survey from a template (anonymous by default), edits it while draft', async () => {
    const res = await officer.post('/api/surveys', { templateSlug: 'officials', name: 'Staff CIPS 2026' });
    assert.equal(res.statusCode, 201, res.body);
    const s = res.json();
    assert.equal(s.anonymous, true);
    assert.equal(s.status, 'draft');
    assert.equal(s.minCell, 10);
    surveyId = s.id;
    const edit = await officer.patch(`/api/surveys/${surveyId}`, {
      version: s.version,
      questions: s.questions.filter((q: { id: string }) => q.id !== 'o-reform'),
      bands: { gender: true, age: true, grade: true, regions: ['North', 'South'] },
      participation: 'both',
    });
    assert.equal(edit.statusCode, 200, edit.body);
    assert.ok(!edit.json().questions.some((q: { id: string }) => q.id === 'o-reform'));
    const tooLow = await officer.patch(`/api/surveys/${surveyId}`, {
      version: edit.json().version,
      minCell: 4,
    });
    assert.equal(tooLow.statusCode, 400);
    version = edit.json().version;
  });

  it('a translation adds a language once every question has its text; the public form then speaks it', async () => {
    const s = (await officer.get(`/api/surveys/${surveyId}`)).json();
    const missing = await officer.patch(`/api/surveys/${surveyId}`, {
      version: s.version,
      languages: ['en', 'fr', 'pt'],
    });
    assert.equal(missing.statusCode, 422);
    const questions = s.questions.map(
      (q: { text: Record<string, string>; options?: { text: Record<string, string> }[] }) => ({
        ...q,
        text: { ...q.text, pt: `PT ${q.text.en}` },
        ...(q.options
          ? { options: q.options.map((o) => ({ ...o, text: { ...o.text, pt: `PT ${o.text.en}` } })) }
          : {}),
      }),
    );
    const ok = await officer.patch(`/api/surveys/${surveyId}`, {
      version: s.version,
      languages: ['en', 'fr', 'pt'],
      questions,
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json().languages, ['en', 'fr', 'pt']);
    version = ok.json().version;
  });

  it('opening keeps anonymity on; switching it off on a live survey is refused (409), nothing changed', async () => {
    const opened = await officer.post(`/api/surveys/${surveyId}/open`, { version });
    assert.equal(opened.statusCode, 200, opened.body);
    assert.equal(opened.json().anonymous, true);
    assert.match(opened.json().openPath, /^\/s#t=/);
    version = opened.json().version;
    const off = await officer.patch(`/api/surveys/${surveyId}`, { version, anonymous: false });
    assert.equal(off.statusCode, 409);
    assert.equal(off.headers['content-type'], 'application/problem+json; charset=utf-8');
    const questions = await officer.patch(`/api/surveys/${surveyId}`, { version, questions: [] });
    assert.ok(questions.statusCode >= 400 && questions.statusCode < 500);
    const live = (await officer.get(`/api/surveys/${surveyId}`)).json();
    const fewer = await officer.patch(`/api/surveys/${surveyId}`, {
      version,
      questions: live.questions.slice(1),
    });
    assert.equal(fewer.statusCode, 409, 'questions are locked once live');
    const [row] = await h.kernel.db.query<{ anonymous: boolean; version: number }>(
      'select anonymous, version from surveys where id = $1',
      [surveyId],
    );
    assert.equal(row!.anonymous, true);
    assert.equal(row!.version, version);
  });

  it('invites the members by role: one-time links by e-mail, no token stored in clear', async () => {
    const res = await officer.post(`/api/surveys/${surveyId}/invitations`, {
      targetKind: 'roles',
      targets: [...BUILT_IN_ROLES],
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(res.json().invited >= 12, res.body);
    const again = await officer.post(`/api/surveys/${surveyId}/invitations`, {
      targetKind: 'roles',
      targets: ['staff'],
    });
    assert.equal(again.json().invited, 0);
    const links = await h.kernel.db.query<{ user_id: string; link: string }>(
      "select user_id, link from notifications where kind = 'survey.invitation'",
    );
    for (const l of links) participants.push({ userId: l.user_id, token: l.link.split('#t=')[1]! });
    assert.ok(participants.length >= 12);
    const inv = await h.kernel.db.query<{ token_hash: string }>(
      'select token_hash from survey_invitations where survey_id = $1',
      [surveyId],
    );
    for (const p of participants)
      assert.ok(!inv.some((i) => i.token_hash.includes(p.token.replace(/-/g, ''))));
  });

  it('refuses answers to questions not in the survey, bad kinds and unasked bands (422), storing nothing', async () => {
    const token = participants[0]!.token;
    for (const body of [
      { token, bands: {}, answers: { 'not-a-question': 3 } },
      { token, bands: {}, answers: { 'o-reform': 3 } }, // removed while draft
      { token, bands: {}, answers: { 'o-priority': 0 } },
      { token, bands: {}, answers: { 'o-responsibility': 'nobody' } },
      { token, bands: { region: 'Atlantis' }, answers: {} },
    ]) {
      const res = await pub.post('/api/surveys/public/submit', body);
      assert.equal(res.statusCode, 422, res.body);
    }
    const absurd = await pub.post('/api/surveys/public/submit', {
      token,
      bands: {},
      answers: { 'o-priority': 9 },
    });
    assert.equal(absurd.statusCode, 400);
    const [n] = await h.kernel.db.query<{ n: number }>(
      'select count(*)::int as n from survey_responses where survey_id = $1',
      [surveyId],
    );
    assert.equal(n!.n, 0);
    const [used] = await h.kernel.db.query<{ n: number }>(
      'select count(*)::int as n from survey_invitations where survey_id = $1 and completed',
      [surveyId],
    );
    assert.equal(used!.n, 0);
    assert.equal((await pub.post('/api/surveys/public/form', { token: 'NOPE-NOPE-NOPE' })).statusCode, 404);
  });

  it('three respondents: every figure is suppressed in the API, CSV and XLSX', async () => {
    for (const [i, p] of participants.slice(0, 3).entries()) await answer(p.token, i);
    const r = (await analyst.get(`/api/surveys/${surveyId}/results?by=gender`)).json();
    assert.equal(r.total, null);
    assert.ok(r.factors.length > 0);
    for (const f of r.factors) {
      assert.equal(f.overall.suppressed, true);
      assert.equal(f.overall.score, null);
      for (const g of f.groups) assert.equal(g.cell.score, null);
    }
    assert.deepEqual(r.comments, []);
    assert.ok(r.questions.every((q: { distribution: unknown }) => q.distribution === null));
    for (const format of ['csv', 'xlsx'] as const) {
      const file = await analyst.get(`/api/surveys/${surveyId}/results/export?by=gender&format=${format}`);
      assert.equal(file.statusCode, 200);
      const { rows } = await readTable(file.rawPayload, format);
      assert.ok(rows.length >= r.factors.length * 4, format);
      for (const row of rows) {
        for (const col of FIGURES) assert.equal(row[col] ?? null, null, `${format}: ${JSON.stringify(row)}`);
        assert.equal(row['Suppressed (fewer than)'], '< 10');
      }
    }
  });

  it('a token works once', async () => {
    const p = participants[0]!;
    const res = await pub.post('/api/surveys/public/submit', { token: p.token, bands: {}, answers: {} });
    assert.equal(res.statusCode, 409);
    assert.equal((await pub.post('/api/surveys/public/form', { token: p.token })).statusCode, 409);
  });

  it('reminds only those who have not answered, with a new link; the old one stops working; once a day', async () => {
    const res = await officer.post(`/api/surveys/${surveyId}/reminders`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().reminded, participants.length - 3);
    assert.equal((await staff.post(`/api/surveys/${surveyId}/reminders`)).statusCode, 403);
    const notes = await h.kernel.db.query<{ user_id: string; link: string }>(
      "select user_id, link from notifications where kind = 'survey.reminder'",
    );
    const reminded = new Set(notes.map((n) => n.user_id));
    for (const p of participants.slice(0, 3)) assert.ok(!reminded.has(p.userId), 'answered: not reminded');
    const old = participants[3]!.token;
    for (const p of participants.slice(3)) {
      const fresh = notes.find((n) => n.user_id === p.userId)!.link.split('#t=')[1]!;
      assert.notEqual(fresh, p.token);
      p.token = fresh;
    }
    // (the answering routes are rate-limited: one person's links stand for all)
    assert.equal((await pub.post('/api/surveys/public/form', { token: old })).statusCode, 404);
    // A second reminder the same day sends nothing and keeps the links just sent.
    assert.equal((await officer.post(`/api/surveys/${surveyId}/reminders`)).json().reminded, 0);
    const p = participants[3]!;
    assert.equal((await pub.post('/api/surveys/public/form', { token: p.token })).statusCode, 200);
  });

  it('twelve respondents: figures show; groups under the threshold stay suppressed', async () => {
    for (const [i, p] of participants.slice(3, 12).entries()) await answer(p.token, i + 3);
    const r = (await analyst.get(`/api/surveys/${surveyId}/results?by=none`)).json();
    assert.equal(r.total, 12);
    const f1 = r.factors.find((f: { factor: number }) => f.factor === 1);
    assert.equal(f1.overall.suppressed, false);
    assert.equal(f1.overall.n, 12);
    assert.equal(typeof f1.overall.score, 'number');
    // by gender: 6 women, 6 men — both under 10, so no group figure anywhere
    const g = (await analyst.get(`/api/surveys/${surveyId}/results?by=gender`)).json();
    for (const f of g.factors) for (const c of f.groups) assert.equal(c.cell.score, null);
    for (const format of ['csv', 'xlsx'] as const) {
      const all = await analyst.get(`/api/surveys/${surveyId}/results/export?by=none&format=${format}`);
      const { rows } = await readTable(all.rawPayload, format);
      assert.ok(
        rows.some((row) => Number(row.Respondents) === 12 && row['Score (0–100)'] !== null),
        format,
      );
      const byGender = await analyst.get(
        `/api/surveys/${surveyId}/results/export?by=gender&format=${format}`,
      );
      const groups = (await readTable(byGender.rawPayload, format)).rows.filter(
        (row) => row.Group !== 'All respondents',
      );
      for (const row of groups) for (const col of FIGURES) assert.equal(row[col] ?? null, null, format);
    }
    // comments: alphabetical, never in arrival order
    const texts = r.comments.map((c: { text: string }) => c.text);
    assert.deepEqual(
      texts,
      [...texts].sort((a: string, b: string) => a.localeCompare(b)),
    );
  });

  it('nothing links a response to a participant: columns, ids, times, order, xmin, API, exports, logs, audit', async () => {
    // completion order: participants[0..11]; each answered with its own index in o-priority / comment
    await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
      svc().shuffle(tx, h.a.id, surveyId),
    );
    const cols = await h.kernel.db.query<{ column_name: string; data_type: string }>(
      "select column_name, data_type from information_schema.columns where table_name = 'survey_responses'",
    );
    assert.deepEqual(cols.map((c) => c.column_name).sort(), [
      'answers',
      'bands',
      'day',
      'id',
      'invitation_id',
      'mode',
      'survey_id',
      'tenant_id',
    ]);
    assert.ok(!cols.some((c) => /time/.test(c.data_type)), 'no timestamp column');
    const invCols = await h.kernel.db.query<{ column_name: string }>(
      "select column_name from information_schema.columns where table_name = 'survey_invitations'",
    );
    assert.ok(!invCols.some((c) => /completed_at|updated_at/.test(c.column_name)));

    const raw = await h.kernel.db.query<Record<string, unknown> & { xmin: string; ctid: string }>(
      'select xmin::text as xmin, ctid::text as ctid, * from survey_responses where survey_id = $1',
      [surveyId],
    );
    assert.equal(raw.length, 12);
    const inv = await h.kernel.db.query<Record<string, unknown> & { xmin: string }>(
      'select xmin::text as xmin, * from survey_invitations where survey_id = $1',
      [surveyId],
    );
    // ids: nothing in a response equals an id, user id or token of the participation record
    const known = new Set<string>();
    for (const i of inv) for (const v of [i.id, i.user_id, i.token_hash]) if (v) known.add(String(v));
    for (const p of participants) {
      known.add(p.userId);
      known.add(p.token);
      known.add(p.token.replace(/-/g, ''));
    }
    const dump = JSON.stringify(raw.map(({ xmin: _x, ctid: _c, ...r }) => r));
    for (const k of known) assert.ok(!dump.includes(k), `response store holds ${k}`);
    for (const r of raw) {
      assert.equal(r.invitation_id, null);
      assert.match(String(r.id), /^[0-9a-f]{8}-[0-9a-f]{4}-4/, 'random v4 id');
      assert.match(String(r.day instanceof Date ? r.day.toISOString() : r.day), /^\d{4}-\d{2}-\d{2}/);
    }
    // xmin: one transaction (the shuffle) wrote every response and every invitation
    assert.equal(new Set(raw.map((r) => r.xmin)).size, 1);
    assert.deepEqual(new Set(inv.map((r) => r.xmin)), new Set(raw.map((r) => r.xmin)));

    // order: the physical (SELECT *) order, the API's and the exports' are not the completion order
    const completionOrder = participants.slice(0, 12).map((_, i) => i);
    const indexOf = (answers: Record<string, unknown>) =>
      Number(String(answers['o-suggestion']).split('#')[1]);
    const physical = raw.map((r) => indexOf(r.answers as Record<string, unknown>));
    assert.deepEqual(
      [...physical].sort((a, b) => a - b),
      completionOrder,
    );
    assert.notDeepEqual(physical, completionOrder);
    assert.notDeepEqual(physical, [...completionOrder].reverse());
    const completedInvs = inv
      .filter((i) => i.completed)
      .map((i) => participants.findIndex((p) => p.userId === i.user_id));
    assert.notDeepEqual(completedInvs, physical, 'invitation heap order pairs with response heap order');
    const api = (await analyst.get(`/api/surveys/${surveyId}/results`)).json();
    const apiOrder = api.comments.map((c: { text: string }) => Number(c.text.split('#')[1]));
    assert.notDeepEqual(apiOrder, completionOrder);

    // logs: no token, user id or invitation id in any log line of the answering requests
    const text = logs.join('\n');
    for (const p of participants) {
      assert.ok(!text.includes(p.token), 'token in a log line');
      assert.ok(!text.includes(p.token.replace(/-/g, '')), 'token in a log line');
    }
    // The answering routes are anonymous: a successful answer leaves no request line at all
    // (a timestamped line would date the submission; platform/http/app.ts).
    assert.ok(
      logs.some((l) => l.includes('/api/surveys/')),
      'the log sink captures request lines',
    );
    const answering = logs.filter((l) => l.includes('/api/surveys/public/'));
    assert.deepEqual(answering, []);
    // audit: no invitation or response id, and no per-submission entry with a fine time
    const audit = await h.kernel.db.query<{ action: string; entity_id: string | null; data: unknown }>(
      "select action, entity_id, data from audit_events where action like 'surveys.%'",
    );
    const auditText = JSON.stringify(audit);
    for (const i of inv) assert.ok(!auditText.includes(String(i.id)));
    for (const r of raw) assert.ok(!auditText.includes(String(r.id)));
    assert.ok(!audit.some((a) => /submitted|answered/.test(a.action)));
  });

  it('a non-anonymous draft keeps the invitation on the response; anonymous ones never do', async () => {
    const s = (await officer.post('/api/surveys', { templateSlug: 'private-sector', name: 'Named' })).json();
    const off = await officer.patch(`/api/surveys/${s.id}`, { version: s.version, anonymous: false });
    assert.equal(off.statusCode, 200);
    assert.equal(off.json().anonymous, false);
    const opened = await officer.post(`/api/surveys/${s.id}/open`, { version: off.json().version });
    assert.equal(opened.json().anonymous, false, 'opening does not change the flag either way');
    const on = await officer.patch(`/api/surveys/${s.id}`, {
      version: opened.json().version,
      anonymous: true,
    });
    assert.equal(on.statusCode, 409);
    const [token] = (await officer.post(`/api/surveys/${s.id}/tokens`, { count: 1 })).json().tokens;
    const sent = await pub.post('/api/surveys/public/submit', {
      token,
      bands: {},
      answers: { 'p-priority': 3 },
    });
    assert.equal(sent.statusCode, 201, sent.body);
    const kept = await h.kernel.db.query<{ kept: string | null; invitation: string }>(
      `select r.invitation_id as kept, i.id as invitation
         from survey_responses r, survey_invitations i where r.survey_id = $1 and i.survey_id = $1`,
      [s.id],
    );
    assert.equal(kept.length, 1);
    assert.equal(kept[0]!.kept, kept[0]!.invitation);
  });

  it('printed tokens for traders, an open link, paper entry by an enumerator', async () => {
    const s = (
      await officer.post('/api/surveys', { templateSlug: 'private-sector', name: 'Traders 2026' })
    ).json();
    const both = await officer.patch(`/api/surveys/${s.id}`, { version: s.version, participation: 'both' });
    const tokens = await officer.post(`/api/surveys/${s.id}/tokens`, { count: 3 });
    assert.equal(tokens.statusCode, 201);
    assert.equal(tokens.json().tokens.length, 3);
    assert.match(tokens.json().tokens[0], /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    // a draft takes no answers
    assert.equal(
      (await pub.post('/api/surveys/public/form', { token: tokens.json().tokens[0] })).statusCode,
      409,
    );
    const opened = (await officer.post(`/api/surveys/${s.id}/open`, { version: both.json().version })).json();
    const form = await pub.post('/api/surveys/public/form', { token: tokens.json().tokens[0].toLowerCase() });
    assert.equal(form.statusCode, 200, form.body);
    assert.ok(form.json().questions.length > 5);
    const code = opened.openPath.split('#t=')[1];
    for (let i = 0; i < 2; i++) {
      const res = await pub.post('/api/surveys/public/submit', {
        token: code,
        bands: {},
        answers: { 'p-priority': 4 },
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    const paper = await officer.post(`/api/surveys/${s.id}/paper`, {
      bands: { gender: 'female' },
      answers: { 'p-priority': 2 },
    });
    assert.equal(paper.statusCode, 201, paper.body);
    assert.equal(
      (await staff.post(`/api/surveys/${s.id}/paper`, { bands: {}, answers: {} })).statusCode,
      403,
    );
    const bad = await officer.post(`/api/surveys/${s.id}/paper`, { bands: {}, answers: { 'o-priority': 3 } });
    assert.equal(bad.statusCode, 422);
    const modes = await h.kernel.db.query<{ mode: string }>(
      'select mode from survey_responses where survey_id = $1',
      [s.id],
    );
    assert.deepEqual(modes.map((m) => m.mode).sort(), ['paper', 'web', 'web']);
    const closed = await officer.post(`/api/surveys/${s.id}/close`, { version: opened.version });
    assert.equal(closed.statusCode, 200);
    assert.equal(
      (await pub.post('/api/surveys/public/submit', { token: code, bands: {}, answers: {} })).statusCode,
      404,
    );
    assert.equal(
      (
        await pub.post('/api/surveys/public/submit', {
          token: tokens.json().tokens[1],
          bands: {},
          answers: {},
        })
      ).statusCode,
      410,
    );
  });

  it('a next iteration in the series: the trend compares factor by factor', async () => {
    const next = await officer.post('/api/surveys', {
      templateSlug: 'officials',
      name: 'Staff CIPS 2028',
      previousSurveyId: surveyId,
    });
    assert.equal(next.statusCode, 201);
    assert.equal(next.json().iteration, 2);
    const trend = (await analyst.get(`/api/surveys/${next.json().id}/trend`)).json();
    assert.deepEqual(
      trend.iterations.map((i: { iteration: number }) => i.iteration),
      [1, 2],
    );
    assert.equal(
      typeof trend.iterations[0].factors.find((f: { factor: number }) => f.factor === 1).score,
      'number',
    );
    assert.equal(trend.iterations[1].total, null);
  });

  it('the shuffle job runs for a batch after a submission', async () => {
    const jobs = await h.kernel.db.query<{ name: string; run_at: Date; payload: { surveyId: string } }>(
      "select name, run_at, payload from jobs where name = 'surveys.shuffle'",
    );
    assert.ok(jobs.some((j) => j.payload.surveyId === surveyId));
    for (const j of jobs) assert.equal(new Date(j.run_at).getTime() % (10 * 60_000), 0);
  });

  it('right after a submission the new rows share a transaction id; the shuffle job erases it', async () => {
    const s = (await officer.post('/api/surveys', { templateSlug: 'officials', name: 'Window' })).json();
    const opened = (await officer.post(`/api/surveys/${s.id}/open`, { version: s.version })).json();
    const tokens = (await officer.post(`/api/surveys/${s.id}/tokens`, { count: 3 })).json()
      .tokens as string[];
    for (const token of tokens.slice(0, 2))
      assert.equal(
        (await pub.post('/api/surveys/public/submit', { token, bands: {}, answers: { 'o-priority': 3 } }))
          .statusCode,
        201,
      );
    const xmins = async () => ({
      res: (
        await h.kernel.db.query<{ x: string }>(
          'select xmin::text as x from survey_responses where survey_id = $1',
          [s.id],
        )
      ).map((r) => r.x),
      done: (
        await h.kernel.db.query<{ x: string }>(
          'select xmin::text as x from survey_invitations where survey_id = $1 and completed',
          [s.id],
        )
      ).map((r) => r.x),
    });
    const before = await xmins();
    // the leak the shuffle exists for: each response shares its transaction with one completion
    assert.deepEqual(new Set(before.res), new Set(before.done));
    assert.equal(new Set(before.res).size, 2);
    const job = surveysModule.jobs!(h.kernel).find((j) => j.name === SHUFFLE_JOB)!;
    await job.run({ surveyId: s.id }, {
      id: 'test',
      tenantId: h.a.id,
      attempt: 1,
      log: h.kernel.log,
    } as never);
    const after = await xmins();
    assert.equal(new Set([...after.res, ...after.done]).size, 1, 'one transaction wrote them all');
    assert.ok(!before.res.includes(after.res[0]!));
    assert.equal(after.res.length, 2);
    await officer.post(`/api/surveys/${s.id}/close`, { version: opened.version });
  });

  async function answer(token: string, i: number) {
    const form = await pub.post('/api/surveys/public/form', { token });
    assert.equal(form.statusCode, 200, form.body);
    const res = await pub.post('/api/surveys/public/submit', {
      token,
      bands: { gender: i % 2 ? 'male' : 'female', region: i % 3 ? 'North' : 'South' },
      answers: { 'o-priority': (i % 5) + 1, 'o-reporting-known': i % 2 === 0, 'o-suggestion': `idea #${i}` },
    });
    assert.equal(res.statusCode, 201, res.body);
  }
});

describe('surveys: demo data', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('seeds two iterations of the officials survey for Norland once, with results and a trend', async () => {
    await h.kernel.db.query("update organisations set short_name = 'Norland' where id = $1", [h.a.id]);
    await surveysModule.seedDemo!(h.kernel);
    await surveysModule.seedDemo!(h.kernel);
    const rows = await h.kernel.db.query<{ status: string; iteration: number; n: number }>(
      `select s.status, s.iteration, (select count(*)::int from survey_responses r where r.survey_id = s.id) as n
         from surveys s where s.tenant_id = $1 order by s.iteration`,
      [h.a.id],
    );
    assert.deepEqual(
      rows.map((r) => [r.iteration, r.status, r.n]),
      [
        [1, 'closed', 64],
        [2, 'open', 48],
      ],
    );
    const other = await h.kernel.db.query('select 1 from surveys where tenant_id = $1', [h.b.id]);
    assert.equal(other.length, 0);
    const officer = await h.as(h.a.users.integrity_officer.email);
    const list = (await officer.get('/api/surveys')).json() as { items: { id: string; iteration: number }[] };
    const second = list.items.find((s) => s.iteration === 2)!;
    const trend = await officer.get(`/api/surveys/${second.id}/trend`);
    assert.equal(trend.statusCode, 200, trend.body);
  });
});
