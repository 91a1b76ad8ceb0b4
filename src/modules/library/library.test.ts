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
    // The generated column is indexed with the entry's own configuration.
    const [cfg] = await h.kernel.db.query<{ c: string }>(
      'select ts_config::text as c from library_published where id = $1',
      [e.id],
    );
    assert.equal(cfg!.c, 'french');
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
        tx.execute(sql`insert into library_published (id, submission_id, revision, title, summary, factors, type, language, ts_config)
          values (${e.id}, ${p.id}, 1, 'forged', 's', '{1}', 'tool', 'en', 'english')`),
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
