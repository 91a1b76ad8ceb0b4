import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Client, createHarness, type Harness } from '../../platform/testing/harness.ts';
import { DEFAULT_QUESTIONNAIRE } from './reports.questionnaire.ts';

// What the channel administration pages need from the API: the recipients to pick from, step
// titles, a new address (slug), switching a channel off and on.

describe('reports channels (administration)', () => {
  let h: Harness;
  let officer: Client; // integrity_officer: reports.manage and reports.handle
  let handler: Client; // case_handler: reports.handle only
  let id: string;
  let version: number;

  before(async () => {
    h = await createHarness();
    officer = await h.as(h.a.users.integrity_officer.email);
    handler = await h.as(h.a.users.case_handler.email);
    await handler.post('/api/reports/keys', { passphrase: 'handler passphrase long enough' });
    const res = await officer.post('/api/reports/channels', {
      slug: 'staff-line',
      name: { en: 'Staff integrity line', fr: 'Ligne intégrité du personnel' },
      recipients: [h.a.users.case_handler.id],
      languages: ['en', 'fr'],
    });
    assert.equal(res.statusCode, 201, res.body);
    id = res.json().id;
    version = res.json().version;
    assert.deepEqual(res.json().steps, []);
  });
  after(() => h.close());

  const pub = (slug: string, lang = 'fr') =>
    h.app.inject({ method: 'GET', url: `/api/public/reports/${h.a.id}/${slug}?lang=${lang}` });
  const patch = async (body: Record<string, unknown>) => {
    const res = await officer.patch(`/api/reports/channels/${id}`, { version, ...body });
    if (res.statusCode === 200) version = res.json().version;
    return res;
  };

  it('lists the members holding reports.handle as possible recipients, with whether they have keys', async () => {
    const res = await officer.get('/api/reports/recipients');
    assert.equal(res.statusCode, 200, res.body);
    const items: { userId: string; hasKey: boolean }[] = res.json().items;
    const byId = new Map(items.map((r) => [r.userId, r.hasKey]));
    assert.equal(byId.get(h.a.users.case_handler.id), true);
    assert.equal(byId.get(h.a.users.investigator.id), false);
    assert.equal(byId.has(h.a.users.org_admin.id), false, 'an administrator holds no reports.handle');
    assert.equal(byId.has(h.a.users.staff.id), false);
    assert.equal((await handler.get('/api/reports/recipients')).statusCode, 403);
  });

  it('step titles are kept per language and shown to the reporter; a field past the last step is refused', async () => {
    const steps = [
      { en: 'The facts', fr: 'Les faits' },
      { en: 'Where and who', fr: 'Où et qui' },
    ];
    const bad = await patch({ steps });
    assert.equal(bad.statusCode, 422, bad.body);
    const i = DEFAULT_QUESTIONNAIRE.findIndex((f) => f.step === 3);
    assert.equal(bad.json().errors[0].path, `questionnaire.${i}.step`);
    const questionnaire = DEFAULT_QUESTIONNAIRE.map((f) => ({ ...f, step: Math.min(f.step, 2) }));
    const ok = await patch({ steps, questionnaire });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json().steps, steps);
    const q = await pub('staff-line');
    assert.equal(q.statusCode, 200, q.body);
    assert.deepEqual(q.json().steps, ['Les faits', 'Où et qui']);
    assert.deepEqual((await pub('staff-line', 'en')).json().steps, ['The facts', 'Where and who']);
  });

  it('a new slug moves the public address; a taken or reserved slug is refused', async () => {
    const taken = await officer.post('/api/reports/channels', {
      slug: 'other',
      name: { en: 'Other' },
    });
    assert.equal(taken.statusCode, 201, taken.body);
    assert.equal((await patch({ slug: 'other' })).statusCode, 409);
    assert.equal((await patch({ slug: 'follow-up' })).statusCode, 400);
    const moved = await patch({ slug: 'integrity' });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(moved.json().path, `/report/${h.a.id}/integrity`);
    assert.equal((await pub('staff-line')).statusCode, 404);
    assert.equal((await pub('integrity')).statusCode, 200);
  });

  it('a channel switched off is not offered to reporters until switched on again', async () => {
    assert.equal((await patch({ active: false })).statusCode, 200);
    assert.equal((await pub('integrity')).statusCode, 404);
    const list = (await officer.get('/api/reports/channels')).json().items;
    assert.equal(list.find((c: { id: string }) => c.id === id).active, false);
    assert.equal((await patch({ active: true })).statusCode, 200);
    assert.equal((await pub('integrity')).statusCode, 200);
  });

  it('a save with a stale version is refused (409) and changes nothing', async () => {
    const res = await officer.patch(`/api/reports/channels/${id}`, {
      version: version - 1,
      retentionDays: 400,
    });
    assert.equal(res.statusCode, 409);
    const c = (await officer.get('/api/reports/channels'))
      .json()
      .items.find((x: { id: string }) => x.id === id);
    assert.equal(c.retentionDays, 90);
    assert.equal(c.version, version);
  });
});
