import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withTenant } from '../db/tenant.ts';
import { t } from '../i18n/i18n.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { Notifier, type NotificationInput } from './notify.ts';

// Notifications: stored once per recipient and dedupe key, e-mailed once in the recipient's
// language, listed and marked read by their owner only.

describe('notifications', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  const send = (tenantId: string, userId: string, n: Partial<NotificationInput> & { dedupeKey: string }) =>
    withTenant(h.kernel.db, { tenantId, userId }, (tx) =>
      h.kernel.notify.send(tx, {
        tenantId,
        userId,
        kind: 'test.kind',
        messageKey: 'mail.invite.subject',
        vars: { organisation: 'Norland Customs' },
        link: '/standards',
        ...n,
      }),
    );
  const mailTo = (email: string) =>
    h.kernel.db.query<{ subject: string; body: string }>(
      'select subject, body from mail_outbox where "to" = $1 order by created_at',
      [email],
    );
  const setLocale = (userId: string, locale: string | null) =>
    h.kernel.db.query('update users set locale = $2 where id = $1', [userId, locale]);

  it('is stored and e-mailed once per dedupe key: the second send returns false and queues nothing', async () => {
    const u = h.a.users.analyst;
    assert.equal(await send(h.a.id, u.id, { dedupeKey: 'due:1', email: true }), true);
    assert.equal(await send(h.a.id, u.id, { dedupeKey: 'due:1', email: true }), false);
    const [n] = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from notifications where user_id = $1 and dedupe_key = 'due:1'",
      [u.id],
    );
    assert.equal(n!.n, 1);
    const mails = await mailTo(u.email);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.subject, 'Arusha: You are invited to Norland Customs on Arusha');
    assert.match(mails[0]!.body, /^Hello analyst A,\n\nYou are invited to Norland Customs on Arusha\n/);
    assert.match(mails[0]!.body, /Open it in Arusha: http:\/\/localhost:\d+\/standards/);
    assert.match(mails[0]!.body, /member of Tenant A Customs/);
    // The same key for another person is another notification.
    assert.equal(await send(h.a.id, h.a.users.staff.id, { dedupeKey: 'due:1' }), true);
    // A `<messageKey>_subject` entry becomes the subject line.
    const catalog: Record<string, string> = {
      'x.due': 'Action {{ref}} is due; open it to see the details.',
      'x.due_subject': 'Action {{ref}} is due',
    };
    const notifier = new Notifier(h.kernel.mail, h.kernel.config, (locale, key, vars) =>
      key in catalog ? catalog[key]!.replace('{{ref}}', String(vars?.ref)) : t(locale, key, vars),
    );
    await withTenant(h.kernel.db, { tenantId: h.a.id, userId: h.a.users.org_admin.id }, (tx) =>
      notifier.send(tx, {
        tenantId: h.a.id,
        userId: h.a.users.org_admin.id,
        kind: 'x',
        messageKey: 'x.due',
        vars: { ref: 'A-1' },
        dedupeKey: 'subject',
        email: true,
      }),
    );
    const [withSubject] = await mailTo(h.a.users.org_admin.email);
    assert.equal(withSubject!.subject, 'Arusha: Action A-1 is due');
    assert.match(withSubject!.body, /\n\nAction A-1 is due; open it to see the details\.\n/);
    // Without email: nothing queued.
    assert.equal((await mailTo(h.a.users.staff.email)).length, 0);
  });

  it("e-mails in the recipient's language, else the organisation's default, else English", async () => {
    const fr = h.a.users.executive;
    await setLocale(fr.id, 'fr');
    await send(h.a.id, fr.id, { dedupeKey: 'fr', email: true });
    const [m] = await mailTo(fr.email);
    assert.equal(
      m!.subject,
      `Arusha : ${t('fr', 'mail.invite.subject', { organisation: 'Norland Customs' })}`,
    );
    assert.match(m!.subject, /^Arusha : Vous êtes invité/);
    assert.match(m!.body, /^Bonjour executive A,/);
    const es = h.a.users.investigator;
    await h.kernel.db.query("update organisations set default_locale = 'es' where id = $1", [h.a.id]);
    await send(h.a.id, es.id, { dedupeKey: 'es', email: true });
    await h.kernel.db.query("update organisations set default_locale = 'en' where id = $1", [h.a.id]);
    assert.match((await mailTo(es.email))[0]!.body, /^Hola, investigator A:/);
  });

  it('nothing is stored or sent when the transaction rolls back', async () => {
    const u = h.a.users.case_handler;
    await assert.rejects(
      withTenant(h.kernel.db, { tenantId: h.a.id, userId: u.id }, async (tx) => {
        await h.kernel.notify.send(tx, {
          tenantId: h.a.id,
          userId: u.id,
          kind: 'x',
          messageKey: 'mail.invite.subject',
          dedupeKey: 'rollback',
          email: true,
        });
        throw new Error('abort');
      }),
      /abort/,
    );
    assert.equal((await mailTo(u.email)).length, 0);
    assert.equal(await send(h.a.id, u.id, { dedupeKey: 'rollback' }), true);
  });

  it('refuses a link that is not an app path', async () => {
    await assert.rejects(
      send(h.a.id, h.a.users.staff.id, { dedupeKey: 'l', link: 'https://evil.example' }),
      /link/,
    );
    await assert.rejects(
      send(h.a.id, h.a.users.staff.id, { dedupeKey: 'l', link: '//evil.example' }),
      /link/,
    );
  });

  it("lists the caller's notifications rendered in the caller's language, with the unread count; marks read", async () => {
    const u = h.a.users.integrity_officer;
    await send(h.a.id, u.id, { dedupeKey: 'one', vars: { organisation: 'Un' } });
    await send(h.a.id, u.id, { dedupeKey: 'two', vars: { organisation: 'Deux' }, link: undefined });
    await send(h.a.id, h.a.users.staff.id, { dedupeKey: 'not-mine' });
    await setLocale(u.id, 'fr');
    const c = await h.as(u.email);
    const list = await c.get('/api/me/notifications');
    assert.equal(list.statusCode, 200, list.body);
    const body = list.json();
    assert.equal(body.unread, 2);
    assert.equal(body.items.length, 2);
    assert.deepEqual(
      body.items.map((x: { message: string }) => x.message).sort(),
      [
        t('fr', 'mail.invite.subject', { organisation: 'Deux' }),
        t('fr', 'mail.invite.subject', { organisation: 'Un' }),
      ].sort(),
    );
    assert.match(body.items[0].message, /Vous êtes invité/);
    const one = body.items.find((x: { message: string }) => x.message.includes('Un'));
    assert.equal(one.link, '/standards');
    assert.equal(one.readAt, null);

    assert.equal((await c.post(`/api/me/notifications/${one.id}/read`)).statusCode, 204);
    assert.equal((await c.post(`/api/me/notifications/${one.id}/read`)).statusCode, 204, 'idempotent');
    const after1 = (await c.get('/api/me/notifications')).json();
    assert.equal(after1.unread, 1);
    assert.ok(after1.items.find((x: { id: string }) => x.id === one.id).readAt);

    const all = await c.post('/api/me/notifications/read-all');
    assert.equal(all.statusCode, 200);
    assert.deepEqual(all.json(), { changed: 1 });
    assert.equal((await c.get('/api/me/notifications')).json().unread, 0);
  });

  it("another user's notification is 404, in the same organisation and in another", async () => {
    await send(h.a.id, h.a.users.staff.id, { dedupeKey: 'staff-only' });
    const [theirs] = await h.kernel.db.query<{ id: string }>(
      "select id from notifications where user_id = $1 and dedupe_key = 'staff-only'",
      [h.a.users.staff.id],
    );
    const other = await h.as(h.a.users.analyst.email);
    const res = await other.post(`/api/me/notifications/${theirs!.id}/read`);
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'NOT_FOUND');
    const [still] = await h.kernel.db.query<{ read_at: Date | null }>(
      'select read_at from notifications where id = $1',
      [theirs!.id],
    );
    assert.equal(still!.read_at, null);
    // Tenant B's user sees none of tenant A's.
    const b = await h.as(h.b.users.staff.email);
    assert.equal((await b.post(`/api/me/notifications/${theirs!.id}/read`)).statusCode, 404);
    assert.equal((await b.get('/api/me/notifications')).json().items.length, 0);
  });
});
