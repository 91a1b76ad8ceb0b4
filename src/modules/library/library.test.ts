import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { withTenant } from '../../platform/db/tenant.ts';
import { multipart, sampleFile } from '../../platform/testing/files.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { IdentityService } from '../identity/index.ts';
import { libraryModule } from './index.ts';

const ENTRY = {
  title: 'Random assignment of declarations to officers',
  summary: 'Declarations are assigned to examining officers at random by the clearance system.',
  factors: [4, 6],
  type: 'case_study',
  whatDone: 'The clearance system assigns each declaration to an officer drawn at random.',
  whatChanged: 'Fewer complaints of facilitation payments.',
  measures: [{ label: 'Complaints per year', before: '40', after: '12', unit: 'complaints' }],
  language: 'en',
};
const FRENCH = {
  title: 'Renforcement du contrôle interne des bureaux de douane',
  summary: 'Une unité d’inspection vérifie chaque trimestre le contrôle des recettes et des exonérations.',
  factors: [6],
  type: 'policy',
  whatDone: 'Création d’une inspection générale rattachée au directeur général.',
  language: 'fr',
};

describe('library: contributions, moderation by the Secretariat, versions, search, comments, use', () => {
  let h: Harness;
  let officerA: Client;
  let officerB: Client;
  let staffA: Client;
  let secretariat: Client;
  let pmA: Client;
  let delegateB: Client;
  let secretariatId: string;

  before(async () => {
    // Files in the database (as with several app instances): there, row-level security decides who
    // reads a file shared across organisations (the files_read migration); local storage has no
    // such layer and is covered by the browser journey and storage.test.ts.
    h = await createHarness({ env: { STORAGE: 'database' } });
    officerA = await h.as(h.a.users.integrity_officer.email);
    officerB = await h.as(h.b.users.integrity_officer.email);
    staffA = await h.as(h.a.users.staff.email);
    pmA = await h.as(h.a.users.programme_manager.email);
    delegateB = await h.as(h.b.users.isc_delegate.email);
    // The WCO Secretariat: its own organisation (type secretariat), with a programme manager.
    const ids = new IdentityService(h.kernel);
    const org = await ids.createOrganisation(null, { type: 'secretariat', name: 'WCO Secretariat' });
    secretariatId = org.id;
    const [{ hash } = { hash: '' }] = await h.kernel.db.query<{ hash: string }>(
      'select password_hash as hash from users where email = $1',
      [h.a.users.staff.email],
    );
    const u = await ids.ensureUser({ email: 'pm@wco.test', name: 'Secretariat PM', passwordHash: hash });
    await ids.addMembership(org.id, u.id, ['programme_manager']);
    secretariat = await h.as('pm@wco.test');
  });
  after(() => h.close());

  const created = async (c: Client, body: unknown) => {
    const res = await c.post('/api/library/entries', body);
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; version: number; status: string };
  };
  const submit = async (c: Client, id: string, version: number) => {
    const res = await c.post(`/api/library/entries/${id}/submit`, { version });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { status: string; version: number; revision: number };
  };
  const pendingOf = async (entryId: string) => {
    const res = await secretariat.get('/api/library/moderation');
    assert.equal(res.statusCode, 200, res.body);
    const s = (res.json().items as { id: string; entryId: string; version: number }[]).find(
      (x) => x.entryId === entryId,
    );
    assert.ok(s, 'the submission is in the Secretariat queue');
    return s;
  };
  const decide = (id: string, body: unknown) =>
    secretariat.post(`/api/library/moderation/${id}/decision`, body);
  const search = async (c: Client, qs: string) => {
    const res = await c.get(`/api/library/search?${qs}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as {
      items: { id: string; title: string; organisation: string | null }[];
      total: number;
    };
  };
  const found = async (c: Client, qs: string) => (await search(c, qs)).items.map((i) => i.id);

  it('a draft and a pending submission are never found; once the Secretariat publishes, every organisation finds it', async () => {
    const e = await created(officerA, ENTRY);
    assert.equal(e.status, 'draft');
    assert.deepEqual(await found(officerB, 'q=random'), []);
    assert.deepEqual(await found(officerA, 'q=random'), [], 'not even by its own organisation');
    const s = await submit(officerA, e.id, e.version);
    assert.equal(s.status, 'submitted');
    assert.equal(s.revision, 1);
    assert.deepEqual(await found(officerB, 'q=random'), []);

    const pending = await pendingOf(e.id);
    const res = await decide(pending.id, { version: pending.version, decision: 'publish' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'published');

    const hits = await search(officerB, 'q=randomly%20assigned');
    assert.deepEqual(
      hits.items.map((i) => i.id),
      [e.id],
      'English stemming: "randomly assigned" finds "random assignment"',
    );
    assert.equal(hits.items[0]!.organisation, 'Tenant A Customs');
    const mine = (await officerA.get(`/api/library/entries/${e.id}`)).json();
    assert.equal(mine.status, 'published');
    assert.equal(mine.publishedRevision, 1);
    const detail = (await officerB.get(`/api/library/published/${e.id}`)).json();
    assert.equal(detail.mine, false);
    assert.deepEqual(detail.measures, ENTRY.measures);
    assert.equal((await officerA.get(`/api/library/published/${e.id}`)).json().mine, true);
  });

  it('a French entry is found by a French query with an inflected word ("contrôles" finds "contrôle"), and filters narrow it', async () => {
    const e = await created(officerB, { ...FRENCH, anonymous: true });
    await submit(officerB, e.id, e.version);
    const p = await pendingOf(e.id);
    assert.equal((await decide(p.id, { version: p.version, decision: 'publish' })).statusCode, 200);

    assert.deepEqual(await found(officerA, 'q=contr%C3%B4les'), [e.id]);
    assert.deepEqual(await found(officerA, `q=${encodeURIComponent('inspections générales')}`), [e.id]);
    // The French stem does not match an unrelated word.
    assert.deepEqual(await found(officerA, 'q=contrebande'), []);
    // Filters: factor, region (tenant B is in WCA), type, language.
    assert.ok((await found(officerA, 'factor=6')).includes(e.id));
    assert.ok(!(await found(officerA, 'factor=4')).includes(e.id));
    assert.ok((await found(officerA, 'region=WCA')).includes(e.id));
    assert.ok(!(await found(officerA, 'region=ESA')).includes(e.id));
    assert.deepEqual(await found(officerA, 'q=contr%C3%B4le&type=case_study'), []);
    assert.deepEqual(await found(officerA, 'q=contr%C3%B4le&type=policy&language=fr'), [e.id]);
    // Anonymous: no organisation or country, to anyone but the contributor and the Secretariat.
    const hit = (await search(officerA, 'q=contr%C3%B4le')).items[0]!;
    assert.equal(hit.organisation, null);
    const stored = await h.kernel.db.query<{ organisation: string | null; country: string | null }>(
      'select organisation, country from library_published where id = $1',
      [e.id],
    );
    assert.deepEqual({ ...stored[0] }, { organisation: null, country: null });
    // The searched text is indexed with the entry's own configuration.
    const cfg = await h.kernel.db.query<{ language: string; c: string }>(
      'select language, ts_config::text as c from library_published_texts where entry_id = $1',
      [e.id],
    );
    assert.deepEqual(
      cfg.map((r) => [r.language, r.c]),
      [['fr', 'french']],
    );
  });

  it('search edge cases: an Arabic query finds an Arabic entry; stop words, punctuation and query syntax give 200 and no results; a huge query is a clear 400; filters combine with a query', async () => {
    const ar = await publishedEntry({
      title: 'مكافحة الفساد في إدارة الجمارك بالتناوب',
      summary: 'ينتقل الموظفون الجمركيون إلى مراكز حدودية أخرى كل ثلاث سنوات.',
      whatDone: 'تناوب الموظفين على المراكز الحدودية.',
      whatChanged: '',
      measures: [],
      factors: [2, 7],
      type: 'tool',
      language: 'ar',
    });
    // The entry's own words, then other forms of them: without the article "ال" (the stemmer alone
    // reads "فساد" as سادّ and "جمارك" as جمار), with a conjunction, another ending.
    for (const q of [
      'الفساد',
      'فساد',
      'جمارك',
      'فساد الجمارك',
      'والفساد',
      'الحدودية',
      'موظفين',
      '"إدارة الجمارك"',
    ])
      assert.deepEqual(await found(delegateB, `q=${encodeURIComponent(q)}`), [ar.id], q);
    assert.deepEqual(await found(delegateB, `q=${encodeURIComponent('التهريب')}`), []);
    assert.deepEqual(await found(delegateB, `q=${encodeURIComponent('فساد -الجمارك')}`), [], 'negation kept');
    const cfg = await h.kernel.db.query<{ c: string }>(
      'select ts_config::text as c from library_published_texts where entry_id = $1',
      [ar.id],
    );
    assert.deepEqual(
      cfg.map((r) => r.c),
      ['arabic'],
    );

    // Queries that hold no searchable word: 200 with nothing found (never the whole library, never 5xx).
    for (const q of [
      'the and of',
      'le la les des',
      'في من على',
      '!!! ??? ...',
      '"',
      '-',
      'or',
      '((',
      ':*',
      '& | !',
      "'; drop table library_published; --",
      '\\',
      '""""',
    ]) {
      const res = await delegateB.get(`/api/library/search?q=${encodeURIComponent(q)}`);
      assert.equal(res.statusCode, 200, `${q}: ${res.body}`);
      const r = res.json() as { items: { id: string }[]; total: number };
      assert.equal(r.total, r.items.length, q);
      assert.ok(!r.items.some((i) => i.id === ar.id), q);
    }
    // With the stop words around a real word, the word decides.
    assert.deepEqual(await found(delegateB, `q=${encodeURIComponent('في الفساد')}`), [ar.id]);

    // Too long: a clear 400 on the field, not a slow query or a 5xx.
    for (const q of ['x'.repeat(10_000), 'contrôle '.repeat(1_000), 'الفساد '.repeat(500)]) {
      const res = await delegateB.get(`/api/library/search?q=${encodeURIComponent(q)}`);
      assert.equal(res.statusCode, 400, res.body);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      assert.deepEqual(
        res.json().errors.map((e: { path: string }) => e.path),
        ['querystring.q'],
      );
    }

    // Filters combine with a query (AND): each one can exclude the hit on its own.
    const en = await publishedEntry({ title: 'Random rotation of scanner operators', factors: [3, 5] });
    const words = `q=${encodeURIComponent('scanner rotation')}`;
    const all = { factor: '5', region: 'ESA', type: 'case_study', language: 'en' };
    const filtered = (f: Record<string, string>) => found(officerB, `${words}&${new URLSearchParams(f)}`);
    assert.deepEqual(await filtered(all), [en.id]);
    for (const other of [{ factor: '4' }, { region: 'WCA' }, { type: 'tool' }, { language: 'fr' }])
      assert.deepEqual(await filtered({ ...all, ...other }), [], JSON.stringify(other));
    assert.deepEqual(
      await found(officerB, `q=${encodeURIComponent('الفساد')}&factor=7&type=tool&region=ESA`),
      [ar.id],
    );
    assert.deepEqual(await found(officerB, `q=${encodeURIComponent('الفساد')}&factor=3`), []);
    for (const bad of [
      'factor=0',
      'factor=11',
      'factor=x',
      'region=esa',
      'type=essay',
      'language=de',
      'limit=0',
      'offset=-1',
      'factor=5&factor=4',
      'page=2',
    ])
      assert.equal((await officerB.get(`/api/library/search?${words}&${bad}`)).statusCode, 400, bad);
  });

  it('a rejection needs a reason; a rejected entry is never found and its contributor sees why', async () => {
    const e = await created(officerA, {
      ...ENTRY,
      title: 'Zanzibar gift register',
      summary: 'Gift register.',
    });
    await submit(officerA, e.id, e.version);
    const p = await pendingOf(e.id);
    const noReason = await decide(p.id, { version: p.version, decision: 'reject' });
    assert.equal(noReason.statusCode, 400);
    const res = await decide(p.id, { version: p.version, decision: 'reject', reason: 'No results yet' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'rejected');
    assert.deepEqual(await found(officerB, 'q=zanzibar'), []);
    assert.deepEqual(await found(officerA, 'q=zanzibar'), []);
    assert.equal((await officerB.get(`/api/library/published/${e.id}`)).statusCode, 404);
    const mine = (await officerA.get(`/api/library/entries/${e.id}`)).json();
    assert.equal(mine.status, 'rejected');
    assert.equal(mine.rejectionReason, 'No results yet');
    // Decided once: a second decision is a conflict.
    const again = await decide(p.id, { version: p.version + 1, decision: 'publish' });
    assert.equal(again.statusCode, 409);
  });

  it('editing a published entry makes a new version pending moderation; the published one stays visible until then', async () => {
    const e = await created(officerA, {
      ...ENTRY,
      title: 'Rotation of border post officers',
      summary: 'Rotation.',
    });
    let v = (await submit(officerA, e.id, e.version)).version;
    let p = await pendingOf(e.id);
    await decide(p.id, { version: p.version, decision: 'publish' });

    const edit = await officerA.patch(`/api/library/entries/${e.id}`, {
      version: v,
      title: 'Rotation of border post officers every three years',
    });
    assert.equal(edit.statusCode, 200, edit.body);
    assert.equal(edit.json().status, 'draft');
    assert.equal(edit.json().publishedRevision, 1);
    v = edit.json().version;
    const stale = await officerA.patch(`/api/library/entries/${e.id}`, { version: v - 1, title: 'x' });
    assert.equal(stale.statusCode, 409);
    assert.equal(
      (await officerB.get(`/api/library/published/${e.id}`)).json().title,
      'Rotation of border post officers',
    );

    v = (await submit(officerA, e.id, v)).version;
    assert.equal(
      (await officerA.post(`/api/library/entries/${e.id}/submit`, { version: v })).statusCode,
      409,
    );
    p = await pendingOf(e.id);
    const pending = (await secretariat.get(`/api/library/moderation/${p.id}`)).json();
    assert.equal(pending.revision, 2);
    assert.equal(pending.publishedRevision, 1);
    assert.equal((await officerB.get(`/api/library/published/${e.id}`)).json().revision, 1);
    await decide(p.id, { version: p.version, decision: 'publish' });
    const now = (await officerB.get(`/api/library/published/${e.id}`)).json();
    assert.equal(now.title, 'Rotation of border post officers every three years');
    assert.equal(now.revision, 2);
    const versions = await h.kernel.db.query<{ revision: number; status: string }>(
      'select revision, status from library_submissions where entry_id = $1 order by revision',
      [e.id],
    );
    assert.deepEqual(
      versions.map((r) => ({ ...r })),
      [
        { revision: 1, status: 'published' },
        { revision: 2, status: 'published' },
      ],
    );
  });

  it('only the Secretariat moderates: a programme manager of an administration sees an empty queue, and the database refuses a publication', async () => {
    const e = await created(officerA, { ...ENTRY, title: 'Self-published attempt' });
    await submit(officerA, e.id, e.version);
    const queue = await pmA.get('/api/library/moderation');
    assert.equal(queue.statusCode, 200);
    assert.deepEqual(queue.json().items, []);
    const p = await pendingOf(e.id);
    assert.equal((await pmA.get(`/api/library/moderation/${p.id}`)).statusCode, 404);
    assert.equal(
      (await pmA.post(`/api/library/moderation/${p.id}/decision`, { version: 1, decision: 'publish' }))
        .statusCode,
      404,
    );
    // Layer 1: tenant A cannot write the public table, nor decide its own submission, even with raw SQL.
    await assert.rejects(
      withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
        tx.execute(sql`insert into library_published (id, submission_id, revision, title, summary, factors, type, language)
          values (${e.id}, ${p.id}, 1, 'forged', 's', '{1}', 'tool', 'en')`),
      ),
      (err: Error & { cause?: Error }) => /row-level security/.test(`${err.message} ${err.cause?.message}`),
    );
    await assert.rejects(
      withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
        tx.execute(sql`update library_submissions set title = 'changed after submission' where id = ${p.id}`),
      ),
      (err: Error & { cause?: Error }) => /permission denied/.test(`${err.message} ${err.cause?.message}`),
    );
    // Tenant B sees neither A's working copies nor A's submissions.
    const seen = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: null }, async (tx) => ({
      entries: (await tx.execute(
        sql`select count(*)::int as n from library_entries where tenant_id = ${h.a.id}`,
      )) as unknown as { rows: { n: number }[] },
      submissions: (await tx.execute(
        sql`select count(*)::int as n from library_submissions where tenant_id = ${h.a.id}`,
      )) as unknown as { rows: { n: number }[] },
    }));
    assert.equal(seen.entries.rows[0]!.n, 0);
    assert.equal(seen.submissions.rows[0]!.n, 0);
    // The Secretariat's tenant does read them (its moderation policy); its own audit trail records decisions.
    const audit = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from audit_events where tenant_id = $1 and action like 'library.submission.%'",
      [secretariatId],
    );
    assert.ok(audit[0]!.n >= 3);
  });

  it('ISC delegates comment on published entries; every organisation reads the comments; staff cannot comment', async () => {
    const e = await created(officerA, { ...ENTRY, title: 'Integrity hotline' });
    await submit(officerA, e.id, e.version);
    const p = await pendingOf(e.id);
    await decide(p.id, { version: p.version, decision: 'publish' });
    const res = await delegateB.post(`/api/library/published/${e.id}/comments`, {
      body: 'We did the same in 2024.',
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().organisation, 'Tenant B Customs');
    assert.equal(res.json().authorName, 'isc_delegate B');
    const comments = (await officerA.get(`/api/library/published/${e.id}`)).json().comments;
    assert.deepEqual(
      comments.map((c: { body: string }) => c.body),
      ['We did the same in 2024.'],
    );
    assert.equal(
      (await staffA.post(`/api/library/published/${e.id}/comments`, { body: 'x' })).statusCode,
      403,
    );
    assert.equal(
      (await delegateB.post(`/api/library/published/${e.id}/comments`, { body: ' ' })).statusCode,
      400,
    );
  });

  it('"use this" turns a published entry into a draft action in my own action plan, and only mine', async () => {
    const e = await created(officerB, {
      ...ENTRY,
      title: 'Asset declarations for brokers liaison officers',
      factors: [8],
    });
    await submit(officerB, e.id, e.version);
    const p = await pendingOf(e.id);
    await decide(p.id, { version: p.version, decision: 'publish' });
    const plan = await officerA.post('/api/action-plans', {
      title: 'Integrity Action Plan 2027',
      horizonStart: '2027-01-01',
      horizonEnd: '2029-12-31',
    });
    assert.equal(plan.statusCode, 201, plan.body);
    const planB = await officerB.post('/api/action-plans', {
      title: 'B plan',
      horizonStart: '2027-01-01',
      horizonEnd: '2029-12-31',
    });
    const used = await officerA.post(`/api/library/published/${e.id}/use`, { planId: plan.json().id });
    assert.equal(used.statusCode, 201, used.body);
    const detail = (await officerA.get(`/api/action-plans/${plan.json().id}`)).json();
    const action = detail.actions.find((a: { id: string }) => a.id === used.json().actionId);
    assert.equal(action.objective, 'Asset declarations for brokers liaison officers');
    assert.equal(action.status, 'not_started');
    assert.equal(action.origin, 'proposed');
    assert.equal(action.factor, 8);
    assert.match(action.description, new RegExp(e.id));
    assert.ok(
      action.description.endsWith(`(Best-practice library, entry ${e.id}, version 1)`),
      action.description,
    );
    // The note citing the entry is written in the caller's language.
    const usedFr = await officerA.request({
      method: 'POST',
      url: `/api/library/published/${e.id}/use`,
      headers: { 'accept-language': 'fr' },
      payload: { planId: plan.json().id },
    });
    assert.equal(usedFr.statusCode, 201, usedFr.body);
    const actionFr = (await officerA.get(`/api/action-plans/${plan.json().id}`))
      .json()
      .actions.find((a: { id: string }) => a.id === usedFr.json().actionId);
    assert.ok(
      actionFr.description.endsWith(`(Bibliothèque de bonnes pratiques, fiche ${e.id}, version 1)`),
      actionFr.description,
    );
    // Another organisation's plan is "not found"; nothing is added to it.
    const other = await officerA.post(`/api/library/published/${e.id}/use`, { planId: planB.json().id });
    assert.equal(other.statusCode, 404);
    assert.equal((await officerB.get(`/api/action-plans/${planB.json().id}`)).json().actions.length, 0);
    // Staff may read the library but not add actions.
    assert.equal(
      (await staffA.post(`/api/library/published/${e.id}/use`, { planId: plan.json().id })).statusCode,
      403,
    );
  });

  const attach = (c: Client, entryId: string, filename: string, data: Buffer) =>
    c.request({
      method: 'POST',
      url: '/api/library/attachments',
      ...multipart({ file: { filename, data }, fields: { entryId } }),
    });
  /** The contributor's notifications about library decisions (sent after the decision commits). */
  const notices = async (userId: string, kind: string, title: string, want = 1) => {
    for (let i = 0; i < 50; i++) {
      const rows = await h.kernel.db.query<{
        tenant_id: string;
        vars: Record<string, unknown>;
        link: string;
      }>(
        "select tenant_id, vars, link from notifications where user_id = $1 and kind = $2 and vars->>'title' = $3",
        [userId, kind, title],
      );
      if (rows.length >= want) return rows;
      await new Promise((r) => setTimeout(r, 50));
    }
    return [];
  };

  it('attachments: typed from the bytes, size-limited, downloadable by readers; the published copy keeps them', async () => {
    const e = await created(officerA, { ...ENTRY, title: 'Body cameras at the border post' });
    const pdf = sampleFile('pdf');
    const up = await attach(officerA, e.id, 'guide.pdf', pdf);
    assert.equal(up.statusCode, 201, up.body);
    assert.equal(up.json().mediaType, 'application/pdf');
    // The type comes from the bytes: a PDF name on text is refused; and nothing is stored.
    assert.equal(
      (await attach(officerA, e.id, 'fake.pdf', Buffer.from('just text, not a PDF'))).statusCode,
      415,
    );
    // Too large: 413.
    const big = Buffer.concat([pdf, Buffer.alloc(20 * 1024 * 1024 + 1, 32)]);
    assert.equal((await attach(officerA, e.id, 'big.pdf', big)).statusCode, 413);
    // Another organisation's entry, or staff without the permission: refused.
    assert.equal((await attach(officerB, e.id, 'x.pdf', pdf)).statusCode, 404);
    assert.equal((await attach(staffA, e.id, 'x.pdf', pdf)).statusCode, 403);
    const entry = (await officerA.get(`/api/library/entries/${e.id}`)).json();
    assert.deepEqual(
      entry.attachments.map((a: { filename: string }) => a.filename),
      ['guide.pdf'],
    );
    const own = await officerA.get(`/api/library/entries/${e.id}/attachments/${up.json().id}`);
    assert.equal(own.statusCode, 200);
    assert.deepEqual(own.rawPayload, pdf);
    assert.match(String(own.headers['content-disposition']), /attachment; filename="guide.pdf"/);
    assert.equal(
      (await officerB.get(`/api/library/entries/${e.id}/attachments/${up.json().id}`)).statusCode,
      404,
    );

    // Submitted: the Secretariat reads it while moderating; nobody else finds it yet.
    const v = (await officerA.get(`/api/library/entries/${e.id}`)).json().version;
    await submit(officerA, e.id, v);
    const p = await pendingOf(e.id);
    const sub = (await secretariat.get(`/api/library/moderation/${p.id}`)).json();
    assert.equal(sub.attachments.length, 1);
    const mod = await secretariat.get(`/api/library/moderation/${p.id}/attachments/${up.json().id}`);
    assert.equal(mod.statusCode, 200);
    assert.deepEqual(mod.rawPayload, pdf);
    assert.equal(
      (await officerB.get(`/api/library/published/${e.id}/attachments/${up.json().id}`)).statusCode,
      404,
    );
    assert.equal((await decide(p.id, { version: p.version, decision: 'publish' })).statusCode, 200);

    // Published: every organisation downloads it.
    const pub = (await officerB.get(`/api/library/published/${e.id}`)).json();
    assert.deepEqual(
      pub.attachments.map((a: { filename: string; size: number }) => [a.filename, a.size]),
      [['guide.pdf', pdf.length]],
    );
    assert.ok(!JSON.stringify(pub).includes('storage'), 'no storage key in the API');
    const got = await officerB.get(`/api/library/published/${e.id}/attachments/${up.json().id}`);
    assert.equal(got.statusCode, 200);
    assert.deepEqual(got.rawPayload, pdf);
    assert.equal((await officerB.get(`/api/library/published/${e.id}/attachments/${e.id}`)).statusCode, 404);

    // The contributor removes it from the working copy: a new draft; the published copy keeps it.
    const del = await officerA.delete(`/api/library/entries/${e.id}/attachments/${up.json().id}`);
    assert.equal(del.statusCode, 204, del.body);
    const after = (await officerA.get(`/api/library/entries/${e.id}`)).json();
    assert.deepEqual(after.attachments, []);
    assert.equal(after.status, 'draft');
    assert.equal((await officerB.get(`/api/library/published/${e.id}`)).json().attachments.length, 1);
    const still = await officerB.get(`/api/library/published/${e.id}/attachments/${up.json().id}`);
    assert.deepEqual(still.rawPayload, pdf);
    assert.equal(
      (await officerA.delete(`/api/library/entries/${e.id}/attachments/${up.json().id}`)).statusCode,
      404,
    );
  });

  it('at most 10 attachments per entry', async () => {
    const e = await created(officerA, { ...ENTRY, title: 'Many files' });
    for (let i = 0; i < 10; i++)
      assert.equal((await attach(officerA, e.id, `f${i}.png`, sampleFile('png'))).statusCode, 201);
    const res = await attach(officerA, e.id, 'f10.png', sampleFile('png'));
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(
      (
        await h.kernel.db.query<{ n: number }>(
          'select count(*)::int as n from library_attachments where entry_id = $1',
          [e.id],
        )
      )[0]!.n,
      10,
    );
  });

  it('the contributor is notified when the Secretariat publishes or rejects a submission, with the reason', async () => {
    const e = await created(officerB, { ...ENTRY, title: 'Integrity hotline for traders' });
    await submit(officerB, e.id, e.version);
    let p = await pendingOf(e.id);
    assert.equal(
      (await decide(p.id, { version: p.version, decision: 'reject', reason: 'Add the measured results' }))
        .statusCode,
      200,
    );
    const [rejected] = await notices(
      h.b.users.integrity_officer.id,
      'library.rejected',
      'Integrity hotline for traders',
    );
    assert.ok(rejected, 'a notice of the rejection');
    assert.equal(rejected.tenant_id, h.b.id, "in the contributor's own organisation");
    assert.equal(rejected.vars.reason, 'Add the measured results');
    assert.equal(rejected.vars.title, 'Integrity hotline for traders');
    assert.equal(rejected.link, `/library/entries/${e.id}`);
    const mine = (await officerB.get('/api/me/notifications')).json();
    const text = JSON.stringify(mine);
    assert.match(text, /Add the measured results/, 'the reason is in the message the contributor reads');

    const edited = await officerB.patch(`/api/library/entries/${e.id}`, {
      whatChanged: 'Calls doubled',
      version: (await officerB.get(`/api/library/entries/${e.id}`)).json().version,
    });
    assert.equal(edited.statusCode, 200, edited.body);
    await submit(officerB, e.id, edited.json().version);
    p = await pendingOf(e.id);
    assert.equal((await decide(p.id, { version: p.version, decision: 'publish' })).statusCode, 200);
    const [published] = await notices(
      h.b.users.integrity_officer.id,
      'library.published',
      'Integrity hotline for traders',
    );
    assert.ok(published, 'a notice of the publication');
    assert.equal(published.vars.revision, 2);
    // Nobody else in either organisation is told.
    const others = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from notifications where kind like 'library.%' and user_id <> $1 and vars->>'title' = $2",
      [h.b.users.integrity_officer.id, 'Integrity hotline for traders'],
    );
    assert.equal(others[0]!.n, 0);
  });

  /** An entry of officer A published as revision 1 (and its pending submission's id). */
  const publishedEntry = async (body: Record<string, unknown>) => {
    const e = await created(officerA, { ...ENTRY, ...body });
    const v = (await submit(officerA, e.id, e.version)).version;
    const p = await pendingOf(e.id);
    assert.equal((await decide(p.id, { version: p.version, decision: 'publish' })).statusCode, 200);
    return { id: e.id, version: v };
  };
  const audited = async (action: string) =>
    (
      await h.kernel.db.query<{ n: number }>(
        'select count(*)::int as n from audit_events where tenant_id = $1 and action = $2',
        [secretariatId, action],
      )
    )[0]!.n;

  it('version history: the contributor and the Secretariat list the versions and read an old one; nobody else does', async () => {
    const e = await publishedEntry({ title: 'Body cameras at the inspection bay' });
    const edit = await officerA.patch(`/api/library/entries/${e.id}`, {
      version: e.version,
      title: 'Body-worn cameras at the inspection bay',
    });
    assert.equal(edit.statusCode, 200, edit.body);
    await submit(officerA, e.id, edit.json().version);

    const mine = await officerA.get(`/api/library/entries/${e.id}/versions`);
    assert.equal(mine.statusCode, 200, mine.body);
    assert.deepEqual(
      mine
        .json()
        .items.map((v: { revision: number; status: string; current: boolean; title: string }) => [
          v.revision,
          v.status,
          v.current,
          v.title,
        ]),
      [
        [2, 'submitted', false, 'Body-worn cameras at the inspection bay'],
        [1, 'published', true, 'Body cameras at the inspection bay'],
      ],
    );
    const old = await officerA.get(`/api/library/entries/${e.id}/versions/1`);
    assert.equal(old.statusCode, 200, old.body);
    assert.equal(old.json().title, 'Body cameras at the inspection bay');
    assert.equal(old.json().whatDone, ENTRY.whatDone);
    assert.equal((await officerA.get(`/api/library/entries/${e.id}/versions/3`)).statusCode, 404);

    const wco = await secretariat.get(`/api/library/moderation/entries/${e.id}/versions`);
    assert.equal(wco.statusCode, 200, wco.body);
    assert.deepEqual(
      wco.json().items.map((v: { revision: number }) => v.revision),
      [2, 1],
    );
    assert.equal(
      (await secretariat.get(`/api/library/moderation/entries/${e.id}/versions/2`)).json().title,
      'Body-worn cameras at the inspection bay',
    );
    // Another administration: the unpublished version 2 is nowhere, by any route.
    for (const url of [
      `/api/library/entries/${e.id}/versions`,
      `/api/library/entries/${e.id}/versions/2`,
      `/api/library/moderation/entries/${e.id}/versions`,
      `/api/library/moderation/entries/${e.id}/versions/2`,
    ])
      assert.notEqual((await officerB.get(url)).statusCode, 200, url);
    assert.equal((await officerB.get(`/api/library/entries/${e.id}/versions`)).statusCode, 404);
    assert.equal((await officerB.get(`/api/library/entries/${e.id}/versions/2`)).statusCode, 404);
    // A programme manager of an administration holds library.moderate but is not the Secretariat.
    assert.equal((await pmA.get(`/api/library/moderation/entries/${e.id}/versions`)).statusCode, 404);
    assert.equal((await pmA.get(`/api/library/moderation/entries/${e.id}/versions/2`)).statusCode, 404);
    assert.equal((await officerB.get(`/api/library/moderation/entries/${e.id}/versions`)).statusCode, 403);
    assert.equal((await officerB.get(`/api/library/published/${e.id}`)).json().revision, 1);
    assert.equal((await officerA.get(`/api/library/entries/${e.id}/versions/x`)).statusCode, 400);
  });

  it('the Secretariat unpublishes with a reason: search and the public page stop showing the entry; the contributor sees why; a delegate cannot', async () => {
    const e = await publishedEntry({ title: 'Sealed envelopes for tender evaluation' });
    assert.deepEqual(await found(officerB, 'q=envelopes'), [e.id]);
    const url = `/api/library/moderation/entries/${e.id}/unpublish`;
    const reason = 'The contributor asked for a correction of the figures.';

    // Refusals first: nothing changes.
    for (const [who, c, body, status] of [
      ['a delegate', delegateB, { revision: 1, reason }, 403],
      ['the contributor', officerA, { revision: 1, reason }, 403],
      ['an administration’s programme manager', pmA, { revision: 1, reason }, 403],
      ['no reason', secretariat, { revision: 1, reason: ' ' }, 400],
      ['no revision', secretariat, { reason }, 400],
      ['an unknown field', secretariat, { revision: 1, reason, hard: true }, 400],
      ['a stale revision', secretariat, { revision: 2, reason }, 409],
    ] as const) {
      const res = await c.post(url, body);
      assert.equal(res.statusCode, status, `${who}: ${res.body}`);
    }
    assert.equal(
      (
        await secretariat.post(
          '/api/library/moderation/entries/01900000-0000-7000-8000-000000000001/unpublish',
          { revision: 1, reason },
        )
      ).statusCode,
      404,
    );
    assert.deepEqual(await found(officerB, 'q=envelopes'), [e.id], 'still published');
    assert.equal(await audited('library.entry.unpublished'), 0);

    const res = await secretariat.post(url, { revision: 1, reason });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      res
        .json()
        .items.map((v: { status: string; reason: string; current: boolean }) => [
          v.status,
          v.reason,
          v.current,
        ]),
      [['unpublished', reason, false]],
    );
    assert.equal(
      (await secretariat.post(url, { revision: 1, reason })).statusCode,
      409,
      'not published any more',
    );
    assert.deepEqual(await found(officerB, 'q=envelopes'), []);
    assert.deepEqual(await found(officerA, 'q=envelopes'), []);
    assert.deepEqual(await found(secretariat, 'q=envelopes'), [], 'the Secretariat does not list it either');
    assert.equal((await officerB.get(`/api/library/published/${e.id}`)).statusCode, 404);
    assert.equal((await officerA.get(`/api/library/published/${e.id}`)).statusCode, 404);
    assert.equal(
      (await delegateB.post(`/api/library/published/${e.id}/comments`, { body: 'Where did it go?' }))
        .statusCode,
      404,
    );
    const mine = (await officerA.get(`/api/library/entries/${e.id}`)).json();
    assert.equal(mine.status, 'unpublished');
    assert.equal(mine.unpublishedReason, reason);
    assert.equal(mine.publishedRevision, null);
    assert.equal(await audited('library.entry.unpublished'), 1);
    // Layer 1: another tenant cannot read the withdrawn copy or its texts, even with raw SQL.
    const raw = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: null }, async (tx) => ({
      copy: (await tx.execute(
        sql`select count(*)::int as n from library_published where id = ${e.id}`,
      )) as unknown as {
        rows: { n: number }[];
      },
      texts: (await tx.execute(
        sql`select count(*)::int as n from library_published_texts where entry_id = ${e.id}`,
      )) as unknown as { rows: { n: number }[] },
    }));
    assert.equal(raw.copy.rows[0]!.n, 0);
    assert.equal(raw.texts.rows[0]!.n, 0);

    // A corrected version, once published, is public again.
    const fix = await officerA.patch(`/api/library/entries/${e.id}`, {
      version: mine.version,
      summary: 'Corrected.',
    });
    assert.equal(fix.statusCode, 200, fix.body);
    await submit(officerA, e.id, fix.json().version);
    const p = await pendingOf(e.id);
    assert.equal((await decide(p.id, { version: p.version, decision: 'publish' })).statusCode, 200);
    assert.deepEqual(await found(officerB, 'q=envelopes'), [e.id]);
    assert.equal((await officerB.get(`/api/library/published/${e.id}`)).json().revision, 2);
  });

  it('each version keeps its own attachments: version 1 lists and downloads file A after version 2 replaced it with B; other organisations reach the published version’s files only', async () => {
    const e = await created(officerA, { ...ENTRY, title: 'Scanner images kept for audit' });
    const a = Buffer.concat([sampleFile('pdf'), Buffer.from('% file A\n')]);
    const b = Buffer.concat([sampleFile('pdf'), Buffer.from('% file B, longer than A\n')]);
    const upA = await attach(officerA, e.id, 'a.pdf', a);
    assert.equal(upA.statusCode, 201, upA.body);
    const A = upA.json().id as string;
    const publishNext = async () => {
      await submit(officerA, e.id, (await officerA.get(`/api/library/entries/${e.id}`)).json().version);
      const p = await pendingOf(e.id);
      assert.equal((await decide(p.id, { version: p.version, decision: 'publish' })).statusCode, 200);
      return p.id;
    };
    const sub1 = await publishNext();
    // Version 2 replaces A with B.
    assert.equal((await officerA.delete(`/api/library/entries/${e.id}/attachments/${A}`)).statusCode, 204);
    const upB = await attach(officerA, e.id, 'b.pdf', b);
    assert.equal(upB.statusCode, 201, upB.body);
    const B = upB.json().id as string;
    await publishNext();

    const names = (x: { attachments: { id: string; filename: string }[] }) =>
      x.attachments.map((f) => [f.id, f.filename]);
    const mine = (rev: number, id?: string) =>
      officerA.get(`/api/library/entries/${e.id}/versions/${rev}${id ? `/attachments/${id}` : ''}`);
    // The contributor: version 1 lists A and downloads its bytes (A is gone from the working copy).
    assert.deepEqual(names((await mine(1)).json()), [[A, 'a.pdf']]);
    const gotA = await mine(1, A);
    assert.equal(gotA.statusCode, 200, gotA.body);
    assert.deepEqual(gotA.rawPayload, a);
    assert.match(String(gotA.headers['content-disposition']), /filename="a.pdf"/);
    assert.equal((await officerA.get(`/api/library/entries/${e.id}/attachments/${A}`)).statusCode, 404);
    // Version 2 lists B only; a file of another version is not version 2's.
    assert.deepEqual(names((await mine(2)).json()), [[B, 'b.pdf']]);
    assert.deepEqual((await mine(2, B)).rawPayload, b);
    assert.equal((await mine(2, A)).statusCode, 404);
    assert.equal((await mine(1, B)).statusCode, 404);
    assert.equal((await mine(3, B)).statusCode, 404);
    assert.equal((await mine(1, 'x')).statusCode, 400);
    // The Secretariat reads version 1 as it was, its file included.
    const wco = (await secretariat.get(`/api/library/moderation/entries/${e.id}/versions/1`)).json();
    assert.deepEqual(names(wco), [[A, 'a.pdf']]);
    assert.deepEqual(
      (await secretariat.get(`/api/library/moderation/${sub1}/attachments/${A}`)).rawPayload,
      a,
    );

    // Another organisation reads the published version only: B, not A, and no contributor route.
    const pub = (await delegateB.get(`/api/library/published/${e.id}`)).json();
    assert.equal(pub.revision, 2);
    assert.deepEqual(names(pub), [[B, 'b.pdf']]);
    assert.deepEqual((await delegateB.get(`/api/library/published/${e.id}/attachments/${B}`)).rawPayload, b);
    assert.equal((await delegateB.get(`/api/library/published/${e.id}/attachments/${A}`)).statusCode, 404);
    assert.equal(
      (await officerB.get(`/api/library/entries/${e.id}/versions/1/attachments/${A}`)).statusCode,
      404,
    );
    assert.equal(
      (await officerB.get(`/api/library/entries/${e.id}/versions/2/attachments/${B}`)).statusCode,
      404,
    );

    // A third version, pending: its new file is nobody else's to read.
    const c = Buffer.concat([sampleFile('pdf'), Buffer.from('% file C\n')]);
    const upC = await attach(officerA, e.id, 'c.pdf', c);
    const C = upC.json().id as string;
    await submit(officerA, e.id, (await officerA.get(`/api/library/entries/${e.id}`)).json().version);
    assert.equal((await delegateB.get(`/api/library/published/${e.id}/attachments/${C}`)).statusCode, 404);
    assert.deepEqual((await mine(3, C)).rawPayload, c);

    // Withdrawn: the published version's file is 404 to a delegate; the contributor keeps its history.
    const w = await secretariat.post(`/api/library/moderation/entries/${e.id}/unpublish`, {
      revision: 2,
      reason: 'Scanner images show travellers’ faces.',
    });
    assert.equal(w.statusCode, 200, w.body);
    assert.equal((await delegateB.get(`/api/library/published/${e.id}/attachments/${B}`)).statusCode, 404);
    assert.equal((await delegateB.get(`/api/library/published/${e.id}`)).statusCode, 404);
    assert.deepEqual((await mine(2, B)).rawPayload, b);
    assert.deepEqual((await mine(1, A)).rawPayload, a);
  });

  it('translations: an entry holds its content in several languages; readers get theirs or the original, told which; search finds every language', async () => {
    const fr = {
      language: 'fr',
      title: 'Affectation aléatoire des officiers aux postes frontières',
      summary: 'Les officiers sont affectés au hasard.',
      whatDone: 'Un tirage au sort quotidien.',
    };
    const e = await publishedEntry({
      title: 'Random posting of officers to border crossings',
      summary: 'Officers are posted at random.',
      translations: [fr],
    });
    const mine = (await officerA.get(`/api/library/entries/${e.id}`)).json();
    assert.deepEqual(mine.translations, [{ ...fr, whatChanged: '' }]);

    const inFrench = await officerB.get(`/api/library/published/${e.id}?lang=fr`);
    assert.equal(inFrench.statusCode, 200, inFrench.body);
    assert.equal(inFrench.json().title, fr.title);
    assert.equal(inFrench.json().whatDone, fr.whatDone);
    assert.equal(inFrench.json().shownLanguage, 'fr');
    assert.equal(inFrench.json().language, 'en');
    assert.deepEqual(inFrench.json().languages, ['en', 'fr']);
    // No Arabic text: the original, and the answer says so.
    const inArabic = (await officerB.get(`/api/library/published/${e.id}?lang=ar`)).json();
    assert.equal(inArabic.title, 'Random posting of officers to border crossings');
    assert.equal(inArabic.shownLanguage, 'en');
    // Without ?lang the reader's negotiated language decides.
    const negotiated = await officerB.request({
      method: 'GET',
      url: `/api/library/published/${e.id}`,
      headers: { 'accept-language': 'fr' },
    });
    assert.equal(negotiated.json().title, fr.title);
    assert.equal(negotiated.json().shownLanguage, 'fr');

    // A French query with an inflected word finds the entry through its French text (french stemming),
    // an English one through the original; each result in the reader's language.
    const hits = (await search(officerB, `q=${encodeURIComponent('affectations')}&lang=fr`))
      .items as unknown as {
      id: string;
      title: string;
      shownLanguage: string;
    }[];
    assert.deepEqual(
      hits.map((x) => [x.id, x.title, x.shownLanguage]),
      [[e.id, fr.title, 'fr']],
    );
    assert.deepEqual(await found(officerB, 'q=crossing'), [e.id], 'English stemming on the original');
    assert.ok((await found(officerB, 'language=fr')).includes(e.id), 'readable in French');
    assert.ok(!(await found(officerB, 'language=ru')).includes(e.id));

    // Bad translations: 4xx and nothing stored.
    const before = (await officerA.get(`/api/library/entries/${e.id}`)).json();
    for (const [what, body] of [
      ['the original language again', { translations: [{ ...fr, language: 'en' }] }],
      ['a language twice', { translations: [fr, fr] }],
      ['no title', { translations: [{ ...fr, title: '' }] }],
      ['an unknown language', { translations: [{ ...fr, language: 'xx' }] }],
      ['an unknown field', { translations: [{ ...fr, notes: 'x' }] }],
      ['the original moved onto a translation', { language: 'fr' }],
    ] as const) {
      const res = await officerA.patch(`/api/library/entries/${e.id}`, { version: before.version, ...body });
      assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
    }
    const after = (await officerA.get(`/api/library/entries/${e.id}`)).json();
    assert.equal(after.version, before.version, 'nothing stored');
    assert.deepEqual(after.translations, before.translations);
    assert.equal(
      (await officerA.post('/api/library/entries', { ...ENTRY, translations: [{ ...fr, language: 'en' }] }))
        .statusCode,
      400,
    );
  });

  it('the Secretariat hides a comment with a reason: others stop reading it; the author and the Secretariat see it marked; a delegate cannot hide', async () => {
    const e = await publishedEntry({ title: 'Mystery shopping at the border' });
    const c = await delegateB.post(`/api/library/published/${e.id}/comments`, {
      body: 'Call me for a bribe.',
    });
    assert.equal(c.statusCode, 201, c.body);
    const kept = await delegateB.post(`/api/library/published/${e.id}/comments`, { body: 'Useful, thanks.' });
    const id = c.json().id as string;
    const url = `/api/library/comments/${id}/hide`;
    const reason = 'Inappropriate content.';
    for (const [who, cl, body, status] of [
      ['the delegate', delegateB, { reason }, 403],
      ['the contributor', officerA, { reason }, 403],
      ['an administration’s programme manager', pmA, { reason }, 403],
      ['no reason', secretariat, { reason: '' }, 400],
      ['an unknown field', secretariat, { reason, at: 'now' }, 400],
    ] as const) {
      const res = await cl.post(url, body);
      assert.equal(res.statusCode, status, `${who}: ${res.body}`);
    }
    assert.equal(
      (await secretariat.post('/api/library/comments/01900000-0000-7000-8000-000000000001/hide', { reason }))
        .statusCode,
      404,
    );
    assert.equal(
      (await officerA.get(`/api/library/published/${e.id}`)).json().comments.length,
      2,
      'nothing hidden',
    );

    const res = await secretariat.post(url, { reason });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().hidden.reason, reason);
    assert.equal((await secretariat.post(url, { reason })).statusCode, 409);
    const bodies = async (cl: Client) =>
      (await cl.get(`/api/library/published/${e.id}`))
        .json()
        .comments.map((x: { body: string; hidden: { reason: string } | null }) => [
          x.body,
          x.hidden?.reason ?? null,
        ]);
    assert.deepEqual(await bodies(officerA), [['Useful, thanks.', null]]);
    assert.deepEqual(await bodies(staffA), [['Useful, thanks.', null]]);
    assert.deepEqual(await bodies(delegateB), [
      ['Call me for a bribe.', reason],
      ['Useful, thanks.', null],
    ]);
    assert.deepEqual(await bodies(secretariat), [
      ['Call me for a bribe.', reason],
      ['Useful, thanks.', null],
    ]);
    assert.equal(kept.statusCode, 201);
    const audit = await h.kernel.db.query<{ data: { commentId: string; reason: string } }>(
      "select data from audit_events where tenant_id = $1 and action = 'library.comment.hidden'",
      [secretariatId],
    );
    assert.deepEqual(
      audit.map((a) => [a.data.commentId, a.data.reason]),
      [[id, reason]],
    );
    // Layer 1: the author's organisation cannot un-hide (or edit) its comment, even with raw SQL;
    // another organisation does not read the hidden row at all.
    await withTenant(h.kernel.db, { tenantId: h.b.id, userId: null }, (tx) =>
      tx.execute(sql`update library_comments set hidden_at = null, hidden_reason = null where id = ${id}`),
    );
    const [still] = await h.kernel.db.query<{ hidden: boolean }>(
      'select hidden_at is not null as hidden from library_comments where id = $1',
      [id],
    );
    assert.equal(still!.hidden, true, 'the restrictive policy leaves the author nothing to update');
    await assert.rejects(
      withTenant(h.kernel.db, { tenantId: h.b.id, userId: null }, (tx) =>
        tx.execute(sql`update library_comments set body = 'rewritten' where id = ${id}`),
      ),
      (err: Error & { cause?: Error }) => /permission denied/.test(`${err.message} ${err.cause?.message}`),
    );
    const seen = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
      tx.execute(sql`select count(*)::int as n from library_comments where id = ${id}`),
    );
    assert.equal((seen as unknown as { rows: { n: number }[] }).rows[0]!.n, 0);
  });

  it('bad input is a clear 4xx and stores nothing', async () => {
    const before = (
      await h.kernel.db.query<{ n: number }>('select count(*)::int as n from library_entries')
    )[0]!.n;
    const bad = [
      { ...ENTRY, factors: [11] },
      { ...ENTRY, factors: [] },
      { ...ENTRY, factors: [2, 2] },
      { ...ENTRY, type: 'novel' },
      { ...ENTRY, language: 'xx' },
      { ...ENTRY, title: '' },
      { ...ENTRY, extra: true },
      { ...ENTRY, measures: [{ label: 'x' }] },
    ];
    for (const body of bad) {
      const res = await officerA.post('/api/library/entries', body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      assert.match(res.headers['content-type'] as string, /problem\+json/);
    }
    const after = (
      await h.kernel.db.query<{ n: number }>('select count(*)::int as n from library_entries')
    )[0]!.n;
    assert.equal(after, before);
    for (const qs of [
      'factor=0',
      'factor=x',
      'type=novel',
      'region=europe',
      `q=${'x'.repeat(201)}`,
      'limit=1000',
      'nope=1',
    ])
      assert.equal((await officerA.get(`/api/library/search?${qs}`)).statusCode, 400, qs);
    assert.equal((await officerA.get('/api/library/entries/not-a-uuid')).statusCode, 400);
    // Odd queries are just text to the parser, never a 5xx.
    for (const q of ['"unclosed', 'a & | !', "' OR 1=1 --", '<->', '😀'])
      assert.equal((await officerA.get(`/api/library/search?q=${encodeURIComponent(q)}`)).statusCode, 200, q);
  });

  it('permissions: staff read but do not contribute; donors read; only moderators see the queue', async () => {
    assert.equal((await staffA.get('/api/library/search')).statusCode, 200);
    assert.equal((await staffA.post('/api/library/entries', ENTRY)).statusCode, 403);
    assert.equal((await staffA.get('/api/library/moderation')).statusCode, 403);
    assert.equal((await officerA.get('/api/library/moderation')).statusCode, 403);
    const donor = await h.as(h.a.users.donor_viewer.email);
    assert.equal((await donor.get('/api/library/search')).statusCode, 200);
    assert.equal((await h.anonymous().get('/api/library/search')).statusCode, 401);
  });
  it('the demo seed publishes an English and a French entry through the Secretariat and leaves one in its queue, once', async () => {
    // The demo's organisations by short name: tenant A as Norland, B as Sudmark, the Secretariat as WCO.
    for (const [id, short] of [
      [h.a.id, 'Norland'],
      [h.b.id, 'Sudmark'],
      [secretariatId, 'WCO'],
    ])
      await h.kernel.db.query('update organisations set short_name = $2 where id = $1', [id, short]);
    await libraryModule.seedDemo!(h.kernel);
    await libraryModule.seedDemo!(h.kernel);
    const published = await h.kernel.db.query<{ language: string; organisation: string }>(
      "select language, organisation from library_published where title in ('Random assignment of declarations to examining officers', 'Renforcement du contrôle interne dans les bureaux de douane') order by language",
    );
    assert.deepEqual(
      published.map((r) => [r.language, r.organisation]),
      [
        ['en', 'Tenant A Customs'],
        ['fr', 'Tenant B Customs'],
      ],
    );
    const pending = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from library_submissions where status = 'submitted' and title = 'Gift register with a public threshold'",
    );
    assert.equal(pending[0]!.n, 1);
    const [fr] = await h.kernel.db.query<{ id: string }>(
      "select id from library_published where title = 'Renforcement du contrôle interne dans les bureaux de douane'",
    );
    assert.ok((await found(officerA, 'q=contr%C3%B4les')).includes(fr!.id), 'the French demo entry is found');
  });
});
